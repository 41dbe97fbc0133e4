package dev.canonic.validation;

import com.google.gson.GsonBuilder;
import dev.canonic.backend.cpu.Parallel;
import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.io.AtomicFiles;
import dev.canonic.models.koopman.KoopmanConfig;
import dev.canonic.models.koopman.OrbitAverage;
import dev.canonic.models.koopman.KoopmanModel;
import dev.canonic.models.koopman.KoopmanTrainer;
import org.knowm.xchart.XYChart;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A validation suite for model A on a 1-D system: generate orbits (seeded), split them by orbit
 * into training, validation and held-out test sets, train, compare the learned J, θ, Ω on the
 * held-out orbits with the reference, and write NAME.json, NAME.md and PNG figures.
 *
 * <p>Matching: actions and frequencies are compared directly, with no fitted scale. Angles are
 * defined up to a constant zero point; one offset (the circular mean of θ_learned − θ_ref over all
 * held-out points) is removed before comparing them. Their direction is not fitted: both increase
 * with time.
 */
public final class KoopmanSuite implements Suite {
    /** Sizes of a run. */
    public record Size(int orbits, int samples, int epochs, int batch, int rolloutOrbits, int lbfgsIters, int lbfgsSamples) {
        /** The committed defaults for a full validation run. */
        public static Size full() {
            return new Size(60, 300, 20, 32, 5, 2600, 4096);
        }

        /** A reduced run for the unit tests. */
        public static Size quick() {
            return new Size(20, 120, 6, 16, 1, 250, 1536);
        }
    }

    private final System1D system;
    private final KoopmanConfig base;
    private final Map<String, Double> targets;
    private boolean viaFile;

    /**
     * Makes the suite train the way a user does: its training and validation orbits are written to
     * NAME-trajectories.csv and read back by the same reader as {@code canonic train koopman --data}.
     */
    public KoopmanSuite viaFile() {
        viaFile = true;
        return this;
    }

    /**
     * @param system  the system and its reference values
     * @param base    model configuration (training length is taken from the size at run time)
     * @param targets metric name → upper bound the project holds itself to (shown in the report)
     */
    public KoopmanSuite(System1D system, KoopmanConfig base, Map<String, Double> targets) {
        this.system = system;
        this.base = base;
        this.targets = targets;
    }

    /** The suite's name. */
    public String name() {
        return system.name();
    }

    @Override
    public Map<String, Object> run(Path dir, boolean quick, long seed, boolean progress) throws IOException {
        return run(dir, quick ? Size.quick() : Size.full(), seed, progress);
    }

