package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * Navarro–Frenk–White (1997) Φ(r) = −GM ln(1 + r/rs) / r, with GM = 4πGρ0 rs³ in kpc (km/s)² and
 * rs in kpc (Binney &amp; Tremaine 2008 eq. 2.67). Near the centre the series
 * Φ = −(GM/rs)(1 − x/2 + x²/3 − …) and dΦ/dr = (GM/rs²)(1/2 − 2x/3 + 3x²/4 − …), x = r/rs, avoid
 * cancellation.
 */
public final class Nfw extends SphericalPotential {
    private final double gm;
    private final double rs;

    public Nfw(double gm, double rs) {
        Checks.positive("NFW GM", gm);
        Checks.positive("NFW rs", rs);
        this.gm = gm;
        this.rs = rs;
    }

    public double gm() {
        return gm;
    }

    public double rs() {
        return rs;
    }

    @Override
    public double phi(double r) {
        double x = r / rs;
        if (x < 1e-6) return -gm / rs * (1 - x / 2 + x * x / 3);
        return -gm * Math.log1p(x) / r;
    }

    @Override
    public double dphidr(double r) {
        double x = r / rs;
        if (x < 1e-4) return gm / (rs * rs) * (0.5 - 2 * x / 3 + 0.75 * x * x - 0.8 * x * x * x);
        return gm * (Math.log1p(x) / (r * r) - 1 / (r * (rs + r)));
    }

    @Override
    public Tensor phi(Tensor r) {
        return r.div(rs).add(1).log().div(r).mul(-gm);
    }

    @Override
    public String name() {
        return "nfw";
    }

    @Override
    public String toString() {
        return "Nfw(GM=" + gm + ", rs=" + rs + ")";
    }
}
