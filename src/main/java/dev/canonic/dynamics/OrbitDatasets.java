package dev.canonic.dynamics;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Orbit data sets for the two models.
 *
 * <ul>
 *   <li>{@link #trajectories}: S orbits sampled every Δt (model A's pairs x_k → x_{k+1} and windows);</li>
 *   <li>{@link #streams}: the ACTIONFINDER "streams × stars" shape (Ibata et al. 2021 §4.1): S orbits
 *       ("streams") integrated for a duration, N points ("stars") taken at random times along each;
 *       rows grouped by stream.</li>
 * </ul>
 * Initial conditions: in 1D, actions uniform in [jMin, jMax] and angles uniform (through the
 * reference inverse map); in 3D the paper's halo-like sampling — Galactocentric radius uniform in
 * [6, 16] kpc, isotropic position and velocity directions, speed |N(0, 150 km/s)| — or a disc-like
 * sampling (R uniform in [4, 12] kpc, z ~ N(0, 0.3 kpc), v_φ = v_c(R) + N(0, 20), v_R ~ N(0, 35),
 * v_z ~ N(0, 20) km/s; an approximation of the paper's torus-mapped disc orbits). Unbound initial
 * conditions (E ≥ 0) are rejected, redrawn and counted.
 *
 * <p>Time units: 1D dimensionless; 3D durations and steps are given in Gyr and the returned times
 * are in Gyr. The symplectic step is refined (halved, up to 6 times) until every orbit conserves
 * energy to the requested relative tolerance (the paper's 1e-7) at every recorded point.
 */
public final class OrbitDatasets {
    private OrbitDatasets() {
    }

    /** How 3D initial conditions are drawn. */
    public enum Sampling { HALO, DISC }

    /**
     * Generation settings.
     *
     * @param duration     integration span (1D: time units; 3D: Gyr)
     * @param step         integrator step (same units)
     * @param energyTol    required max relative energy error (≤ 0 disables the check)
     * @param integrator   the symplectic integrator
     * @param sampling     3D initial-condition sampling
     * @param jMin         1D: smallest action drawn
     * @param jMax         1D: largest action drawn
     */
    public record Config(double duration, double step, double energyTol, SymplecticIntegrator integrator, Sampling sampling,
                         double jMin, double jMax) {
        public Config {
            Checks.positive("duration", duration);
            Checks.positive("step", step);
            if (integrator == null) throw new IllegalArgumentException("integrator is null");
            if (sampling == null) throw new IllegalArgumentException("sampling is null");
            Checks.positive("jMin", jMin);
            if (!(jMax > jMin) || !Double.isFinite(jMax)) throw new IllegalArgumentException("jMax must exceed jMin, got " + jMin + ".." + jMax);
        }

        /** The paper's settings for a system: 3D 0.1 Gyr, leapfrog at 1e-5 Gyr, energy to 1e-7, halo sampling; 1D 50 time units at 1e-3, actions in [0.05, 1.5]. */
        public static Config defaults(ReferenceSystem sys) {
            if (sys.dim() == 3) return new Config(0.1, 1e-5, 1e-7, new Leapfrog(), Sampling.HALO, 0.05, 1.5);
            if (sys.potential1D() instanceof PoschlTeller pt) {
                // a finite well: actions from 5 % to 68 % of the separatrix's (the suite's E in [−0.9, −0.1] for V0 = a = 1)
                double sep = pt.separatrixAction();
                return new Config(50, 1e-3, 1e-7, new Leapfrog(), Sampling.HALO, 0.05 * sep, 0.68 * sep);
            }
            return new Config(50, 1e-3, 1e-7, new Leapfrog(), Sampling.HALO, 0.05, 1.5);
        }
    }

    /**
     * A streams × stars sample.
     *
     * @param system         the system
     * @param streams        S
     * @param stars          N per stream
     * @param phase          [S·N][2·dim] rows (q…, p…), stream-major (rows s·N … s·N+N−1 are stream s)
     * @param stream         stream index of each row
     * @param time           time of each row since the stream's initial condition (1D units or Gyr)
     * @param reference      [S·N][k] reference actions, angles, frequencies ({@link ReferenceSystem#referenceColumns()})
     * @param rejected       initial conditions rejected and redrawn: unbound ones, and the few (at most 5 %) whose
     *                       orbits miss the energy tolerance even at the finest step (nearly radial through a cusp)
     * @param energyError    max relative energy error over every orbit
     * @param step           the step finally used (1D units or Gyr)
     */
    public record StreamSample(ReferenceSystem system, int streams, int stars, double[] phase, int[] stream, double[] time,
                               double[] reference, long rejected, double energyError, double step) {
    }

    /**
     * Trajectories sampled every dt.
     *
     * @param phase [S][points][2·dim] flat
     * @param dt    sampling interval (1D units or Gyr)
     */
    public record Trajectories(ReferenceSystem system, int orbits, int points, double dt, double[] phase, long rejected, double energyError) {
        /** Width of one row, 2·dim. */
        public int width() {
            return 2 * system.dim();
        }

        /** Consecutive pairs: {inputs, targets}, each [S·(points−1)][2·dim]. */
        public double[][] pairs() {
            return windows(2);
        }

        /** Sliding windows of length len, returned as len arrays [S·(points−len+1)][2·dim]: element k holds the k-th state of every window. */
        public double[][] windows(int len) {
            if (len < 1 || len > points) throw new IllegalArgumentException("window length " + len + " outside [1, " + points + "]");
            int w = width(), per = points - len + 1;
            double[][] out = new double[len][orbits * per * w];
            for (int o = 0; o < orbits; o++) {
                for (int s = 0; s < per; s++) {
                    for (int k = 0; k < len; k++) {
                        System.arraycopy(phase, ((o * points) + s + k) * w, out[k], (o * per + s) * w, w);
                    }
                }
            }
            return out;
        }
    }

    /** Draws S bound initial conditions: {q, p, rejectedCount}. */
    static Object[] initialConditions(ReferenceSystem sys, Config cfg, int s, SplittableRandom rng) {
        int d = sys.dim();
        double[] q = new double[s * d], p = new double[s * d];
        long rejected = 0;
        if (d == 1) {
            if (sys.potential1D() instanceof PoschlTeller pt && !(cfg.jMax() < pt.separatrixAction())) {
                throw new IllegalArgumentException(sys.name() + ": bound orbits have actions below the separatrix's a·√(2 V0) = "
                    + pt.separatrixAction() + "; got jmax = " + cfg.jMax());
            }
            for (int i = 0; i < s; i++) {
                double j = cfg.jMin() + (cfg.jMax() - cfg.jMin()) * rng.nextDouble();
                double th = Angles.TWO_PI * rng.nextDouble();
                double[] zv = sys.potential1D() instanceof HarmonicOscillator h
                    ? new HarmonicActionAngle(h).phaseSpace(j, th)
                    : new ActionAngle1D(sys.potential1D()).phaseSpace(j, th);
                q[i] = zv[0];
                p[i] = zv[1];
            }
            return new Object[] {q, p, 0L};
        }
        Potential pot = sys.potential3D();
        double[] f = new double[3];
        for (int i = 0; i < s; ) {
            double[] x = new double[3], v = new double[3];
            if (cfg.sampling() == Sampling.HALO) {
                double r = 6 + 10 * rng.nextDouble();
                double[] u = isotropic(rng), w = isotropic(rng);
                double sp = Math.abs(150 * gaussian(rng));
                for (int k = 0; k < 3; k++) {
                    x[k] = r * u[k];
                    v[k] = sp * w[k];
                }
            } else {
                double rr = 4 + 8 * rng.nextDouble(), ph = Angles.TWO_PI * rng.nextDouble();
                x[0] = rr * Math.cos(ph);
                x[1] = rr * Math.sin(ph);
                x[2] = 0.3 * gaussian(rng);
                pot.force(x[0], x[1], 0, f, 0);
                double vc = Math.sqrt(Math.max(0, -(f[0] * x[0] + f[1] * x[1])));
                double vphi = vc + 20 * gaussian(rng), vR = 35 * gaussian(rng);
                v[0] = vR * Math.cos(ph) - vphi * Math.sin(ph);
                v[1] = vR * Math.sin(ph) + vphi * Math.cos(ph);
                v[2] = 20 * gaussian(rng);
            }
            if (!(pot.energy(x, v) < 0)) {
                rejected++;
                if (rejected > 1000L * s + 10000) throw new IllegalStateException("almost every initial condition is unbound in " + sys + ": " + rejected + " rejected");
                continue;
            }
            System.arraycopy(x, 0, q, 3 * i, 3);
            System.arraycopy(v, 0, p, 3 * i, 3);
            i++;
        }
        return new Object[] {q, p, rejected};
    }

    static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(Angles.TWO_PI * u2);
    }

    static double[] isotropic(SplittableRandom rng) {
        double z = 2 * rng.nextDouble() - 1, ph = Angles.TWO_PI * rng.nextDouble(), s = Math.sqrt(Math.max(0, 1 - z * z));
        return new double[] {s * Math.cos(ph), s * Math.sin(ph), z};
    }

    private static double toInternal(ReferenceSystem sys, double t) {
        return sys.dim() == 3 ? Units.gyrToInternal(t) : t;
    }

    /**
     * S streams × N stars at random times in [0, duration] (on the integrator's step grid).
     *
     * @throws IllegalArgumentException for S, N &lt; 1, or when at step cfg.step/64 more than 5 % of the orbits
     *         (or, after three redraws, any) still miss the energy tolerance
     */
    public static StreamSample streams(ReferenceSystem sys, int s, int n, long seed, Config cfg) {
        if (s < 1 || n < 1) throw new IllegalArgumentException("need at least one stream and one star, got " + s + " × " + n);
        SplittableRandom rng = new SplittableRandom(seed);
        Object[] ic = initialConditions(sys, cfg, s, rng);
        double[] q0 = (double[]) ic[0], p0 = (double[]) ic[1];
        long rejected = (Long) ic[2];
        double[] u = new double[s * n];
        for (int i = 0; i < u.length; i++) u[i] = rng.nextDouble();
        int d = sys.dim(), w = 2 * d;
        double step = cfg.step();
        int redraws = 0;
        for (int attempt = 0; attempt <= 6; attempt++, step *= 0.5) {
            long total = Math.max(1, Math.round(cfg.duration() / step));
            long[] idx = new long[s * n];
            for (int i = 0; i < idx.length; i++) idx[i] = Math.min(total, (long) Math.floor(u[i] * (total + 1)));
            // each stream's stars sorted by time
            for (int o = 0; o < s; o++) Arrays.sort(idx, o * n, o * n + n);
            long[] all = idx.clone();
            Arrays.sort(all);
            double[] q = q0.clone(), p = p0.clone();
            double[] e0 = Orbits.energies(sys.field(), q0, p0, s);
            double[] phase = new double[s * n * w];
            double[] time = new double[s * n];
            int[] next = new int[s];
            double worst = 0;
            double[] worstOf = new double[s];
            long at = 0;
            double h = toInternal(sys, step);
            for (int k = 0; k <= all.length; k++) {
                long target = k < all.length ? all[k] : at;
                if (k > 0 && k < all.length && all[k] == all[k - 1]) continue;
                if (target > at) {
                    long todo = target - at;
                    while (todo > 0) {
                        int chunk = (int) Math.min(todo, Integer.MAX_VALUE);
                        cfg.integrator().advance(sys.field(), q, p, s, h, chunk);
                        todo -= chunk;
                    }
                    at = target;
                }
                if (k == all.length) break;
                double[] e = null;
                for (int o = 0; o < s; o++) {
                    while (next[o] < n && idx[o * n + next[o]] == at) {
                        int row = o * n + next[o];
                        System.arraycopy(q, o * d, phase, row * w, d);
                        System.arraycopy(p, o * d, phase, row * w + d, d);
                        time[row] = at * step;
                        if (e == null) e = Orbits.energies(sys.field(), q, p, s);
                        double err = Math.abs(e[o] - e0[o]) / Math.max(Math.abs(e0[o]), 1e-300);
                        worst = Math.max(worst, err);
                        worstOf[o] = Math.max(worstOf[o], err);
                        next[o]++;
                    }
                }
            }
            if (cfg.energyTol() > 0 && worst > cfg.energyTol()) {
                if (attempt < 6) continue;
                // at the finest step, a few orbits may still miss the tolerance (nearly radial ones through a
                // cusp, where the force turns at the centre): their initial conditions are redrawn, counted as rejected
                int[] bad = java.util.stream.IntStream.range(0, s).filter(o -> worstOf[o] > cfg.energyTol()).toArray();
                if (redraws >= 3 || bad.length > Math.max(1, s / 20)) break;
                Object[] fresh = initialConditions(sys, cfg, bad.length, rng);
                for (int k = 0; k < bad.length; k++) {
                    System.arraycopy((double[]) fresh[0], d * k, q0, d * bad[k], d);
                    System.arraycopy((double[]) fresh[1], d * k, p0, d * bad[k], d);
                }
                rejected += bad.length + (Long) fresh[2];
                redraws++;
                attempt--;
                step *= 2;  // the same step again
                continue;
            }
            int[] stream = new int[s * n];
            for (int i = 0; i < stream.length; i++) stream[i] = i / n;
            double[] ref = references(sys, phase, s * n);
            return new StreamSample(sys, s, n, phase, stream, time, ref, rejected, worst, step);
        }
        throw new IllegalArgumentException("energy not conserved to " + cfg.energyTol() + " even with step " + cfg.step() / 64
            + " for more than 5 % of the orbits; use a smaller --step or a larger --energy-tol");
    }

    /**
     * S orbits each sampled at `points` times spaced dt (first point the initial condition), with
     * `substeps` integrator steps per interval (refined until the energy tolerance holds).
     */
    public static Trajectories trajectories(ReferenceSystem sys, int s, int points, double dt, long seed, Config cfg) {
        if (s < 1 || points < 2) throw new IllegalArgumentException("need at least one orbit and two points, got " + s + " × " + points);
        Checks.positive("dt", dt);
        SplittableRandom rng = new SplittableRandom(seed);
        Object[] ic = initialConditions(sys, cfg, s, rng);
        double[] q0 = (double[]) ic[0], p0 = (double[]) ic[1];
        int sub = Math.max(1, (int) Math.ceil(dt / cfg.step() - 1e-9));
        int d = sys.dim(), w = 2 * d;
        for (int attempt = 0; attempt <= 6; attempt++, sub *= 2) {
            double[] tr = Orbits.trajectory(cfg.integrator(), sys.field(), q0, p0, s, toInternal(sys, dt), points - 1, sub);
            // reorder [points][S][w] → [S][points][w] and check energies
            double[] phase = new double[tr.length];
            double[] e0 = Orbits.energies(sys.field(), q0, p0, s);
            double worst = 0;
            double[] q = new double[d], p = new double[d];
            for (int k = 0; k < points; k++) {
                for (int o = 0; o < s; o++) {
                    System.arraycopy(tr, (k * s + o) * w, phase, (o * points + k) * w, w);
                    System.arraycopy(tr, (k * s + o) * w, q, 0, d);
                    System.arraycopy(tr, (k * s + o) * w + d, p, 0, d);
                    worst = Math.max(worst, Math.abs(sys.energy(q, p) - e0[o]) / Math.max(Math.abs(e0[o]), 1e-300));
                }
            }
            if (cfg.energyTol() > 0 && worst > cfg.energyTol()) continue;
            return new Trajectories(sys, s, points, dt, phase, (Long) ic[2], worst);
        }
        throw new IllegalArgumentException("energy not conserved to " + cfg.energyTol() + " with " + sub / 2 + " substeps per dt; use a smaller step");
    }

    /** Reference rows for every point of a [m][2·dim] array; NaN rows where the calculator refuses the point. */
    public static double[] references(ReferenceSystem sys, double[] phase, int m) {
        int d = sys.dim(), w = 2 * d, k = sys.referenceColumns().length;
        double[] out = new double[m * k];
        double[] q = new double[d], p = new double[d];
        for (int i = 0; i < m; i++) {
            System.arraycopy(phase, i * w, q, 0, d);
            System.arraycopy(phase, i * w + d, p, 0, d);
            double[] r;
            try {
                r = sys.reference(q, p);
            } catch (IllegalArgumentException | ArithmeticException ex) {
                r = new double[k];
                Arrays.fill(r, Double.NaN);
            }
            System.arraycopy(r, 0, out, i * k, k);
        }
        return out;
    }
}
