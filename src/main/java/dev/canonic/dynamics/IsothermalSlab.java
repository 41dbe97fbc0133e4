package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * The self-gravitating isothermal slab Φ(z) = 2σ² ln cosh(z / (2 z0)) (Spitzer 1942; Binney &amp;
 * Tremaine 2008 Problem 4.21), dimensionless; the seed uses σ = 1, z0 = 1. Its force is
 * −dΦ/dz = −(σ²/z0) tanh(z/(2 z0)), the small-amplitude frequency ω = σ/(√2 z0), and the oscillation
 * frequency falls as the action grows.
 *
 * <p>ln cosh u is evaluated as log1p(2 sinh²(u/2)) for |u| &lt; 1 (full relative precision near 0)
 * and |u| + log1p(e^{−2|u|}) − ln 2 beyond (no overflow for any u). The Tensor version uses the
 * identity ln cosh u = softplus(2u) − u − ln 2, accurate to ~1e-16 absolute (not relative near 0).
 */
public final class IsothermalSlab implements Potential1D {
    private static final double LN2 = Math.log(2.0);
    private final double sigma;
    private final double z0;

    /**
     * @param sigma velocity dispersion σ &gt; 0
     * @param z0    scale height z0 &gt; 0
     */
    public IsothermalSlab(double sigma, double z0) {
        Checks.positive("slab sigma", sigma);
        Checks.positive("slab z0", z0);
        this.sigma = sigma;
        this.z0 = z0;
    }

    public double sigma() {
        return sigma;
    }

    public double z0() {
        return z0;
    }

    static double logCosh(double u) {
        double a = Math.abs(u);
        if (a < 1) {
            double sh = Math.sinh(0.5 * a);
            return Math.log1p(2 * sh * sh);
        }
        return a + Math.log1p(Math.exp(-2 * a)) - LN2;
    }

    /**
     * Φ(a) − Φ(b), b = a − δ: 2σ² ln(cosh a′ / cosh b′) with cosh a′ − cosh b′ =
     * 2 sinh(a′ − δ′/2) sinh(δ′/2), free of cancellation for small δ (primes: divided by 2 z0).
     */
    @Override
    public double drop(double a, double delta) {
        double ua = a / (2 * z0), d = delta / (2 * z0), ub = ua - d;
        if (Math.abs(ua) > 300 || Math.abs(ub) > 300) return value(a) - value(a - delta);
        double x = 2 * Math.sinh(ua - 0.5 * d) * Math.sinh(0.5 * d) / Math.cosh(ub);
        return 2 * sigma * sigma * Math.log1p(x);
    }

    @Override
    public double value(double z) {
        return 2 * sigma * sigma * logCosh(z / (2 * z0));
    }

    @Override
    public double force(double z) {
        return -(sigma * sigma / z0) * Math.tanh(z / (2 * z0));
    }

    @Override
    public double curvature(double z) {
        double c = Math.cosh(z / (2 * z0));
        return sigma * sigma / (2 * z0 * z0) / (c * c);
    }

    @Override
    public Tensor value(Tensor z) {
        Tensor u = z.mul(1.0 / (2 * z0));
        return u.mul(2.0).softplus().sub(u).sub(LN2).mul(2 * sigma * sigma);
    }

    @Override
    public String name() {
        return "slab";
    }

    @Override
    public String toString() {
        return "IsothermalSlab(sigma=" + sigma + ", z0=" + z0 + ")";
    }
}
