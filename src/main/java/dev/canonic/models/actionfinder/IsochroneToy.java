package dev.canonic.models.actionfinder;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.dynamics.IsochroneActionAngle;
import dev.canonic.nn.Module;
import dev.canonic.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * The ACTIONFINDER's toy model (Ibata et al. 2021, Eq. 3–4): differentiable isochrone actions and
 * angles of a batch of phase-space points, written in tensor operations so that gradients flow to
 * the points and to the two toy parameters. Units: x in kpc, v in km/s, GM in kpc (km/s)², b in kpc,
 * actions in kpc km/s, angles in radians [0, 2π).
 *
 * <p>Column order (the same as {@link IsochroneActionAngle} and the CLI): actions
 * {@code (J_R, L_z, J_z)} with J_z = L − |L_z|, angles {@code (θ_R, θ_φ, θ_z)}. The paper's
 * (J1, J2, J3) = (L_z, L − |L_z|, J_r) are columns (1, 2, 0) here.
 *
 * <p>The parameters are stored as logarithms ({@code log_gm}, {@code log_b}), so an optimiser changes
 * them by relative steps and they stay positive. With {@link #fixed()} the model still reports them as
 * parameters (a checkpoint keeps them) but {@link ActionFinderModel#trainableParameters()} leaves them out.
 *
 * <p>The formulas are those of {@link IsochroneActionAngle} (B&amp;T 2008 §3.5.2), which this class
 * matches to ~1e-12; points where the toy has no angles (E ≥ 0, r = 0, L = 0, or an orbit exactly in
 * the z = 0 plane, whose node is undefined) must be excluded first: {@link #invalidRows} names them.
 */
public final class IsochroneToy extends Module {
    static final double TWO_PI = 2 * Math.PI;
    private final Parameter logGm;
    private final Parameter logB;
    private boolean fixed;

    /** A toy with the given GM (kpc (km/s)²) and b (kpc). */
    public IsochroneToy(double gm, double b, boolean fixed) {
        if (!(gm > 0) || !Double.isFinite(gm)) throw new IllegalArgumentException("toy GM must be positive and finite, got " + gm);
        if (!(b > 0) || !Double.isFinite(b)) throw new IllegalArgumentException("toy b must be positive and finite, got " + b);
        this.logGm = param("log_gm", Tensor.scalar(Math.log(gm)));
        this.logB = param("log_b", Tensor.scalar(Math.log(b)));
        this.fixed = fixed;
    }

    /** Current GM in kpc (km/s)². */
    public double gm() {
        return Math.exp(logGm.value().item());
    }

    /** Current b in kpc. */
    public double b() {
        return Math.exp(logB.value().item());
    }

    /** Whether GM and b are held fixed during training. */
    public boolean fixed() {
        return fixed;
    }

    /** Holds GM and b fixed (true) or lets the trainer learn them. */
    public void setFixed(boolean f) {
        fixed = f;
    }

    /** Sets GM and b (kpc (km/s)², kpc). */
    public void set(double gm, double b) {
        logGm.set(Tensor.scalar(Math.log(gm)));
        logB.set(Tensor.scalar(Math.log(b)));
    }

    /** The two parameters as a list (for optimisers), empty when fixed. */
    List<Parameter> trainable() {
        List<Parameter> l = new ArrayList<>();
        if (!fixed) {
            l.add(logGm);
            l.add(logB);
        }
        return l;
    }

    /** Actions and angles of a batch: each B×3. */
    public record Result(Tensor actions, Tensor angles) {
    }

    /**
     * Rows of xv (B×6, kpc and km/s) where the toy has no action-angle coordinates, with the reason:
     * unbound (E ≥ 0), at the centre, radial (L = 0), exactly in the z = 0 plane, or non-finite.
     * Empty when every row is usable.
     */
    public List<String> invalidRows(double[] xv, int n) {
        return invalidRows(xv, n, gm(), b());
    }

    /** As {@link #invalidRows(double[], int)} for given GM and b. */
    public static List<String> invalidRows(double[] xv, int n, double gm, double b) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String why = problem(xv, i, gm, b);
            if (why != null) bad.add("row " + i + ": " + why);
        }
        return bad;
    }

    /** Indices of the rows {@link #invalidRows} lists. */
    public static int[] invalidIndices(double[] xv, int n, double gm, double b) {
        List<Integer> bad = new ArrayList<>();
        for (int i = 0; i < n; i++) if (problem(xv, i, gm, b) != null) bad.add(i);
        return bad.stream().mapToInt(Integer::intValue).toArray();
    }

    static String problem(double[] xv, int i, double gm, double b) {
        double x = xv[6 * i], y = xv[6 * i + 1], z = xv[6 * i + 2], vx = xv[6 * i + 3], vy = xv[6 * i + 4], vz = xv[6 * i + 5];
        for (int k = 0; k < 6; k++) if (!Double.isFinite(xv[6 * i + k])) return "non-finite coordinate";
        double r2 = x * x + y * y + z * z;
        if (r2 == 0) return "at r = 0";
        double lx = y * vz - z * vy, ly = z * vx - x * vz, lz = x * vy - y * vx;
        if (lx * lx + ly * ly + lz * lz == 0) return "radial orbit (L = 0)";
        if (lx * lx + ly * ly == 0) return "orbit exactly in the z = 0 plane (node undefined)";
        double e = 0.5 * (vx * vx + vy * vy + vz * vz) - gm / (b + Math.sqrt(b * b + r2));
        if (!(e < 0)) return "unbound in the toy isochrone (E = " + e + " (km/s)² ≥ 0 with GM = " + gm + ", b = " + b + ")";
        return null;
    }

    /**
     * Chooses toy parameters from data so that every point is bound: b is the median radius divided
     * by 2 (at least 0.1 kpc), and GM is the smallest value that binds every point, multiplied by
     * {@code margin} (1.5 by default in {@link #chooseFor(double[], int)}): GM_min = max_i (v_i²/2)(b + √(b² + r_i²)).
     *
     * @return {GM, b}
     */
    public static double[] chooseFor(double[] xv, int n, double margin) {
        if (n < 1) throw new IllegalArgumentException("no points to choose the toy from");
        if (!(margin > 1)) throw new IllegalArgumentException("margin must exceed 1, got " + margin);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 6; k++) {
                if (!Double.isFinite(xv[6 * i + k])) throw new IllegalArgumentException("row " + i + " holds a non-finite coordinate");
            }
            r[i] = Math.sqrt(xv[6 * i] * xv[6 * i] + xv[6 * i + 1] * xv[6 * i + 1] + xv[6 * i + 2] * xv[6 * i + 2]);
        }
        double[] sorted = r.clone();
        java.util.Arrays.sort(sorted);
        double b = Math.max(0.1, 0.5 * sorted[n / 2]);
        return new double[] {margin * bindingGm(xv, n, r, b), b};
    }

    /** Most streams {@link #chooseBySpread} measures the spread on (evenly thinned beyond this), which bounds its cost. */
    public static final int SPREAD_SCAN_STREAMS = 512;
    /** Most stars per stream {@link #chooseBySpread} measures the spread on (evenly thinned beyond this). */
    public static final int SPREAD_SCAN_STARS = 8;

    /**
     * Chooses the toy whose actions are most nearly conserved along the streams: (GM, b) minimising
     * Σ_k Σ_i |J_ik − ⟨J_k⟩_stream| / Σ_i |J_ik| (the relative within-stream spread of each action
     * component, summed over components; scale-free, so no toy wins by shrinking its actions) over every
     * toy that binds all points with GM ≥ 1.02 × the binding minimum. A 30 × 30 logarithmic grid in b
     * (0.02 to 5 × the median radius) and GM (1.02 to 30 × the binding minimum at that b) is refined by
     * 9 × 9 grids around the best point, re-centred until it stays inside, at six spacings each a fifth
     * of the last. The spread is measured on at most {@link #SPREAD_SCAN_STREAMS} streams of at most
     * {@link #SPREAD_SCAN_STARS} stars (evenly thinned; a few seconds); the binding minimum always
     * counts every point. Deterministic.
     *
     * @param stream per point its dense stream index (streams with one point carry no spread and are ignored)
     * @return {GM, b, relative spread at the choice, relative spread of {@link #chooseFor}'s toy}
     */
    public static double[] chooseBySpread(double[] xv, int n, int[] stream) {
        if (stream.length != n) throw new IllegalArgumentException("need one stream index per point: " + stream.length + " for " + n + " points");
        double[] first = chooseFor(xv, n);
        int s = 0;
        for (int v : stream) s = Math.max(s, v + 1);
        int[] size = new int[s];
        for (int v : stream) size[v]++;
        int step = Math.max(1, (s + SPREAD_SCAN_STREAMS - 1) / SPREAD_SCAN_STREAMS);
        // rows kept: streams s ≡ 0 (mod step); within a stream of c stars, the ⌊j·c/8⌋-th of its rows
        int[] seen = new int[s];
        boolean[] keep = new boolean[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int q = stream[i], k = seen[q]++;
            if (q % step != 0) continue;
            int c = size[q];
            boolean take = c <= SPREAD_SCAN_STARS;
            if (!take) {
                for (int j = 0; j < SPREAD_SCAN_STARS && !take; j++) take = (int) ((long) j * c / SPREAD_SCAN_STARS) == k;
            }
            if (take) {
                keep[i] = true;
                m++;
            }
        }
        double[] sub = new double[6 * m];
        int[] ss = new int[m];
        for (int i = 0, k = 0; i < n; i++) {
            if (!keep[i]) continue;
            System.arraycopy(xv, 6 * i, sub, 6 * k, 6);
            ss[k++] = stream[i] / step;
        }
        double[] r = radii(xv, n);
        double[] sorted = r.clone();
        java.util.Arrays.sort(sorted);
        double rMed = Math.max(0.1, sorted[n / 2]);
        double baseSpread = relativeSpread(sub, m, ss, first[0], first[1]);
        // the search runs in u = ln b and w = ln(GM / GM_min(b)), w ≥ ln 1.02; best = {spread, u, w}
        double wMin = Math.log(1.02);
        double uLo = Math.log(0.02 * rMed), uHi = Math.log(5 * rMed), wHi = Math.log(30);
        double[] best = {baseSpread, Math.log(first[1]), Math.log(first[0] / bindingGm(xv, n, r, first[1]))};
        java.util.function.DoubleBinaryOperator spreadAt = (u, w) -> relativeSpread(sub, ss.length, ss, Math.exp(w) * bindingGm(xv, n, r, Math.exp(u)), Math.exp(u));
        java.util.function.BiConsumer<Double, Double> consider = (u, w) -> {
            double v = spreadAt.applyAsDouble(u, w);
            if (v < best[0]) {
                best[0] = v;
                best[1] = u;
                best[2] = w;
            }
        };
        double du = (uHi - uLo) / 29, dw = (wHi - wMin) / 29;
        for (int iu = 0; iu < 30; iu++) for (int iw = 0; iw < 30; iw++) consider.accept(uLo + iu * du, wMin + iw * dw);
        for (int level = 0; level < 6; level++) {
            du /= 5;
            dw /= 5;
            for (int move = 0; move < 20; move++) {  // re-centre until the best point stays inside the 9 × 9 patch
                double cu = best[1], cw = best[2];
                for (int iu = -4; iu <= 4; iu++) for (int iw = -4; iw <= 4; iw++) consider.accept(cu + iu * du, Math.max(wMin, cw + iw * dw));
                if (best[1] == cu && best[2] == cw) break;
            }
        }
        double b = Math.exp(best[1]);
        return new double[] {Math.exp(best[2]) * bindingGm(xv, n, r, b), b, best[0], baseSpread};
    }

    /** Distance from the centre of each of n rows (x, y, z, vx, vy, vz). */
    private static double[] radii(double[] xv, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = Math.sqrt(xv[6 * i] * xv[6 * i] + xv[6 * i + 1] * xv[6 * i + 1] + xv[6 * i + 2] * xv[6 * i + 2]);
        return r;
    }

    /** The smallest GM binding every point at this b: max_i (v_i²/2)(b + √(b² + r_i²)) (1 when all are at rest). */
    private static double bindingGm(double[] xv, int n, double[] r, double b) {
        double need = 0;
        for (int i = 0; i < n; i++) {
            double v2 = xv[6 * i + 3] * xv[6 * i + 3] + xv[6 * i + 4] * xv[6 * i + 4] + xv[6 * i + 5] * xv[6 * i + 5];
            need = Math.max(need, 0.5 * v2 * (b + Math.sqrt(b * b + r[i] * r[i])));
        }
        return need == 0 ? 1 : need;
    }

    /** Σ_k Σ_i |J_ik − ⟨J_k⟩_stream| / Σ_i |J_ik| for the toy (GM, b); +∞ when some point is not valid in it. */
    static double relativeSpread(double[] xv, int n, int[] stream, double gm, double b) {
        if (invalidIndices(xv, n, gm, b).length > 0) return Double.POSITIVE_INFINITY;
        double[] j = new IsochroneToy(gm, b, true).actionAngle(xv, n)[0];
        double[] mean = Streams.rowMeans3(j, stream);
        double total = 0;
        for (int k = 0; k < 3; k++) {
            double dev = 0, abs = 0;
            for (int i = 0; i < n; i++) {
                dev += Math.abs(j[3 * i + k] - mean[3 * i + k]);
                abs += Math.abs(j[3 * i + k]);
            }
            if (abs > 0) total += dev / abs;
        }
        return total;
    }

    /** {@link #chooseFor(double[], int, double)} with margin 1.5. */
    public static double[] chooseFor(double[] xv, int n) {
        return chooseFor(xv, n, 1.5);
    }

    /** Λ(k, η) = atan2(k sin(η/2), cos(η/2)). */
    private static Tensor lambda(Tensor k, Tensor halfEta) {
        return k.mul(halfEta.sin()).atan2(halfEta.cos());
    }

    /** Wraps to [0, 2π) by subtracting a constant multiple of 2π (no graph through the offset). */
    static Tensor wrap(Tensor a) {
        double[] v = a.toArray();
        double[] off = new double[v.length];
        boolean any = false;
        for (int i = 0; i < v.length; i++) {
            double k = Math.floor(v[i] / TWO_PI);
            off[i] = k * TWO_PI;
            double w = v[i] - off[i];
            if (w >= TWO_PI) off[i] += TWO_PI;
            if (k != 0) any = true;
        }
        if (!any) return a;
        return a.sub(Tensor.of(a.backend(), off, a.shape()));
    }

    /** A number wrapped to [0, 2π). */
    static double wrapD(double a) {
        double w = a - Math.floor(a / TWO_PI) * TWO_PI;
        return w >= TWO_PI ? w - TWO_PI : w;
    }

    /** Wraps to [−π, π) by a constant offset. */
    static Tensor wrapSigned(Tensor a) {
        double[] v = a.toArray();
        double[] off = new double[v.length];
        for (int i = 0; i < v.length; i++) off[i] = Math.floor((v[i] + Math.PI) / TWO_PI) * TWO_PI;
        return a.sub(Tensor.of(a.backend(), off, a.shape()));
    }

    /**
     * Actions and angles of xv (B×6, kpc and km/s), differentiable in xv, GM and b. Every row must be
     * valid ({@link #invalidRows}); an invalid row fails here naming it rather than producing NaN.
     */
    public Result forward(Tensor xv) {
        if (xv.rank() != 2 || xv.dim(1) != 6) throw new IllegalArgumentException("toy: expects B×6 (x, y, z, vx, vy, vz), got " + java.util.Arrays.toString(xv.shape()));
        double gmv = gm(), bv = b();
        double[] raw = xv.toArray();
        List<String> bad = invalidRows(raw, xv.dim(0), gmv, bv);
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(bad.size() + " point(s) have no toy action-angle coordinates; exclude them first (" + String.join("; ", bad.subList(0, Math.min(5, bad.size()))) + ")");
        }
        return compute(xv, logGm.value().exp(), logB.value().exp());
    }

    /** The toy formulas with GM and b given as (scalar) tensors. */
    static Result compute(Tensor xv, Tensor gm, Tensor b) {
        Tensor x = xv.slice(1, 0, 1), y = xv.slice(1, 1, 2), z = xv.slice(1, 2, 3);
        Tensor vx = xv.slice(1, 3, 4), vy = xv.slice(1, 4, 5), vz = xv.slice(1, 5, 6);
        Tensor r2 = x.square().add(y.square()).add(z.square());
        Tensor r = r2.sqrt();
        Tensor lx = y.mul(vz).sub(z.mul(vy)), ly = z.mul(vx).sub(x.mul(vz)), lz = x.mul(vy).sub(y.mul(vx));
        Tensor nxy2 = lx.square().add(ly.square());
        Tensor l2 = nxy2.add(lz.square());
        Tensor l = l2.sqrt();
        Tensor b2 = b.square();
        Tensor phi = gm.neg().div(b.add(b2.add(r2).sqrt()));
        Tensor v2 = vx.square().add(vy.square()).add(vz.square());
        Tensor e = v2.mul(0.5).add(phi);
        Tensor m2e = e.mul(-2.0);
        Tensor sq = l2.add(gm.mul(b).mul(4.0)).sqrt();
        Tensor jr = gm.div(m2e.sqrt()).sub(l.add(sq).mul(0.5));
        Tensor or = m2e.pow(1.5).div(gm);
        Tensor ratio = l.div(sq).add(1.0).mul(0.5);            // Ω_ψ / Ω_r
        Tensor c = gm.div(m2e).sub(b);
        Tensor ecc2 = l2.div(gm.mul(c)).mul(b.div(c).add(1.0)).rsub(1.0);
        Tensor ecc = ecc2.maximum(Tensor.scalar(1e-300).to(xv.backend())).sqrt();
        Tensor rb2 = r2.div(b2);
        Tensor sm2 = rb2.div(rb2.add(1.0).sqrt().add(1.0));    // s − 2
        Tensor ecos = b.div(c).mul(sm2).rsub(1.0);
        Tensor vr = x.mul(vx).add(y.mul(vy)).add(z.mul(vz)).div(r);
        Tensor kk = c.div(c.add(b));
        Tensor esin = vr.mul(r).mul(kk.mul(ecos).rsub(1.0)).div(or.mul(b).mul(c).mul(sm2.add(1.0)));
        Tensor eta = wrap(esin.atan2(ecos));
        Tensor thr = eta.sub(kk.mul(esin));
        Tensor nxy = nxy2.sqrt();
        Tensor nx = ly.neg().div(nxy), ny = lx.div(nxy);
        Tensor node = lx.atan2(ly.neg());
        Tensor mx = lz.neg().mul(ny).div(l), my = lz.mul(nx).div(l), mz = lx.mul(ny).sub(ly.mul(nx)).div(l);
        Tensor psi = mx.mul(x).add(my.mul(y)).add(mz.mul(z)).atan2(nx.mul(x).add(ny.mul(y)));
        Tensor half = eta.mul(0.5);
        Tensor k1 = ecc.add(1.0).div(ecc.rsub(1.0)).sqrt();
        Tensor twoBc = b.div(c).mul(2.0);
        Tensor k2 = ecc.add(1.0).add(twoBc).div(ecc.rsub(1.0).add(twoBc)).sqrt();
        Tensor thz = psi.add(ratio.mul(thr)).sub(lambda(k1, half)).sub(l.div(sq).mul(lambda(k2, half)));
        double[] lzv = lz.toArray();
        double[] sg = new double[lzv.length];
        for (int i = 0; i < sg.length; i++) sg[i] = lzv[i] >= 0 ? 1 : -1;
        Tensor sgn = Tensor.of(xv.backend(), sg, lzv.length, 1);
        Tensor thphi = node.add(sgn.mul(thz));
        Tensor jz = l.sub(lz.abs());
        Tensor actions = Tensor.concat(1, jr, lz, jz);
        Tensor angles = wrap(Tensor.concat(1, thr, thphi, thz));
        return new Result(actions, angles);
    }

    /**
     * The analytic inverse (θ, J) → (x, v) with the current GM and b (no graph), through
     * {@link IsochroneActionAngle#phaseSpace}. actions and angles are B×3 flat (J_R, L_z, J_z; θ_R, θ_φ, θ_z).
     *
     * @return B×6 flat (x, y, z, vx, vy, vz)
     */
    public double[] phaseSpace(double[] actions, double[] angles, int n) {
        IsochroneActionAngle aa = new IsochroneActionAngle(gm(), b());
        double[] out = new double[6 * n];
        for (int i = 0; i < n; i++) {
            double[] j = {actions[3 * i], actions[3 * i + 1], actions[3 * i + 2]};
            double[] t = {angles[3 * i], angles[3 * i + 1], angles[3 * i + 2]};
            try {
                System.arraycopy(aa.phaseSpace(j, t), 0, out, 6 * i, 6);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("row " + i + ": " + ex.getMessage(), ex);
            }
        }
        return out;
    }

    /** Actions and angles (no graph) of n points, flat B×6 → {actions B×3, angles B×3}. */
    public double[][] actionAngle(double[] xv, int n) {
        try (GradMode.Scope s = GradMode.noGrad()) {
            Result r = forward(Tensor.of(xv, n, 6));
            return new double[][] {r.actions().toArray(), r.angles().toArray()};
        }
    }
}
