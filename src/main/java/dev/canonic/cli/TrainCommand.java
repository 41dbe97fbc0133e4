package dev.canonic.cli;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.models.koopman.KoopmanConfig;
import dev.canonic.models.koopman.KoopmanFiles;
import dev.canonic.models.koopman.KoopmanModel;
import dev.canonic.models.koopman.OrbitAverage;
import dev.canonic.models.koopman.KoopmanTrainer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;

/** {@code canonic train koopman --data FILE --out MODEL}: model A on the user's own trajectories. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model on your own data.",
    subcommands = {TrainCommand.Koopman.class, TrainActionFinder.class, ActionFinderCommands.TrainAcceleration.class})
public final class TrainCommand implements Runnable {
    @Override
    public void run() {
        System.out.println("usage: canonic train koopman --data FILE --out MODEL        (model A, trajectories)\n"
            + "       canonic train actionfinder --data FILE --out MODEL   (model B, streams; see canonic train actionfinder --help)\n"
            + "       canonic train acceleration --model MODEL --data FILE (model B, phase two)");
    }

    /** Model A on a trajectory file. */
    @Command(name = "koopman", mixinStandardHelpOptions = true,
        description = "Train the symplectic Koopman autoencoder (model A) on trajectories: CSV with orbit_id,t,z,vz "
            + "(or q1..qd,p1..pd), or .npz with t (S×T), q, p (S×T×d). Orbits are split into training and validation sets.")
    public static final class Koopman implements Callable<Integer> {
        @Option(names = "--data", required = true, description = "trajectory file (.csv or .npz)")
        Path data;

        @Option(names = "--out", required = true, description = "model file to write (.npz)")
        Path out;

        @Option(names = "--epochs", defaultValue = "20", description = "Adam epochs (default ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--lbfgs", defaultValue = "2600", description = "L-BFGS refinement iterations (default ${DEFAULT-VALUE})")
        int lbfgs;

        @Option(names = "--seed", defaultValue = "1", description = "seed of initialisation and split (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--threads", description = "CPU threads (default: all cores)")
        Integer threads;

        @Option(names = "--no-progress", description = "no progress bar")
        boolean noProgress;

        @Option(names = "--resume", description = "continue an interrupted run from its checkpoint (same data, settings and threads give bitwise the same model)")
        boolean resume;

        @Option(names = "--checkpoint", description = "checkpoint file written after every epoch (default: MODEL with .checkpoint.npz)")
        Path checkpoint;

        @picocli.CommandLine.Mixin
        BackendOption backend = new BackendOption();

        @Override
        public Integer call() throws Exception {
            backend.apply();
            if (threads != null) Parallel.setThreads(threads);
            Path ck = checkpoint != null ? checkpoint : checkpointFor(out);
            if (resume && !java.nio.file.Files.exists(ck)) System.out.println("no checkpoint " + ck + " yet: starting afresh");
            KoopmanConfig base = KoopmanConfig.seed1d(seed);
            KoopmanFiles.Trajectories tr = KoopmanFiles.readTrajectories(data, base.rollout() + 1);
            int d = tr.dof();
            KoopmanConfig cfg = new KoopmanConfig(d, base.layers(), base.width(), base.linearModules(), base.netWidth(), base.rollout(),
                base.wOneStep(), base.wRollout(), base.wRecon(), base.wPhysics(), base.segment(), epochs, base.batch(), base.lr(), base.lrMin(),
                seed, lbfgs, base.lbfgsSamples(), base.lbfgsMemory());
            int s = tr.x().length;
            int[] idx = new int[s];
            for (int i = 0; i < s; i++) idx[i] = i;
            Random rng = new Random(seed);
            for (int i = s - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
            int nVal = Math.max(s >= 6 ? 2 : 1, s / 5);
            List<double[][]> train = new ArrayList<>(), val = new ArrayList<>();
            for (int i = 0; i < s; i++) (i < nVal ? val : train).add(tr.x()[idx[i]]);
            KoopmanModel model = new KoopmanModel(cfg);
            System.out.printf(Locale.ROOT, "%s: %d orbits (%d training, %d validation), %d degree(s) of freedom, step %.6g%n",
                data, s, train.size(), val.size(), d, tr.dt());
            KoopmanTrainer.History h = new KoopmanTrainer(model, train.toArray(new double[0][][]), val.toArray(new double[0][][]), tr.dt())
                .progress(!noProgress).checkpoint(ck, resume).train();
            KoopmanFiles.save(out, model);
            double[] last = h.validation().get(h.bestEpoch() < 0 ? h.validation().size() - 1 : h.bestEpoch());
            System.out.println("best validation epoch " + (h.bestEpoch() + 1) + " of " + epochs + "; validation losses at that epoch:");
            for (int i = 0; i < last.length; i++) System.out.printf(Locale.ROOT, "  %-16s %.3e%n", KoopmanModel.LOSS_NAMES[i], last[i]);
            if (!Double.isNaN(h.lbfgsAfter())) System.out.printf(Locale.ROOT, "after L-BFGS (%d iterations): total %.3e%n", h.lbfgsIterations(), h.lbfgsAfter());
            double[] ratio = spreadRatio(model, val, d);
            for (int j = 0; j < d && val.size() < 2; j++) {
                System.out.printf(Locale.ROOT, "J%d: one validation orbit only, so no spread across orbits to compare with%n", j + 1);
            }
            for (int j = 0; j < d && val.size() >= 2; j++) {
                System.out.printf(Locale.ROOT, "J%d: spread along each validation orbit / spread across orbits = %.2e (rms over orbits)%n", j + 1, ratio[j]);
            }
            if (val.size() >= 2) {
                double[] halves = halfSplitRatio(model, val, d);
                int used = (int) halves[d];
                if (used == 0) {
                    System.out.println("orbit actions (J_orbit): no validation orbit is long enough for each half to go round its angle circle, "
                        + "so there is no check of them here");
                }
                for (int j = 0; j < d && used > 0; j++) {
                    System.out.printf(Locale.ROOT, "J%d_orbit: difference between the two halves of each validation orbit / spread across orbits "
                        + "= %.2e (rms over %d of %d orbits)%n", j + 1, halves[j], used, val.size());
                }
            }
            if (model.ripple() != null) {
                System.out.printf(Locale.ROOT, "pointwise J: ripple correction with %d harmonics x %d Chebyshev terms, fitted on the training orbits "
                    + "(see README, orbit actions)%n", model.ripple().harmonics(), model.ripple().terms());
            } else if (d == 1) {
                System.out.println("pointwise J: no ripple correction (needs 3 training and 1 validation orbit that go round their angle circle, "
                    + "and a fit that beats the uncorrected map on the validation orbits)");
            }
            System.out.printf(Locale.ROOT, "trained in %.1f s; model written to %s%n", h.seconds(), out);
            return 0;
        }
    }

    /** MODEL.npz → MODEL.checkpoint.npz beside it. */
    static Path checkpointFor(Path model) {
        String name = model.getFileName().toString();
        String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
        return model.resolveSibling(stem + ".checkpoint.npz");
    }

    /**
     * A reference-free check of the orbit actions: J_orbit of the first and of the second half of
     * each orbit, where both halves go round their angle circles, compared. Returns per component
     * the rms difference over those orbits divided by the spread of J_orbit across orbits, then (index
     * d) how many orbits qualified.
     */
    static double[] halfSplitRatio(KoopmanModel model, List<double[][]> orbits, int d) {
        double[] diff = new double[d + 1];
        List<double[]> whole = new ArrayList<>();
        int used = 0;
        for (double[][] o : orbits) {
            int m = o.length, h = m / 2;
            double[][] ja = model.actionsAndAngles(o);
            double[] j = ja[0], th = ja[1];
            whole.add(OrbitAverage.average(j, th, m, d).actions());
            if (h < 2) continue;
            OrbitAverage.Result a = OrbitAverage.average(
                Arrays.copyOfRange(j, 0, h * d), Arrays.copyOfRange(th, 0, h * d), h, d);
            OrbitAverage.Result b = OrbitAverage.average(
                Arrays.copyOfRange(j, h * d, m * d), Arrays.copyOfRange(th, h * d, m * d), m - h, d);
            if (!a.covered() || !b.covered()) continue;
            used++;
            for (int q = 0; q < d; q++) diff[q] += (a.actions()[q] - b.actions()[q]) * (a.actions()[q] - b.actions()[q]);
        }
        for (int q = 0; q < d; q++) {
            double mu = 0, v = 0;
            for (double[] w : whole) mu += w[q] / whole.size();
            for (double[] w : whole) v += (w[q] - mu) * (w[q] - mu) / whole.size();
            diff[q] = used == 0 ? Double.NaN : Math.sqrt(diff[q] / used) / Math.sqrt(v);
        }
        diff[d] = used;
        return diff;
    }

    /**
     * A figure a user can trust without any reference: for each action, the rms over validation
     * orbits of its standard deviation along the orbit, divided by the standard deviation of the
     * orbit means across orbits. An action that is truly conserved gives a small ratio.
     */
    static double[] spreadRatio(KoopmanModel model, List<double[][]> orbits, int d) {
        double[] within = new double[d];
        List<double[]> means = new ArrayList<>();
        for (double[][] o : orbits) {
            double[] j = model.actionsAndAngles(o)[0];
            double[] mean = new double[d];
            for (int k = 0; k < o.length; k++) for (int q = 0; q < d; q++) mean[q] += j[k * d + q] / o.length;
            for (int q = 0; q < d; q++) {
                double v = 0;
                for (int k = 0; k < o.length; k++) v += (j[k * d + q] - mean[q]) * (j[k * d + q] - mean[q]) / o.length;
                within[q] += v / orbits.size();
            }
            means.add(mean);
        }
        double[] out = new double[d];
        for (int q = 0; q < d; q++) {
            double m = 0, v = 0;
            for (double[] a : means) m += a[q] / means.size();
            for (double[] a : means) v += (a[q] - m) * (a[q] - m) / means.size();
            out[q] = Math.sqrt(within[q]) / Math.sqrt(v);
        }
        return out;
    }
}
