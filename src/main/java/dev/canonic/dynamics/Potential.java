package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * A time-independent 3D potential Φ(x) per unit mass. Units (SPEC): x in kpc, Φ in (km/s)², force
 * −∇Φ in (km/s)²/kpc; the equations of motion then run in time unit kpc/(km/s) = 0.9777922 Gyr
 * ({@link Units}). Values and forces for single points and batches in double precision, and a
 * differentiable Tensor version for losses.
 */
public interface Potential extends ForceField {
    /** Φ(x, y, z) in (km/s)². */
    double value(double x, double y, double z);

    /** Writes −∇Φ(x, y, z) in (km/s)²/kpc into out[off..off+2]. */
    void force(double x, double y, double z, double[] out, int off);

    /** Φ of positions with a last axis of 3 ([..., 3] → [...]), differentiable to any order. */
    Tensor value(Tensor x);

    /** A short name, e.g. "isochrone". */
    String name();

    @Override
    default int dim() {
        return 3;
    }

    @Override
    default void accelerations(double[] q, double[] a, int n) {
        for (int i = 0; i < n; i++) force(q[3 * i], q[3 * i + 1], q[3 * i + 2], a, 3 * i);
    }

    @Override
    default void values(double[] q, double[] phi, int n) {
        for (int i = 0; i < n; i++) phi[i] = value(q[3 * i], q[3 * i + 1], q[3 * i + 2]);
    }

    /** Energy per unit mass |v|²/2 + Φ(x) in (km/s)². */
    default double energy(double[] x, double[] v) {
        return 0.5 * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) + value(x[0], x[1], x[2]);
    }

    /** Checks that a Tensor argument has a last axis of 3. */
    static void checkPositions(Tensor x) {
        if (x.rank() == 0 || x.dim(-1) != 3) {
            throw new IllegalArgumentException("positions must have a last axis of 3 (x, y, z), got shape " + java.util.Arrays.toString(x.shape()));
        }
    }
}
