package dev.canonic.dynamics;

/**
 * Trajectories of batches of orbits sampled at regular times.
 */
public final class Orbits {
    private Orbits() {
    }

    /**
     * Integrates n orbits and records them every dt.
     *
     * <p>Layout of the result: flat [samples + 1][n][2·dim], each row (q…, p…) — for 1D (z, v), for
     * 3D (x, y, z, vx, vy, vz). Row 0 holds the initial conditions. The step used is dt/substeps.
     *
     * @param integ    the integrator
     * @param f        the force field
     * @param q0       initial positions n·dim (not modified)
     * @param p0       initial velocities n·dim (not modified)
     * @param n        number of orbits
     * @param dt       sampling interval (time unit of f; 3D: kpc/(km/s), see {@link Units})
     * @param samples  number of intervals recorded
     * @param substeps integrator steps per interval (≥ 1)
     */
    public static double[] trajectory(SymplecticIntegrator integ, ForceField f, double[] q0, double[] p0, int n,
                                      double dt, int samples, int substeps) {
        int d = f.dim(), m = n * d;
        Checks.length("initial positions", q0, m);
        Checks.length("initial velocities", p0, m);
        if (substeps < 1) throw new IllegalArgumentException("substeps must be at least 1, got " + substeps);
        if (samples < 0) throw new IllegalArgumentException("samples is negative: " + samples);
        long total = (long) (samples + 1) * n * 2 * d;
        if (total > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("trajectory of " + total + " values is too large");
        double[] q = q0.clone(), p = p0.clone();
        double[] out = new double[(int) total];
        record(out, 0, q, p, n, d);
        for (int s = 1; s <= samples; s++) {
            integ.advance(f, q, p, n, dt / substeps, substeps);
            record(out, s, q, p, n, d);
        }
        return out;
    }

    private static void record(double[] out, int s, double[] q, double[] p, int n, int d) {
        int base = s * n * 2 * d;
        for (int i = 0; i < n; i++) {
            System.arraycopy(q, i * d, out, base + i * 2 * d, d);
            System.arraycopy(p, i * d, out, base + i * 2 * d + d, d);
        }
    }

    /** Energy per unit mass |p|²/2 + Φ(q) of each of n points. */
    public static double[] energies(ForceField f, double[] q, double[] p, int n) {
        int d = f.dim();
        Checks.length("positions", q, n * d);
        Checks.length("velocities", p, n * d);
        double[] e = new double[n];
        f.values(q, e, n);
        for (int i = 0; i < n; i++) {
            double k = 0;
            for (int j = 0; j < d; j++) k += p[i * d + j] * p[i * d + j];
            e[i] += 0.5 * k;
        }
        return e;
    }

    /**
     * Apocentre of each star's orbit in a spherical potential (kpc): the outer root of
     * 2(E − Φ(r)) − L²/r² along the star's own radial direction, by bisection; +∞ for an unbound star.
     *
     * @param xv rows (x, y, z, vx, vy, vz), kpc and km/s, flat [n·6]
     */
    public static double[] apocentres(Potential pot, double[] xv, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double x = xv[6 * i], y = xv[6 * i + 1], z = xv[6 * i + 2], vx = xv[6 * i + 3], vy = xv[6 * i + 4], vz = xv[6 * i + 5];
            double r = Math.sqrt(x * x + y * y + z * z);
            double lx = y * vz - z * vy, ly = z * vx - x * vz, lz = x * vy - y * vx, l2 = lx * lx + ly * ly + lz * lz;
            double e = 0.5 * (vx * vx + vy * vy + vz * vz) + pot.value(x, y, z);
            double ux = x / r, uy = y / r, uz = z / r;
            java.util.function.DoubleUnaryOperator f = q -> 2 * (e - pot.value(q * ux, q * uy, q * uz)) - l2 / (q * q);
            double lo = r, hi = 2 * r;
            while (f.applyAsDouble(hi) > 0 && hi < 1e7) {
                lo = hi;
                hi *= 2;
            }
            if (f.applyAsDouble(hi) > 0) {
                out[i] = Double.POSITIVE_INFINITY;
                continue;
            }
            for (int it = 0; it < 100 && hi - lo > 1e-9 * hi; it++) {
                double mid = 0.5 * (lo + hi);
                if (f.applyAsDouble(mid) > 0) lo = mid;
                else hi = mid;
            }
            out[i] = 0.5 * (lo + hi);
        }
        return out;
    }

    /** The largest distance from the centre among n rows (x, y, z, vx, vy, vz), flat [n·6]. */
    public static double maxRadius(double[] xv, int n) {
        double m = 0;
        for (int i = 0; i < n; i++) m = Math.max(m, Math.sqrt(xv[6 * i] * xv[6 * i] + xv[6 * i + 1] * xv[6 * i + 1] + xv[6 * i + 2] * xv[6 * i + 2]));
        return m;
    }

    /**
     * Per star: whether its stream's orbit reaches beyond rMax, i.e. the largest apocentre over the
     * stream's stars exceeds rMax by more than 1e-4 relative (a circular orbit's apocentre is its own
     * radius, which {@link #apocentres} finds to about 1e-6).
     */
    public static boolean[] beyond(double[] apocentre, int[] stream, double rMax) {
        if (apocentre.length != stream.length) throw new IllegalArgumentException("need one apocentre per star: " + apocentre.length + " for " + stream.length);
        java.util.Map<Integer, Double> far = new java.util.HashMap<>();
        for (int i = 0; i < stream.length; i++) far.merge(stream[i], apocentre[i], Math::max);
        boolean[] out = new boolean[stream.length];
        for (int i = 0; i < out.length; i++) out[i] = far.get(stream[i]) > rMax * (1 + 1e-4);
        return out;
    }
}
