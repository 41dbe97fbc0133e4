package dev.canonic.dynamics;

/**
 * Yoshida's fourth-order symplectic integrator (Yoshida 1990, Phys. Lett. A 150, 262): three
 * leapfrog sub-steps of w1·h, w0·h, w1·h with w1 = 1/(2 − 2^{1/3}), w0 = 1 − 2 w1 = −2^{1/3}/(2 − 2^{1/3}).
 */
public final class Yoshida4 extends SymplecticIntegrator {
    /** w1 = 1/(2 − 2^{1/3}). */
    public static final double W1 = 1.0 / (2.0 - Math.cbrt(2.0));
    /** w0 = 1 − 2 w1. */
    public static final double W0 = 1.0 - 2.0 * W1;

    public Yoshida4() {
        super(W1, W0, W1);
    }

    @Override
    public int order() {
        return 4;
    }

    @Override
    public String name() {
        return "yoshida4";
    }
}
