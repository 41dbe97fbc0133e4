package dev.canonic.models.actionfinder;

import dev.canonic.core.Autograd;
import dev.canonic.core.BufferPool;
import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Checkpoints;
import dev.canonic.nn.Parameter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains an {@link ActionFinderModel} (Ibata et al. 2021 §6): streams split 50/50 into training and
 * test sets (seeded), Adam (lr 1e-4 by default) on minibatches of whole streams, the loss terms
 * recorded per epoch for both sets, and the weights of the epoch with the lowest test loss kept.
 *
 * <p>Checkpoints (optional) are written atomically after every {@code checkpointEvery} epochs through
 * {@link Checkpoints}: weights, module state (dropout counters), Adam's state, the epoch, the best
 * epoch's weights and both loss histories. The only other randomness, the order of the training
 * streams, is drawn from a generator seeded by (seed, epoch), so a run resumed from a checkpoint gives
 * bitwise the same losses as one that was never interrupted.
 */
public final class ActionFinderTrainer {
    /**
     * Settings.
     *
     * @param epochs          epochs in total (a resumed run counts those already done)
     * @param batchStreams    streams per minibatch
     * @param lr              Adam's learning rate
     * @param seed            seed of the split and the per-epoch shuffling
     * @param testFraction    fraction of streams held out for testing (the paper: 0.5)
     * @param checkpoint      checkpoint file, or null
     * @param checkpointEvery epochs between checkpoints (≥ 1)
     * @param resume          continue from the checkpoint when it exists
     */
    public record Settings(int epochs, int batchStreams, double lr, long seed, double testFraction, Path checkpoint, int checkpointEvery, boolean resume) {
        public Settings {
            if (epochs < 0) throw new IllegalArgumentException("epochs must be ≥ 0, got " + epochs);
            if (batchStreams < 1) throw new IllegalArgumentException("batchStreams must be ≥ 1, got " + batchStreams);
            if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
            if (!(testFraction > 0 && testFraction < 1)) throw new IllegalArgumentException("testFraction must lie in (0, 1), got " + testFraction);
            if (checkpointEvery < 1) throw new IllegalArgumentException("checkpointEvery must be ≥ 1");
        }

        /** The paper's defaults: Adam at 1e-4, 50/50 split, 64 streams per batch, no checkpoint. */
        public static Settings defaults(int epochs, long seed) {
            return new Settings(epochs, 64, 1e-4, seed, 0.5, null, 1, false);
        }

        public Settings withLr(double v) {
            return new Settings(epochs, batchStreams, v, seed, testFraction, checkpoint, checkpointEvery, resume);
        }

        public Settings withBatchStreams(int v) {
            return new Settings(epochs, v, lr, seed, testFraction, checkpoint, checkpointEvery, resume);
        }

        public Settings withEpochs(int v) {
            return new Settings(v, batchStreams, lr, seed, testFraction, checkpoint, checkpointEvery, resume);
        }

        public Settings withCheckpoint(Path p, int every, boolean res) {
            return new Settings(epochs, batchStreams, lr, seed, testFraction, p, every, res);
        }
    }

    /**
     * Loss history: one row per epoch, columns {@link ActionFinderModel#LOSS_NAMES} (NaN where a term is
     * not in the configured loss). Test losses are computed in evaluation mode after the epoch's updates.
     * bestEpoch is 0-based; −1 means the initial weights had the lowest test loss (they are evaluated
     * before the first epoch and kept if no epoch beats them).
     */
    public record History(List<double[]> train, List<double[]> test, int bestEpoch, double bestTest, int epochsRun, double seconds,
                          int lastIterations, boolean lastConverged, long lastWorstStream, int illConditionedRows, int toyStepsRejected) {
    }

    /** Streams with at least one point that has no toy coordinates, removed before training. */
    public record Exclusion(double[] xv, long[] ids, long[] excludedStreams, int excludedRows) {
        /** A one-line report for the user ("" when nothing was excluded). */
        public String report() {
            if (excludedStreams.length == 0) return "";
            long[] head = Arrays.copyOf(excludedStreams, Math.min(20, excludedStreams.length));
            return excludedStreams.length + " stream(s) (" + excludedRows + " stars) excluded: some star has no toy isochrone coordinates (unbound, radial or exactly planar); ids "
                + Arrays.toString(head) + (excludedStreams.length > head.length ? " …" : "");
        }
    }