    /** Runs the suite, writes DIR/NAME.json, DIR/NAME.md and DIR/NAME-*.png, and returns the metrics. */
    public Map<String, Object> run(Path dir, Size size, long seed, boolean progress) throws IOException {
        double dt = 0.1;
        OrbitSet all = system.generate(size.orbits(), size.samples(), dt, seed);
        int nTest = Math.max(2, size.orbits() / 5), nVal = Math.max(2, size.orbits() / 10);
        OrbitSet test = all.range(0, nTest), val = all.range(nTest, nTest + nVal), train = all.range(nTest + nVal, all.orbits());
        if (viaFile) {
            Path csv = dir.resolve(name() + "-trajectories.csv");
            int nTv = val.orbits() + train.orbits(), t = size.samples();
            double[] v = new double[nTv * t * 4];
            for (int o = 0; o < nTv; o++) {
                double[][] orb = o < val.orbits() ? val.x()[o] : train.x()[o - val.orbits()];
                for (int k = 0; k < t; k++) {
                    int r = (o * t + k) * 4;
                    v[r] = o;
                    v[r + 1] = k * dt;
                    v[r + 2] = orb[k][0];
                    v[r + 3] = orb[k][1];
                }
            }
            dev.canonic.io.OrbitCsv.write(csv, java.util.List.of("orbit_id", "t", "z", "vz"), v, null);
            dev.canonic.models.koopman.KoopmanFiles.Trajectories tr = dev.canonic.models.koopman.KoopmanFiles.readTrajectories(csv, base.rollout() + 1);
            double[][][] x = tr.x();
            val = new OrbitSet(java.util.Arrays.copyOfRange(x, 0, val.orbits()), val.j(), val.theta(), val.omega(), tr.dt());
            train = new OrbitSet(java.util.Arrays.copyOfRange(x, val.orbits(), nTv), train.j(), train.theta(), train.omega(), tr.dt());
        }
        KoopmanConfig cfg = base.withTraining(size.epochs(), size.batch(), seed).withLbfgs(size.lbfgsIters(), size.lbfgsSamples());
        KoopmanModel model = new KoopmanModel(cfg);
        KoopmanTrainer.History h = new KoopmanTrainer(model, train.x(), val.x(), dt).progress(progress).train();

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("suite", name());
        m.put("system", system.description());
        Evaluation e = evaluate(model, test, size.rolloutOrbits());
        m.putAll(e.metrics);
        m.put("train_seconds", h.seconds());
        m.put("train_steps", h.steps());
        m.put("best_epoch", h.bestEpoch() + 1);
        m.put("epochs", size.epochs());
        m.put("frequency_calibration_rms", h.calibrationRms());
        m.put("lbfgs_iterations", h.lbfgsIterations());
        m.put("validation_loss_before_lbfgs", h.lbfgsBefore());
        m.put("validation_loss_after_lbfgs", h.lbfgsAfter());
        m.put("orbits_train", train.orbits());
        m.put("orbits_validation", val.orbits());
        m.put("orbits_test", test.orbits());
        m.put("samples_per_orbit", size.samples());
        m.put("dt", dt);
        m.put("threads", Parallel.threads());
        m.put("backend", "cpu");
        m.put("seed", seed);
        m.put("java", System.getProperty("java.version"));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("layers", cfg.layers());
        c.put("width", cfg.width());
        c.put("linear_modules", cfg.linearModules());
        c.put("net_width", cfg.netWidth());
        c.put("rollout", cfg.rollout());
        c.put("batch", cfg.batch());
        c.put("lr", cfg.lr());
        c.put("lr_min", cfg.lrMin());
        m.put("config", c);
        Map<String, Object> pass = new LinkedHashMap<>();
        for (Map.Entry<String, Double> t : targets.entrySet()) {
            Object v = m.get(t.getKey());
            if (v instanceof Number) pass.put(t.getKey(), ((Number) v).doubleValue() <= t.getValue());
        }
        m.put("targets", targets);
        m.put("meets_target", pass);

        String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(m);
        AtomicFiles.writeString(dir.resolve(name() + ".json"), json + "\n");
        List<String> figs = figures(dir, model, h, test, e);
        AtomicFiles.writeString(dir.resolve(name() + ".md"), markdown(m, figs));
        return m;
    }

    /** Metrics and per-point arrays for the figures. */
    static final class Evaluation {
        final Map<String, Object> metrics = new LinkedHashMap<>();
        double[] z, v, jRef, jLearn, thRef, thLearn, omRef, omLearn, recon;
        double[] rollT, rollZTrue, rollZModel, rollResidual;
        double[] orbitJRef, orbitDJ, orbitDW;
        double[] jRaw;
    }

