package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/** Point mass Φ(r) = −GM/r (GM in kpc (km/s)²). Singular at r = 0. */
public final class Kepler extends SphericalPotential {
    private final double gm;

    public Kepler(double gm) {
        Checks.positive("Kepler GM", gm);
        this.gm = gm;
    }

    public double gm() {
        return gm;
    }

    @Override
    public double phi(double r) {
        if (r == 0) throw new IllegalArgumentException("Kepler potential is singular at r = 0");
        return -gm / r;
    }

    @Override
    public double dphidr(double r) {
        return gm / (r * r);
    }

    @Override
    public Tensor phi(Tensor r) {
        return r.reciprocal().mul(-gm);
    }

    @Override
    public String name() {
        return "kepler";
    }

    @Override
    public String toString() {
        return "Kepler(GM=" + gm + ")";
    }
}