    /** Removes every stream holding a point with no toy (θ, J) for the given GM, b; the report names them. */
    public static Exclusion excludeInvalid(double[] xv, long[] ids, double gm, double b) {
        int n = ids.length;
        if (xv.length != 6 * n) throw new IllegalArgumentException("xv holds " + xv.length + " values for " + n + " rows (need 6 per row)");
        int[] bad = IsochroneToy.invalidIndices(xv, n, gm, b);
        java.util.LinkedHashSet<Long> out = new java.util.LinkedHashSet<>();
        for (int r : bad) out.add(ids[r]);
        int keep = 0;
        for (long id : ids) if (!out.contains(id)) keep++;
        double[] nx = new double[6 * keep];
        long[] nid = new long[keep];
        int k = 0;
        for (int r = 0; r < n; r++) {
            if (out.contains(ids[r])) continue;
            System.arraycopy(xv, 6 * r, nx, 6 * k, 6);
            nid[k++] = ids[r];
        }
        return new Exclusion(nx, nid, out.stream().mapToLong(Long::longValue).toArray(), n - keep);
    }

    /** Dense stream indices of the training and test sets (seeded 50/50 split by stream). */
    public record Split(int[] train, int[] test) {
    }

    /** Shuffles the S streams with seed and gives the first ⌊(1 − testFraction)·S⌋ (at least 1) to training. */
    public static Split split(int s, double testFraction, long seed) {
        if (s < 2) throw new IllegalArgumentException("need at least 2 streams to split into training and test sets, got " + s);
        int[] perm = permutation(s, new Random(seed ^ 0x5DEECE66DL));
        int nTrain = Math.max(1, Math.min(s - 1, (int) Math.floor((1 - testFraction) * s)));
        int[] tr = Arrays.copyOf(perm, nTrain), te = Arrays.copyOfRange(perm, nTrain, s);
        Arrays.sort(tr);
        Arrays.sort(te);
        return new Split(tr, te);
    }

    private static int[] permutation(int n, Random r) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private final ActionFinderModel model;
    private final double[] xv;
    private final Streams streams;
    private final Settings settings;
    private final Split split;
    private final int[][] members;
    private Consumer<String> progress;
    private boolean recycle = true;
    private BufferPool pool = BufferPool.off();

    /**
     * @param model the model (its toy decides which points are valid)
     * @param xv    rows × 6 (kpc, km/s), flat
     * @param ids   stream id of each row; every stream needs at least 2 stars
     * @throws IllegalArgumentException naming the streams with points the toy cannot handle (see {@link #excludeInvalid})
     */
    public ActionFinderTrainer(ActionFinderModel model, double[] xv, long[] ids, Settings settings) {
        if (xv.length != 6 * ids.length) throw new IllegalArgumentException("xv holds " + xv.length + " values for " + ids.length + " rows (need 6 per row)");
        this.streams = Streams.of(ids, 2);
        Exclusion ex = excludeInvalid(xv, ids, model.toy().gm(), model.toy().b());
        if (ex.excludedStreams().length > 0) throw new IllegalArgumentException(ex.report() + "; remove them first (ActionFinderTrainer.excludeInvalid)");
        this.model = model;
        this.xv = xv.clone();
        this.settings = settings;
        this.split = split(streams.count(), settings.testFraction(), settings.seed());
        this.members = streams.members();
    }

    /** Where progress lines go (one per epoch); null for none. */
    public ActionFinderTrainer progress(Consumer<String> sink) {
        this.progress = sink;
        return this;
    }

    /**
     * Recycles the buffers of each batch's intermediate results in the next batch ({@link BufferPool};
     * on by default); results are bitwise the same either way. Returns this.
     */
    public ActionFinderTrainer recycleBuffers(boolean on) {
        this.recycle = on;
        return this;
    }

    public Split split() {
        return split;
    }

    /** The rows of the given dense streams as (xv tensor, Streams). */
    private Object[] batch(int[] ss) {
        int n = 0;
        for (int s : ss) n += members[s].length;
        double[] b = new double[6 * n];
        long[] ids = new long[n];
        int k = 0;
        for (int s : ss) {
            for (int r : members[s]) {
                System.arraycopy(xv, 6 * r, b, 6 * k, 6);
                ids[k++] = s;
            }
        }
        return new Object[] {Tensor.of(b, n, 6), Streams.of(ids, 1)};
    }

