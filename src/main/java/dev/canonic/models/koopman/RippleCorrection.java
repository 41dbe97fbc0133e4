package dev.canonic.models.koopman;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pointwise correction of a one-degree-of-freedom model's learned action: the ripple of J along
 * each orbit, fitted on the training orbits against their exact orbit actions.
 *
 * <p>The encoder preserves area, so on a training orbit that goes round its angle circle the orbit
 * action J_orbit ({@link OrbitAverage}) is the true action while the pointwise J = r²/2 ripples
 * around it: J − J_orbit = c(J, θ), a smooth periodic function of the learned angle whose shape
 * varies slowly with the action. It is fitted by least squares as
 * c(J, θ) = Σ_{k=1..K} Σ_{m<M} T_m(s(J)) (a_km cos kθ + b_km sin kθ), with Chebyshev polynomials T_m
 * of the action scaled to [−1, 1] over the training orbits' range (clamped outside it). K and M are
 * chosen on the validation orbits (the smallest largest |J − c − J_orbit|), and the correction is
 * kept only when it beats the uncorrected map there. The corrected action J − c(J, θ) is what
 * {@code canonic actions} writes as J; the orbit actions are averages of the uncorrected J.
 */
public record RippleCorrection(double lo, double hi, int harmonics, int terms, double[] coef) {
    /** Harmonics K tried. */
    static final int[] HARMONICS = {10, 20, 30, 40};
    /** Chebyshev terms M tried. */
    static final int[] DEGREES = {6, 10};

