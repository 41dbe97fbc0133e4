package dev.canonic.dynamics;

/**
 * Actions, angles and frequencies of a batch of n 3D points, each as a flat n×3 array.
 *
 * @param J     (J_r, L_z, J_z) per point, kpc km/s
 * @param theta (θ_r, θ_φ, θ_z) per point, radians in [0, 2π)
 * @param Omega (Ω_r, Ω_φ, Ω_z) per point, km/s/kpc
 */
public record AngleAction3D(double[] J, double[] theta, double[] Omega) {
    public AngleAction3D {
        if (J.length % 3 != 0 || J.length != theta.length || J.length != Omega.length) {
            throw new IllegalArgumentException("J, theta and Omega must be n×3 of equal length: " + J.length + ", " + theta.length + ", " + Omega.length);
        }
        J = J.clone();
        theta = theta.clone();
        Omega = Omega.clone();
    }

    /** From rows of 9 values (J_r, L_z, J_z, θ_r, θ_φ, θ_z, Ω_r, Ω_φ, Ω_z). */
    static AngleAction3D ofRows(double[][] rows) {
        int n = rows.length;
        double[] j = new double[3 * n], t = new double[3 * n], o = new double[3 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, j, 3 * i, 3);
            System.arraycopy(rows[i], 3, t, 3 * i, 3);
            System.arraycopy(rows[i], 6, o, 3 * i, 3);
        }
        return new AngleAction3D(j, t, o);
    }

    public int size() {
        return J.length / 3;
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