    /** Runs (or resumes) training; the best test epoch's weights are in the model afterwards. */
    public History train() throws IOException {
        pool = recycle ? new BufferPool() : BufferPool.off();
        try {
            return run();
        } finally {
            pool = BufferPool.off();
        }
    }

    private History run() throws IOException {
        List<Parameter> params = model.trainableParameters();
        Adam opt = new Adam(params, settings.lr());
        List<double[]> trainHist = new ArrayList<>(), testHist = new ArrayList<>();
        int start = 0, bestEpoch = -1;
        double bestTest = Double.POSITIVE_INFINITY;
        Map<String, double[]> best = null;
        Path ck = settings.checkpoint();
        if (ck != null && settings.resume() && Files.exists(ck)) {
            Checkpoints.Loaded l = Checkpoints.loadAll(ck, model, opt);
            start = (int) Math.round(l.extra().get("epoch"));
            bestEpoch = (int) Math.round(l.extra().get("best_epoch"));
            bestTest = l.extra().get("best_test");
            if (l.extra().get("seed") != (double) settings.seed()) throw new IOException(ck + ": checkpoint was written with seed " + l.extra().get("seed") + ", not " + settings.seed());
            unpack(l.arrays().get("history_train"), trainHist);
            unpack(l.arrays().get("history_test"), testHist);
            best = new LinkedHashMap<>();
            for (Map.Entry<String, NdArray> e : l.arrays().entrySet()) if (e.getKey().startsWith("best/")) best.put(e.getKey().substring(5), e.getValue().data());
        }
        if (start == 0 && settings.epochs() > 0) {
            // the starting point competes too: with the correct toy (and G, P starting at zero) it is already exact
            double[] te0 = evaluate(split.test());
            checkFinite(te0, -1, "test");
            bestTest = te0[0];
            bestEpoch = -1;
            best = snapshot();
        }
        long t0 = System.nanoTime();
        int lastIt = 0, ill = 0, rejected = 0;
        boolean lastConv = true;
        long lastWorst = -1;
        for (int epoch = start; epoch < settings.epochs(); epoch++) {
            model.train(true);
            int[] order = split.train().clone();
            Random r = new Random(settings.seed() * 1_000_003L + epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double[] sum = new double[4];
            int rows = 0;
            for (int b0 = 0; b0 < order.length; b0 += settings.batchStreams()) {
                int[] ss = Arrays.copyOfRange(order, b0, Math.min(order.length, b0 + settings.batchStreams()));
                Object[] bt = batch(ss);
                Streams st = (Streams) bt[1];
                Tensor[] grads;
                double[] terms;
                try (BufferPool.Scope sc = pool.open()) {
                    ActionFinderModel.Output o = model.forward((Tensor) bt[0], st);
                    terms = o.terms();
                    checkFinite(terms, epoch, "training");
                    lastIt = o.pass().solve().iterations();
                    lastConv = o.pass().solve().converged();
                    lastWorst = o.pass().solve().worstStream() < 0 ? -1 : streams.label(ss[o.pass().solve().worstStream()]);
                    ill += o.illConditioned().length;
                    Tensor[] leaves = new Tensor[params.size()];
                    for (int i = 0; i < leaves.length; i++) leaves[i] = params.get(i).value();
                    grads = sc.keep(Autograd.grad(new Tensor[] {o.loss()}, leaves, null, false));
                }
                for (int i = 0; i < grads.length; i++) {
                    final Parameter pi = params.get(i);
                    for (double g : grads[i].toArray()) {
                        if (!Double.isFinite(g)) throw new IllegalStateException("epoch " + (epoch + 1) + ": gradient of " + model.namedParameters().entrySet().stream()
                            .filter(e -> e.getValue() == pi).map(Map.Entry::getKey).findFirst().orElse("?") + " is not finite");
                    }
                }
                double gm = model.toy().gm(), bb = model.toy().b();
                opt.step(grads);
                if (!model.toy().fixed() && IsochroneToy.invalidIndices(xv, streams.rows(), model.toy().gm(), model.toy().b()).length > 0) {
                    model.toy().set(gm, bb); // a toy step that would unbind some star is undone
                    rejected++;
                }
                int n = st.rows();
                for (int k = 0; k < 4; k++) sum[k] += terms[k] * n;
                rows += n;
            }
            double[] tr = new double[4];
            for (int k = 0; k < 4; k++) tr[k] = sum[k] / rows;
            double[] te = evaluate(split.test());
            checkFinite(te, epoch, "test");
            trainHist.add(tr);
            testHist.add(te);
            if (te[0] < bestTest) {
                bestTest = te[0];
                bestEpoch = epoch;
                best = snapshot();
            }
            if (progress != null) {
                double el = (System.nanoTime() - t0) * 1e-9, eta = el / (epoch + 1 - start) * (settings.epochs() - epoch - 1);
                progress.accept(String.format("epoch %d/%d  train %.4e (spread %.3e, positivity %.2e, zero point %.2e)  test %.4e  best %d  iterations %d%s  %.0fs, ETA %.0fs",
                    epoch + 1, settings.epochs(), tr[0], tr[1], tr[2], tr[3], te[0], bestEpoch + 1, lastIt,
                    lastConv ? "" : " (not converged, worst stream " + lastWorst + ")", el, eta));
            }
            if (ck != null && ((epoch + 1) % settings.checkpointEvery() == 0 || epoch + 1 == settings.epochs())) {
                Map<String, Double> extra = new LinkedHashMap<>();
                extra.put("epoch", (double) (epoch + 1));
                extra.put("best_epoch", (double) bestEpoch);
                extra.put("best_test", bestTest);
                extra.put("seed", (double) settings.seed());
                Map<String, NdArray> arrays = new LinkedHashMap<>();
                arrays.put("history_train", pack(trainHist));
                arrays.put("history_test", pack(testHist));
                if (best != null) {
                    for (Map.Entry<String, double[]> e : best.entrySet()) {
                        arrays.put("best/" + e.getKey(), new NdArray(e.getValue(), model.namedParameters().get(e.getKey()).shape()));
                    }
                }
                Checkpoints.save(ck, model, opt, extra, arrays);
            }
        }
        if (best != null) restore(best);
        model.eval();
        return new History(trainHist, testHist, bestEpoch, bestTest, trainHist.size(), (System.nanoTime() - t0) * 1e-9, lastIt, lastConv, lastWorst, ill, rejected);
    }

    /** Loss terms over the given dense streams, in evaluation mode, weighted by stars. */
    public double[] evaluate(int[] ss) {
        boolean was = model.isTraining();
        model.eval();
        double[] sum = new double[4];
        int rows = 0;
        for (int b0 = 0; b0 < ss.length; b0 += settings.batchStreams()) {
            int[] part = Arrays.copyOfRange(ss, b0, Math.min(ss.length, b0 + settings.batchStreams()));
            Object[] bt = batch(part);
            Streams st = (Streams) bt[1];
            double[] terms;
            try (BufferPool.Scope sc = pool.open()) {
                terms = model.forward((Tensor) bt[0], st).terms();
            }
            for (int k = 0; k < 4; k++) sum[k] += terms[k] * st.rows();
            rows += st.rows();
        }
        model.train(was);
        for (int k = 0; k < 4; k++) sum[k] /= rows;
        return sum;
    }

    private void checkFinite(double[] terms, int epoch, String set) {
        ActionFinderConfig c = model.config();
        boolean paper = c.loss().hasEq12Terms();
        boolean[] inLoss = {true, true, paper, paper && c.alpha1() > 0};
        for (int k = terms.length - 1; k >= 0; k--) {
            if (inLoss[k] && !Double.isFinite(terms[k])) {
                throw new IllegalStateException((epoch < 0 ? "before training" : "epoch " + (epoch + 1)) + ": " + set + " loss term '" + ActionFinderModel.LOSS_NAMES[k] + "' is " + terms[k]);
            }
        }
    }

    private Map<String, double[]> snapshot() {
        Map<String, double[]> m = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) m.put(e.getKey(), e.getValue().value().toArray());
        return m;
    }

    private void restore(Map<String, double[]> s) {
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) {
            double[] v = s.get(e.getKey());
            if (v != null) e.getValue().set(Tensor.of(v, e.getValue().shape()));
        }
    }

    private static NdArray pack(List<double[]> rows) {
        double[] d = new double[rows.size() * 4];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, d, 4 * i, 4);
        return new NdArray(d, new int[] {rows.size(), 4});
    }

    private static void unpack(NdArray a, List<double[]> out) throws IOException {
        if (a == null) throw new IOException("checkpoint lacks its loss history");
        int n = a.shape()[0];
        for (int i = 0; i < n; i++) out.add(Arrays.copyOfRange(a.data(), 4 * i, 4 * i + 4));
    }
}
