package dev.canonic.dynamics;

/**
 * Actions, angles and frequencies of a batch of 1D phase-space points.
 *
 * @param J     actions (same unit as z·v)
 * @param theta angles in radians, in [0, 2π)
 * @param Omega frequencies (radians per unit time)
 */
public record AngleAction1D(double[] J, double[] theta, double[] Omega) {
    public AngleAction1D {
        if (J.length != theta.length || J.length != Omega.length) {
            throw new IllegalArgumentException("J, theta and Omega differ in length: " + J.length + ", " + theta.length + ", " + Omega.length);
        }
        J = J.clone();
        theta = theta.clone();
        Omega = Omega.clone();
    }

    /** Number of points. */
    public int size() {
        return J.length;
    }

    @Override
    public double[] J() {
        return J.clone();
    }

    @Override
    public double[] theta() {
        return theta.clone();
    }

    @Override
    public double[] Omega() {
        return Omega.clone();
    }
}
