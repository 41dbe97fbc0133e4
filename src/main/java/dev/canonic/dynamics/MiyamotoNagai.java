package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * Miyamoto &amp; Nagai (1975) disc Φ = −GM / √(R² + (a + √(z² + b²))²) (Binney &amp; Tremaine 2008
 * eq. 2.69a); GM in kpc (km/s)², a and b in kpc.
 */
public final class MiyamotoNagai implements Potential {
    private final double gm;
    private final double a;
    private final double b;

    public MiyamotoNagai(double gm, double a, double b) {
        Checks.positive("Miyamoto-Nagai GM", gm);
        Checks.finite("Miyamoto-Nagai a", a);
        if (a < 0) throw new IllegalArgumentException("Miyamoto-Nagai a must be non-negative, got " + a);
        Checks.positive("Miyamoto-Nagai b", b);
        this.gm = gm;
        this.a = a;
        this.b = b;
    }

    @Override
    public double value(double x, double y, double z) {
        double zb = Math.sqrt(z * z + b * b);
        return -gm / Math.sqrt(x * x + y * y + (a + zb) * (a + zb));
    }

    @Override
    public void force(double x, double y, double z, double[] out, int off) {
        double zb = Math.sqrt(z * z + b * b);
        double s = x * x + y * y + (a + zb) * (a + zb);
        double g = -gm / (s * Math.sqrt(s));
        out[off] = g * x;
        out[off + 1] = g * y;
        out[off + 2] = g * z * (a + zb) / zb;
    }

    @Override
    public Tensor value(Tensor x) {
        Potential.checkPositions(x);
        Tensor r2 = x.slice(-1, 0, 2).square().sum(-1, false);
        Tensor zb = x.select(-1, 2).square().add(b * b).sqrt().add(a);
        return r2.add(zb.square()).pow(-0.5).mul(-gm);
    }

    @Override
    public String name() {
        return "miyamoto-nagai";
    }

    @Override
    public String toString() {
        return "MiyamotoNagai(GM=" + gm + ", a=" + a + ", b=" + b + ")";
    }
}
