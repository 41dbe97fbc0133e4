package dev.canonic.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

/**
 * Measures the machine's float64 peak with independent FMA chains held in registers: scalar
 * (Math.fma), and the Vector API at 256 and 512 bits. Each thread runs its own chains; the result
 * is the best of several timed rounds, in GFLOP/s (one FMA = 2 flops).
 *
 * Usage: java --add-modules jdk.incubator.vector -cp ... dev.canonic.bench.FmaPeak [threads]
 * Prints lines "peak <kind> <threads> <gflops>".
 */
public final class FmaPeak {
    static final long ITERS = 50_000_000L;

    static double scalar(long iters) {
        double a0 = 1, a1 = 1.1, a2 = 1.2, a3 = 1.3, a4 = 1.4, a5 = 1.5, a6 = 1.6, a7 = 1.7,
               a8 = 1.8, a9 = 1.9, a10 = 2.0, a11 = 2.1;
        final double x = 0.999999999, y = 1e-9;
        for (long i = 0; i < iters; i++) {
            a0 = Math.fma(a0, x, y); a1 = Math.fma(a1, x, y); a2 = Math.fma(a2, x, y); a3 = Math.fma(a3, x, y);
            a4 = Math.fma(a4, x, y); a5 = Math.fma(a5, x, y); a6 = Math.fma(a6, x, y); a7 = Math.fma(a7, x, y);
            a8 = Math.fma(a8, x, y); a9 = Math.fma(a9, x, y); a10 = Math.fma(a10, x, y); a11 = Math.fma(a11, x, y);
        }
        return a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11;
    }

    static double vector256(long iters) {
        final VectorSpecies<Double> s = DoubleVector.SPECIES_256;
        DoubleVector x = DoubleVector.broadcast(s, 0.999999999), y = DoubleVector.broadcast(s, 1e-9);
        DoubleVector a0 = DoubleVector.broadcast(s, 1.0), a1 = DoubleVector.broadcast(s, 1.1),
                a2 = DoubleVector.broadcast(s, 1.2), a3 = DoubleVector.broadcast(s, 1.3),
                a4 = DoubleVector.broadcast(s, 1.4), a5 = DoubleVector.broadcast(s, 1.5),
                a6 = DoubleVector.broadcast(s, 1.6), a7 = DoubleVector.broadcast(s, 1.7),
                a8 = DoubleVector.broadcast(s, 1.8), a9 = DoubleVector.broadcast(s, 1.9),
                a10 = DoubleVector.broadcast(s, 2.0), a11 = DoubleVector.broadcast(s, 2.1);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    static double vector512(long iters) {
        final VectorSpecies<Double> s = DoubleVector.SPECIES_512;
        DoubleVector x = DoubleVector.broadcast(s, 0.999999999), y = DoubleVector.broadcast(s, 1e-9);
        DoubleVector a0 = DoubleVector.broadcast(s, 1.0), a1 = DoubleVector.broadcast(s, 1.1),
                a2 = DoubleVector.broadcast(s, 1.2), a3 = DoubleVector.broadcast(s, 1.3),
                a4 = DoubleVector.broadcast(s, 1.4), a5 = DoubleVector.broadcast(s, 1.5),
                a6 = DoubleVector.broadcast(s, 1.6), a7 = DoubleVector.broadcast(s, 1.7),
                a8 = DoubleVector.broadcast(s, 1.8), a9 = DoubleVector.broadcast(s, 1.9),
                a10 = DoubleVector.broadcast(s, 2.0), a11 = DoubleVector.broadcast(s, 2.1);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(x, y); a1 = a1.fma(x, y); a2 = a2.fma(x, y); a3 = a3.fma(x, y);
            a4 = a4.fma(x, y); a5 = a5.fma(x, y); a6 = a6.fma(x, y); a7 = a7.fma(x, y);
            a8 = a8.fma(x, y); a9 = a9.fma(x, y); a10 = a10.fma(x, y); a11 = a11.fma(x, y);
        }
        return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    interface Body { double run(long iters); }

    static volatile double sink;

    /** Best-of-rounds GFLOP/s of body run on t threads at once; flopsPerIter counts all chains. */
    static double measure(int t, double flopsPerIter, Body body, long iters) throws Exception {
        for (int w = 0; w < 3; w++) sink += body.run(iters / 10); // warm-up and JIT
        double best = 0;
        for (int round = 0; round < 5; round++) {
            CyclicBarrier start = new CyclicBarrier(t + 1);
            List<Thread> ths = new ArrayList<>();
            for (int i = 0; i < t; i++) {
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        sink += body.run(iters);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                th.start();
                ths.add(th);
            }
            start.await();
            long t0 = System.nanoTime();
            for (Thread th : ths) th.join();
            double sec = (System.nanoTime() - t0) * 1e-9;
            best = Math.max(best, t * flopsPerIter * iters / sec / 1e9);
        }
        return best;
    }

    public static void main(String[] args) throws Exception {
        int[] ts = args.length > 0 ? new int[] {Integer.parseInt(args[0])} : new int[] {1, 2};
        for (int t : ts) {
            System.out.printf("peak scalar-fma %d %.2f%n", t, measure(t, 24, FmaPeak::scalar, ITERS));
            System.out.printf("peak vector256-fma %d %.2f%n", t, measure(t, 24 * 4, FmaPeak::vector256, ITERS / 2));
            System.out.printf("peak vector512-fma %d %.2f%n", t, measure(t, 24 * 8, FmaPeak::vector512, ITERS / 4));
        }
    }
}
