package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * A one-dimensional potential Φ(z) (dimensionless units), with its force −dΦ/dz for single points
 * and batches, and a differentiable version built from Tensor operations so it can sit inside a
 * loss. Implementations assume a minimum at z = 0 that the 1D reference calculator
 * ({@link ActionAngle1D}) uses to define the angle's zero point.
 */
public interface Potential1D extends ForceField {
    /** Φ(z). */
    double value(double z);

    /** −dΦ/dz. */
    double force(double z);

    /** d²Φ/dz², the local squared frequency. */
    double curvature(double z);

    /** Φ elementwise on a tensor of any shape, differentiable to any order. */
    Tensor value(Tensor z);

    /** A short name, e.g. "harmonic". */
    String name();

    @Override
    default int dim() {
        return 1;
    }

    @Override
    default void accelerations(double[] q, double[] a, int n) {
        for (int i = 0; i < n; i++) a[i] = force(q[i]);
    }

    @Override
    default void values(double[] q, double[] phi, int n) {
        for (int i = 0; i < n; i++) phi[i] = value(q[i]);
    }

    /**
     * Φ(a) − Φ(a − δ), free of cancellation for small δ, which the 1D quadrature uses for
     * v² = 2(Φ(z±) − Φ(z)) near a turning point. The default integrates the force with a 16-point
     * Gauss–Legendre rule, −δ⟨F⟩ over [a − δ, a], when |δ| ≤ |a|/4 (error ∝ (δ/a)^32), and subtracts
     * values otherwise; implementations with a closed form override it.
     */
    default double drop(double a, double delta) {
        if (Math.abs(delta) <= 0.25 * Math.abs(a)) {
            GaussLegendre g = GaussLegendre.G16;
            double mean = 0, c = a - 0.5 * delta;
            for (int i = 0; i < g.x.length; i++) mean += g.w[i] * force(c + 0.5 * delta * g.x[i]);
            return -delta * 0.5 * mean;
        }
        return value(a) - value(a - delta);
    }

    /** Energy per unit mass v²/2 + Φ(z). */
    default double energy(double z, double v) {
        return 0.5 * v * v + value(z);
    }
}
