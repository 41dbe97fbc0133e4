package dev.canonic.models.koopman;

import dev.canonic.core.Autograd;
import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.nn.Activation;
import dev.canonic.nn.Mlp;
import dev.canonic.nn.Module;
import dev.canonic.nn.SymplecticNet;

import java.util.Arrays;
import java.util.Random;

/**
 * The symplectic Koopman autoencoder of seed 000, for d degrees of freedom.
 *
 * <p>Phase-space points are rows (q1..qd, p1..pd) in the user's units. They are first shifted and
 * scaled per coordinate (q_s = (q − μ_q)/σ_q, p_s = (p − μ_p)/σ_p; the scales are fitted to the
 * training data and stored), then mapped by a {@link SymplecticNet} Ψ to latent pairs (u_j, w_j),
 * where u plays the role of a coordinate and w of its momentum. The decoder Φ is Ψ's exact inverse.
 *
 * <p>Each pair is read as ψ_j = w_j + i·u_j = √(2J_j)·e^{iθ_j}, i.e. J_j = (u_j² + w_j²)/2 and
 * θ_j = atan2(u_j, w_j) in [0, 2π). This orientation matches the harmonic-oscillator convention of
 * the SPEC (z = √(2J/ω0) sin θ, v = √(2Jω0) cos θ) and makes θ increase with time, since a
 * symplectic map keeps the clockwise sense of rotation of natural Hamiltonian flows in (q, p).
 * The latent step is the rotation θ_j → θ_j + ω_j(J)·Δt.
 *
 * <p>Because the scaling is not symplectic, actions in the user's units are J = J_s·σ_q·σ_p per
 * degree of freedom (the area of the scaled phase plane times the Jacobian of the scaling).
 * Frequencies are in the user's inverse time units: ω(J) = ω_ref·(1 + net_ω(J_s)), where ω_ref is a
 * typical frequency estimated from the data before training. The energy net gives
 * H(J) = ω_ref·(Σ_j σ_j J_s,j + σ̄·net_H(J_s)), an energy up to an additive constant, whose
 * derivative dH/dJ the physics loss ties to ω(J).
 */
public final class KoopmanModel extends Module {
    private final KoopmanConfig config;
    private final SymplecticNet encoder;
    private final Mlp freqNet;
    private final Mlp energyNet;
    private final double[] shift;
    private final double[] scale;
    private double omegaRef;
    private double dt;

    /** A freshly initialised model; scales are identity until {@link #fitScales} is called. */
    public KoopmanModel(KoopmanConfig config) {
        this.config = config;
        int d = config.dof();
        Random rng = new Random(config.seed());
        encoder = register("encoder", new SymplecticNet(d, config.layers(), config.width(), config.linearModules(), rng));
        int[] widths = {d, config.netWidth(), config.netWidth(), d};
        freqNet = register("frequency", new Mlp(widths, Activation.TANH, rng));
        energyNet = register("energy", new Mlp(new int[] {d, config.netWidth(), config.netWidth(), 1}, Activation.TANH, rng));
        shift = new double[2 * d];
        scale = new double[2 * d];
        Arrays.fill(scale, 1.0);
        omegaRef = 1.0;
        dt = 1.0;
    }

    /** The configuration. */
    public KoopmanConfig config() {
        return config;
    }

    /** Degrees of freedom. */
    public int dof() {
        return config.dof();
    }

    /** Per-coordinate shifts μ (q1..qd, p1..pd). */
    public double[] shift() {
        return shift.clone();
    }

    /** Per-coordinate scales σ (q1..qd, p1..pd). */
    public double[] scale() {
        return scale.clone();
    }

    /** The reference frequency ω_ref (user's inverse time units). */
    public double omegaRef() {
        return omegaRef;
    }

    /** The time step of the training data. */
    public double dt() {
        return dt;
    }

