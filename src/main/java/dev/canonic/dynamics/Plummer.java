package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/** Plummer sphere Φ(r) = −GM/√(r² + b²) (Binney &amp; Tremaine 2008 §2.2.2(c)); GM in kpc (km/s)², b in kpc. */
public final class Plummer extends SphericalPotential {
    private final double gm;
    private final double b;

    public Plummer(double gm, double b) {
        Checks.positive("Plummer GM", gm);
        Checks.positive("Plummer b", b);
        this.gm = gm;
        this.b = b;
    }

    public double gm() {
        return gm;
    }

    public double b() {
        return b;
    }

    @Override
    public double phi(double r) {
        return -gm / Math.sqrt(r * r + b * b);
    }

    @Override
    public double dphidr(double r) {
        double s = r * r + b * b;
        return gm * r / (s * Math.sqrt(s));
    }

    @Override
    public Tensor phi(Tensor r) {
        return r.square().add(b * b).pow(-0.5).mul(-gm);
    }

    @Override
    public Tensor value(Tensor x) {
        Potential.checkPositions(x);
        return x.square().sum(-1, false).add(b * b).pow(-0.5).mul(-gm);
    }

    @Override
    public String name() {
        return "plummer";
    }

    @Override
    public String toString() {
        return "Plummer(GM=" + gm + ", b=" + b + ")";
    }
}