    /**
     * @param lo        smallest training orbit action (maps to −1)
     * @param hi        largest (maps to +1)
     * @param harmonics K
     * @param terms     M
     * @param coef      2·K·M coefficients, ordered (k, cos/sin, m); copied
     */
    public RippleCorrection {
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) throw new IllegalArgumentException("ripple correction: need lo < hi, got " + lo + ", " + hi);
        if (harmonics < 1 || terms < 1 || coef.length != 2 * harmonics * terms) {
            throw new IllegalArgumentException("ripple correction: " + coef.length + " coefficients for K = " + harmonics + ", M = " + terms);
        }
        coef = coef.clone();
    }

    /** A copy of the coefficients. */
    @Override
    public double[] coef() {
        return coef.clone();
    }

    /** The design row of (J, θ) for K harmonics and M Chebyshev terms, into out[0 .. 2KM). */
    static void row(double j, double theta, double lo, double hi, int k, int m, double[] out) {
        row(j, theta, lo, hi, k, m, out, new double[m]);
    }

    /** As above, with t (length ≥ m) as scratch for the Chebyshev values. */
    static void row(double j, double theta, double lo, double hi, int k, int m, double[] out, double[] t) {
        double s = Math.max(-1, Math.min(1, 2 * (j - lo) / (hi - lo) - 1));
        t[0] = 1;
        if (m > 1) t[1] = s;
        for (int i = 2; i < m; i++) t[i] = 2 * s * t[i - 1] - t[i - 2];
        int c = 0;
        for (int h = 1; h <= k; h++) {
            double co = Math.cos(h * theta), si = Math.sin(h * theta);
            for (int i = 0; i < m; i++) out[c++] = t[i] * co;
            for (int i = 0; i < m; i++) out[c++] = t[i] * si;
        }
    }

    /** The corrected actions J − c(J, θ). */
    public double[] apply(double[] j, double[] theta) {
        if (j.length != theta.length) throw new IllegalArgumentException("ripple correction: " + j.length + " actions, " + theta.length + " angles");
        double[] r = new double[coef.length], t = new double[terms], out = new double[j.length];
        for (int i = 0; i < j.length; i++) {
            row(j[i], theta[i], lo, hi, harmonics, terms, r, t);
            double c = 0;
            for (int q = 0; q < r.length; q++) c += r[q] * coef[q];
            out[i] = j[i] - c;
        }
        return out;
    }

    /** Samples of covered orbits: pointwise J, θ and the orbit's J_orbit, flattened. */
    record Samples(double[] j, double[] theta, double[] jOrbit) {
        double lo() {
            return Arrays.stream(jOrbit).min().orElse(0);
        }

        double hi() {
            return Arrays.stream(jOrbit).max().orElse(1);
        }
    }

    /** At most this many samples enter a fit (or a validation score): longer data are thinned evenly along each orbit. */
    static final int MAX_ROWS = 50_000;

    /**
     * J, θ and J_orbit of the orbits whose samples go round the angle circle (one degree of freedom);
     * every orbit's J_orbit uses all its samples, the rows returned are thinned to at most about
     * {@link #MAX_ROWS}.
     */
    static Samples samples(KoopmanModel model, double[][][] orbits) {
        long total = 0;
        for (double[][] o : orbits) total += o.length;
        int stride = (int) Math.max(1, (total + MAX_ROWS - 1) / MAX_ROWS);
        List<double[]> js = new ArrayList<>(), ths = new ArrayList<>(), jos = new ArrayList<>();
        int n = 0;
        for (double[][] o : orbits) {
            int m = o.length;
            if (m < 2) continue;
            double[][] ja = model.actionsAndAngles(o);
            double[] j = ja[0], th = ja[1];
            OrbitAverage.Result r = OrbitAverage.average(j, th, m, 1);
            if (!r.covered()) continue;
            int kept = (m + stride - 1) / stride;
            double[] jk = new double[kept], tk = new double[kept], jo = new double[kept];
            for (int k = 0; k < kept; k++) {
                jk[k] = j[k * stride];
                tk[k] = th[k * stride];
            }
            Arrays.fill(jo, r.actions()[0]);
            js.add(jk);
            ths.add(tk);
            jos.add(jo);
            n += kept;
        }
        double[] j = new double[n], th = new double[n], jo = new double[n];
        int at = 0;
        for (int i = 0; i < js.size(); i++) {
            int m = js.get(i).length;
            System.arraycopy(js.get(i), 0, j, at, m);
            System.arraycopy(ths.get(i), 0, th, at, m);
            System.arraycopy(jos.get(i), 0, jo, at, m);
            at += m;
        }
        return new Samples(j, th, jo);
    }

    /**
     * Fits the correction on the training orbits and chooses K and M on the validation orbits; null
     * when the model has more than one degree of freedom, when fewer than 3 training orbits or no
     * validation orbit go round their angle circle, or when no correction beats the uncorrected map
     * on the validation orbits.
     */
    public static RippleCorrection fit(KoopmanModel model, double[][][] train, double[][][] val) {
        if (model.dof() != 1) return null;
        Samples tr = samples(model, train), va = samples(model, val);
        long trainOrbits = Arrays.stream(tr.jOrbit()).distinct().count();
        if (trainOrbits < 3 || va.j().length == 0) return null;
        double lo = tr.lo(), hi = tr.hi();
        if (!(hi > lo)) return null;
        int kMax = HARMONICS[HARMONICS.length - 1], mMax = DEGREES[DEGREES.length - 1], nMax = 2 * kMax * mMax, rows = tr.j().length;
        // normal equations once for the largest basis; smaller bases are sub-blocks of it
        double[] a = new double[rows * nMax], r = new double[nMax], cheb = new double[mMax];
        double[] y = new double[rows];
        for (int i = 0; i < rows; i++) {
            row(tr.j()[i], tr.theta()[i], lo, hi, kMax, mMax, r, cheb);
            System.arraycopy(r, 0, a, i * nMax, nMax);
            y[i] = tr.j()[i] - tr.jOrbit()[i];
        }
        double[] ata, aty;
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor at = Tensor.of(a, rows, nMax);
            ata = at.matmul(at, true, false).toArray();
            aty = at.matmul(Tensor.of(y, rows, 1), true, false).toArray();
        }
        double base = 0;
        for (int i = 0; i < va.j().length; i++) base = Math.max(base, Math.abs(va.j()[i] - va.jOrbit()[i]));
        RippleCorrection best = null;
        double bestErr = base;
        for (int k : HARMONICS) {
            for (int m : DEGREES) {
                int[] idx = new int[2 * k * m];
                int c = 0;
                for (int h = 0; h < k; h++) for (int cs = 0; cs < 2; cs++) for (int i = 0; i < m; i++) idx[c++] = h * 2 * mMax + cs * mMax + i;
                double[] coef = solve(ata, aty, nMax, idx);
                if (coef == null) continue;
                RippleCorrection rc = new RippleCorrection(lo, hi, k, m, coef);
                double[] jc = rc.apply(va.j(), va.theta());
                double err = 0;
                for (int i = 0; i < jc.length; i++) err = Math.max(err, Math.abs(jc[i] - va.jOrbit()[i]));
                if (err < bestErr) {
                    bestErr = err;
                    best = rc;
                }
            }
        }
        return best;
    }

    /** Solves the sub-block idx of (AᵀA + ridge) x = Aᵀy by Cholesky; null when not positive definite. */
    static double[] solve(double[] ata, double[] aty, int n, int[] idx) {
        int p = idx.length;
        double[] l = new double[p * p], b = new double[p];
        double tr = 0;
        for (int i = 0; i < p; i++) tr += ata[idx[i] * n + idx[i]];
        double ridge = 1e-12 * tr / p;
        for (int i = 0; i < p; i++) {
            b[i] = aty[idx[i]];
            for (int q = 0; q < p; q++) l[i * p + q] = ata[idx[i] * n + idx[q]];
            l[i * p + i] += ridge;
        }
        for (int i = 0; i < p; i++) {
            for (int q = 0; q <= i; q++) {
                double s = l[i * p + q];
                for (int k = 0; k < q; k++) s -= l[i * p + k] * l[q * p + k];
                if (i == q) {
                    if (!(s > 0)) return null;
                    l[i * p + i] = Math.sqrt(s);
                } else {
                    l[i * p + q] = s / l[q * p + q];
                }
            }
        }
        for (int i = 0; i < p; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * p + k] * b[k];
            b[i] = s / l[i * p + i];
        }
        for (int i = p - 1; i >= 0; i--) {
            double s = b[i];
            for (int k = i + 1; k < p; k++) s -= l[k * p + i] * b[k];
            b[i] = s / l[i * p + i];
        }
        return b;
    }
}
