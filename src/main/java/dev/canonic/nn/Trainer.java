package dev.canonic.nn;

import dev.canonic.core.Autograd;
import dev.canonic.core.BufferPool;
import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.UncheckedIOException;
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
 * A small reusable training loop over in-memory data sets (arrays of tensors sharing their first
 * axis): mini-batches drawn by a permutation that depends only on (seed, epoch), one optimiser step
 * per batch on the sum of the objective's loss terms, optional gradient clipping and learning-rate
 * schedule, then an evaluation of the test set (in evaluation mode: dropout off).
 *
 * <p>It records the train and test loss of every term per epoch (batch means weighted by batch
 * size), keeps the epoch of best test loss (train loss when there is no test set) with its weights,
 * stops early after {@code patience} epochs without improvement, and stops with a
 * {@link NonFiniteLossException} naming the loss term as soon as one is NaN or infinite (before the
 * step, so the weights and the last checkpoint stay good). With a checkpoint path it saves
 * {@code path} after every epoch and {@code path.best.npz} at every new best; with resume on it
 * continues from {@code path}, and the losses are bitwise those of an uninterrupted run (CPU, same
 * seed, deterministic objective). A progress bar with ETA goes to the terminal (or a sink).
 */
public final class Trainer {
    /** The loss of one batch as named terms; the total minimised is their sum. */
    @FunctionalInterface
    public interface Objective {
        /** Each term is a scalar tensor with its graph. batch holds the selected rows of every data array. */
        LinkedHashMap<String, Tensor> losses(Tensor[] batch);
    }

    /**
     * Settings.
     *
     * @param epochs       epochs to run in total (a resumed run counts the epochs already done)
     * @param batchSize    rows per batch (the last batch may be smaller)
     * @param seed         seed of the per-epoch shuffling
     * @param shuffle      shuffle the training rows each epoch
     * @param patience     early stopping after this many epochs without a new best (0 = off)
     * @param clipNorm     clip gradients to this global norm (0 = off)
     * @param schedule     learning-rate schedule (null = constant)
     * @param checkpoint   checkpoint file (null = none)
     * @param resume       continue from the checkpoint file when it exists
     * @param restoreBest  put the best epoch's weights back into the model at the end
     * @param progress     show a progress bar with ETA
     * @param progressSink where progress lines go (null = the terminal)
     */
    public record Config(int epochs, int batchSize, long seed, boolean shuffle, int patience, double clipNorm,
                         LrSchedule schedule, Path checkpoint, boolean resume, boolean restoreBest,
                         boolean progress, Consumer<String> progressSink) {
        public Config {
            if (epochs < 0 || batchSize <= 0) throw new IllegalArgumentException("Trainer: epochs ≥ 0 and batch size > 0 required, got " + epochs + ", " + batchSize);
            if (patience < 0 || !(clipNorm >= 0)) throw new IllegalArgumentException("Trainer: patience and clip norm must be ≥ 0");
        }

        /** epochs and batch size; seed 0, shuffling on, everything else off, progress bar on. */
        public static Config of(int epochs, int batchSize) {
            return new Config(epochs, batchSize, 0, true, 0, 0, null, null, false, false, true, null);
        }

        /** A copy with another shuffling seed. */
        public Config withSeed(long s) {
            return new Config(epochs, batchSize, s, shuffle, patience, clipNorm, schedule, checkpoint, resume, restoreBest, progress, progressSink);
        }

        /** A copy with shuffling on or off. */
        public Config withShuffle(boolean s) {
            return new Config(epochs, batchSize, seed, s, patience, clipNorm, schedule, checkpoint, resume, restoreBest, progress, progressSink);
        }

        /** A copy with early-stopping patience (0 = off). */
        public Config withPatience(int p) {
            return new Config(epochs, batchSize, seed, shuffle, p, clipNorm, schedule, checkpoint, resume, restoreBest, progress, progressSink);
        }

        /** A copy with gradient clipping to this global norm (0 = off). */
        public Config withClipNorm(double c) {
            return new Config(epochs, batchSize, seed, shuffle, patience, c, schedule, checkpoint, resume, restoreBest, progress, progressSink);
        }

        /** A copy with a learning-rate schedule. */
        public Config withSchedule(LrSchedule s) {
            return new Config(epochs, batchSize, seed, shuffle, patience, clipNorm, s, checkpoint, resume, restoreBest, progress, progressSink);
        }

        /** A copy that checkpoints to p after every epoch, resuming from it when asked and it exists. */
        public Config withCheckpoint(Path p, boolean resumeFromIt) {
            return new Config(epochs, batchSize, seed, shuffle, patience, clipNorm, schedule, p, resumeFromIt, restoreBest, progress, progressSink);
        }

        /** A copy that restores the best weights at the end, or not. */
        public Config withRestoreBest(boolean r) {
            return new Config(epochs, batchSize, seed, shuffle, patience, clipNorm, schedule, checkpoint, resume, r, progress, progressSink);
        }

        /** A copy with the progress bar on or off, printing to sink (null = terminal). */
        public Config withProgress(boolean on, Consumer<String> sink) {
            return new Config(epochs, batchSize, seed, shuffle, patience, clipNorm, schedule, checkpoint, resume, restoreBest, on, sink);
        }
    }

