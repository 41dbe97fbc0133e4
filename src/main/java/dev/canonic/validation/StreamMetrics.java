package dev.canonic.validation;

/**
 * Figures of merit for model B on streams: learned (J″, θ″) against reference (J, θ), and the
 * reference-free spread of J″ within streams against its spread across streams.
 *
 * <p>Arrays are flat [n·3] in the order (J_R, L_z, J_z) and (θ_R, θ_φ, θ_z).
 *
 * <p>Angles. The ACTIONFINDER's θ″ have no physical zero point: Eq. 12's α₁ term only pins them
 * near the toy isochrone's angles, so a learned angle may differ from the reference by a constant
 * per component (the paper's §6 reports angle errors as mean absolute deviations without saying more).
 * We remove, per component, the circular mean of θ″ − θ_ref over the stars compared, then take the
 * mean absolute wrapped difference, in degrees. The direction is not fitted.
 */
public final class StreamMetrics {
    private StreamMetrics() {
    }

    static void check(double[] a, double[] b) {
        if (a.length != b.length || a.length % 3 != 0) throw new IllegalArgumentException("arrays of " + a.length + " and " + b.length + " values, expected equal multiples of 3");
    }

    /** Mean absolute deviation per component, then (index 3) over all components. */
    public static double[] mad(double[] learned, double[] ref) {
        check(learned, ref);
        int n = learned.length / 3;
        double[] out = new double[4];
        for (int i = 0; i < n; i++) for (int k = 0; k < 3; k++) out[k] += Math.abs(learned[3 * i + k] - ref[3 * i + k]) / n;
        out[3] = (out[0] + out[1] + out[2]) / 3;
        return out;
    }

    /** Per component mean |ΔJ| / mean |J_ref|, then (index 3) the largest of the three. */
    public static double[] relativeMad(double[] learned, double[] ref) {
        double[] m = mad(learned, ref);
        int n = ref.length / 3;
        double[] out = new double[4];
        for (int k = 0; k < 3; k++) {
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.abs(ref[3 * i + k]) / n;
            out[k] = m[k] / s;
            out[3] = Math.max(out[3], out[k]);
        }
        return out;
    }

    /** Wraps an angle difference into (−π, π]. */
    public static double wrapPi(double a) {
        double w = a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
        return w <= -Math.PI ? w + 2 * Math.PI : w;
    }

    /** Per-component zero-point offsets: the circular mean of θ″ − θ_ref. */
    public static double[] angleOffsets(double[] learned, double[] ref) {
        check(learned, ref);
        int n = learned.length / 3;
        double[] off = new double[3];
        for (int k = 0; k < 3; k++) {
            double c = 0, s = 0;
            for (int i = 0; i < n; i++) {
                double d = learned[3 * i + k] - ref[3 * i + k];
                c += Math.cos(d);
                s += Math.sin(d);
            }
            off[k] = Math.atan2(s, c);
        }
        return off;
    }

    /** Residuals θ″ − θ_ref − offset_k wrapped into (−π, π], flat [n·3], radians. */
    public static double[] angleResiduals(double[] learned, double[] ref) {
        double[] off = angleOffsets(learned, ref);
        double[] r = new double[learned.length];
        for (int i = 0; i < r.length; i++) r[i] = wrapPi(learned[i] - ref[i] - off[i % 3]);
        return r;
    }

    /** Mean absolute angle residual after removing each component's offset: per component, then over all (index 3); degrees. */
    public static double[] angleMadDeg(double[] learned, double[] ref) {
        double[] r = angleResiduals(learned, ref);
        int n = r.length / 3;
        double[] out = new double[4];
        for (int i = 0; i < n; i++) for (int k = 0; k < 3; k++) out[k] += Math.toDegrees(Math.abs(r[3 * i + k])) / n;
        out[3] = (out[0] + out[1] + out[2]) / 3;
        return out;
    }

    /**
     * Reference-free quality of actions: per component, the rms over streams of the standard
     * deviation of J within a stream, and the standard deviation of the stream means across streams
     * ({@link dev.canonic.models.actionfinder.data.ActionFinderUserPath#spreads}).
     *
     * @return {within[3], across[3]}
     */
    public static double[][] spreads(double[] j, int[] stream) {
        return dev.canonic.models.actionfinder.data.ActionFinderUserPath.spreads(j, stream);
    }

