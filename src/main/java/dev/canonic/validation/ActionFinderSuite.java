package dev.canonic.validation;

import com.google.gson.GsonBuilder;
import dev.canonic.backend.cpu.Parallel;
import dev.canonic.dynamics.Astrometry;
import dev.canonic.io.AtomicFiles;
import dev.canonic.models.actionfinder.AccelerationNet;
import dev.canonic.models.actionfinder.AccelerationTrainer;
import dev.canonic.models.actionfinder.ActionFinderTrainer;
import dev.canonic.models.actionfinder.data.ActionFinderUserPath;
import dev.canonic.models.actionfinder.data.StreamFiles;
import dev.canonic.models.actionfinder.data.SuiteStreams;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Model B's validation suites on streams (SPEC §6; the paper's §6.1).
 *
 * <ul>
 *   <li>{@code isochrone}: streams in the paper's isochrone (GM = 1.5e6 kpc³/Gyr², b = 5 kpc, halo
 *       sampling, N = 8 stars per stream), fitted four times with the toy's GM and b held fixed at
 *       the true values ("exact"), 10 % low ("low10"), 10 % high ("high10") and 20 % high
 *       ("high20"); J″ and θ″ of the held-out test streams compared with the analytic reference.</li>
 *   <li>{@code hernquist}: streams in a Hernquist halo (M = 1e12 M⊙, a = 20 kpc, halo sampling,
 *       N = 8), written to a CSV of observables (d, l, b, v_h, μ_l*, μ_b) and trained only through
 *       the user's path ({@link StreamFiles#read} then {@link ActionFinderUserPath#train}, what
 *       {@code canonic train actionfinder --data} runs) with the toy chosen from the data and learned;
 *       then a second, independent set of streams is written to a file, run through the
 *       {@code actions} path, read back and compared with the spherical-quadrature reference.</li>
 * </ul>
 *
 * <p>Figures: "action_mad" is the mean over stars and the three components of |J″ − J| (kpc km/s);
 * "action_rel_error" / "action_rel_mad" the largest over (J_R, L_z, J_z) of mean |ΔJ| / mean |J|;
 * "angle_mad_deg" the mean |θ″ − θ| after removing one constant offset per component (learned
 * angles have no physical zero point: {@link StreamMetrics}).
 */
public final class ActionFinderSuite implements Suite {
    /** Which system. */
    public enum Kind { ISOCHRONE, HERNQUIST }

    /**
     * Sizes of a run.
     *
     * @param streams      streams generated (half train, half test)
     * @param stars        stars per stream
     * @param epochs       Adam epochs per fit
     * @param batchStreams streams per batch
     * @param lr           initial Adam learning rate (cosine-decayed to 1 %)
     * @param evalStreams  hernquist: independent streams evaluated through the actions path
     * @param accelEpochs  isochrone: epochs of the acceleration network (phase two)
     * @param inverseEpochs isochrone: epochs of the inverse network
     */
    public record Size(int streams, int stars, int epochs, int batchStreams, double lr, int evalStreams, int accelEpochs, int inverseEpochs) {
        /** The committed full-size defaults (each suite well inside 15 minutes on 2 cores). */
        public static Size full(Kind k) {
            return k == Kind.ISOCHRONE ? new Size(512, 8, 120, 16, 3e-3, 0, 60, 150) : new Size(512, 8, 300, 16, 1e-3, 256, 0, 0);
        }

        /** A reduced run for the unit tests (seconds). */
        public static Size quick(Kind k) {
            return k == Kind.ISOCHRONE ? new Size(48, 8, 30, 6, 3e-3, 0, 10, 30) : new Size(64, 8, 60, 8, 1e-3, 24, 0, 0);
        }
    }

    /** The isochrone cases: name and the factor on the true GM and b. */
    public static final Map<String, Double> CASES = new LinkedHashMap<>();

    static {
        CASES.put("exact", 1.0);
        CASES.put("low10", 0.9);
        CASES.put("high10", 1.1);
        CASES.put("high20", 1.2);
    }

    private final Kind kind;

    public ActionFinderSuite(Kind kind) {
        this.kind = kind;
    }

    public String name() {
        return kind == Kind.ISOCHRONE ? "isochrone" : "hernquist";
    }

    @Override
    public Map<String, Object> run(Path dir, boolean quick, long seed, boolean progress) throws IOException {
        return run(dir, quick ? Size.quick(kind) : Size.full(kind), seed, progress);
    }

