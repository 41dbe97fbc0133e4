package dev.canonic.models.actionfinder.data;

import dev.canonic.core.Tensor;
import dev.canonic.models.actionfinder.ActionFinderConfig;
import dev.canonic.models.actionfinder.ActionFinderCore;
import dev.canonic.models.actionfinder.ActionFinderFiles;
import dev.canonic.models.actionfinder.InverseNet;
import dev.canonic.models.actionfinder.ActionFinderModel;
import dev.canonic.models.actionfinder.IsochroneToy;
import dev.canonic.models.actionfinder.Streams;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Trainer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What {@code canonic train actionfinder} and {@code canonic actions} do with a user's stream file,
 * as a library (the validation suites call the same code).
 *
 * <p>Training: stars where the toy isochrone has no coordinates (unbound, radial, exactly planar)
 * are reported with their stream ids and excluded, then streams left with fewer than 2 stars; when
 * GM and b are not given they are chosen from the data: the toy whose actions vary least along the
 * streams, every star bound ({@link IsochroneToy#chooseBySpread}); the streams are split 50/50 into training and test sets
 * (seeded); Adam (learning rate decayed by a cosine to 1 % over the epochs) runs over batches of whole streams with the loss terms of Eq. 12 (or Eq. 19),
 * keeps the epoch of best test loss, checkpoints after every epoch ({@code MODEL.checkpoint.npz}, and
 * {@code .best.npz}) and resumes from it bitwise-identically.
 *
 * <p>(The training loop is {@link Trainer} driven by an objective over whole streams: an adapter
 * on the user's side around {@link ActionFinderModel}.)
 */
public final class ActionFinderUserPath {
    private ActionFinderUserPath() {
    }

    /**
     * Training settings.
     *
     * @param preset       "cpu" or "paper" ({@link ActionFinderConfig#preset})
     * @param epochs       Adam epochs
     * @param seed         seed of weights, split and batch order
     * @param toyGm        toy GM in kpc (km/s)², or null to choose from the data
     * @param toyB         toy b in kpc, or null to choose from the data
     * @param fixToy       hold GM and b fixed
     * @param loss         Eq. 12 or Eq. 19
     * @param lr           Adam learning rate
     * @param batchStreams streams per batch
     * @param resume       continue from the checkpoint beside the model file
     * @param progress     progress bar with loss and ETA
     * @param patience     early stopping after this many epochs without a better test loss (0 = off)
     * @param identityStart zero the output layers of G and P so training starts from the toy's (θ, J)
     *                     exactly (G = 0, θ″ = θ′; {@link ActionFinderConfig#startAtToy})
     * @param inverseEpochs epochs of the supervised inverse network (Eq. 18) trained after the forward
     *                     model on the same split (0 = none; then {@code inverse} is unavailable)
     * @param scheduleEpochs length of the cosine learning-rate decay (0 = epochs); a run that will be
     *                     extended with resume should keep the same value in every part
     */
    public record Options(String preset, int epochs, long seed, Double toyGm, Double toyB, boolean fixToy, ActionFinderConfig.LossKind loss, double lr,
                          int batchStreams, boolean resume, boolean progress, int patience, boolean identityStart, int inverseEpochs, int scheduleEpochs) {
        public Options {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            if (batchStreams < 1) throw new IllegalArgumentException("batch must hold at least 1 stream, got " + batchStreams);
            if (!(lr > 0) || !Double.isFinite(lr)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
            if ((toyGm == null) != (toyB == null)) throw new IllegalArgumentException("give both --toy-GM and --toy-b, or neither (then both are chosen from the data)");
            if (toyGm != null && !(toyGm > 0 && toyB > 0 && Double.isFinite(toyGm) && Double.isFinite(toyB))) {
                throw new IllegalArgumentException("toy GM and b must be positive and finite, got " + toyGm + ", " + toyB);
            }
            if (patience < 0) throw new IllegalArgumentException("patience must be ≥ 0");
            if (inverseEpochs < 0) throw new IllegalArgumentException("inverse epochs must be ≥ 0");
            if (scheduleEpochs < 0) throw new IllegalArgumentException("schedule epochs must be ≥ 0");
            ActionFinderConfig.preset(preset);
        }

        /** Defaults: cpu preset, 200 epochs, seed 1, toy from the data and learned, Eq. 12, Adam 1e-3, 32 streams per batch. */
        public static Options defaults() {
            return new Options("cpu", 200, 1, null, null, false, ActionFinderConfig.LossKind.PAPER, 1e-3, 32, false, true, 0, true, 100, 0);
        }

        public Options withScheduleEpochs(int e) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, lr, batchStreams, resume, progress, patience, identityStart, inverseEpochs, e);
        }

        public Options withInverseEpochs(int e) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, lr, batchStreams, resume, progress, patience, identityStart, e, scheduleEpochs);
        }

        public Options withIdentityStart(boolean on) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, lr, batchStreams, resume, progress, patience, on, inverseEpochs, scheduleEpochs);
        }

        public Options withEpochs(int e) {
            return new Options(preset, e, seed, toyGm, toyB, fixToy, loss, lr, batchStreams, resume, progress, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withSeed(long s) {
            return new Options(preset, epochs, s, toyGm, toyB, fixToy, loss, lr, batchStreams, resume, progress, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withToy(Double gm, Double b, boolean fix) {
            return new Options(preset, epochs, seed, gm, b, fix, loss, lr, batchStreams, resume, progress, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withLoss(ActionFinderConfig.LossKind l) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, l, lr, batchStreams, resume, progress, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withLr(double r) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, r, batchStreams, resume, progress, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withBatch(int b) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, lr, b, resume, progress, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withResume(boolean r) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, lr, batchStreams, r, progress, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withProgress(boolean p) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, lr, batchStreams, resume, p, patience, identityStart, inverseEpochs, scheduleEpochs);
        }

        public Options withPatience(int p) {
            return new Options(preset, epochs, seed, toyGm, toyB, fixToy, loss, lr, batchStreams, resume, progress, p, identityStart, inverseEpochs, scheduleEpochs);
        }
    }

    /**
     * A trained model and what the user is told about it.
     *
     * @param model        the model with the best epoch's weights
     * @param inverse      the inverse network, or null when not trained
     * @param inverseHistory its losses, or null
     * @param history      loss terms per epoch, train and test
     * @param keptInitial  whether the initial weights had the best test loss (then no epoch's weights are kept)
     * @param initialTestLoss the test loss of the initial weights
     * @param used         the stars trained on (toy-invalid stars and streams excluded)
     * @param excluded     human-readable exclusions (stream id and reason)
     * @param toyInitial   {GM, b} at the start
     * @param trainStreams dense stream indices (into used) of the training set
     * @param testStreams  dense stream indices of the test set
     * @param spreadJ      on the test streams: {within[3], across[3]} of J″ (kpc km/s)
     * @param spreadToy    the same for the toy's J
     * @param seconds      wall time of training
     */
    public record Trained(ActionFinderModel model, InverseNet inverse, InverseNet.History inverseHistory, Trainer.History history, boolean keptInitial,
                          double initialTestLoss, StreamFiles.StreamSet used, List<String> excluded, double[] toyInitial,
                          int[] trainStreams, int[] testStreams, double[][] spreadJ, double[][] spreadToy, double seconds) {
    }

    /**
     * Streams whose orbits, in the toy potential, reach beyond the outermost star of the data.
     *
     * @param rMax           the largest Galactocentric radius of any star (kpc)
     * @param ids            the ids of those streams
     * @param apocentres     their toy apocentres (kpc), in the order of ids
     * @param streams        streams looked at
     */
    public record Beyond(double rMax, List<String> ids, double[] apocentres, int streams) {
        /** A reference-free warning for the user ("" when no stream leaves the data). */
        public String report() {
            if (ids.isEmpty()) return "";
            double far = 0;
            for (double a : apocentres) far = Math.max(far, a);
            return String.format(Locale.ROOT, "streams reaching beyond the outermost star (%.1f kpc) in the toy potential: %d of %d, apocentres up to %.0f kpc; "
                    + "their J_R rests on the potential where no star is, which the streams cannot tell (the toy's is all the model has there): streams %s%s", rMax, ids.size(), streams, far,
                String.join(", ", ids.subList(0, Math.min(10, ids.size()))), ids.size() > 10 ? ", ..." : "");
        }
    }

    /**
     * Which streams of a set reach beyond its outermost star in the toy isochrone (GM, b), by the
     * apocentre of each star's toy orbit ({@link dev.canonic.dynamics.Orbits#beyond}). A proxy, as the toy is not
     * the true potential; the validation suites compare with the true apocentres.
     */
    public static Beyond beyondData(StreamFiles.StreamSet s, double gm, double b) {
        int n = s.stars();
        double rMax = dev.canonic.dynamics.Orbits.maxRadius(s.phase(), n);
        double[] apo = dev.canonic.dynamics.Orbits.apocentres(new dev.canonic.dynamics.Isochrone(gm, b), s.phase(), n);
        boolean[] beyond = dev.canonic.dynamics.Orbits.beyond(apo, s.stream(), rMax);
        double[] per = new double[s.streams()];
        for (int i = 0; i < n; i++) if (beyond[i]) per[s.stream()[i]] = Math.max(per[s.stream()[i]], apo[i]);
        List<String> ids = new ArrayList<>();
        List<Double> far = new ArrayList<>();
        for (int q = 0; q < per.length; q++) {
            if (per[q] > 0) {
                ids.add(StreamFiles.formatId(s.ids()[q]));
                far.add(per[q]);
            }
        }
        return new Beyond(rMax, ids, far.stream().mapToDouble(Double::doubleValue).toArray(), per.length);
    }

    /**
     * Each star's stream mean of J (n·3): the orbit's action when the stars of a stream share one
     * orbit, as the input format asks, averaging out the per-star error of the learned map.
     *
     * @param j      [n·3] actions
     * @param stream per star its stream index (0..streams−1)
     */
    public static double[] streamMeans(double[] j, int[] stream) {
        return Streams.rowMeans3(j, stream);
    }

    /** How the log names a loss. */
    static String lossName(ActionFinderConfig.LossKind l) {
        return switch (l) {
            case PAPER -> "paper (Eq. 12)";
            case SPREAD -> "spread (Eq. 19)";
            case RELATIVE -> "relative (Eq. 12, spread relative to each stream's actions)";
        };
    }

    /** The model's checkpoint beside a model file: MODEL.checkpoint.npz. */
    public static Path checkpointOf(Path model) {
        String f = model.getFileName().toString();
        String stem = f.endsWith(".npz") ? f.substring(0, f.length() - 4) : f;
        return model.resolveSibling(stem + ".checkpoint.npz");
    }

    /** Deletes the checkpoint files beside a model file (MODEL.checkpoint.npz and MODEL.checkpoint.best.npz). */
    public static void deleteCheckpoints(Path model) throws IOException {
        Path c = checkpointOf(model);
        java.nio.file.Files.deleteIfExists(c);
        String f = c.getFileName().toString();
        java.nio.file.Files.deleteIfExists(c.resolveSibling(f.substring(0, f.length() - 4) + ".best.npz"));
    }

    /**
     * Drops stars without toy coordinates for (gm, b), then streams with fewer than 2 stars; fills why.
     *
     * <p>A stream with a star that is unbound in the toy is dropped whole: a stream is one orbit, and
     * an orbit the toy cannot bind has its other stars just below the toy's escape energy, where the
     * toy's J_R = GM/√(−2E) − … diverges (the paper's §6.1: the algorithm "fails … because some
     * orbits are unbound in the toy model"). Kept, such a stream's toy actions are off by up to
     * tens of times the true J_R, which no smooth generating function corrects; one such stream of
     * 512 made 80 % of the isochrone low10 case's action error. Other problems (radial, exactly
     * planar, non-finite) drop the star only.
     */
    public static StreamFiles.StreamSet usable(StreamFiles.StreamSet s, double gm, double b, List<String> why) {
        int n = s.stars();
        boolean[] bad = new boolean[n];
        Map<String, Integer> perStream = new LinkedHashMap<>();
        boolean[] unboundStream = new boolean[s.streams()];
        for (int i = 0; i < n; i++) {
            List<String> r = IsochroneToy.invalidRows(Arrays.copyOfRange(s.phase(), 6 * i, 6 * i + 6), 1, gm, b);
            if (!r.isEmpty()) {
                bad[i] = true;
                perStream.merge(s.idOf(i), 1, Integer::sum);
                if (r.get(0).contains("unbound")) unboundStream[s.stream()[i]] = true;
                if (why.size() < 20) why.add("star at line " + s.lines()[i] + " (stream " + s.idOf(i) + "): " + r.get(0).replaceFirst("^row 0: ", ""));
            }
        }
        int[][] members = s.members();
        List<Integer> keep = new ArrayList<>();
        for (int k = 0; k < members.length; k++) {
            int good = 0;
            for (int i : members[k]) if (!bad[i]) good++;
            if (unboundStream[k]) why.add("stream " + StreamFiles.formatId(s.ids()[k]) + " excluded: its orbit is not bound in the toy isochrone (a star is unbound)");
            else if (good >= 2) keep.add(k);
            else why.add("stream " + StreamFiles.formatId(s.ids()[k]) + " excluded: fewer than 2 stars left with toy coordinates");
        }
        if (perStream.isEmpty() && keep.size() == members.length) return s;
        // rebuild without the bad stars
        int m = 0;
        for (int i = 0; i < n; i++) if (!bad[i]) m++;
        int[] ln = new int[m], st = new int[m];
        double[] ph = new double[6 * m], t = s.time() == null ? null : new double[m];
        String[][] cells = new String[m][];
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (bad[i]) continue;
            st[j] = s.stream()[i];
            System.arraycopy(s.phase(), 6 * i, ph, 6 * j, 6);
            if (t != null) t[j] = s.time()[i];
            cells[j] = s.cells()[i];
            ln[j] = s.lines()[i];
            j++;
        }
        StreamFiles.StreamSet pruned = new StreamFiles.StreamSet(s.source(), s.ids(), st, ph, t, s.coordinates(), s.columns(), cells, ln);
        int[] idx = keep.stream().mapToInt(Integer::intValue).toArray();
        why.add(0, perStream.values().stream().mapToInt(Integer::intValue).sum() + " star(s) in " + perStream.size() + " stream(s) have no toy coordinates (streams "
            + String.join(", ", new ArrayList<>(perStream.keySet()).subList(0, Math.min(20, perStream.size()))) + (perStream.size() > 20 ? ", ..." : "") + ")");
        return pruned.subset(idx);
    }

    /** Splits S streams 50/50 by a seeded shuffle: {train, test}; with 2 streams, one each. */
    static int[][] split(int s, long seed) {
        int[] idx = new int[s];
        for (int i = 0; i < s; i++) idx[i] = i;
        Random rng = new Random(seed ^ 0x5DEECE66DL);
        for (int i = s - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int nTest = s / 2;
        int[] test = Arrays.copyOfRange(idx, 0, nTest), train = Arrays.copyOfRange(idx, nTest, s);
        Arrays.sort(test);
        Arrays.sort(train);
        return new int[][] {train, test};
    }

    /** Streams of a set for the core: dense indices as ids. */
    public static Streams streamsOf(StreamFiles.StreamSet s) {
        return Streams.of(s.stream(), 1);
    }

    /**
     * Trains a model on a stream set and saves it (atomically) to modelOut; log receives the
     * messages a user sees.
     */
    public static Trained train(StreamFiles.StreamSet data, Options o, Path modelOut, PrintStream log) throws IOException {
        double gm, b;
        List<String> excluded = new ArrayList<>();
        if (o.toyGm() == null) {
            double[] gb = IsochroneToy.chooseBySpread(data.phase(), data.stars(), data.stream());
            gm = gb[0];
            b = gb[1];
            log.printf(Locale.ROOT, "toy isochrone chosen from the data: GM = %.6g kpc (km/s)^2 (M = %.4g Msun), b = %.4g kpc, the toy whose actions vary least "
                    + "along the streams (relative spread %.3g; %.3g for GM = 1.5 x the smallest binding every star at b = median radius / 2); every star bound%s%n",
                gm, gm / dev.canonic.dynamics.Units.G, b, gb[2], gb[3], o.fixToy() ? ", held fixed" : ", learned");
        } else {
            gm = o.toyGm();
            b = o.toyB();
            log.printf(Locale.ROOT, "toy isochrone: GM = %.6g kpc (km/s)^2, b = %.4g kpc%s%n", gm, b, o.fixToy() ? ", held fixed" : ", learned");
        }
        StreamFiles.StreamSet set = usable(data, gm, b, excluded);
        for (String e : excluded) log.println("excluded: " + e);
        if (set.streams() < 2) throw new IllegalArgumentException(data.source() + ": fewer than 2 streams left with toy coordinates; give a larger --toy-GM");
        ActionFinderConfig cfg = ActionFinderConfig.preset(o.preset()).withLoss(o.loss()).withStartAtToy(o.identityStart());
        ActionFinderModel model = new ActionFinderModel(cfg, gm, b, o.fixToy(), o.seed());
        int[][] sp = split(set.streams(), o.seed());
        int[] train = sp[0], test = sp[1];
        log.printf(Locale.ROOT, "%d stars in %d streams: %d training streams, %d test streams; preset %s, loss %s, %d epochs, Adam lr %.3g, %d streams per batch%n",
            set.stars(), set.streams(), train.length, test.length, o.preset(), lossName(o.loss()),
            o.epochs(), o.lr(), o.batchStreams());
        int[][] members = set.members();
        Trainer.Objective obj = batch -> objective(model, set, members, batch[0].toArray());
        Adam adam = new Adam(model.trainableParameters(), o.lr());
        Path ckpt = checkpointOf(modelOut);
        Trainer.Config tc = Trainer.Config.of(o.epochs(), o.batchStreams()).withSeed(o.seed()).withCheckpoint(ckpt, o.resume()).withRestoreBest(true)
            .withPatience(o.patience()).withProgress(o.progress(), null)
            .withSchedule(dev.canonic.nn.LrSchedule.cosine(o.lr(), o.lr() * 1e-2, o.scheduleEpochs() > 0 ? o.scheduleEpochs() : o.epochs()));
        if (o.resume() && java.nio.file.Files.exists(ckpt)) log.println("resuming from " + ckpt);
        long t0 = System.nanoTime();
        // the initial weights (the toy's coordinates when identityStart) compete for the best test loss too
        List<dev.canonic.nn.Parameter> params = model.parameters();
        List<Tensor> initial = new ArrayList<>();
        for (dev.canonic.nn.Parameter p : params) initial.add(Tensor.of(p.value().toArray(), p.shape()));
        double initialTest = testLoss(model, set, members, test, o.batchStreams());
        Trainer.History h = new Trainer(model, adam, obj, tc).recycleBuffers(true).fit(new Tensor[] {column(train)}, new Tensor[] {column(test)});
        boolean keptInitial = initialTest <= h.bestLoss();
        if (keptInitial) {
            for (int i = 0; i < params.size(); i++) params.get(i).set(initial.get(i));
            log.printf(Locale.ROOT, "no epoch beat the initial weights' test loss %.4e: they are kept%n", initialTest);
        }
        double seconds = (System.nanoTime() - t0) * 1e-9;
        model.train(false);
        report(model, set, log);
        StreamFiles.StreamSet testSet = set.subset(test);
        double[][] ja = evaluate(model, testSet);
        double[][] toy = model.toy().actionAngle(testSet.phase(), testSet.stars());
        double[][] sJ = spreads(ja[0], testSet.stream()), sT = spreads(toy[0], testSet.stream());
        InverseNet inv = null;
        InverseNet.History ih = null;
        if (o.inverseEpochs() > 0) {
            double[][] all = evaluate(model, set);
            double[][] toyAll = model.toy().actionAngle(set.phase(), set.stars());
            boolean[] mask = new boolean[set.stars()];
            boolean[] isTrain = new boolean[set.streams()];
            for (int s : train) isTrain[s] = true;
            for (int i = 0; i < mask.length; i++) mask[i] = isTrain[set.stream()[i]];
            inv = new InverseNet(o.preset().equals("paper") ? InverseNet.paperConfig() : InverseNet.cpuConfig(), cfg.actionScale(), o.seed() + 1);
            ih = inv.train(all[0], all[1], toyAll[0], toyAll[1], mask, o.inverseEpochs(), 32, 1e-3, o.seed(), null);
            log.printf(Locale.ROOT, "inverse network (Eq. 18): %d epochs, best test epoch %d, %.1f s%n", o.inverseEpochs(), ih.bestEpoch() + 1, ih.seconds());
        }
        ActionFinderFiles.save(modelOut, model, null, inv);
        return new Trained(model, inv, ih, h, keptInitial, initialTest, set, excluded, new double[] {gm, b}, train, test, sJ, sT, seconds);
    }

    private static Tensor column(int[] idx) {
        double[] d = new double[idx.length];
        for (int i = 0; i < d.length; i++) d[i] = idx[i];
        return Tensor.of(d, idx.length, 1);
    }

    /**
     * A learned toy must keep every star bound (else it has no coordinates for them): when an Adam step
     * has lowered GM below 1.02 × the smallest GM that binds every star of the set at the current b,
     * GM is put back to that value (a projection onto the feasible set; deterministic, so resuming
     * stays bitwise identical).
     */
    static void keepBound(ActionFinderModel model, StreamFiles.StreamSet set) {
        double b = model.toy().b(), need = 0;
        double[] xv = set.phase();
        for (int i = 0; i < set.stars(); i++) {
            double r2 = xv[6 * i] * xv[6 * i] + xv[6 * i + 1] * xv[6 * i + 1] + xv[6 * i + 2] * xv[6 * i + 2];
            double v2 = xv[6 * i + 3] * xv[6 * i + 3] + xv[6 * i + 4] * xv[6 * i + 4] + xv[6 * i + 5] * xv[6 * i + 5];
            need = Math.max(need, 0.5 * v2 * (b + Math.sqrt(b * b + r2)));
        }
        if (model.toy().gm() < 1.02 * need) model.toy().set(1.02 * need, b);
    }

    /**
     * Reports the fixed-point solve for J′ on every stream (iterations, convergence, the worst stream)
     * and the stars whose Jacobian ∂θ″/∂θ′ is singular or ill-conditioned (by line and stream).
     */
    static void report(ActionFinderModel model, StreamFiles.StreamSet set, PrintStream log) {
        boolean was = model.isTraining();
        model.train(false);
        try (dev.canonic.core.GradMode.Scope g = dev.canonic.core.GradMode.enabled(true)) {
            ActionFinderModel.Output out = model.forward(Tensor.of(set.phase(), set.stars(), 6), streamsOf(set), model.config().maxIterations(), false, false);
            ActionFinderCore.Solve sv = out.pass().solve();
            log.printf(Locale.ROOT, "fixed point for J': %d iteration(s), %s; last change max %.2e, mean %.2e (units of %.0f kpc km/s)%s%n", sv.iterations(),
                sv.converged() ? "converged" : "NOT converged (cap " + model.config().maxIterations() + ")", sv.maxChange(), sv.meanChange(), model.config().actionScale(),
                sv.worstStream() >= 0 ? "; worst stream " + StreamFiles.formatId(set.ids()[sv.worstStream()]) : "");
            int[] ill = out.illConditioned();
            if (ill.length > 0) {
                List<String> l = new ArrayList<>();
                for (int i = 0; i < Math.min(10, ill.length); i++) l.add("line " + set.lines()[ill[i]] + " (stream " + set.idOf(ill[i]) + ")");
                log.println(ill.length + " star(s) have a singular or ill-conditioned Jacobian dtheta''/dtheta' (cond > " + ActionFinderCore.ILL_CONDITIONED + "): "
                    + String.join(", ", l) + (ill.length > 10 ? ", ..." : ""));
            }
        } finally {
            model.train(was);
        }
    }

    /** The test loss as {@link Trainer} computes it (batch totals weighted by streams per batch), in evaluation mode. */
    static double testLoss(ActionFinderModel model, StreamFiles.StreamSet set, int[][] members, int[] test, int batch) {
        boolean was = model.isTraining();
        model.train(false);
        try {
            double sum = 0;
            for (int lo = 0; lo < test.length; lo += batch) {
                int hi = Math.min(test.length, lo + batch);
                double[] ss = new double[hi - lo];
                for (int i = lo; i < hi; i++) ss[i - lo] = test[i];
                double tot = 0;
                for (Tensor t : objective(model, set, members, ss).values()) tot += t.item();
                sum += tot * (hi - lo);
            }
            return sum / test.length;
        } finally {
            model.train(was);
        }
    }

    /** The loss terms on the stars of the given (dense) streams. */
    static LinkedHashMap<String, Tensor> objective(ActionFinderModel model, StreamFiles.StreamSet set, int[][] members, double[] streams) {
        if (!model.toy().fixed()) keepBound(model, set);
        int n = 0;
        for (double s : streams) n += members[(int) s].length;
        double[] xv = new double[6 * n];
        long[] ids = new long[n];
        int j = 0;
        for (double sd : streams) {
            int s = (int) sd;
            for (int i : members[s]) {
                System.arraycopy(set.phase(), 6 * i, xv, 6 * j, 6);
                ids[j++] = s;
            }
        }
        Streams st = Streams.of(ids, 1);
        ActionFinderConfig c = model.config();
        ActionFinderModel.Output out = model.forward(Tensor.of(xv, n, 6), st, c.maxIterations(), false, false);
        ActionFinderCore.Pass p = out.pass();
        LinkedHashMap<String, Tensor> terms = new LinkedHashMap<>();
        terms.put("spread", c.loss().spread(p.jDD(), st));
        if (c.loss().hasEq12Terms()) {
            terms.put("positivity", ActionFinderCore.positivity(p.jDD()));
            if (c.alpha1() > 0) {
                terms.put("zero_point", ActionFinderCore.zeroPoint(model.netG()::forward, model.netP()::forward, c.pointForm(), st.fill(p.jPrimeMean())).mul(c.alpha1()));
            }
        }
        return terms;
    }

    /**
     * Reference-free quality of actions: per component, the rms over streams of the standard
     * deviation of J within a stream, and the standard deviation of the stream means across streams.
     *
     * @param j      [n·3] actions
     * @param stream per star its stream index (0..streams−1)
     * @return {within[3], across[3]}
     */
    public static double[][] spreads(double[] j, int[] stream) {
        int n = stream.length, s = 0;
        if (j.length != 3 * n) throw new IllegalArgumentException(j.length + " actions for " + n + " stars");
        for (int v : stream) s = Math.max(s, v + 1);
        double[][] sum = new double[s][3];
        int[] cnt = new int[s];
        for (int i = 0; i < n; i++) {
            cnt[stream[i]]++;
            for (int k = 0; k < 3; k++) sum[stream[i]][k] += j[3 * i + k];
        }
        double[][] var = new double[s][3];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                double d = j[3 * i + k] - sum[stream[i]][k] / cnt[stream[i]];
                var[stream[i]][k] += d * d / cnt[stream[i]];
            }
        }
        double[] within = new double[3], across = new double[3], mean = new double[3];
        int used = 0;
        for (int q = 0; q < s; q++) {
            if (cnt[q] == 0) continue;
            used++;
            for (int k = 0; k < 3; k++) {
                within[k] += var[q][k];
                mean[k] += sum[q][k] / cnt[q];
            }
        }
        for (int k = 0; k < 3; k++) {
            within[k] = Math.sqrt(within[k] / used);
            mean[k] /= used;
        }
        for (int q = 0; q < s; q++) {
            if (cnt[q] == 0) continue;
            for (int k = 0; k < 3; k++) {
                double d = sum[q][k] / cnt[q] - mean[k];
                across[k] += d * d / used;
            }
        }
        for (int k = 0; k < 3; k++) across[k] = Math.sqrt(across[k]);
        return new double[][] {within, across};
    }

    /** J″ and θ″ (each flat [n·3]; θ″ in [0, 2π)) of a stream set, in evaluation mode, streams as given. */
    public static double[][] evaluate(ActionFinderModel model, StreamFiles.StreamSet s) {
        boolean was = model.isTraining();
        model.train(false);
        try {
            return model.actionsAngles(s.phase(), streamsOf(s));
        } finally {
            model.train(was);
        }
    }

    /**
     * Monte-Carlo dropout spreads (the paper's §7 idea): k forward passes with dropout on; per star
     * the standard deviation of J″ and the rms wrapped deviation of θ″ from the evaluation-mode
     * values {@code base} ({J″, θ″} from {@link #evaluate}). Returns [n·6] (JR, Lz, Jz, θR, θφ, θz).
     *
     * @throws IllegalArgumentException when the model has no dropout or k &lt; 2
     */
    public static double[] monteCarloStd(ActionFinderModel model, StreamFiles.StreamSet s, int k, double[][] base) {
        if (k < 2) throw new IllegalArgumentException("--mc needs at least 2 passes, got " + k);
        if (!hasDropout(model)) {
            throw new IllegalArgumentException("the model has no dropout layers (preset cpu has none), so Monte-Carlo passes would all agree; "
                + "train with --preset paper for --mc");
        }
        int n = s.stars();
        double[] sum = new double[3 * n], sq = new double[3 * n], ang = new double[3 * n];
        boolean was = model.isTraining();
        model.train(true);
        try {
            for (int pass = 0; pass < k; pass++) {
                double[][] r = model.actionsAngles(s.phase(), streamsOf(s));
                for (int i = 0; i < 3 * n; i++) {
                    sum[i] += r[0][i];
                    sq[i] += r[0][i] * r[0][i];
                    double d = r[1][i] - base[1][i];
                    d -= 2 * Math.PI * Math.rint(d / (2 * Math.PI));
                    ang[i] += d * d;
                }
            }
        } finally {
            model.train(was);
        }
        double[] out = new double[6 * n];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                double m = sum[3 * i + c] / k;
                out[6 * i + c] = Math.sqrt(Math.max(0, (sq[3 * i + c] - k * m * m) / (k - 1)));
                out[6 * i + 3 + c] = Math.sqrt(ang[3 * i + c] / k);
            }
        }
        return out;
    }

    /** Whether any block of the model's networks has dropout (needed for Monte-Carlo spreads). */
    public static boolean hasDropout(ActionFinderModel m) {
        for (dev.canonic.nn.ResDenseNet.Config c : new dev.canonic.nn.ResDenseNet.Config[] {m.config().netG(), m.config().netP()}) {
            if (c.dropoutP() <= 0) continue;
            for (int w : dev.canonic.nn.ResDenseNet.widths(c.base(), c.cap(), c.blocks())) if (w > c.dropoutAbove()) return true;
        }
        return false;
    }

    /** The training/test split of a model trained on s streams with this seed (as {@link #train} made it). */
    public static int[][] splitOf(int s, long seed) {
        return split(s, seed);
    }
}
