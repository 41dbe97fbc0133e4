package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * The Pöschl–Teller well Φ(z) = −V0 / cosh²(z/a), dimensionless. Bound orbits have −V0 &lt; E &lt; 0,
 * with closed-form frequency Ω = √(2|E|)/a and action J = a(√(2V0) − √(2|E|)) (Landau &amp; Lifshitz,
 * Mechanics §12, problem 2), so Ω falls with the action to zero at the edge of the well.
 */
public final class PoschlTeller implements Potential1D {
    private final double v0;
    private final double a;

    /** Depth V0 &gt; 0 and width a &gt; 0. */
    public PoschlTeller(double v0, double a) {
        Checks.positive("Pöschl–Teller depth V0", v0);
        Checks.positive("Pöschl–Teller width a", a);
        this.v0 = v0;
        this.a = a;
    }

    /** The separatrix's action a·√(2 V0): every bound orbit has a smaller one. */
    public double separatrixAction() {
        return a * Math.sqrt(2 * v0);
    }

    /** Closed-form action of energy e (−V0 &lt; e &lt; 0). */
    public double action(double e) {
        if (!(e > -v0 && e < 0)) throw new IllegalArgumentException("Pöschl–Teller: energy " + e + " is not bound (need −V0 < E < 0)");
        return a * (Math.sqrt(2 * v0) - Math.sqrt(-2 * e));
    }

    /** Closed-form frequency of energy e. */
    public double frequency(double e) {
        if (!(e > -v0 && e < 0)) throw new IllegalArgumentException("Pöschl–Teller: energy " + e + " is not bound (need −V0 < E < 0)");
        return Math.sqrt(-2 * e) / a;
    }

    @Override
    public double value(double z) {
        double c = Math.cosh(z / a);
        return -v0 / (c * c);
    }

    @Override
    public double force(double z) {
        double u = z / a, c = Math.cosh(u);
        return -2 * v0 * Math.tanh(u) / (c * c) / a;
    }

    @Override
    public double curvature(double z) {
        double u = z / a, c = Math.cosh(u), t = Math.tanh(u);
        return 2 * v0 / (a * a) / (c * c) * (1 - 3 * t * t);
    }

    @Override
    public Tensor value(Tensor z) {
        return z.mul(1.0 / a).tanh().square().rsub(1.0).mul(-v0);
    }

    @Override
    public String name() {
        return "poschl-teller";
    }

    @Override
    public String toString() {
        return "PoschlTeller(V0=" + v0 + ", a=" + a + ")";
    }
}