    /** Sets the normalisation: shifts, scales, reference frequency and time step. */
    public void setNormalisation(double[] shift, double[] scale, double omegaRef, double dt) {
        int n = 2 * dof();
        if (shift.length != n || scale.length != n) throw new IllegalArgumentException("expected " + n + " shifts and scales");
        for (double s : scale) {
            if (!(s > 0) || !Double.isFinite(s)) throw new IllegalArgumentException("scales must be positive and finite, got " + Arrays.toString(scale));
        }
        if (!(omegaRef > 0) || !Double.isFinite(omegaRef)) throw new IllegalArgumentException("reference frequency must be positive, got " + omegaRef);
        if (!(dt > 0) || !Double.isFinite(dt)) throw new IllegalArgumentException("time step must be positive, got " + dt);
        System.arraycopy(shift, 0, this.shift, 0, n);
        System.arraycopy(scale, 0, this.scale, 0, n);
        this.omegaRef = omegaRef;
        this.dt = dt;
    }

    /**
     * Fits shifts (means) and scales (standard deviations) of the coordinates, and estimates ω_ref
     * as the median advance per step of the scaled phase angle atan2(q_s, p_s), from consecutive
     * points x[k], x[k+1] (rows of 2d values) a step dt apart.
     */
    public void fitScales(double[][] x0, double[][] x1, double dt) {
        int n = 2 * dof(), m = x0.length;
        if (m == 0) throw new IllegalArgumentException("no training points to fit the scales");
        double[] mu = new double[n], sd = new double[n];
        for (double[] r : x0) for (int c = 0; c < n; c++) mu[c] += r[c] / m;
        for (double[] r : x0) for (int c = 0; c < n; c++) sd[c] += (r[c] - mu[c]) * (r[c] - mu[c]) / m;
        for (int c = 0; c < n; c++) {
            sd[c] = Math.sqrt(sd[c]);
            if (!(sd[c] > 0)) throw new IllegalArgumentException("coordinate " + c + " does not vary in the training data");
        }
        int d = dof();
        double[] adv = new double[m * d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                double a0 = Math.atan2((x0[i][j] - mu[j]) / sd[j], (x0[i][d + j] - mu[d + j]) / sd[d + j]);
                double a1 = Math.atan2((x1[i][j] - mu[j]) / sd[j], (x1[i][d + j] - mu[d + j]) / sd[d + j]);
                double da = a1 - a0;
                while (da <= -Math.PI) da += 2 * Math.PI;
                while (da > Math.PI) da -= 2 * Math.PI;
                adv[i * d + j] = Math.abs(da);
            }
        }
        Arrays.sort(adv);
        double w = adv[adv.length / 2] / dt;
        if (!(w > 0)) w = 1.0 / dt;
        setNormalisation(mu, sd, w, dt);
    }

    // ------------------------------------------------------------------ maps

    private Tensor row(double[] v) {
        return Tensor.of(v, 1, v.length);
    }

    /** User coordinates (B×2d) to scaled coordinates. */
    public Tensor normalise(Tensor x) {
        checkPoints(x);
        return x.sub(row(shift)).div(row(scale));
    }

    /** Scaled coordinates to user coordinates. */
    public Tensor denormalise(Tensor xs) {
        return xs.mul(row(scale)).add(row(shift));
    }

    private void checkPoints(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != 2 * dof()) {
            throw new IllegalArgumentException("expected phase-space points as rows of " + 2 * dof() + " values (q1..qd, p1..pd), got shape "
                + Arrays.toString(x.shape()));
        }
    }

    /** Scaled coordinates to latent (u1..ud, w1..wd). */
    public Tensor encodeScaled(Tensor xs) {
        return encoder.forward(xs);
    }

    /** Latent to scaled coordinates (the exact inverse of {@link #encodeScaled}). */
    public Tensor decodeScaled(Tensor y) {
        return encoder.inverse(y);
    }

    /** User coordinates to latent. */
    public Tensor encode(Tensor x) {
        return encodeScaled(normalise(x));
    }

    /** Latent to user coordinates. */
    public Tensor decode(Tensor y) {
        return denormalise(decodeScaled(y));
    }

    /** Scaled actions J_s = (u² + w²)/2 of latent points (B×d). */
    public Tensor latentActions(Tensor y) {
        int d = dof();
        Tensor u = y.slice(1, 0, d), w = y.slice(1, d, 2 * d);
        return u.square().add(w.square()).mul(0.5);
    }

    /** Angles atan2(u, w) in [0, 2π) of latent points (B×d). */
    public Tensor latentAngles(Tensor y) {
        int d = dof();
        Tensor a = y.slice(1, 0, d).atan2(y.slice(1, d, 2 * d));
        return Tensor.where(a.lt(0.0), a.add(2 * Math.PI), a);
    }

    private Tensor actionScale() {
        int d = dof();
        double[] a = new double[d];
        for (int j = 0; j < d; j++) a[j] = scale[j] * scale[d + j];
        return row(a);
    }

    /** Frequencies ω(J) (user units) from scaled actions (B×d). */
    public Tensor frequencyOfScaled(Tensor js) {
        return freqNet.forward(js).add(1.0).mul(omegaRef);
    }

    /** Energy H(J) (user units, up to a constant) from scaled actions (B×d); B×1. */
    public Tensor energyOfScaled(Tensor js) {
        double gm = 1;
        int d = dof();
        for (int j = 0; j < d; j++) gm *= scale[j] * scale[d + j];
        gm = Math.pow(gm, 1.0 / d);
        return js.mul(actionScale()).sum(1, true).add(energyNet.forward(js).mul(gm)).mul(omegaRef);
    }

    /** Rotates latent points by angles φ (B×d): θ → θ + φ. */
    public Tensor rotate(Tensor y, Tensor phi) {
        int d = dof();
        Tensor u = y.slice(1, 0, d), w = y.slice(1, d, 2 * d);
        Tensor c = phi.cos(), s = phi.sin();
        return Tensor.concat(1, u.mul(c).add(w.mul(s)), w.mul(c).sub(u.mul(s)));
    }

    /** Latent point from scaled actions and angles. */
    public Tensor latentFrom(Tensor js, Tensor theta) {
        Tensor r = js.mul(2.0).sqrt();
        return Tensor.concat(1, r.mul(theta.sin()), r.mul(theta.cos()));
    }

    // ------------------------------------------------------------------ public API (user units)

    /** Actions J (B×d) of phase-space points (B×2d), user units. */
    public Tensor actions(Tensor x) {
        return latentActions(encode(x)).mul(actionScale());
    }

    /** Angles θ in [0, 2π) (B×d). */
    public Tensor angles(Tensor x) {
        return latentAngles(encode(x));
    }

    /** Frequencies Ω = ω(J) (B×d), user units. */
    public Tensor frequencies(Tensor x) {
        return frequencyOfScaled(latentActions(encode(x)));
    }

    private RippleCorrection ripple;

    /** The pointwise correction of J fitted after training (null: none; one degree of freedom only). */
    public RippleCorrection ripple() {
        return ripple;
    }

    /** Sets (or with null removes) the pointwise correction of J. */
    public void setRipple(RippleCorrection r) {
        if (r != null && dof() != 1) throw new IllegalArgumentException("the ripple correction applies to one degree of freedom, this model has " + dof());
        this.ripple = r;
    }

    /**
     * Pointwise actions (B×d, user units): those of the learned map, minus the fitted ripple
     * correction where the model has one ({@link RippleCorrection}). Not differentiable.
     */
    public double[] pointActions(Tensor x) {
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor y = encode(x);
            double[] j = latentActions(y).mul(actionScale()).toArray();
            return ripple == null ? j : ripple.apply(j, latentAngles(y).toArray());
        }
    }

    /**
     * The uncorrected map's actions and angles of one orbit's samples (m rows of 2d coordinates) with
     * one encoding: {J, θ}, each m·d values, row-major.
     */
    public double[][] actionsAndAngles(double[][] orbit) {
        int m = orbit.length, n = 2 * dof();
        double[] flat = new double[m * n];
        for (int k = 0; k < m; k++) System.arraycopy(orbit[k], 0, flat, k * n, n);
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor y = encode(Tensor.of(flat, m, n));
            return new double[][] {latentActions(y).mul(actionScale()).toArray(), latentAngles(y).toArray()};
        }
    }

    /** As {@link #pointActions(Tensor)}, from the map's actions and angles already computed (B×d each, flat). */
    public double[] pointActions(double[] j, double[] theta) {
        return ripple == null ? j.clone() : ripple.apply(j, theta);
    }

    /** Frequencies Ω = ω(J) (B×d), user units, of actions J (B×d, user units). */
    public Tensor frequenciesOfActions(Tensor j) {
        return frequencyOfScaled(j.div(actionScale()));
    }

    /** Energy H(J(x)) (B×1), user units, up to an additive constant. */
    public Tensor energy(Tensor x) {
        return energyOfScaled(latentActions(encode(x)));
    }

    /** Phase-space points (B×2d) from actions J (B×d, user units) and angles θ (B×d). */
    public Tensor decode(Tensor j, Tensor theta) {
        if (j.rank() != 2 || j.dim(1) != dof() || !Arrays.equals(j.shape(), theta.shape())) {
            throw new IllegalArgumentException("decode: J and θ must both be B×" + dof() + ", got " + Arrays.toString(j.shape())
                + " and " + Arrays.toString(theta.shape()));
        }
        for (double v : j.toArray()) {
            if (!(v >= 0) || !Double.isFinite(v)) throw new IllegalArgumentException("decode: actions must be finite and >= 0, got " + v);
        }
        return decode(latentFrom(j.div(actionScale()), theta));
    }

    /**
     * The orbits from (J, θ) at the given times: θ(t) = θ + ω(J)·t, decoded. Returns
     * [times, B, 2d].
     */
    public Tensor rollout(Tensor j, Tensor theta, double[] times) {
        Tensor js = j.div(actionScale());
        Tensor w = frequencyOfScaled(js);
        Tensor[] out = new Tensor[times.length];
        for (int i = 0; i < times.length; i++) out[i] = decode(latentFrom(js, theta.add(w.mul(times[i]))));
        return Tensor.stack(0, out);
    }

    /**
     * Refits the output layer of the frequency net by ridge-regularised least squares so that
     * ω(J_s[o]) ≈ rate[o] for every orbit o (the measured rate of advance of its learned angles).
     * The regularisation pulls the weights towards their current values, so an underdetermined fit
     * changes them as little as possible. Returns the rms relative misfit after the fit.
     */
    double calibrateFrequencyNet(double[][] js, double[][] rate) {
        int s = js.length, d = dof();
        int depth = freqNet.depth();
        dev.canonic.nn.Linear last = freqNet.layer(depth - 1);
        double[] h;
        int hw;
        try (GradMode.Scope g = GradMode.noGrad()) {
            double[] flat = new double[s * d];
            for (int o = 0; o < s; o++) System.arraycopy(js[o], 0, flat, o * d, d);
            Tensor x = Tensor.of(flat, s, d);
            for (int i = 0; i < depth - 1; i++) x = Activation.TANH.apply(freqNet.layer(i).forward(x));
            h = x.toArray();
            hw = x.dim(1);
        }
        double[] w = last.weight().value().toArray();   // d × hw
        double[] bias = last.bias().value().toArray();  // d
        int m = hw + 1;
        double sq = 0;
        int cnt = 0;
        for (int j = 0; j < d; j++) {
            org.ejml.data.DMatrixRMaj ata = new org.ejml.data.DMatrixRMaj(m, m), atb = new org.ejml.data.DMatrixRMaj(m, 1);
            for (int o = 0; o < s; o++) {
                double y = rate[o][j] / omegaRef - 1.0;
                for (int a = 0; a < m; a++) {
                    double fa = a < hw ? h[o * hw + a] : 1.0;
                    atb.data[a] += fa * y;
                    for (int c = 0; c < m; c++) ata.data[a * m + c] += fa * (c < hw ? h[o * hw + c] : 1.0);
                }
            }
            double tr = 0;
            for (int a = 0; a < m; a++) tr += ata.data[a * m + a];
            double lambda = 1e-10 * tr / m + 1e-14;
            for (int a = 0; a < m; a++) {
                ata.data[a * m + a] += lambda;
                atb.data[a] += lambda * (a < hw ? w[j * hw + a] : bias[j]);
            }
            org.ejml.data.DMatrixRMaj sol = new org.ejml.data.DMatrixRMaj(m, 1);
            if (!org.ejml.dense.row.CommonOps_DDRM.solve(ata, atb, sol)) continue;
            for (int a = 0; a < hw; a++) w[j * hw + a] = sol.data[a];
            bias[j] = sol.data[hw];
            for (int o = 0; o < s; o++) {
                double f = bias[j];
                for (int a = 0; a < hw; a++) f += h[o * hw + a] * w[j * hw + a];
                double e = (omegaRef * (1 + f) - rate[o][j]) / rate[o][j];
                sq += e * e;
                cnt++;
            }
        }
        last.weight().set(Tensor.of(w, d, hw));
        last.bias().set(Tensor.of(bias, d));
        return cnt == 0 ? Double.NaN : Math.sqrt(sq / cnt);
    }

    // ------------------------------------------------------------------ losses

    /** The loss terms of one batch, each a scalar tensor. */
    public record Losses(Tensor oneStep, Tensor rollout, Tensor recon, Tensor physics, Tensor total) {
        /** Values as doubles in the order oneStep, rollout, recon, physics, total. */
        public double[] values() {
            return new double[] {oneStep.item(), rollout.item(), recon.item(), physics.item(), total.item()};
        }
    }

    /** Names of the loss terms, in the order of {@link Losses#values()}. */
    public static final String[] LOSS_NAMES = {"one_step", "rollout", "reconstruction", "physics", "total"};

    /**
     * Losses of a batch of orbit segments: xs is S×L×2d, scaled coordinates, L consecutive samples
     * a step dt apart on each of S orbits. Every sample is encoded once; for every lag r = 1..R
     * (R = min(rollout, L − 1)) each sample's latent point, rotated by ω(J)·r·dt, is compared with
     * the encoding of the sample r steps later (r = 1 is the one-step loss, r ≥ 2 the rollout loss);
     * the one-step prediction is decoded and compared with the next sample (reconstruction); the
     * physics loss ties dH/dJ to ω(J) at every sample's action.
     */
    public Losses losses(Tensor xs) {
        int[] sh = xs.shape();
        if (sh.length != 3 || sh[2] != 2 * dof() || sh[1] < 2) {
            throw new IllegalArgumentException("losses: expected segments S×L×" + 2 * dof() + " with L >= 2, got " + Arrays.toString(sh));
        }
        int s = sh[0], l = sh[1], n = 2 * dof(), d = dof();
        int rr = Math.min(config.rollout(), l - 1);
        Tensor y = encodeScaled(xs.reshape(s * l, n)).reshape(s, l, n);
        Tensor jsAll = latentActions(y.reshape(s * l, n));
        Tensor w = frequencyOfScaled(jsAll).reshape(s, l, d);
        Tensor oneStep = null, roll = Tensor.scalar(0.0);
        Tensor pred1 = null;
        for (int r = 1; r <= rr; r++) {
            int m = s * (l - r);
            Tensor from = y.slice(1, 0, l - r).reshape(m, n);
            Tensor phi = w.slice(1, 0, l - r).reshape(m, d).mul(r * dt);
            Tensor pred = rotate(from, phi);
            Tensor target = y.slice(1, r, l).reshape(m, n);
            Tensor e = pred.sub(target).square().sum(1, false).mean();
            if (r == 1) {
                oneStep = e;
                pred1 = pred;
            } else {
                roll = roll.add(e);
            }
        }
        if (rr > 1) roll = roll.div(rr - 1);
        Tensor recon = decodeScaled(pred1).sub(xs.slice(1, 1, l).reshape(s * (l - 1), n)).square().sum(1, false).mean();
        Tensor js = jsAll.detach().requiresGrad(true);
        Tensor h = energyOfScaled(js);
        Tensor dh = Autograd.grad(new Tensor[] {h}, new Tensor[] {js}, null, true)[0].div(actionScale());
        Tensor phys = dh.sub(frequencyOfScaled(js)).div(omegaRef).square().sum(1, false).mean();
        Tensor total = oneStep.mul(config.wOneStep()).add(roll.mul(config.wRollout()))
            .add(recon.mul(config.wRecon())).add(phys.mul(config.wPhysics()));
        return new Losses(oneStep, roll, recon, phys, total);
    }

    /** Evaluates f without recording a graph. */
    public static Tensor eval(java.util.function.Supplier<Tensor> f) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            return f.get();
        }
    }
}
