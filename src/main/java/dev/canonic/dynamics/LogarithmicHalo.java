package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * Flattened logarithmic halo Φ = (v0²/2) ln(Rc² + x² + y² + z²/q²) (Binney &amp; Tremaine 2008
 * eq. 2.71b); v0 in km/s, Rc in kpc, q the axis ratio of the potential's equipotentials.
 */
public final class LogarithmicHalo implements Potential {
    private final double v0;
    private final double rc;
    private final double q;

    public LogarithmicHalo(double v0, double rc, double q) {
        Checks.positive("logarithmic halo v0", v0);
        Checks.finite("logarithmic halo Rc", rc);
        if (rc < 0) throw new IllegalArgumentException("logarithmic halo Rc must be non-negative, got " + rc);
        Checks.positive("logarithmic halo q", q);
        this.v0 = v0;
        this.rc = rc;
        this.q = q;
    }

    @Override
    public double value(double x, double y, double z) {
        return 0.5 * v0 * v0 * Math.log(rc * rc + x * x + y * y + z * z / (q * q));
    }

    @Override
    public void force(double x, double y, double z, double[] out, int off) {
        double m = rc * rc + x * x + y * y + z * z / (q * q);
        double g = -v0 * v0 / m;
        out[off] = g * x;
        out[off + 1] = g * y;
        out[off + 2] = g * z / (q * q);
    }

    @Override
    public Tensor value(Tensor x) {
        Potential.checkPositions(x);
        Tensor w = Tensor.of(new double[] {1, 1, 1 / (q * q)}, 3);
        return x.square().mul(w).sum(-1, false).add(rc * rc).log().mul(0.5 * v0 * v0);
    }

    @Override
    public String name() {
        return "logarithmic";
    }

    @Override
    public String toString() {
        return "LogarithmicHalo(v0=" + v0 + ", Rc=" + rc + ", q=" + q + ")";
    }
}
