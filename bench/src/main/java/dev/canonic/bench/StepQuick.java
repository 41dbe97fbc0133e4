package dev.canonic.bench;

import dev.canonic.backend.cpu.Parallel;

import java.util.Arrays;

/**
 * Quick timer of one workload step outside JMH (for profiling with JFR and quick before/after checks):
 *
 * <pre>java --add-modules jdk.incubator.vector -cp CP dev.canonic.bench.StepQuick W2 2 3 7 [batch]</pre>
 *
 * runs workload W2 on 2 engine threads, 3 warm-up and 7 timed steps, and prints each time, the
 * median and the loss. Steps recycle their buffers ({@code dev.canonic.core.BufferPool}) unless
 * -Dcanonic.pool=false.
 */
public final class StepQuick {
    private StepQuick() {
    }

    public static void main(String[] args) {
        String id = args[0];
        int threads = Integer.parseInt(args[1]);
        int warm = Integer.parseInt(args[2]), reps = Integer.parseInt(args[3]);
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : Workloads.standardBatch(id);
        Parallel.setThreads(threads);
        Workloads.Step s = Workloads.of(id, batch);
        double loss = 0;
        for (int i = 0; i < warm; i++) loss = s.run();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            loss = s.run();
            t[i] = (System.nanoTime() - t0) / 1e9;
        }
        double[] sorted = t.clone();
        Arrays.sort(sorted);
        double med = reps % 2 == 1 ? sorted[reps / 2] : 0.5 * (sorted[reps / 2 - 1] + sorted[reps / 2]);
        System.out.printf("%s threads %d batch %d pool %s: median %.4f s over %d (%s), loss %.6e%n", id, threads, batch,
            dev.canonic.core.BufferPool.enabled() ? "on" : "off", med, reps,
            Arrays.toString(Arrays.stream(t).map(x -> Math.round(x * 1e4) / 1e4).toArray()), loss);
    }
}
