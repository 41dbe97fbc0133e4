package dev.canonic.dynamics;

/**
 * Accelerations for a batch of particles in a time-independent field: the right-hand side
 * dp/dt = −∇Φ(q) used by every integrator. Batches are flat row-major arrays of n points × dim
 * coordinates.
 */
public interface ForceField {
    /** Number of spatial dimensions (1 or 3). */
    int dim();

    /**
     * Writes a = −∇Φ(q) for n points.
     *
     * @param q   positions, n·dim values (not modified)
     * @param a   output accelerations, n·dim values (overwritten)
     * @param n   number of points
     */
    void accelerations(double[] q, double[] a, int n);

    /** Potential energy per unit mass at each of n points (output overwritten). */
    void values(double[] q, double[] phi, int n);
}
