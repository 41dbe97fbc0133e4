package dev.canonic.validation;

/**
 * Trajectories of a 1-D system sampled at a uniform step with reference action-angle values at
 * every sample.
 *
 * @param x     S×T×2 phase-space points (z, v)
 * @param j     S×T reference actions
 * @param theta S×T reference angles in [0, 2π)
 * @param omega S×T reference frequencies
 * @param dt    time step
 */
public record OrbitSet(double[][][] x, double[][] j, double[][] theta, double[][] omega, double dt) {
    /** Number of orbits. */
    public int orbits() {
        return x.length;
    }

    /** The orbits with indices [from, to). */
    public OrbitSet range(int from, int to) {
        return new OrbitSet(java.util.Arrays.copyOfRange(x, from, to), java.util.Arrays.copyOfRange(j, from, to),
            java.util.Arrays.copyOfRange(theta, from, to), java.util.Arrays.copyOfRange(omega, from, to), dt);
    }
}
