package dev.canonic.bench;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.models.koopman.KoopmanConfig;
import dev.canonic.models.koopman.KoopmanModel;
import dev.canonic.models.koopman.KoopmanTrainer;

/**
 * Time per iteration of model A's L-BFGS refinement (KoopmanTrainer on the 1-D seed configuration,
 * 8 gradient modules of width 64 with linear modules, a full batch of 4096 samples):
 *
 * <pre>java --add-modules jdk.incubator.vector -Xmx8g -XX:+UseParallelGC -cp CP dev.canonic.bench.LbfgsQuick 1 50</pre>
 *
 * trains on 80 harmonic-oscillator orbits (analytic, 200 points, Δt = 0.1) for one Adam epoch, once
 * with 10 L-BFGS iterations (warm-up), once with none and once with N, and prints
 * (t_N − t_0) / iterations: the seconds per L-BFGS iteration, line-search evaluations included.
 */
public final class LbfgsQuick {
    private LbfgsQuick() {
    }

    private static double[][][] orbits(int n, int points, double dt, long seed) {
        java.util.Random g = new java.util.Random(seed);
        double[][][] o = new double[n][points][2];
        for (int s = 0; s < n; s++) {
            double r = Math.sqrt(2 * (0.2 + 1.8 * g.nextDouble())), th = 2 * Math.PI * g.nextDouble();
            for (int k = 0; k < points; k++) {
                o[s][k][0] = r * Math.sin(th + k * dt);
                o[s][k][1] = r * Math.cos(th + k * dt);
            }
        }
        return o;
    }

    private static KoopmanTrainer.History run(int iters, int samples, double[][][] train, double[][][] val) {
        KoopmanConfig cfg = KoopmanConfig.seed1d(1).withTraining(1, 32, 1).withLbfgs(iters, samples);
        return new KoopmanTrainer(new KoopmanModel(cfg), train, val, 0.1).train();
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        int iters = Integer.parseInt(args[1]);
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 4096;
        Parallel.setThreads(threads);
        double[][][] train = orbits(80, 200, 0.1, 1), val = orbits(10, 200, 0.1, 2);
        run(10, samples, train, val);
        KoopmanTrainer.History h0 = run(0, samples, train, val);
        KoopmanTrainer.History h = run(iters, samples, train, val);
        double per = (h.seconds() - h0.seconds()) / Math.max(1, h.lbfgsIterations());
        System.out.printf("L-BFGS threads %d samples %d: %.4f s per iteration (%d iterations, %.2f s; without L-BFGS %.2f s), "
            + "validation loss %.6e -> %.6e%n", threads, samples, per, h.lbfgsIterations(), h.seconds(), h0.seconds(),
            h.lbfgsBefore(), h.lbfgsAfter());
    }
}
