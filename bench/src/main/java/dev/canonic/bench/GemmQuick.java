package dev.canonic.bench;

import dev.canonic.backend.Buffer;
import dev.canonic.backend.cpu.CpuBackend;
import dev.canonic.backend.cpu.Parallel;

import java.util.Arrays;
import java.util.Random;

/**
 * A quick W1 timer without JMH (for profiling sessions): median GFLOP/s of C = A·B.
 * Usage: GemmQuick threads n1 [n2 ...]; an argument batch:m:n:k times a batched product instead, and
 * batch:m:n:k:TN (T or N for each operand) a product with a transposed left (T.) or right (.T) operand,
 * e.g. 1:256:256:8192:TN is the weight gradient gᵀ·x of a 256-wide layer on 8192 rows.
 */
public final class GemmQuick {
    public static void main(String[] args) {
        int t = Integer.parseInt(args[0]);
        Parallel.setThreads(t);
        Random g = new Random(1);
        for (int ai = 1; ai < args.length; ai++) {
            String[] f0 = args[ai].split(":");
            final boolean ta = f0.length == 5 && f0[4].charAt(0) == 'T', tb = f0.length == 5 && f0[4].charAt(1) == 'T';
            String[] f = f0.length == 5 ? java.util.Arrays.copyOf(f0, 4) : f0;
            final int bt = f.length == 4 ? Integer.parseInt(f[0]) : 1;
            final int m = Integer.parseInt(f[f.length == 4 ? 1 : 0]);
            final int n = f.length == 4 ? Integer.parseInt(f[2]) : m, k = f.length == 4 ? Integer.parseInt(f[3]) : m;
            double[] a = new double[bt * m * k], b = new double[bt * k * n], c = new double[bt * m * n];
            for (int i = 0; i < a.length; i++) a[i] = g.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = g.nextGaussian();
            Buffer ab = CpuBackend.wrap(a), bb = CpuBackend.wrap(b), cb = CpuBackend.wrap(c);
            double flops = 2.0 * bt * m * n * k;
            int reps = (int) Math.max(5, Math.min(200, 3e10 / flops));
            for (int w = 0; w < Math.max(3, reps / 2); w++) CpuBackend.INSTANCE.gemm(bt, m, n, k, ab, m * k, ta, bb, k * n, tb, cb);
            double[] ts = new double[reps], cpu = new double[reps];
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            for (int r = 0; r < reps; r++) {
                long c0 = mx.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                CpuBackend.INSTANCE.gemm(bt, m, n, k, ab, m * k, ta, bb, k * n, tb, cb);
                ts[r] = (System.nanoTime() - t0) * 1e-9;
                cpu[r] = (mx.getCurrentThreadCpuTime() - c0) * 1e-9;
            }
            Arrays.sort(ts);
            Arrays.sort(cpu);
            System.out.printf("%s threads=%d median %.4f ms  %.2f GFLOP/s  (calling thread's CPU time: %.2f GFLOP/s)%n",
                    args[ai], t, ts[reps / 2] * 1e3, flops / ts[reps / 2] / 1e9, flops / cpu[reps / 2] / 1e9);
        }
    }
}
