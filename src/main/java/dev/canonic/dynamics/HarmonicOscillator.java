package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

/** The harmonic oscillator Φ(z) = ω0² z²/2 (dimensionless; the seed uses ω0 = 0.5). */
public final class HarmonicOscillator implements Potential1D {
    private final double omega;

    /** @param omega the angular frequency ω0 &gt; 0 */
    public HarmonicOscillator(double omega) {
        Checks.positive("harmonic oscillator omega", omega);
        this.omega = omega;
    }

    /** ω0. */
    public double omega() {
        return omega;
    }

    @Override
    public double value(double z) {
        return 0.5 * omega * omega * z * z;
    }

    /** Φ(a) − Φ(a − δ) = ω0² δ (2a − δ)/2, free of cancellation. */
    @Override
    public double drop(double a, double delta) {
        return 0.5 * omega * omega * delta * (2 * a - delta);
    }

    @Override
    public double force(double z) {
        return -omega * omega * z;
    }

    @Override
    public double curvature(double z) {
        return omega * omega;
    }

    @Override
    public Tensor value(Tensor z) {
        return z.square().mul(0.5 * omega * omega);
    }

    @Override
    public String name() {
        return "harmonic";
    }

    @Override
    public String toString() {
        return "HarmonicOscillator(omega=" + omega + ")";
    }
}