    /** Runs the suite at the given size and writes DIR/NAME.json, DIR/NAME.md and DIR/NAME-*.png. */
    public Map<String, Object> run(Path dir, Size size, long seed, boolean progress) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        return kind == Kind.ISOCHRONE ? isochrone(dir, size, seed, progress) : hernquist(dir, size, seed, progress);
    }

    static PrintStream quiet() {
        return new PrintStream(OutputStream.nullOutputStream());
    }

    /** Per-star arrays [n·3] of reference columns from..from+2. */
    static double[] refColumns(double[] ref, int n, int from) {
        double[] out = new double[3 * n];
        for (int i = 0; i < n; i++) System.arraycopy(ref, 9 * i + from, out, 3 * i, 3);
        return out;
    }

    /** Reference rows [n·9] of a subset given the original star indices of its rows. */
    static double[] selectRef(double[] ref, int[] rows) {
        double[] out = new double[9 * rows.length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(ref, 9 * rows[i], out, 9 * i, 9);
        return out;
    }

    /** Original indices (in the generated set) of the stars of a set derived from it, matched by their line numbers. */
    static int[] originalRows(StreamFiles.StreamSet derived) {
        int[] out = new int[derived.stars()];
        for (int i = 0; i < out.length; i++) out[i] = derived.lines()[i] - 2;
        return out;
    }

    private Map<String, Object> header(Size size, long seed, String preset) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suite", name());
        m.put("backend", "cpu");
        m.put("preset", preset);
        m.put("seed", seed);
        m.put("threads", Parallel.threads());
        m.put("java", System.getProperty("java.version"));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("streams", size.streams());
        s.put("stars_per_stream", size.stars());
        s.put("epochs", size.epochs());
        s.put("batch_streams", size.batchStreams());
        s.put("lr", size.lr());
        if (kind == Kind.HERNQUIST) s.put("evaluation_streams", size.evalStreams());
        m.put("size", s);
        return m;
    }

    private Map<String, Object> isochrone(Path dir, Size size, long seed, boolean progress) throws IOException {
        SuiteStreams.Suite data = SuiteStreams.isochrone(size.streams(), size.stars(), seed);
        Map<String, Object> m = header(size, seed, "cpu");
        m.put("system", String.format(Locale.ROOT, "isochrone GM = 1.5e6 kpc^3/Gyr^2 = %.6g kpc (km/s)^2 (M = %.4g Msun), b = %.1f kpc; halo sampling, "
            + "leapfrog 0.1 Gyr at 1e-5 Gyr (max energy error %.1e), %d streams x %d stars", SuiteStreams.ISOCHRONE_GM, SuiteStreams.ISOCHRONE_GM / dev.canonic.dynamics.Units.G,
            SuiteStreams.ISOCHRONE_B, data.energyError(), size.streams(), size.stars()));
        Map<String, Object> cases = new LinkedHashMap<>();
        Map<String, Double> figures = new LinkedHashMap<>();
        List<String> figs = new ArrayList<>();
        XYChart loss = Plots.chart("isochrone: test loss per epoch (dot: best epoch, kept)", "epoch", "test loss (Eq. 12)", true);
        double total = 0;
        for (Map.Entry<String, Double> c : CASES.entrySet()) {
            double f = c.getValue();
            ActionFinderUserPath.Options o = ActionFinderUserPath.Options.defaults().withEpochs(size.epochs()).withSeed(seed).withBatch(size.batchStreams())
                .withLr(size.lr()).withProgress(progress).withToy(SuiteStreams.ISOCHRONE_GM * f, SuiteStreams.ISOCHRONE_B * f, true)
                .withInverseEpochs(size.inverseEpochs());
            Path model = dir.resolve("isochrone-" + c.getKey() + "-model.npz");
            ActionFinderUserPath.Trained t = ActionFinderUserPath.train(data.set(), o, model, quiet());
            ActionFinderUserPath.deleteCheckpoints(model);
            total += t.seconds();
            StreamFiles.StreamSet test = t.used().subset(t.testStreams());
            int[] rows = originalRows(test);
            double[] ref = selectRef(data.reference(), rows);
            double[][] ja = ActionFinderUserPath.evaluate(t.model(), test);
            Map<String, Object> cm = compare(ja, ref, test);
            beyondData(cm, ja, ref, test, data.system().potential3D(), dev.canonic.dynamics.Orbits.maxRadius(data.set().phase(), data.set().stars()));
            double[][] toyJa = t.model().toy().actionAngle(test.phase(), test.stars());
            Map<String, Object> toyCm = compare(toyJa, ref, test);
            cm.put("toy_action_mad", toyCm.get("action_mad"));
            cm.put("toy_angle_mad_deg", toyCm.get("angle_mad_deg"));
            cm.put("toy_factor", f);
            cm.put("toy_gm", t.model().toy().gm());
            cm.put("toy_b", t.model().toy().b());
            cm.put("orbits", t.used().streams());
            cm.put("orbits_test", t.testStreams().length);
            cm.put("orbits_excluded", data.set().streams() - t.used().streams());
            cm.put("exclusions", t.excluded());
            cm.put("best_epoch", t.keptInitial() ? 0 : t.history().bestEpoch() + 1);
            cm.put("train_seconds", t.seconds());
            cm.put("spread_within_over_toy", ratioToToy(t));
            // phase two: the acceleration network on the same split, compared with −∇Φ on the test stars
            AccelerationNet net = new AccelerationNet(AccelerationNet.cpuConfig(), t.model().toy().gm(), t.model().toy().b(), seed);
            StreamFiles.StreamSet used = t.used();
            long[] ids = new long[used.stars()];
            for (int i = 0; i < ids.length; i++) ids[i] = used.stream()[i];
            AccelerationTrainer.History ah = AccelerationTrainer.train(t.model(), net, used.phase(), ids, new ActionFinderTrainer.Split(t.trainStreams(), t.testStreams()),
                new AccelerationTrainer.Settings(size.accelEpochs(), size.batchStreams(), 1e-3, seed, 0, 0), null);
            total += ah.seconds();
            int n = test.stars();
            double[] q = new double[3 * n], aTrue = new double[3 * n];
            for (int i = 0; i < n; i++) System.arraycopy(test.phase(), 6 * i, q, 3 * i, 3);
            data.system().field().accelerations(q, aTrue, n);
            double[] aNet = net.accelerations(q, n);
            double num = 0, den = 0;
            double[] r = new double[n], aRel = new double[n];
            for (int i = 0; i < n; i++) {
                double dn = 0, tn = 0;
                for (int k = 0; k < 3; k++) {
                    dn += (aNet[3 * i + k] - aTrue[3 * i + k]) * (aNet[3 * i + k] - aTrue[3 * i + k]);
                    tn += aTrue[3 * i + k] * aTrue[3 * i + k];
                }
                num += Math.sqrt(dn);
                den += Math.sqrt(tn);
                r[i] = Math.sqrt(q[3 * i] * q[3 * i] + q[3 * i + 1] * q[3 * i + 1] + q[3 * i + 2] * q[3 * i + 2]);
                aRel[i] = Math.sqrt(dn / tn);
            }
            cm.put("accel_rel_error", num / den);
            cm.put("accel_best_epoch", ah.bestEpoch() + 1);
            cm.put("accel_train_seconds", ah.seconds());
            XYChart ca = Plots.chart("isochrone, toy " + c.getKey() + ": |a_net − a_true| / |a_true| on the test stars", "r (kpc)", "relative error", true);
            Plots.points(ca, "test stars", r, Plots.positive(aRel));
            save(ca, dir, "isochrone-" + c.getKey() + "-acceleration.png", figs);
            // the inverse network: (J″, θ″) of the test stars back to (x, v)
            if (t.inverse() != null) {
                double[] xv = t.inverse().phaseSpace(t.model().toy(), ja[0], ja[1], n);
                double dx = 0, dv = 0;
                double[] ex = new double[n], ev = new double[n];
                for (int i = 0; i < n; i++) {
                    for (int k = 0; k < 3; k++) {
                        double a = Math.abs(xv[6 * i + k] - test.phase()[6 * i + k]), b2 = Math.abs(xv[6 * i + 3 + k] - test.phase()[6 * i + 3 + k]);
                        dx += a / (3.0 * n);
                        dv += b2 / (3.0 * n);
                        ex[i] += a / 3;
                        ev[i] += b2 / 3;
                    }
                }
                cm.put("inverse_dx_kpc", dx);
                cm.put("inverse_dv_kms", dv);
                cm.put("inverse_best_epoch", t.inverseHistory().bestEpoch() + 1);
                total += t.inverseHistory().seconds();
                XYChart ci = Plots.chart("isochrone, toy " + c.getKey() + ": inverse map residuals on the test stars (mean |Δ| over components)", "r (kpc)",
                    "|Δx| (kpc), |Δv| (100 km/s)", true);
                double[] ev100 = ev.clone();
                for (int i = 0; i < n; i++) ev100[i] /= 100;
                Plots.points(ci, "|Δx| kpc", r, Plots.positive(ex));
                Plots.points(ci, "|Δv| / 100 km/s", r, Plots.positive(ev100));
                save(ci, dir, "isochrone-" + c.getKey() + "-inverse.png", figs);
            }
            cases.put(c.getKey(), cm);
            lossCurve(loss, c.getKey(), t);
            figs.add(residualFigures(dir, "isochrone-" + c.getKey(), "isochrone, toy " + c.getKey(), ja, ref));
            for (String k : new String[] {"action_mad", "action_rel_error", "angle_mad_deg", "accel_rel_error", "inverse_dx_kpc", "inverse_dv_kms"}) {
                if (cm.get(k) instanceof Double v) figures.put(c.getKey() + "." + k, v);
            }
            java.nio.file.Files.deleteIfExists(model);
        }
        save(loss, dir, "isochrone-loss.png", figs);
        m.put("cases", cases);
        m.put("train_seconds", total);
        Map<String, Double> targets = new LinkedHashMap<>();
        targets.put("exact.action_rel_error", 1e-5);
        targets.put("low10.action_mad", 0.6);
        targets.put("low10.angle_mad_deg", 0.35);
        targets.put("high10.action_mad", 1.0);
        targets.put("high10.angle_mad_deg", 0.6);
        return finish(dir, m, figures, targets, figs);
    }

    private Map<String, Object> hernquist(Path dir, Size size, long seed, boolean progress) throws IOException {
        SuiteStreams.Suite data = SuiteStreams.hernquist(size.streams(), size.stars(), seed);
        SuiteStreams.Suite eval = SuiteStreams.hernquist(size.evalStreams(), size.stars(), seed + 7919);
        Map<String, Object> m = header(size, seed, "cpu");
        m.put("system", String.format(Locale.ROOT, "Hernquist halo M = %.3g Msun (GM = %.6g kpc (km/s)^2), a = %.1f kpc; halo sampling, leapfrog 0.1 Gyr at 1e-5 Gyr "
            + "(max energy error %.1e); training file %d streams x %d stars; evaluation file %d independent streams", SuiteStreams.HERNQUIST_MASS, SuiteStreams.HERNQUIST_GM,
            SuiteStreams.HERNQUIST_A, Math.max(data.energyError(), eval.energyError()), size.streams(), size.stars(), size.evalStreams()));
        Path trainCsv = dir.resolve("hernquist-streams.csv"), evalCsv = dir.resolve("hernquist-evaluation.csv"), out = dir.resolve("hernquist-actions.csv");
        Path model = dir.resolve("hernquist-model.npz");
        SuiteStreams.writeStreams(trainCsv, data, Astrometry.paper());
        SuiteStreams.writeStreams(evalCsv, eval, Astrometry.paper());
        // the user's path: train actionfinder --data hernquist-streams.csv (toy from the data, learned)
        StreamFiles.StreamSet set = StreamFiles.read(trainCsv);
        ActionFinderUserPath.Options o = ActionFinderUserPath.Options.defaults().withEpochs(size.epochs()).withSeed(seed).withBatch(size.batchStreams())
            .withLr(size.lr()).withProgress(progress);
        ActionFinderUserPath.Trained t = ActionFinderUserPath.train(set, o, model, quiet());
        ActionFinderUserPath.deleteCheckpoints(model);
        // the actions path on independent streams: read, evaluate, write, read back
        StreamFiles.StreamSet evAll = StreamFiles.readPoints(evalCsv, Astrometry.paper(), null);
        // stars the learned toy cannot handle are excluded (a stream with a star unbound in it, whole), as the actions command would refuse them
        List<String> evExcluded = new ArrayList<>();
        StreamFiles.StreamSet ev = ActionFinderUserPath.usable(evAll, t.model().toy().gm(), t.model().toy().b(), evExcluded);
        double[] evRef = selectRef(eval.reference(), originalRows(ev));
        m.put("evaluation_streams_excluded", evAll.streams() - ev.streams());
        m.put("evaluation_exclusions", evExcluded);
        double[][] ja = ActionFinderUserPath.evaluate(t.model(), ev);
        StreamFiles.writeActions(out, ev.columns(), ev.cells(), ja[0], ja[1], null, ActionFinderUserPath.streamMeans(ja[0], ev.stream()), null);
        StreamFiles.Rows back = StreamFiles.readColumns(out, StreamFiles.ACTION_ANGLE, "comparison");
        double[] j = new double[3 * ev.stars()], th = new double[3 * ev.stars()];
        for (int i = 0; i < ev.stars(); i++) {
            System.arraycopy(back.values(), 6 * i, j, 3 * i, 3);
            System.arraycopy(back.values(), 6 * i + 3, th, 3 * i, 3);
        }
        double[][] got = {j, th};
        Map<String, Object> cm = compare(got, evRef, ev);
        beyondData(cm, got, evRef, ev, data.system().potential3D(), dev.canonic.dynamics.Orbits.maxRadius(set.phase(), set.stars()));
        double[] rel = StreamMetrics.relativeMad(j, refColumns(evRef, ev.stars(), 0));
        m.put("action_rel_mad", rel[3]);
        m.put("JR_rel_mad", rel[0]);
        m.put("Lz_rel_mad", rel[1]);
        m.put("Jz_rel_mad", rel[2]);
        for (Map.Entry<String, Object> e : cm.entrySet()) if (!m.containsKey(e.getKey()) && !e.getKey().equals("action_rel_error")) m.put(e.getKey(), e.getValue());
        double[][] toyEv = t.model().toy().actionAngle(ev.phase(), ev.stars());
        double[] toyRel = StreamMetrics.relativeMad(toyEv[0], refColumns(evRef, ev.stars(), 0));
        m.put("toy_action_rel_mad", toyRel[3]);
        m.put("streams", set.streams());
        m.put("streams_refused_by_reference", data.refusedStreams() + eval.refusedStreams());
        m.put("streams_used", t.used().streams());
        m.put("exclusions", t.excluded());
        m.put("evaluation_streams", ev.streams());
        m.put("toy_gm_initial", t.toyInitial()[0]);
        m.put("toy_b_initial", t.toyInitial()[1]);
        m.put("toy_gm", t.model().toy().gm());
        m.put("toy_b", t.model().toy().b());
        m.put("best_epoch", t.keptInitial() ? 0 : t.history().bestEpoch() + 1);
        m.put("train_seconds", t.seconds());
        m.put("spread_within_over_toy", ratioToToy(t));
        List<String> figs = new ArrayList<>();
        XYChart loss = Plots.chart("hernquist: loss per epoch (dot: best test epoch, kept)", "epoch", "loss (Eq. 12)", true);
        lossCurve(loss, "", t);
        save(loss, dir, "hernquist-loss.png", figs);
        figs.add(residualFigures(dir, "hernquist", "hernquist (evaluation streams)", got, evRef));
        java.nio.file.Files.deleteIfExists(model);
        Map<String, Double> figures = new LinkedHashMap<>();
        Map<String, Double> targets = new LinkedHashMap<>();
        targets.put("action_rel_mad", 1e-2);
        return finish(dir, m, figures, targets, figs);
    }

    /** Per component: within-stream spread of J″ over that of the toy's J, on the test streams. */
    static List<Double> ratioToToy(ActionFinderUserPath.Trained t) {
        List<Double> r = new ArrayList<>();
        for (int k = 0; k < 3; k++) r.add(t.spreadJ()[0][k] / t.spreadToy()[0][k]);
        return r;
    }

    /** The figures of learned {J″, θ″} against reference rows [n·9]. */
    static Map<String, Object> compare(double[][] ja, double[] ref, StreamFiles.StreamSet s) {
        int n = s.stars();
        double[] jr = refColumns(ref, n, 0), tr = refColumns(ref, n, 3);
        double[] mad = StreamMetrics.mad(ja[0], jr), rel = StreamMetrics.relativeMad(ja[0], jr), ang = StreamMetrics.angleMadDeg(ja[1], tr);
        double[][] sp = StreamMetrics.spreads(ja[0], s.stream());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("action_mad", mad[3]);
        m.put("action_rel_error", rel[3]);
        m.put("angle_mad_deg", ang[3]);
        m.put("action_mad_components", List.of(mad[0], mad[1], mad[2]));
        m.put("action_rel_components", List.of(rel[0], rel[1], rel[2]));
        m.put("angle_mad_deg_components", List.of(ang[0], ang[1], ang[2]));
        double[] off = StreamMetrics.angleOffsets(ja[1], tr);
        m.put("angle_offsets_rad", List.of(off[0], off[1], off[2]));
        m.put("spread_within", List.of(sp[0][0], sp[0][1], sp[0][2]));
        m.put("spread_across", List.of(sp[1][0], sp[1][1], sp[1][2]));
        m.put("stars_compared", n);
        double[] conc = StreamMetrics.errorConcentration(ja[0], jr, s.stream(), 0.02);
        m.put("action_median_abs_dev", conc[0]);
        m.put("worst_streams", (int) conc[4]);
        m.put("worst_streams_error_share", conc[1]);
        m.put("action_mad_without_worst_streams", conc[2]);
        m.put("worst_streams_min_ref_JR", conc[3]);
        // each stream's mean J″ for its stars (the actions command's *_stream columns)
        double[] sm = ActionFinderUserPath.streamMeans(ja[0], s.stream());
        m.put("action_mad_stream_mean", StreamMetrics.mad(sm, jr)[3]);
        m.put("action_rel_mad_stream_mean", StreamMetrics.relativeMad(sm, jr)[3]);
        return m;
    }

    /**
     * Adds the keys on streams whose orbits leave the sampled region (apocentre in the true, spherical
     * potential beyond the outermost star the model was trained on): streams_beyond_data,
     * data_max_radius_kpc, beyond_data_error_share, action_mad_within_data, action_rel_mad_within_data.
     */
    static void beyondData(Map<String, Object> m, double[][] ja, double[] ref, StreamFiles.StreamSet s, dev.canonic.dynamics.Potential pot, double rMax) {
        double[] apo = dev.canonic.dynamics.Orbits.apocentres(pot, s.phase(), s.stars());
        double[] b = StreamMetrics.beyondData(ja[0], refColumns(ref, s.stars(), 0), s.stream(), apo, rMax);
        boolean[] far = dev.canonic.dynamics.Orbits.beyond(apo, s.stream(), rMax);
        double largest = 0;
        for (int i = 0; i < apo.length; i++) if (far[i]) largest = Math.max(largest, apo[i]);
        m.put("streams_beyond_data", (int) b[0]);
        m.put("data_max_radius_kpc", rMax);
        m.put("beyond_data_largest_apocentre_kpc", largest);
        m.put("beyond_data_error_share", b[2]);
        m.put("action_mad_within_data", b[3]);
        m.put("action_rel_mad_within_data", b[4]);
        double[] bs = StreamMetrics.beyondData(ActionFinderUserPath.streamMeans(ja[0], s.stream()), refColumns(ref, s.stars(), 0), s.stream(), apo, rMax);
        m.put("action_mad_stream_mean_within_data", bs[3]);
        m.put("action_rel_mad_stream_mean_within_data", bs[4]);
        // angles of the same stars, with the offsets fitted on all of them (as angle_mad_deg)
        double[] res = StreamMetrics.angleResiduals(ja[1], refColumns(ref, s.stars(), 3));
        double sum = 0;
        int cnt = 0;
        for (int i = 0; i < s.stars(); i++) {
            if (far[i]) continue;
            for (int k = 0; k < 3; k++) sum += Math.toDegrees(Math.abs(res[3 * i + k]));
            cnt += 3;
        }
        m.put("angle_mad_deg_within_data", cnt > 0 ? sum / cnt : 0.0);
    }

    static void lossCurve(XYChart c, String label, ActionFinderUserPath.Trained t) {
        String pre = label.isEmpty() ? "" : label + " ";
        for (String set : new String[] {"train", "test"}) {
            Map<String, List<Double>> h = set.equals("train") ? t.history().train() : t.history().test();
            List<Double> v = h.get("total");
            if (v == null || v.isEmpty()) continue;
            if (!label.isEmpty() && set.equals("train")) continue;
            double[] ep = new double[v.size()], y = new double[v.size()];
            for (int i = 0; i < y.length; i++) {
                ep[i] = i + 1;
                y[i] = v.get(i);
            }
            Plots.line(c, pre + set, ep, Plots.positive(y));
        }
        int b = t.history().bestEpoch();
        if (t.keptInitial()) {
            Plots.points(c, pre + "initial weights kept", new double[] {0.5}, Plots.positive(new double[] {t.initialTestLoss()}));
        } else if (b >= 0) Plots.points(c, pre + "best epoch " + (b + 1), new double[] {b + 1}, Plots.positive(new double[] {t.history().test().get("total").get(b)}));
    }

    /** J″ − J against J per component, and angle residuals against θ; returns the first file name. */
    static String residualFigures(Path dir, String stem, String title, double[][] ja, double[] ref) throws IOException {
        int n = ja[0].length / 3;
        String[] jn = {"J_R", "L_z", "J_z"}, tn = {"θ_R", "θ_φ", "θ_z"};
        XYChart cj = Plots.chart(title + ": J″ − J_ref against J_ref", "J_ref (kpc km/s)", "J″ − J_ref (kpc km/s)", false);
        XYChart ct = Plots.chart(title + ": θ″ − θ_ref (offset removed) against θ_ref", "θ_ref (rad)", "residual (deg)", false);
        double[] jr = refColumns(ref, n, 0), tr = refColumns(ref, n, 3);
        double[] res = StreamMetrics.angleResiduals(ja[1], tr);
        for (int k = 0; k < 3; k++) {
            double[] x = new double[n], y = new double[n], xt = new double[n], yt = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = jr[3 * i + k];
                y[i] = ja[0][3 * i + k] - jr[3 * i + k];
                xt[i] = tr[3 * i + k];
                yt[i] = Math.toDegrees(res[3 * i + k]);
            }
            Plots.points(cj, jn[k], x, y);
            Plots.points(ct, tn[k], xt, yt);
        }
        List<String> f = new ArrayList<>();
        save(cj, dir, stem + "-actions.png", f);
        save(ct, dir, stem + "-angles.png", f);
        return String.join(";", f);
    }

    static void save(XYChart c, Path dir, String file, List<String> figs) throws IOException {
        Plots.save(c, dir.resolve(file));
        figs.add(file);
    }

    private Map<String, Object> finish(Path dir, Map<String, Object> m, Map<String, Double> figures, Map<String, Double> targets, List<String> figs) throws IOException {
        Map<String, Boolean> pass = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : targets.entrySet()) {
            Object v = m.containsKey(e.getKey()) ? m.get(e.getKey()) : figures.get(e.getKey());
            pass.put(e.getKey(), v instanceof Number x && x.doubleValue() <= e.getValue());
        }
        if (!figures.isEmpty()) m.put("figures", figures);
        m.put("targets", targets);
        m.put("meets_target", pass);
        String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(m);
        AtomicFiles.writeString(dir.resolve(name() + ".json"), json + "\n");
        List<String> files = new ArrayList<>();
        for (String f : figs) for (String g : f.split(";")) files.add(g);
        AtomicFiles.writeString(dir.resolve(name() + ".md"), markdown(m, figures, targets, pass, files));
        return m;
    }

    private static double num(Object o) {
        return o instanceof Number x ? x.doubleValue() : Double.NaN;
    }

    private String markdown(Map<String, Object> m, Map<String, Double> figures, Map<String, Double> targets, Map<String, Boolean> pass, List<String> files) {
        StringBuilder b = new StringBuilder();
        b.append("# Validation: ").append(name()).append(" (model B, ACTIONFINDER)\n\n");
        b.append(m.get("system")).append(".\n\n");
        b.append("Preset ").append(m.get("preset")).append(" (netG and netP ResDense [32, 64, 32], no dropout), backend ").append(m.get("backend")).append(", ")
            .append(m.get("threads")).append(" threads, seed ").append(m.get("seed")).append(", Java ").append(m.get("java")).append(". Sizes: ")
            .append(m.get("size")).append(". Streams are split 50/50 (seeded) into training and test sets; Adam with a cosine-decayed learning rate; "
                + "the epoch of best test loss is kept. Training time: ").append(String.format(Locale.ROOT, "%.1f", (Double) m.get("train_seconds"))).append(" s.\n\n");
        b.append("Angles are compared after removing one constant offset per component (the circular mean of θ″ − θ_ref): learned angles have no "
            + "physical zero point. Action figures are mean absolute deviations in kpc km/s; relative figures are the largest over (J_R, L_z, J_z) of "
            + "mean |ΔJ| / mean |J|.\n\n");
        if (m.get("cases") instanceof Map<?, ?> cases) {
            b.append("The toy isochrone's own figures (no learning) are given beside the learned ones: learning has to beat them.\n\n");
            b.append("| case | toy GM, b × | action_mad (kpc km/s) | toy's action_mad | action_rel_error | angle_mad_deg | toy's angle_mad_deg | accel_rel_error | inverse_dx_kpc | inverse_dv_kms | orbits (excluded) | best epoch (0: initial kept) | train s |\n");
            b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Map.Entry<?, ?> e : cases.entrySet()) {
                Map<?, ?> c = (Map<?, ?>) e.getValue();
                b.append(String.format(Locale.ROOT, "| %s | %.2f | %.4g | %.4g | %.3e | %.4g | %.4g | %.3g | %.3g | %.3g | %s (%s) | %s | %.1f |%n", e.getKey(),
                    (Double) c.get("toy_factor"), (Double) c.get("action_mad"), num(c.get("toy_action_mad")), (Double) c.get("action_rel_error"),
                    (Double) c.get("angle_mad_deg"), num(c.get("toy_angle_mad_deg")), num(c.get("accel_rel_error")),
                    num(c.get("inverse_dx_kpc")), num(c.get("inverse_dv_kms")), c.get("orbits"), c.get("orbits_excluded"),
                    c.get("best_epoch"), (Double) c.get("train_seconds")));
            }
            b.append('\n');
            b.append("Where the action error sits: the test streams ranked by their share of Σ|ΔJ| (stars × components); the worst 2 % of them, ")
                .append("their share, the mean |ΔJ| of all other stars and the smallest reference J_R among the worst (kpc km/s). A few loosely bound ")
                .append("streams, whose 8 stars cover a small arc of a long radial period, carry much of action_mad. The next four columns split the test streams by ")
                .append("whether their orbits stay inside the sampled region: a stream is beyond the data when its apocentre (in the true potential) exceeds the ")
                .append("outermost star of the whole data set; its J_R then depends on the potential where no star is, which no stream constrains ")
                .append("(the toy's potential is all the model has there). The last column gives each star its stream's mean J″ (the actions command's ")
                .append("*_stream columns: the orbit's actions when a stream's stars share one orbit, the per-star error of the map averaged out).\n\n");
            b.append("| case | median \\|ΔJ\\| | worst streams | their share of Σ\\|ΔJ\\| | mean \\|ΔJ\\| of the others | smallest J_R of the worst "
                + "| streams beyond the data (apocentres up to, kpc) | their share of Σ\\|ΔJ\\| | action_mad within the data | angle_mad_deg within the data "
                + "| action_mad of the stream means (within the data) |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            for (Map.Entry<?, ?> e : cases.entrySet()) {
                Map<?, ?> c = (Map<?, ?>) e.getValue();
                if (c.get("worst_streams") == null) continue;
                b.append(String.format(Locale.ROOT, "| %s | %.4g | %s | %.2f | %.4g | %.4g | %s of %s (%.0f) | %.2f | %.4g | %.4g | %.4g (%.4g) |%n", e.getKey(), num(c.get("action_median_abs_dev")),
                    c.get("worst_streams"), num(c.get("worst_streams_error_share")), num(c.get("action_mad_without_worst_streams")),
                    num(c.get("worst_streams_min_ref_JR")), c.get("streams_beyond_data"), c.get("orbits_test"), num(c.get("beyond_data_largest_apocentre_kpc")),
                    num(c.get("beyond_data_error_share")), num(c.get("action_mad_within_data")), num(c.get("angle_mad_deg_within_data")),
                    num(c.get("action_mad_stream_mean")), num(c.get("action_mad_stream_mean_within_data"))));
            }
            b.append('\n');
        } else {
            b.append(String.format(Locale.ROOT, "action_rel_mad %.4g (J_R %.4g, L_z %.4g, J_z %.4g); action_mad %.4g kpc km/s; angle_mad_deg %.4g; "
                    + "toy GM %.6g → %.6g, b %.4g → %.4g; best epoch %s (0: initial weights kept). The toy's own action_rel_mad (no learning): %.4g.%n%n",
                (Double) m.get("action_rel_mad"), (Double) m.get("JR_rel_mad"), (Double) m.get("Lz_rel_mad"),
                (Double) m.get("Jz_rel_mad"), (Double) m.get("action_mad"), (Double) m.get("angle_mad_deg"), (Double) m.get("toy_gm_initial"), (Double) m.get("toy_gm"),
                (Double) m.get("toy_b_initial"), (Double) m.get("toy_b"), m.get("best_epoch"), num(m.get("toy_action_rel_mad"))));
            if (m.get("streams_beyond_data") != null) {
                b.append(String.format(Locale.ROOT, "Evaluation streams whose orbits leave the sampled region (apocentre in the true potential beyond the training file's "
                        + "outermost star, %.1f kpc): %s of %s, apocentres up to %.0f kpc, carrying %.2f of Σ|ΔJ|; on the other streams action_mad %.4g kpc km/s, "
                        + "largest relative error over components %.4g, angle_mad_deg %.4g. With each stream's mean J'' for its stars (the actions command's "
                        + "*_stream columns): action_rel_mad %.4g (%.4g on the streams inside the sampled region).%n%n", num(m.get("data_max_radius_kpc")), m.get("streams_beyond_data"), m.get("evaluation_streams"),
                    num(m.get("beyond_data_largest_apocentre_kpc")), num(m.get("beyond_data_error_share")), num(m.get("action_mad_within_data")),
                    num(m.get("action_rel_mad_within_data")), num(m.get("angle_mad_deg_within_data")), num(m.get("action_rel_mad_stream_mean")),
                    num(m.get("action_rel_mad_stream_mean_within_data"))));
            }
        }
        b.append("| target | value | bound | met |\n|---|---|---|---|\n");
        for (Map.Entry<String, Double> e : targets.entrySet()) {
            Object v = m.containsKey(e.getKey()) ? m.get(e.getKey()) : figures.get(e.getKey());
            b.append(String.format(Locale.ROOT, "| %s | %.4g | %.4g | %s |%n", e.getKey(), v instanceof Number x ? x.doubleValue() : Double.NaN, e.getValue(),
                pass.get(e.getKey()) ? "yes" : "**no**"));
        }
        b.append('\n');
        for (String f : files) b.append("![").append(f).append("](").append(f).append(")\n\n");
        return b.toString();
    }
}
