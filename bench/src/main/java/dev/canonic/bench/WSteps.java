package dev.canonic.bench;

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

import java.util.concurrent.TimeUnit;

/**
 * W2–W6 (../../shared/BENCHMARKS.md): one training step (forward, loss, backward to every parameter,
 * no optimiser) per JMH invocation, timed one at a time (single-shot), so JMH's raw data are the
 * individual step times whose median tools/bench-compare reports. Shapes are the standard ones
 * (W2/W3/W4 batch 8192, W5 batch 1024) unless -p batch= overrides them. tools/bench-compare sets the
 * warm-up and measured counts per workload (-wi, -i); W4 and W6 (-p workload=W6) take several seconds a step.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 7)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g", "-XX:+UseParallelGC", "-XX:GCTimeRatio=4",
    "-XX:+UseTransparentHugePages"})
public class WSteps {
    @Param({"W2", "W3", "W5"})
    public String workload;

    @Param({"1", "2"})
    public int threads;

    /** 0 = the standard batch of the workload. */
    @Param({"0"})
    public int batch;

    private Workloads.Step step;

    @Setup
    public void setup() {
        Parallel.setThreads(threads);
        step = Workloads.of(workload, batch > 0 ? batch : Workloads.standardBatch(workload));
    }

    @Benchmark
    public double step() {
        return step.run();
    }
}