    Evaluation evaluate(KoopmanModel model, OrbitSet test, int rollOrbits) {
        Evaluation e = new Evaluation();
        int s = test.orbits(), t = test.x()[0].length, n = s * t;
        double[] flat = new double[2 * n];
        e.jRef = new double[n];
        e.thRef = new double[n];
        e.omRef = new double[n];
        for (int o = 0; o < s; o++) {
            for (int k = 0; k < t; k++) {
                int i = o * t + k;
                flat[2 * i] = test.x()[o][k][0];
                flat[2 * i + 1] = test.x()[o][k][1];
                e.jRef[i] = test.j()[o][k];
                e.thRef[i] = test.theta()[o][k];
                e.omRef[i] = test.omega()[o][k];
            }
        }
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor x = Tensor.of(flat, n, 2);
            e.jRaw = model.actions(x).toArray();
            e.thLearn = model.angles(x).toArray();
            e.jLearn = model.pointActions(e.jRaw, e.thLearn);
            e.omLearn = model.frequenciesOfActions(Tensor.of(e.jLearn, n, 1)).toArray();
            double[] back = model.decode(model.encode(x)).toArray();
            e.recon = new double[n];
            double rmax = 0;
            for (int i = 0; i < n; i++) {
                e.recon[i] = Math.max(Math.abs(back[2 * i] - flat[2 * i]), Math.abs(back[2 * i + 1] - flat[2 * i + 1]));
                rmax = Math.max(rmax, e.recon[i]);
            }
            e.metrics.put("encode_decode_max_abs", rmax);
        }
        e.z = new double[n];
        e.v = new double[n];
        for (int i = 0; i < n; i++) {
            e.z[i] = flat[2 * i];
            e.v[i] = flat[2 * i + 1];
        }
        double jm = 0, jmax = 0, om = 0, omax = 0, jSpread = 0, jMean = 0;
        for (int i = 0; i < n; i++) jMean += e.jRef[i] / n;
        for (int i = 0; i < n; i++) {
            double dj = e.jLearn[i] - e.jRef[i], dw = e.omLearn[i] - e.omRef[i];
            jm += dj * dj / n;
            om += dw * dw / n;
            jmax = Math.max(jmax, Math.abs(dj));
            omax = Math.max(omax, Math.abs(dw));
            jSpread += (e.jRef[i] - jMean) * (e.jRef[i] - jMean) / n;
        }
        double sx = 0, cx = 0;
        for (int i = 0; i < n; i++) {
            sx += Math.sin(e.thLearn[i] - e.thRef[i]);
            cx += Math.cos(e.thLearn[i] - e.thRef[i]);
        }
        double off = Math.atan2(sx, cx), am = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            double d = wrap(e.thLearn[i] - e.thRef[i] - off);
            am += d * d / n;
            amax = Math.max(amax, Math.abs(d));
        }
        e.metrics.put("action_mse", jm);
        e.metrics.put("max_abs_action_residual", jmax);
        e.metrics.put("frequency_mse", om);
        e.metrics.put("max_abs_frequency_residual", omax);
        e.metrics.put("angle_rms_residual", Math.sqrt(am));
        e.metrics.put("max_abs_angle_residual", amax);
        e.metrics.put("angle_offset", off);
        e.metrics.put("reference_action_std", Math.sqrt(jSpread));
        double[] jo = new double[s];
        double gap = 0;
        for (int o = 0; o < s; o++) {
            OrbitAverage.Result r = OrbitAverage.average(Arrays.copyOfRange(e.jRaw, o * t, o * t + t), Arrays.copyOfRange(e.thLearn, o * t, o * t + t), t, 1);
            jo[o] = r.actions()[0];
            gap = Math.max(gap, r.largestGap());
        }
        double[] wo;
        try (GradMode.Scope g = GradMode.noGrad()) {
            wo = model.frequenciesOfActions(Tensor.of(jo, s, 1)).toArray();
        }
        double jomax = 0, womax = 0;
        e.orbitJRef = new double[s];
        e.orbitDJ = new double[s];
        e.orbitDW = new double[s];
        for (int o = 0; o < s; o++) {
            e.orbitJRef[o] = e.jRef[o * t];
            e.orbitDJ[o] = jo[o] - e.jRef[o * t];
            e.orbitDW[o] = wo[o] - e.omRef[o * t];
            jomax = Math.max(jomax, Math.abs(e.orbitDJ[o]));
            womax = Math.max(womax, Math.abs(e.orbitDW[o]));
        }
        double rawMax = 0;
        for (int i = 0; i < n; i++) rawMax = Math.max(rawMax, Math.abs(e.jRaw[i] - e.jRef[i]));
        e.metrics.put("max_abs_action_residual_uncorrected", rawMax);
        dev.canonic.models.koopman.RippleCorrection rc = model.ripple();
        e.metrics.put("ripple_correction", rc == null ? "none" : rc.harmonics() + " harmonics x " + rc.terms() + " Chebyshev terms");
        e.metrics.put("max_abs_orbit_action_residual", jomax);
        e.metrics.put("max_abs_orbit_frequency_residual", womax);
        e.metrics.put("orbit_largest_angle_gap", gap);
        e.metrics.put("test_points", n);

        // inverse rollout: encode each orbit's first point, advance θ by ω(J)·t, decode; compare over 10 periods
        double worst = 0;
        int ro = Math.min(rollOrbits, s);
        for (int o = 0; o < ro; o++) {
            double period = 2 * Math.PI / test.omega()[o][0];
            int steps = (int) Math.ceil(10 * period / test.dt());
            double[] times = new double[steps + 1];
            for (int k = 0; k <= steps; k++) times[k] = k * test.dt();
            double[][] truth = system.orbit(test.j()[o][0], test.theta()[o][0], times);
            double[] pred;
            try (GradMode.Scope g = GradMode.noGrad()) {
                Tensor x0 = Tensor.of(test.x()[o][0].clone(), 1, 2);
                pred = model.rollout(model.actions(x0), model.angles(x0), times).toArray();
            }
            double[] res = new double[times.length];
            for (int k = 0; k < times.length; k++) {
                res[k] = Math.max(Math.abs(pred[2 * k] - truth[k][0]), Math.abs(pred[2 * k + 1] - truth[k][1]));
                worst = Math.max(worst, res[k]);
            }
            if (o == 0) {
                e.rollT = times;
                e.rollResidual = res;
                e.rollZTrue = new double[times.length];
                e.rollZModel = new double[times.length];
                for (int k = 0; k < times.length; k++) {
                    e.rollZTrue[k] = truth[k][0];
                    e.rollZModel[k] = pred[2 * k];
                }
            }
        }
        e.metrics.put("rollout_max_abs_residual", worst);
        e.metrics.put("rollout_periods", 10);
        return e;
    }

    static double wrap(double a) {
        double r = (a + Math.PI) % (2 * Math.PI);
        if (r < 0) r += 2 * Math.PI;
        return r - Math.PI;
    }

    private List<String> figures(Path dir, KoopmanModel model, KoopmanTrainer.History h, OrbitSet test, Evaluation e) throws IOException {
        List<String> files = new ArrayList<>();
        String p = name() + "-";
        // training curves
        XYChart c = Plots.chart(name() + ": training curves", "epoch", "loss", true);
        int ne = h.train().size();
        double[] ep = new double[ne];
        for (int i = 0; i < ne; i++) ep[i] = i + 1;
        for (int k = 0; k < KoopmanModel.LOSS_NAMES.length; k++) {
            double[] tr = new double[ne], va = new double[ne];
            for (int i = 0; i < ne; i++) {
                tr[i] = h.train().get(i)[k];
                va[i] = h.validation().get(i)[k];
            }
            Plots.line(c, "train " + KoopmanModel.LOSS_NAMES[k], ep, Plots.positive(tr));
            Plots.line(c, "validation " + KoopmanModel.LOSS_NAMES[k], ep, Plots.positive(va));
        }
        save(c, dir, p + "training.png", files);
        save(Plots.coloured(name() + ": phase space coloured by learned J", "z", "v", e.z, e.v, e.jLearn, "J"), dir, p + "phase-J.png", files);
        save(Plots.coloured(name() + ": phase space coloured by learned θ", "z", "v", e.z, e.v, e.thLearn, "θ"), dir, p + "phase-theta.png", files);
        // along one orbit
        int t = test.x()[0].length;
        double[] time = new double[t], jl = new double[t], jr = new double[t], tl = new double[t], tr = new double[t];
        double off = (Double) e.metrics.get("angle_offset");
        for (int k = 0; k < t; k++) {
            time[k] = k * test.dt();
            jl[k] = e.jLearn[k];
            jr[k] = e.jRef[k];
            tl[k] = HarmonicOscillator1D.mod2pi(e.thLearn[k] - off);
            tr[k] = e.thRef[k];
        }
        c = Plots.chart(name() + ": θ along a held-out orbit (learned, offset removed, vs reference)", "t", "θ", false);
        Plots.points(c, "learned θ − offset", time, tl);
        Plots.line(c, "reference θ", time, tr);
        save(c, dir, p + "orbit-theta.png", files);
        c = Plots.chart(name() + ": J along a held-out orbit", "t", "J", false);
        Plots.points(c, "learned J", time, jl);
        Plots.line(c, "reference J", time, jr);
        save(c, dir, p + "orbit-J.png", files);
        // J–Ω
        c = Plots.chart(name() + ": Ω(J) learned vs reference (held-out points)", "J", "Ω", false);
        Plots.points(c, "learned (J, Ω)", e.jLearn, e.omLearn);
        Plots.points(c, "reference (J, Ω)", e.jRef, e.omRef);
        save(c, dir, p + "J-Omega.png", files);
        int n = e.jRef.length;
        double[] dj = new double[n], dw = new double[n];
        for (int i = 0; i < n; i++) {
            dj[i] = e.jLearn[i] - e.jRef[i];
            dw[i] = e.omLearn[i] - e.omRef[i];
        }
        c = Plots.chart(name() + ": residuals against the reference", "reference J", "learned − reference", false);
        Plots.points(c, "ΔJ", e.jRef, dj);
        Plots.points(c, "ΔΩ", e.jRef, dw);
        save(c, dir, p + "residuals.png", files);
        double[] ajo = new double[e.orbitDJ.length], awo = new double[e.orbitDW.length];
        for (int o = 0; o < ajo.length; o++) {
            ajo[o] = Math.abs(e.orbitDJ[o]);
            awo[o] = Math.abs(e.orbitDW[o]);
        }
        c = Plots.chart(name() + ": orbit actions (J averaged over θ along each held-out orbit) against the reference", "reference J", "|learned − reference|", true);
        Plots.points(c, "|ΔJ_orbit|", e.orbitJRef, Plots.positive(ajo));
        Plots.points(c, "|ΔΩ(J_orbit)|", e.orbitJRef, Plots.positive(awo));
        save(c, dir, p + "orbit-residuals.png", files);
        double[] idx = new double[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        c = Plots.chart(name() + ": encode → decode residual max(|Δz|, |Δv|)", "held-out point", "residual", true);
        Plots.points(c, "|decode(encode(x)) − x|", idx, Plots.positive(e.recon));
        save(c, dir, p + "encode-decode.png", files);
        c = Plots.chart(name() + ": orbit decoded from (J, θ) over 10 periods", "t", "z", false);
        Plots.line(c, "reference", e.rollT, e.rollZTrue);
        Plots.line(c, "decoded from (J, θ + Ω t)", e.rollT, e.rollZModel);
        save(c, dir, p + "rollout.png", files);
        c = Plots.chart(name() + ": decoded orbit residual", "t", "max(|Δz|, |Δv|)", true);
        Plots.line(c, "residual", e.rollT, Plots.positive(e.rollResidual));
        save(c, dir, p + "rollout-residual.png", files);
        return files;
    }

    private static void save(XYChart c, Path dir, String file, List<String> files) throws IOException {
        Plots.save(c, dir.resolve(file));
        files.add(file);
    }

    @SuppressWarnings("unchecked")
    private String markdown(Map<String, Object> m, List<String> figs) {
        StringBuilder b = new StringBuilder();
        b.append("# Validation: ").append(name()).append("\n\n");
        b.append(system.description()).append(". Model A (symplectic Koopman autoencoder), CPU, ")
            .append(m.get("threads")).append(" threads, seed ").append(m.get("seed")).append(", Java ").append(m.get("java")).append(".\n\n");
        b.append("Orbits: ").append(m.get("orbits_train")).append(" training, ").append(m.get("orbits_validation"))
            .append(" validation, ").append(m.get("orbits_test")).append(" held-out test, ").append(m.get("samples_per_orbit"))
            .append(" samples each at Δt = ").append(m.get("dt")).append(". Training: ").append(m.get("epochs")).append(" epochs, ")
            .append(m.get("train_steps")).append(" steps, ").append(String.format(Locale.ROOT, "%.1f", (Double) m.get("train_seconds")))
            .append(" s; best validation epoch ").append(m.get("best_epoch")).append(".\n\n");
        b.append("| metric | value | target | met |\n|---|---|---|---|\n");
        Map<String, Object> pass = (Map<String, Object>) m.get("meets_target");
        for (String k : new String[] {"action_mse", "max_abs_action_residual", "frequency_mse", "max_abs_frequency_residual",
            "max_abs_action_residual_uncorrected", "max_abs_orbit_action_residual", "max_abs_orbit_frequency_residual",
            "angle_rms_residual", "max_abs_angle_residual", "encode_decode_max_abs", "rollout_max_abs_residual"}) {
            Object v = m.get(k);
            Double t = targets.get(k);
            b.append("| ").append(k).append(" | ").append(String.format(Locale.ROOT, "%.3e", ((Number) v).doubleValue())).append(" | ")
                .append(t == null ? "–" : String.format(Locale.ROOT, "≤ %.0e", t)).append(" | ")
                .append(t == null ? "" : (Boolean.TRUE.equals(pass.get(k)) ? "yes" : "**no**")).append(" |\n");
        }
        b.append("\nHow learned and reference values are matched: actions and frequencies are compared directly, with no fitted ")
            .append("scale; angles after removing one constant offset (the circular mean of θ_learned − θ_ref over all held-out points, ")
            .append(String.format(Locale.ROOT, "%.4f", (Double) m.get("angle_offset"))).append(" rad). The rollout starts from each ")
            .append("held-out orbit's first point: it is encoded to (J, θ), θ advances by Ω(J)·t, and the decoded point is compared with ")
            .append("the reference orbit over 10 periods.\n\n")
            .append("Pointwise and orbit figures: max_abs_action_residual and max_abs_frequency_residual take J and Ω = ω(J) of every held-out ")
            .append("point on its own. The orbit figures take, for each held-out orbit, its orbit action: the average of the learned J over the ")
            .append("learned angle along the orbit's samples (periodic trapezoid rule; `canonic actions` writes it as J_orbit when the input has ")
            .append("orbit_id), and Ω = ω(J_orbit). The encoder is exactly symplectic, so it keeps the area an orbit encloses and that average ")
            .append("is the true action; the pointwise J carries a ripple along each orbit around it. Largest angle gap between consecutive ")
            .append("samples of a held-out orbit: ").append(String.format(Locale.ROOT, "%.3f", ((Number) m.get("orbit_largest_angle_gap")).doubleValue()))
            .append(" rad.\n\n")
            .append("Pointwise J is the learned map's J minus its ripple correction (").append(m.get("ripple_correction"))
            .append("): the ripple of J along the training orbits, fitted against their orbit actions as a Fourier series in θ with ")
            .append("coefficients smooth in J, its size chosen on the validation orbits; Ω = ω(J) of the corrected J. Without the correction ")
            .append("the largest pointwise |ΔJ| is max_abs_action_residual_uncorrected.\n\n");
        for (String f : figs) b.append("![").append(f).append("](").append(f).append(")\n\n");
        return b.toString();
    }
}
