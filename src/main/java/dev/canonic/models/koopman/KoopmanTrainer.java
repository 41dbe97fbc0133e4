package dev.canonic.models.koopman;

import dev.canonic.core.Autograd;
import dev.canonic.core.BufferPool;
import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Checkpoints;
import dev.canonic.nn.Parameter;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                          int steps, double seconds, double calibrationRms, int lbfgsIterations, double lbfgsBefore, double lbfgsAfter) {
    }

    private final KoopmanModel model;
    private final double[][][] trainOrbits;
    private final double[][][] valOrbits;
    private final double dt;
    private boolean progress = true;
    private Path checkpoint;
    private boolean resume;
    private int haltAfter = -1;
    private boolean recycle = true;
    private BufferPool pool = BufferPool.off();

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

    /**
     * Writes a checkpoint (parameters, Adam state, loss histories, best epoch so far) to path after
     * every epoch, atomically. With resume on and the file present, training continues from it and
     * ends bitwise identical to an uninterrupted run (same data, settings and thread count): the
     * shuffling random stream is replayed to the checkpoint's epoch.
     */
    public KoopmanTrainer checkpoint(Path path, boolean resume) {
        this.checkpoint = path;
        this.resume = resume;
        return this;
    }

    /**
     * Recycles the buffers of each step's intermediate results in the next step ({@link BufferPool};
     * on by default). The results are bitwise the same either way; off allocates every result afresh.
     */
    public KoopmanTrainer recycleBuffers(boolean on) {
        this.recycle = on;
        return this;
    }

    /** For tests: stop (returning null) right after the checkpoint of this many epochs, as if killed there. */
    KoopmanTrainer haltAfter(int epochs) {
        this.haltAfter = epochs;
        return this;
    }

    /**
     * Segments (orbit, start) of length l covering every orbit, consecutive segments overlapping by
     * r samples so that every pair of samples up to r apart lies inside some segment.
     */
    private static int[][] segments(double[][][] orbits, int l, int r) {
        List<int[]> w = new ArrayList<>();
        int stride = Math.max(1, l - r);
        for (int s = 0; s < orbits.length; s++) {
            int t = orbits[s].length;
            int len = Math.min(l, t);
            int k = 0;
            for (; k + len <= t; k += stride) w.add(new int[] {s, k, len});
            if (k - stride + len < t) w.add(new int[] {s, t - len, len});
        }
        return w.toArray(new int[0][]);
    }

    /** Scaled segments pick[from..to) as an S×L×2d tensor (all segments of a batch have one length). */
    private Tensor batch(double[][][] orbits, int[][] seg, int[] pick, int from, int to) {
        int n = 2 * model.dof(), b = to - from;
        int len = seg[pick[from]][2];
        double[] sh = model.shift(), sc = model.scale();
        double[] v = new double[b * len * n];
        for (int i = 0; i < b; i++) {
            int[] w = seg[pick[from + i]];
            if (w[2] != len) throw new IllegalStateException("segments of a batch differ in length");
            for (int q = 0; q < len; q++) {
                double[] p = orbits[w[0]][w[1] + q];
                int o = (i * len + q) * n;
                for (int c = 0; c < n; c++) v[o + c] = (p[c] - sh[c]) / sc[c];
            }
        }
        return Tensor.of(v, b, len, n);
    }

    /** Splits pick into runs of at most bs segments of equal length. */
    private static List<int[]> runs(int[][] seg, int[] pick, int bs) {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        while (from < pick.length) {
            int to = from;
            int len = seg[pick[from]][2];
            while (to < pick.length && to - from < bs && seg[pick[to]][2] == len) to++;
            out.add(new int[] {from, to});
            from = to;
        }
        return out;
    }

    /** Runs the whole training; returns the history. The model ends with the best validation epoch's parameters. */
    public History train() {
        KoopmanConfig cfg = model.config();
        pool = recycle ? new BufferPool() : BufferPool.off();
        try {
            return run(cfg);
        } finally {
            pool = BufferPool.off();   // the arrays held for reuse go to the garbage collector
        }
    }

    private History run(KoopmanConfig cfg) {
        int r = cfg.rollout();
        List<double[]> a = new ArrayList<>(), b = new ArrayList<>();
        for (double[][] o : trainOrbits) for (int k = 0; k + 1 < o.length; k++) {
            a.add(o[k]);
            b.add(o[k + 1]);
        }
        model.fitScales(a.toArray(new double[0][]), b.toArray(new double[0][]), dt);
        int[][] win = segments(trainOrbits, cfg.segment(), r), vwin = segments(valOrbits, cfg.segment(), r);
        int bs = Math.min(cfg.batch(), win.length);
        int perEpoch = (win.length + bs - 1) / bs;
        int total = perEpoch * cfg.epochs();
        double samples = 0;
        for (int[] w : win) samples += w[2];
        List<Parameter> params = model.parameters();
        Tensor[] leaves = new Tensor[params.size()];
        Adam opt = new Adam(params, cfg.lr());
        Random rng = new Random(cfg.seed() * 31 + 7);
        int[] order = new int[win.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        int[] vpick = new int[Math.min(vwin.length, Math.max(1, 16384 / cfg.segment()))];
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
        int firstEpoch = 0;
        double[] fingerprint = fingerprint(cfg, win.length);
        if (checkpoint != null && resume && Files.exists(checkpoint)) {
            Checkpoints.Loaded ck;
            try {
                ck = Checkpoints.loadAll(checkpoint, model, opt);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            checkFingerprint(ck, fingerprint);
            firstEpoch = (int) (double) ck.extra().get("epochs_done");
            step = (int) (double) ck.extra().get("step");
            best = ck.extra().get("best");
            bestEpoch = (int) (double) ck.extra().get("best_epoch");
            rows(ck.arrays().get("train_history"), trainHist);
            rows(ck.arrays().get("validation_history"), valHist);
            if (bestEpoch >= 0) {
                bestValues = new Tensor[params.size()];
                for (int i = 0; i < bestValues.length; i++) {
                    NdArray arr = ck.arrays().get("best/" + i);
                    if (arr == null) throw new IllegalArgumentException(checkpoint + ": checkpoint lacks the best epoch's parameter " + i);
                    bestValues[i] = Tensor.of(arr.data(), arr.shape());
                }
            }
            for (int e = 0; e < firstEpoch; e++) shuffle(order, rng);
            if (progress) System.out.println("resuming from " + checkpoint + " after epoch " + firstEpoch + " of " + cfg.epochs());
        }
        ProgressBar pb = progress ? new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).continuousUpdate().build() : null;
        if (pb != null) pb.stepTo(step);
        try {
            for (int epoch = firstEpoch; epoch < cfg.epochs(); epoch++) {
                shuffle(order, rng);
                double[] sum = new double[KoopmanModel.LOSS_NAMES.length];
                for (int[] run : runs(win, order, bs)) {
                    int from = run[0], to = run[1];
                    double frac = total <= 1 ? 1.0 : (double) step / (total - 1);
                    opt.setLearningRate(cfg.lrMin() + 0.5 * (cfg.lr() - cfg.lrMin()) * (1 + Math.cos(Math.PI * frac)));
                    Tensor xs = batch(trainOrbits, win, order, from, to);
                    double weight = 0;
                    for (int i = from; i < to; i++) weight += win[order[i]][2] / samples;
                    for (int i = 0; i < leaves.length; i++) leaves[i] = params.get(i).value();
                    double[] v;
                    Tensor[] g;
                    try (BufferPool.Scope sc = pool.open()) {
                        KoopmanModel.Losses l = model.losses(xs);
                        v = l.values();
                        for (int i = 0; i < v.length; i++) {
                            if (!Double.isFinite(v[i])) {
                                throw new ArithmeticException("training diverged: loss term '" + KoopmanModel.LOSS_NAMES[i] + "' is " + v[i]
                                    + " at epoch " + epoch + ", step " + step);
                            }
                            sum[i] += v[i] * weight;
                        }
                        g = sc.keep(Autograd.grad(new Tensor[] {l.total()}, leaves, null, false));
                    }
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
                if (checkpoint != null) saveCheckpoint(opt, fingerprint, epoch + 1, step, best, bestEpoch, trainHist, valHist, bestValues);
                if (haltAfter == epoch + 1) return null;
            }
        } finally {
            if (pb != null) pb.close();
        }
        if (bestValues != null) for (int i = 0; i < bestValues.length; i++) params.get(i).set(bestValues[i]);
        int lbIters = 0;
        double lbBefore = Double.NaN, lbAfter = Double.NaN;
        if (cfg.lbfgsIters() > 0) {
            int[] pick = new int[Math.min(Math.max(1, cfg.lbfgsSamples() / cfg.segment()), win.length)];
            shuffle(order, rng);
            System.arraycopy(order, 0, pick, 0, pick.length);
            java.util.Arrays.sort(pick);
            List<Tensor> full = new ArrayList<>();
            List<Double> fullW = new ArrayList<>();
            double tot = 0;
            for (int i : pick) tot += win[i][2];
            int[] sorted = sortByLength(win, pick);
            for (int[] run : runs(win, sorted, Integer.MAX_VALUE)) {
                full.add(batch(trainOrbits, win, sorted, run[0], run[1]));
                double wsum = 0;
                for (int i = run[0]; i < run[1]; i++) wsum += win[sorted[i]][2];
                fullW.add(wsum / tot);
            }
            Tensor[] before = new Tensor[params.size()];
            for (int i = 0; i < before.length; i++) before[i] = params.get(i).value();
            double valBefore = evaluate(valOrbits, vwin, vpick)[4];
            dev.canonic.nn.Lbfgs.Result res = new dev.canonic.nn.Lbfgs(params, cfg.lbfgsMemory()).minimise(grads -> {
                for (int i = 0; i < leaves.length; i++) leaves[i] = params.get(i).value();
                try (BufferPool.Scope sc = pool.open()) {
                    Tensor loss = null;
                    for (int q = 0; q < full.size(); q++) {
                        Tensor lq = model.losses(full.get(q)).total().mul(fullW.get(q));
                        loss = loss == null ? lq : loss.add(lq);
                    }
                    Tensor[] g = sc.keep(Autograd.grad(new Tensor[] {loss}, leaves, null, false));
                    System.arraycopy(g, 0, grads, 0, g.length);
                    return loss.item();
                }
            }, cfg.lbfgsIters(), 0.0);
            double valAfter = evaluate(valOrbits, vwin, vpick)[4];
            if (!(valAfter <= valBefore)) {
                for (int i = 0; i < before.length; i++) params.get(i).set(before[i]);
            }
            lbIters = res.iterations();
            lbBefore = valBefore;
            lbAfter = valAfter;
            if (System.getenv("CANONIC_DEBUG") != null) System.err.println("lbfgs " + res + " val " + valBefore + " -> " + valAfter);
        }
        double calib = calibrateFrequencies();
        model.setRipple(RippleCorrection.fit(model, trainOrbits, valOrbits));
        double secs = (System.nanoTime() - t0) / 1e9;
        return new History(trainHist, valHist, bestEpoch, best, step, secs, calib, lbIters, lbBefore, lbAfter);
    }

    /** What a checkpoint must agree with to be resumed: settings and a fingerprint of the training data. */
    private double[] fingerprint(KoopmanConfig cfg, int segments) {
        double sum = 0, sq = 0;
        long n = 0;
        for (double[][] o : trainOrbits) for (double[] p : o) for (double v : p) {
            sum += v;
            sq += v * v;
            n++;
        }
        return new double[] {cfg.seed(), cfg.epochs(), cfg.batch(), cfg.segment(), cfg.lr(), cfg.layers(), cfg.width(), segments, n, sum, sq};
    }

    private static final String[] FINGERPRINT = {"seed", "epochs", "batch", "segment", "lr", "layers", "width", "segments", "values", "data_sum", "data_sumsq"};

    private void checkFingerprint(Checkpoints.Loaded ck, double[] fp) {
        for (int i = 0; i < fp.length; i++) {
            Double v = ck.extra().get("fp_" + FINGERPRINT[i]);
            if (v == null || Double.doubleToLongBits(v) != Double.doubleToLongBits(fp[i])) {
                throw new IllegalArgumentException(checkpoint + ": cannot resume, the checkpoint was written with " + FINGERPRINT[i] + " = " + v
                    + " but this run has " + fp[i] + " (same data and settings are needed; remove the checkpoint to start afresh)");
            }
        }
        for (String k : new String[] {"epochs_done", "step", "best", "best_epoch"}) {
            if (ck.extra().get(k) == null) throw new IllegalArgumentException(checkpoint + ": checkpoint lacks '" + k + "'");
        }
    }

    private static void rows(NdArray a, List<double[]> out) {
        if (a == null) return;
        int cols = a.shape()[1];
        for (int r = 0; r < a.shape()[0]; r++) out.add(java.util.Arrays.copyOfRange(a.data(), r * cols, (r + 1) * cols));
    }

    private static NdArray table(List<double[]> rows) {
        int cols = KoopmanModel.LOSS_NAMES.length;
        double[] v = new double[rows.size() * cols];
        for (int r = 0; r < rows.size(); r++) System.arraycopy(rows.get(r), 0, v, r * cols, cols);
        return new NdArray(v, new int[] {rows.size(), cols});
    }

    private void saveCheckpoint(Adam opt, double[] fp, int epochsDone, int step, double best, int bestEpoch,
                                List<double[]> trainHist, List<double[]> valHist, Tensor[] bestValues) {
        Map<String, Double> extra = new LinkedHashMap<>();
        for (int i = 0; i < fp.length; i++) extra.put("fp_" + FINGERPRINT[i], fp[i]);
        extra.put("epochs_done", (double) epochsDone);
        extra.put("step", (double) step);
        extra.put("best", best);
        extra.put("best_epoch", (double) bestEpoch);
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("train_history", table(trainHist));
        arrays.put("validation_history", table(valHist));
        if (bestValues != null) for (int i = 0; i < bestValues.length; i++) arrays.put("best/" + i, new NdArray(bestValues[i].toArray(), bestValues[i].shape()));
        try {
            Checkpoints.save(checkpoint, model, opt, extra, arrays);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private double[] evaluate(double[][][] orbits, int[][] win, int[] pick) {
        double[] sum = new double[KoopmanModel.LOSS_NAMES.length];
        int[] sorted = sortByLength(win, pick);
        double tot = 0;
        for (int i : sorted) tot += win[i][2];
        for (int[] run : runs(win, sorted, 256)) {
            double[] v;
            try (BufferPool.Scope sc = pool.open()) {
                v = model.losses(batch(orbits, win, sorted, run[0], run[1])).values();
            }
            double w = 0;
            for (int i = run[0]; i < run[1]; i++) w += win[sorted[i]][2] / tot;
            for (int i = 0; i < v.length; i++) sum[i] += v[i] * w;
        }
        return sum;
    }

    private static int[] sortByLength(int[][] seg, int[] pick) {
        Integer[] boxed = new Integer[pick.length];
        for (int i = 0; i < pick.length; i++) boxed[i] = pick[i];
        java.util.Arrays.sort(boxed, java.util.Comparator.comparingInt(i -> seg[i][2]));
        int[] out = new int[pick.length];
        for (int i = 0; i < out.length; i++) out[i] = boxed[i];
        return out;
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
