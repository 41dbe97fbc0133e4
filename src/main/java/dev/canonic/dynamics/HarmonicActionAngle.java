package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/**
 * Analytic action-angle coordinates of the harmonic oscillator Φ = ω0² z²/2, with the SPEC
 * convention
 * <pre>
 *   z = √(2J/ω0) sin θ,   v = √(2J ω0) cos θ,   Ω = ω0,
 *   J = (v²/ω0 + ω0 z²)/2 = E/ω0,   θ = atan2(ω0 z, v)  (in [0, 2π)).
 * </pre>
 * θ = 0 is the upward crossing of z = 0, the same zero point as {@link ActionAngle1D}.
 */
public final class HarmonicActionAngle {
    private final double omega;

    /** @param omega ω0 &gt; 0 */
    public HarmonicActionAngle(double omega) {
        Checks.positive("harmonic oscillator omega", omega);
        this.omega = omega;
    }

    /** For a potential object. */
    public HarmonicActionAngle(HarmonicOscillator ho) {
        this(ho.omega());
    }

    public double omega() {
        return omega;
    }

    /** (J, θ, Ω) of one point. */
    public double[] actionAngle(double z, double v) {
        Checks.finite("z", z);
        Checks.finite("v", v);
        double j = 0.5 * (v * v / omega + omega * z * z);
        double th = Angles.wrap(Math.atan2(omega * z, v));
        return new double[] {j, th, omega};
    }

    /** (J, θ, Ω) of a batch of points. */
    public AngleAction1D actionAngle(double[] z, double[] v) {
        Checks.sameLength("z", z, "v", v);
        int n = z.length;
        double[] j = new double[n], th = new double[n], om = new double[n];
        for (int i = 0; i < n; i++) {
            if (!Double.isFinite(z[i]) || !Double.isFinite(v[i])) {
                throw new IllegalArgumentException("point " + i + " is not finite: z = " + z[i] + ", v = " + v[i]);
            }
            double[] r = actionAngle(z[i], v[i]);
            j[i] = r[0];
            th[i] = r[1];
            om[i] = r[2];
        }
        return new AngleAction1D(j, th, om);
    }

    /** (z, v) of one (J, θ); J ≥ 0. */
    public double[] phaseSpace(double j, double theta) {
        Checks.finite("J", j);
        Checks.finite("theta", theta);
        if (j < 0) throw new IllegalArgumentException("action J must be non-negative, got " + j);
        return new double[] {Math.sqrt(2 * j / omega) * Math.sin(theta), Math.sqrt(2 * j * omega) * Math.cos(theta)};
    }

    /** (z, v) of a batch: returns {z[], v[]}. */
    public double[][] phaseSpace(double[] j, double[] theta) {
        Checks.sameLength("J", j, "theta", theta);
        double[] z = new double[j.length], v = new double[j.length];
        for (int i = 0; i < j.length; i++) {
            double[] r = phaseSpace(j[i], theta[i]);
            z[i] = r[0];
            v[i] = r[1];
        }
        return new double[][] {z, v};
    }

    /**
     * Differentiable (J, θ) of tensors z, v of equal shape: J = (v²/ω0 + ω0 z²)/2,
     * θ = atan2(ω0 z, v) shifted into [0, 2π) (the shift has zero derivative).
     */
    public Tensor[] actionAngle(Tensor z, Tensor v) {
        if (!java.util.Arrays.equals(z.shape(), v.shape())) {
            throw new IllegalArgumentException("z and v differ in shape: " + java.util.Arrays.toString(z.shape()) + " vs " + java.util.Arrays.toString(v.shape()));
        }
        Tensor j = v.square().div(omega).add(z.square().mul(omega)).mul(0.5);
        Tensor th = z.mul(omega).atan2(v);
        th = th.add(th.lt(0.0).mul(Angles.TWO_PI));
        return new Tensor[] {j, th};
    }

    /** Differentiable (z, v) of tensors J ≥ 0 and θ of equal shape. */
    public Tensor[] phaseSpace(Tensor j, Tensor theta) {
        if (!java.util.Arrays.equals(j.shape(), theta.shape())) {
            throw new IllegalArgumentException("J and theta differ in shape: " + java.util.Arrays.toString(j.shape()) + " vs " + java.util.Arrays.toString(theta.shape()));
        }
        Tensor amp = j.mul(2.0).sqrt();
        return new Tensor[] {amp.mul(theta.sin()).div(Math.sqrt(omega)), amp.mul(theta.cos()).mul(Math.sqrt(omega))};
    }
}
