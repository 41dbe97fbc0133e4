package dev.canonic.models.koopman;

import dev.canonic.core.Autograd;
import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Parameter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Trains a {@link KoopmanModel} on trajectories sampled at a uniform step: windows of R + 1
 * consecutive points are drawn from the training orbits, Adam runs with a cosine learning-rate
 * decay, the parameters of the epoch with the lowest validation loss are kept, and finally the
 * frequency net's output layer is calibrated by least squares to the rate at which the learned
 * angles advance along each training orbit (the frequency is, by definition, that rate).
 */
public final class KoopmanTrainer {
    /** Loss history per epoch (each row: one value per name in {@link KoopmanModel#LOSS_NAMES}). */
    public record History(List<double[]> train, List<double[]> validation, int bestEpoch, double bestValidation,
                          int steps, double seconds, double calibrationRms) {
    }

    private final KoopmanModel model;
    private final double[][][] trainOrbits;
    private final double[][][] valOrbits;
    private final double dt;
    private boolean progress = true;

    /**
     * @param model       the model (its configuration gives the training settings)
     * @param trainOrbits S×T×2d training trajectories, user units, a step dt apart
     * @param valOrbits   validation trajectories (same layout; may have another S and T)
     * @param dt          the time step
     */
    public KoopmanTrainer(KoopmanModel model, double[][][] trainOrbits, double[][][] valOrbits, double dt) {
        int r = model.config().rollout();
        check("training", trainOrbits, model.dof(), r);
        check("validation", valOrbits, model.dof(), r);
        this.model = model;
        this.trainOrbits = trainOrbits;
        this.valOrbits = valOrbits;
        this.dt = dt;
    }

    private static void check(String what, double[][][] orbits, int d, int r) {
        if (orbits.length == 0) throw new IllegalArgumentException("no " + what + " orbits");
        for (int s = 0; s < orbits.length; s++) {
            if (orbits[s].length < r + 1) {
                throw new IllegalArgumentException(what + " orbit " + s + " has " + orbits[s].length + " samples, fewer than the rollout window + 1 = " + (r + 1));
            }
            for (double[] p : orbits[s]) {
                if (p.length != 2 * d) throw new IllegalArgumentException(what + " orbit " + s + ": points need " + 2 * d + " coordinates, got " + p.length);
                for (double v : p) if (!Double.isFinite(v)) throw new IllegalArgumentException(what + " orbit " + s + " holds a NaN or infinite value");
            }
        }
    }

    /** Turns the terminal progress bar on or off. */
    public KoopmanTrainer progress(boolean on) {
        progress = on;
        return this;
    }

    private static int[][] windows(double[][][] orbits, int r) {
        List<int[]> w = new ArrayList<>();
        for (int s = 0; s < orbits.length; s++) for (int k = 0; k + r < orbits[s].length; k++) w.add(new int[] {s, k});
        return w.toArray(new int[0][]);
    }

    private Tensor[] batch(double[][][] orbits, int[][] win, int[] pick, int from, int to) {
        int r = model.config().rollout(), n = 2 * model.dof(), b = to - from;
        double[] sh = model.shift(), sc = model.scale();
        Tensor[] xs = new Tensor[r + 1];
        for (int q = 0; q <= r; q++) {
            double[] v = new double[b * n];
            for (int i = 0; i < b; i++) {
                int[] w = win[pick[from + i]];
                double[] p = orbits[w[0]][w[1] + q];
                for (int c = 0; c < n; c++) v[i * n + c] = (p[c] - sh[c]) / sc[c];
            }
            xs[q] = Tensor.of(v, b, n);
        }
        return xs;
    }