    /**
     * Where the action error sits: streams ranked by their share of Σ|ΔJ| (over stars and the three
     * components). Returns {median |ΔJ| over stars and components, share of Σ|ΔJ| from the worst
     * ⌈fraction·streams⌉ streams, mean |ΔJ| of the other stars (over components, as {@link #mad}),
     * smallest reference J_R among the worst streams, number of worst streams}.
     */
    public static double[] errorConcentration(double[] learned, double[] ref, int[] stream, double fraction) {
        check(learned, ref);
        int n = learned.length / 3;
        if (stream.length != n) throw new IllegalArgumentException(stream.length + " stream ids for " + n + " stars");
        java.util.Map<Integer, double[]> per = new java.util.HashMap<>();
        double[] all = new double[3 * n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            double[] acc = per.computeIfAbsent(stream[i], k -> new double[] {0, 0, Double.POSITIVE_INFINITY});
            for (int k = 0; k < 3; k++) {
                double d = Math.abs(learned[3 * i + k] - ref[3 * i + k]);
                all[3 * i + k] = d;
                acc[0] += d;
                total += d;
            }
            acc[1] += 1;
            acc[2] = Math.min(acc[2], ref[3 * i]);
        }
        java.util.List<double[]> ranked = new java.util.ArrayList<>(per.values());
        ranked.sort((a, b) -> Double.compare(b[0], a[0]));
        int worst = Math.max(1, (int) Math.ceil(fraction * ranked.size()));
        double worstSum = 0, worstStars = 0, minJr = Double.POSITIVE_INFINITY;
        for (int k = 0; k < worst; k++) {
            worstSum += ranked.get(k)[0];
            worstStars += ranked.get(k)[1];
            minJr = Math.min(minJr, ranked.get(k)[2]);
        }
        java.util.Arrays.sort(all);
        double median = all.length % 2 == 1 ? all[all.length / 2] : 0.5 * (all[all.length / 2 - 1] + all[all.length / 2]);
        double rest = n - worstStars > 0 ? (total - worstSum) / (3 * (n - worstStars)) : 0;
        return new double[] {median, total > 0 ? worstSum / total : 0, rest, minJr, worst};
    }

    /**
     * How much of the action error comes from streams whose orbits leave the region the data sample:
     * a stream is "beyond the data" when its apocentre exceeds rMax ({@link dev.canonic.dynamics.Orbits#beyond}). Its J_R
     * depends on the potential where no star is, which the streams cannot tell.
     *
     * @return {streams beyond, streams in all, their share of Σ|ΔJ| (stars × components), mean |ΔJ| of
     *         the stars of the other streams (as {@link #mad}), largest over components of their
     *         mean |ΔJ| / mean |J|}
     */
    public static double[] beyondData(double[] learned, double[] ref, int[] stream, double[] apocentre, double rMax) {
        check(learned, ref);
        int n = learned.length / 3;
        if (stream.length != n || apocentre.length != n) throw new IllegalArgumentException("need one stream id and one apocentre per star");
        boolean[] beyond = dev.canonic.dynamics.Orbits.beyond(apocentre, stream, rMax);
        java.util.Set<Integer> all = new java.util.HashSet<>(), far = new java.util.HashSet<>();
        for (int i = 0; i < n; i++) {
            all.add(stream[i]);
            if (beyond[i]) far.add(stream[i]);
        }
        double total = 0, out = 0;
        double[] err = new double[3], abs = new double[3];
        int inside = 0;
        for (int i = 0; i < n; i++) {
            if (!beyond[i]) inside++;
            for (int k = 0; k < 3; k++) {
                double d = Math.abs(learned[3 * i + k] - ref[3 * i + k]);
                total += d;
                if (beyond[i]) out += d;
                else {
                    err[k] += d;
                    abs[k] += Math.abs(ref[3 * i + k]);
                }
            }
        }
        double rel = 0;
        for (int k = 0; k < 3; k++) if (abs[k] > 0) rel = Math.max(rel, err[k] / abs[k]);
        return new double[] {far.size(), all.size(), total > 0 ? out / total : 0, inside > 0 ? (err[0] + err[1] + err[2]) / (3.0 * inside) : 0, rel};
    }
}
