package dev.canonic.bench;

import dev.canonic.backend.Buffer;
import dev.canonic.backend.cpu.CpuBackend;
import dev.canonic.backend.cpu.Parallel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * W1: dense matrix product C = A·B, float64, square n (../../shared/BENCHMARKS.md), on the engine's
 * CPU backend with a given number of engine threads. GFLOP/s = 2n³ / (seconds per op); tools/bench-compare
 * converts JMH's per-iteration times to medians and GFLOP/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 7, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
public class W1Gemm {
    @Param({"256", "512", "1024", "2048"})
    public int n;

    @Param({"1", "2"})
    public int threads;

    private Buffer a, b, c;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        System.out.println("gemm kernel: " + CpuBackend.gemmKernel() + ", java " + System.getProperty("java.version"));
        Random g = new Random(1);
        double[] x = new double[n * n], y = new double[n * n];
        for (int i = 0; i < x.length; i++) {
            x[i] = g.nextGaussian();
            y[i] = g.nextGaussian();
        }
        a = CpuBackend.wrap(x);
        b = CpuBackend.wrap(y);
        c = CpuBackend.wrap(new double[n * n]);
    }

    @Benchmark
    public Buffer gemm() {
        CpuBackend.INSTANCE.gemm(1, n, n, n, a, 0, false, b, 0, false, c);
        return c;
    }
}