    /** Runs the whole training; returns the history. The model ends with the best validation epoch's parameters. */
    public History train() {
        KoopmanConfig cfg = model.config();
        int r = cfg.rollout();
        List<double[]> a = new ArrayList<>(), b = new ArrayList<>();
        for (double[][] o : trainOrbits) for (int k = 0; k + 1 < o.length; k++) {
            a.add(o[k]);
            b.add(o[k + 1]);
        }
        model.fitScales(a.toArray(new double[0][]), b.toArray(new double[0][]), dt);
        int[][] win = windows(trainOrbits, r), vwin = windows(valOrbits, r);
        int bs = Math.min(cfg.batch(), win.length);
        int perEpoch = (win.length + bs - 1) / bs;
        int total = perEpoch * cfg.epochs();
        List<Parameter> params = model.parameters();
        Tensor[] leaves = new Tensor[params.size()];
        Adam opt = new Adam(params, cfg.lr());
        Random rng = new Random(cfg.seed() * 31 + 7);
        int[] order = new int[win.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int[] vpick = new int[Math.min(vwin.length, 4096)];
        {
            Random vr = new Random(cfg.seed() + 99);
            int[] all = new int[vwin.length];
            for (int i = 0; i < all.length; i++) all[i] = i;
            shuffle(all, vr);
            System.arraycopy(all, 0, vpick, 0, vpick.length);
        }
        List<double[]> trainHist = new ArrayList<>(), valHist = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        Tensor[] bestValues = null;
        long t0 = System.nanoTime();
        int step = 0;
        ProgressBar pb = progress ? new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build() : null;
        try {
            for (int epoch = 0; epoch < cfg.epochs(); epoch++) {
                shuffle(order, rng);
                double[] sum = new double[KoopmanModel.LOSS_NAMES.length];
                for (int s0 = 0; s0 < perEpoch; s0++) {
                    int from = s0 * bs, to = Math.min(win.length, from + bs);
                    double frac = total <= 1 ? 1.0 : (double) step / (total - 1);
                    opt.setLearningRate(cfg.lrMin() + 0.5 * (cfg.lr() - cfg.lrMin()) * (1 + Math.cos(Math.PI * frac)));
                    Tensor[] xs = batch(trainOrbits, win, order, from, to);
                    for (int i = 0; i < leaves.length; i++) leaves[i] = params.get(i).value();
                    KoopmanModel.Losses l = model.losses(xs);
                    double[] v = l.values();
                    for (int i = 0; i < v.length; i++) {
                        if (!Double.isFinite(v[i])) {
                            throw new ArithmeticException("training diverged: loss term '" + KoopmanModel.LOSS_NAMES[i] + "' is " + v[i]
                                + " at epoch " + epoch + ", step " + step);
                        }
                        sum[i] += v[i] * (to - from) / win.length;
                    }
                    Tensor[] g = Autograd.grad(new Tensor[] {l.total()}, leaves, null, false);
                    opt.step(g);
                    step++;
                    if (pb != null) {
                        pb.step();
                        pb.setExtraMessage(String.format(" epoch %d loss %.3e", epoch + 1, v[4]));
                    }
                }
                trainHist.add(sum);
                double[] vl = evaluate(valOrbits, vwin, vpick);
                valHist.add(vl);
                if (System.getenv("CANONIC_DEBUG") != null) System.err.println("epoch " + epoch + " train " + java.util.Arrays.toString(sum) + " val " + vl[4]);
                if (vl[4] < best) {
                    best = vl[4];
                    bestEpoch = epoch;
                    bestValues = new Tensor[params.size()];
                    for (int i = 0; i < bestValues.length; i++) bestValues[i] = params.get(i).value();
                }
            }
        } finally {
            if (pb != null) pb.close();
        }
        if (bestValues != null) for (int i = 0; i < bestValues.length; i++) params.get(i).set(bestValues[i]);
        double calib = calibrateFrequencies();
        double secs = (System.nanoTime() - t0) / 1e9;
        return new History(trainHist, valHist, bestEpoch, best, step, secs, calib);
    }

    private double[] evaluate(double[][][] orbits, int[][] win, int[] pick) {
        double[] sum = new double[KoopmanModel.LOSS_NAMES.length];
        int bs = 1024;
        for (int from = 0; from < pick.length; from += bs) {
            int to = Math.min(pick.length, from + bs);
            double[] v = model.losses(batch(orbits, win, pick, from, to)).values();
            for (int i = 0; i < v.length; i++) sum[i] += v[i] * (to - from) / pick.length;
        }
        return sum;
    }

    private static void shuffle(int[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * Measures, on every training orbit, the rate of advance of each learned angle (least-squares
     * slope of the unwrapped angle against time) and the orbit's mean scaled action, then refits
     * the frequency net's output layer so that ω(J) reproduces those rates. Returns the rms
     * relative misfit of the rates after the fit.
     */
    double calibrateFrequencies() {
        int d = model.dof(), n = 2 * d;
        int s = trainOrbits.length;
        double[][] js = new double[s][d], rate = new double[s][d];
        try (GradMode.Scope g = GradMode.noGrad()) {
            for (int o = 0; o < s; o++) {
                double[][] orb = trainOrbits[o];
                int t = orb.length;
                double[] v = new double[t * n];
                for (int k = 0; k < t; k++) System.arraycopy(orb[k], 0, v, k * n, n);
                Tensor y = model.encode(Tensor.of(v, t, n));
                double[] ja = model.latentActions(y).toArray();
                double[] th = model.latentAngles(y).toArray();
                for (int j = 0; j < d; j++) {
                    double prev = th[j], acc = 0, st = 0, sth = 0, stt = 0, sthh = 0, mean = 0;
                    for (int k = 0; k < t; k++) {
                        double a = th[k * d + j];
                        if (k > 0) {
                            double da = a - prev;
                            while (da <= -Math.PI) da += 2 * Math.PI;
                            while (da > Math.PI) da -= 2 * Math.PI;
                            acc += da;
                        }
                        prev = a;
                        double tt = k * dt;
                        st += tt;
                        sth += acc;
                        stt += tt * tt;
                        sthh += tt * acc;
                        mean += ja[k * d + j] / t;
                    }
                    rate[o][j] = (t * sthh - st * sth) / (t * stt - st * st);
                    js[o][j] = mean;
                }
            }
        }
        return model.calibrateFrequencyNet(js, rate);
    }
}
