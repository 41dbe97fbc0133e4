package dev.canonic.dynamics;

/**
 * A fixed-step symplectic integrator for H = p²/2 + Φ(q), batched over n orbits stored as flat
 * arrays q[n·dim], p[n·dim] (p is the velocity per unit mass). Implementations are compositions of
 * kick-drift-kick leapfrog sub-steps with weights w_i (Σ w_i = 1), which lets consecutive sub-steps
 * share the force evaluation at their common position ("first same as last"): a leapfrog step costs
 * one force evaluation per orbit, a Yoshida-4 step three.
 */
public abstract class SymplecticIntegrator {
    private final double[] weights;

    SymplecticIntegrator(double... weights) {
        this.weights = weights.clone();
    }

    /** The order of accuracy (global error ∝ h^order). */
    public abstract int order();

    /** A short name. */
    public abstract String name();

    /**
     * Advances every orbit by {@code steps} steps of size h, in place.
     *
     * @param f     the force field (dim 1 or 3)
     * @param q     positions, n·dim values (modified)
     * @param p     velocities, n·dim values (modified)
     * @param n     number of orbits
     * @param h     step, in the time unit of the force field (kpc/(km/s) for 3D, see {@link Units})
     * @param steps number of steps (≥ 0)
     */
    public void advance(ForceField f, double[] q, double[] p, int n, double h, int steps) {
        int m = n * f.dim();
        Checks.length("positions", q, m);
        Checks.length("velocities", p, m);
        Checks.finite("step", h);
        if (steps < 0) throw new IllegalArgumentException("number of steps is negative: " + steps);
        if (steps == 0) return;
        Checks.finite("positions", q);
        Checks.finite("velocities", p);
        double[] a = new double[m];
        f.accelerations(q, a, n);
        for (int s = 0; s < steps; s++) {
            for (double w : weights) {
                double hh = w * h, half = 0.5 * hh;
                for (int i = 0; i < m; i++) {
                    p[i] += half * a[i];
                    q[i] += hh * p[i];
                }
                f.accelerations(q, a, n);
                for (int i = 0; i < m; i++) p[i] += half * a[i];
            }
        }
    }

    /** One step of size h (see {@link #advance}). */
    public void step(ForceField f, double[] q, double[] p, int n, double h) {
        advance(f, q, p, n, h, 1);
    }
}