    /** Why training ended. */
    public enum Stop {
        /** All epochs ran. */
        COMPLETED,
        /** No new best for patience epochs. */
        EARLY_STOPPING
    }

    /** Loss history. Term names map to one value per epoch; "total" is the sum of the terms. */
    public static final class History {
        private final LinkedHashMap<String, List<Double>> train = new LinkedHashMap<>();
        private final LinkedHashMap<String, List<Double>> test = new LinkedHashMap<>();
        private final List<Double> lr = new ArrayList<>();
        private int bestEpoch = -1;
        private double bestLoss = Double.POSITIVE_INFINITY;
        private Stop stop;

        /** Train loss per term per epoch. */
        public Map<String, List<Double>> train() {
            return train;
        }

        /** Test loss per term per epoch (empty without a test set). */
        public Map<String, List<Double>> test() {
            return test;
        }

        /** Learning rate used in each epoch. */
        public List<Double> learningRates() {
            return lr;
        }

        /** The epoch (0-based) with the lowest monitored loss, or −1 before the first epoch. */
        public int bestEpoch() {
            return bestEpoch;
        }

        /** The lowest monitored loss. */
        public double bestLoss() {
            return bestLoss;
        }

        /** Epochs recorded. */
        public int epochs() {
            return lr.size();
        }

        /** Why training ended (null while running or after a non-finite loss). */
        public Stop stop() {
            return stop;
        }

