package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * A spherical potential Φ(r). Subclasses give Φ(r), dΦ/dr and a Tensor Φ(r); Cartesian values and
 * forces follow: −∇Φ = −(dΦ/dr) x/r (zero at r = 0, where every potential here is either cored or
 * has a force of undefined direction).
 */
public abstract class SphericalPotential implements Potential {
    /** Φ(r), r ≥ 0, in (km/s)². */
    public abstract double phi(double r);

    /** dΦ/dr in (km/s)²/kpc. */
    public abstract double dphidr(double r);

    /** Φ(r) on a Tensor of radii, differentiable. */
    public abstract Tensor phi(Tensor r);

    /** Circular speed √(r dΦ/dr) in km/s. */
    public double circularSpeed(double r) {
        return Math.sqrt(r * dphidr(r));
    }

    @Override
    public double value(double x, double y, double z) {
        return phi(Math.sqrt(x * x + y * y + z * z));
    }

    @Override
    public void force(double x, double y, double z, double[] out, int off) {
        double r = Math.sqrt(x * x + y * y + z * z);
        if (r == 0) {
            out[off] = out[off + 1] = out[off + 2] = 0;
            return;
        }
        double g = -dphidr(r) / r;
        out[off] = g * x;
        out[off + 1] = g * y;
        out[off + 2] = g * z;
    }

    @Override
    public Tensor value(Tensor x) {
        Potential.checkPositions(x);
        return phi(x.square().sum(-1, false).sqrt());
    }
}
