package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/** Hernquist (1990) sphere Φ(r) = −GM/(r + a); GM in kpc (km/s)², a in kpc. */
public final class Hernquist extends SphericalPotential {
    private final double gm;
    private final double a;

    public Hernquist(double gm, double a) {
        Checks.positive("Hernquist GM", gm);
        Checks.positive("Hernquist a", a);
        this.gm = gm;
        this.a = a;
    }

    public double gm() {
        return gm;
    }

    public double a() {
        return a;
    }

    @Override
    public double phi(double r) {
        return -gm / (r + a);
    }

    @Override
    public double dphidr(double r) {
        return gm / ((r + a) * (r + a));
    }

    @Override
    public Tensor phi(Tensor r) {
        return r.add(a).reciprocal().mul(-gm);
    }

    @Override
    public String name() {
        return "hernquist";
    }

    @Override
    public String toString() {
        return "Hernquist(GM=" + gm + ", a=" + a + ")";
    }
}