        static void add(Map<String, List<Double>> m, Map<String, Double> v) {
            for (Map.Entry<String, Double> e : v.entrySet()) m.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    /** Thrown when a loss term is NaN or infinite; names the term, the epoch and the batch. */
    public static final class NonFiniteLossException extends ArithmeticException {
        private final transient History history;
        private final String term;

        NonFiniteLossException(String msg, String term, History h) {
            super(msg);
            this.term = term;
            this.history = h;
        }

        /** The offending loss term. */
        public String term() {
            return term;
        }

        /** The history up to the last complete epoch. */
        public History history() {
            return history;
        }
    }

    private final Module model;
    private final Optimizer opt;
    private final Objective objective;
    private final Config config;
    private boolean recycle;
    private BufferPool pool = BufferPool.off();

    /** A trainer of model's parameters (those the optimiser updates) with objective. */
    public Trainer(Module model, Optimizer opt, Objective objective, Config config) {
        this.model = model;
        this.opt = opt;
        this.objective = objective;
        this.config = config;
    }

    /**
     * Recycles the buffers of each batch's intermediate results in the next batch ({@link BufferPool};
     * off by default). Results are bitwise the same. Only for objectives that keep no tensor they
     * compute from one call to the next (reading a tensor computed in an earlier batch then throws
     * IllegalStateException); returns this.
     */
    public Trainer recycleBuffers(boolean on) {
        this.recycle = on;
        return this;
    }

    /** Trains on train (arrays with a common first axis); test may be null. */
    public History fit(Tensor[] train, Tensor[] test) {
        pool = recycle ? new BufferPool() : BufferPool.off();
        try {
            return fitWithPool(train, test);
        } finally {
            pool = BufferPool.off();
        }
    }

    private History fitWithPool(Tensor[] train, Tensor[] test) {
        int n = rows(train, "train");
        if (test != null) rows(test, "test");
        History h = new History();
        int start = 0;
        List<Tensor> best = snapshot();
        Path ckpt = config.checkpoint();
        try {
            if (ckpt != null && config.resume() && Files.exists(ckpt)) {
                start = resume(ckpt, h);
                Path bp = bestPath(ckpt);
                if (Files.exists(bp)) {
                    Map<String, Tensor> bv = Checkpoints.readParameters(bp, model);
                    best = orderedLike(bv);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Parameter> params = opt.parameters();
        Tensor[] leaves = new Tensor[params.size()];
        int batches = (n + config.batchSize() - 1) / config.batchSize();
        ProgressBar bar = config.progress() ? bar((long) config.epochs() * batches, (long) start * batches) : null;
        try {
            int sinceBest = start - 1 - h.bestEpoch;
            for (int epoch = start; epoch < config.epochs(); epoch++) {
                if (config.schedule() != null) opt.setLearningRate(config.schedule().lrAt(epoch));
                double lrUsed = opt.learningRate();
                model.train(true);
                int[] order = permutation(n, epoch);
                LinkedHashMap<String, Double> sums = new LinkedHashMap<>();
                for (int b = 0; b < batches; b++) {
                    int lo = b * config.batchSize(), hi = Math.min(n, lo + config.batchSize());
                    int[] idx = Arrays.copyOfRange(order, lo, hi);
                    Tensor[] g;
                    double totalValue;
                    try (BufferPool.Scope sc = pool.open()) {
                        LinkedHashMap<String, Tensor> terms = objective.losses(select(train, idx));
                        Tensor total = totalOf(terms, "train", epoch, b, h);
                        accumulate(sums, terms, total, hi - lo);
                        for (int i = 0; i < leaves.length; i++) leaves[i] = params.get(i).value();
                        g = Autograd.grad(new Tensor[] {total}, leaves, null, false);
                        if (config.clipNorm() > 0) g = GradClip.byGlobalNorm(g, config.clipNorm()).grads();
                        sc.keep(g);
                        totalValue = total.item();
                    }
                    opt.step(g);
                    if (bar != null) {
                        bar.step();
                        bar.setExtraMessage(String.format(" epoch %d loss %.3e", epoch + 1, totalValue));
                    }
                }
                h.lr.add(lrUsed);
                Map<String, Double> trainMean = divide(sums, n);
                History.add(h.train, trainMean);
                double monitored = trainMean.get("total");
                if (test != null) {
                    Map<String, Double> testMean = evaluate(test, epoch, h);
                    History.add(h.test, testMean);
                    monitored = testMean.get("total");
                }
                if (config.schedule() != null) config.schedule().observe(epoch, monitored);
                boolean improved = monitored < h.bestLoss;
                if (improved) {
                    h.bestLoss = monitored;
                    h.bestEpoch = epoch;
                    best = snapshot();
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
                if (ckpt != null) {
                    save(ckpt, epoch + 1, h);
                    if (improved) save(bestPath(ckpt), epoch + 1, h);
                }
                if (config.patience() > 0 && sinceBest >= config.patience()) {
                    h.stop = Stop.EARLY_STOPPING;
                    break;
                }
            }
            if (h.stop == null) h.stop = Stop.COMPLETED;
            if (config.restoreBest() && h.bestEpoch >= 0) restore(best);
            model.train(true);
            return h;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (bar != null) bar.close();
        }
    }

    private ProgressBar bar(long total, long done) {
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName("train").setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250);
        if (config.progressSink() != null) b.setConsumer(new DelegatingProgressBarConsumer(config.progressSink(), 100));
        ProgressBar pb = b.build();
        if (done > 0) pb.stepTo(done);
        return pb;
    }

    private Map<String, Double> evaluate(Tensor[] test, int epoch, History h) {
        boolean was = model.isTraining();
        model.train(false);
        try {
            int n = test[0].dim(0);
            LinkedHashMap<String, Double> sums = new LinkedHashMap<>();
            for (int lo = 0, b = 0; lo < n; lo += config.batchSize(), b++) {
                int hi = Math.min(n, lo + config.batchSize());
                int[] idx = new int[hi - lo];
                for (int i = 0; i < idx.length; i++) idx[i] = lo + i;
                try (BufferPool.Scope sc = pool.open()) {
                    LinkedHashMap<String, Tensor> terms = objective.losses(select(test, idx));
                    Tensor total = totalOf(terms, "test", epoch, b, h);
                    accumulate(sums, terms, total, hi - lo);
                }
            }
            return divide(sums, n);
        } finally {
            model.train(was);
        }
    }

    private Tensor totalOf(LinkedHashMap<String, Tensor> terms, String set, int epoch, int batch, History h) {
        if (terms.isEmpty()) throw new IllegalArgumentException("Trainer: the objective returned no loss terms");
        Tensor total = null;
        for (Map.Entry<String, Tensor> e : terms.entrySet()) {
            Tensor t = e.getValue();
            if (t.size() != 1) throw new IllegalArgumentException("Trainer: loss term '" + e.getKey() + "' is not a scalar: shape " + Arrays.toString(t.shape()));
            double v = t.item();
            if (!Double.isFinite(v)) {
                String where = config.checkpoint() == null ? "no checkpoint configured"
                    : epoch > 0 ? "last good checkpoint " + config.checkpoint() + " (written after epoch " + epoch + ")"
                    : "no checkpoint written yet";
                throw new NonFiniteLossException("loss term '" + e.getKey() + "' is " + v + " in " + set + " epoch " + (epoch + 1)
                    + ", batch " + (batch + 1) + "; training stopped before the step, weights are those of the last good step; " + where,
                    e.getKey(), h);
            }
            total = total == null ? t : total.add(t);
        }
        return total;
    }

    private static void accumulate(LinkedHashMap<String, Double> sums, LinkedHashMap<String, Tensor> terms, Tensor total, int rows) {
        for (Map.Entry<String, Tensor> e : terms.entrySet()) sums.merge(e.getKey(), e.getValue().item() * rows, Double::sum);
        sums.merge("total", total.item() * rows, Double::sum);
    }

    private static Map<String, Double> divide(LinkedHashMap<String, Double> sums, int n) {
        LinkedHashMap<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : sums.entrySet()) out.put(e.getKey(), e.getValue() / n);
        return out;
    }

    private int[] permutation(int n, int epoch) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        if (!config.shuffle()) return p;
        Random r = new Random(config.seed() * 0x9E3779B97F4A7C15L + epoch);
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static Tensor[] select(Tensor[] data, int[] idx) {
        Tensor[] out = new Tensor[data.length];
        for (int i = 0; i < data.length; i++) out[i] = data[i].indexSelect(0, idx);
        return out;
    }

    private static int rows(Tensor[] data, String what) {
        if (data == null || data.length == 0) throw new IllegalArgumentException("Trainer: no " + what + " arrays");
        int n = data[0].rank() == 0 ? -1 : data[0].dim(0);
        for (Tensor t : data) {
            if (t.rank() == 0 || t.dim(0) != n) throw new IllegalArgumentException("Trainer: " + what + " arrays must share their first axis");
        }
        if (n == 0) throw new IllegalArgumentException("Trainer: empty " + what + " set");
        return n;
    }

    private List<Tensor> snapshot() {
        List<Tensor> s = new ArrayList<>();
        for (Parameter p : model.parameters()) s.add(p.value());
        return s;
    }

    private List<Tensor> orderedLike(Map<String, Tensor> values) {
        return new ArrayList<>(values.values());
    }

    private void restore(List<Tensor> s) {
        List<Parameter> ps = model.parameters();
        for (int i = 0; i < ps.size(); i++) ps.get(i).set(s.get(i));
    }

    static Path bestPath(Path ckpt) {
        String name = ckpt.getFileName().toString();
        String stem = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
        return ckpt.resolveSibling(stem + ".best.npz");
    }

    private void save(Path p, int nextEpoch, History h) throws IOException {
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("epoch", (double) nextEpoch);
        extra.put("best_epoch", (double) h.bestEpoch);
        extra.put("best_loss", h.bestLoss);
        if (config.schedule() != null) {
            for (Map.Entry<String, Double> e : config.schedule().state().entrySet()) extra.put("schedule/" + e.getKey(), e.getValue());
        }
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("history/lr", vector(h.lr));
        for (Map.Entry<String, List<Double>> e : h.train.entrySet()) arrays.put("history/train/" + e.getKey(), vector(e.getValue()));
        for (Map.Entry<String, List<Double>> e : h.test.entrySet()) arrays.put("history/test/" + e.getKey(), vector(e.getValue()));
        Checkpoints.save(p, model, opt, extra, arrays);
    }

    private int resume(Path p, History h) throws IOException {
        Checkpoints.Loaded l = Checkpoints.loadAll(p, model, opt);
        Map<String, Double> ex = l.extra();
        for (String k : new String[] {"epoch", "best_epoch", "best_loss"}) {
            if (!ex.containsKey(k)) throw new IOException(p + ": not a Trainer checkpoint (no 'extra/" + k + "')");
        }
        h.bestEpoch = (int) Math.round(ex.get("best_epoch"));
        h.bestLoss = ex.get("best_loss");
        if (config.schedule() != null) {
            Map<String, Double> s = new LinkedHashMap<>();
            for (Map.Entry<String, Double> e : ex.entrySet()) {
                if (e.getKey().startsWith("schedule/")) s.put(e.getKey().substring(9), e.getValue());
            }
            config.schedule().loadState(s);
        }
        for (Map.Entry<String, NdArray> e : l.arrays().entrySet()) {
            String k = e.getKey();
            List<Double> vals = new ArrayList<>();
            for (double d : e.getValue().data()) vals.add(d);
            if (k.equals("history/lr")) h.lr.addAll(vals);
            else if (k.startsWith("history/train/")) h.train.put(k.substring(14), vals);
            else if (k.startsWith("history/test/")) h.test.put(k.substring(13), vals);
        }
        return (int) Math.round(ex.get("epoch"));
    }

    private static NdArray vector(List<Double> v) {
        double[] d = new double[v.size()];
        for (int i = 0; i < d.length; i++) d[i] = v.get(i);
        return new NdArray(d, new int[] {d.length});
    }
}
