package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * Hénon's isochrone Φ(r) = −GM / (b + √(b² + r²)) (Binney &amp; Tremaine 2008 §2.2.2(d), §3.5.2).
 * GM in kpc (km/s)², b in kpc. The paper's system: M = 3.334e11 M☉ (GM = 1.4339e6 kpc (km/s)²),
 * b = 5 kpc ({@link #paper()}).
 */
public final class Isochrone extends SphericalPotential {
    private final double gm;
    private final double b;

    /**
     * @param gm GM &gt; 0 in kpc (km/s)²
     * @param b  scale radius &gt; 0 in kpc
     */
    public Isochrone(double gm, double b) {
        Checks.positive("isochrone GM", gm);
        Checks.positive("isochrone b", b);
        this.gm = gm;
        this.b = b;
    }

    /** The ACTIONFINDER paper's isochrone: M = 3.334e11 M☉, b = 5 kpc. */
    public static Isochrone paper() {
        return new Isochrone(Units.G * 3.334e11, 5.0);
    }

    public double gm() {
        return gm;
    }

    public double b() {
        return b;
    }

    @Override
    public double phi(double r) {
        return -gm / (b + Math.sqrt(b * b + r * r));
    }

    @Override
    public double dphidr(double r) {
        double a = Math.sqrt(b * b + r * r);
        return gm * r / (a * (b + a) * (b + a));
    }

    @Override
    public Tensor phi(Tensor r) {
        return r.square().add(b * b).sqrt().add(b).reciprocal().mul(-gm);
    }

    @Override
    public Tensor value(Tensor x) {
        Potential.checkPositions(x);
        // from r² directly: no sqrt(r²) whose derivative is singular at the centre
        return x.square().sum(-1, false).add(b * b).sqrt().add(b).reciprocal().mul(-gm);
    }

    @Override
    public String name() {
        return "isochrone";
    }

    @Override
    public String toString() {
        return "Isochrone(GM=" + gm + ", b=" + b + ")";
    }
}
