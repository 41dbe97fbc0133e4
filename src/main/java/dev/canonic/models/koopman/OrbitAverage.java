package dev.canonic.models.koopman;

import java.util.Arrays;

/**
 * Orbit actions: the average of the learned J over the learned angle along one orbit.
 *
 * <p>The encoder is exactly symplectic, so it preserves the phase-space area an orbit encloses:
 * the image of a true orbit is a closed latent curve r(φ) with ½∮r²dφ = 2πJ_true. The learned
 * J(φ) = r²/2 ripples around the true action, but its average over the latent angle φ is the true
 * action exactly for one degree of freedom (and to second order in the ripple for each component
 * of a torus in more). Averaging the pointwise J of samples along an orbit therefore removes the
 * ripple that limits the pointwise figure. The average is the periodic trapezoid rule over the
 * samples sorted by angle (spectrally accurate for a smooth ripple once the samples go round the
 * circle), per component.
 */
public final class OrbitAverage {
    private OrbitAverage() {
    }

    /** Per-component orbit averages and how well the samples cover the angle circle. */
    public record Result(double[] actions, double largestGap) {
        /** Whether the samples go round every angle circle with no gap above π/4. */
        public boolean covered() {
            return largestGap <= Math.PI / 4;
        }
    }

    /**
     * The angle-weighted average of J along one orbit.
     *
     * @param j     m×d actions (row-major) of the orbit's m samples
     * @param theta m×d angles in radians (any branch)
     * @param m     samples, at least 2
     * @param d     degrees of freedom
     */
    public static Result average(double[] j, double[] theta, int m, int d) {
        if (m < 2) throw new IllegalArgumentException("an orbit average needs at least 2 samples, got " + m);
        if (j.length != m * d || theta.length != m * d) {
            throw new IllegalArgumentException("expected " + m + "×" + d + " actions and angles, got " + j.length + " and " + theta.length);
        }
        double[] out = new double[d];
        double gapMax = 0;
        double twoPi = 2 * Math.PI;
        double[][] pts = new double[m][2];
        for (int q = 0; q < d; q++) {
            for (int k = 0; k < m; k++) {
                double a = theta[k * d + q] % twoPi;
                pts[k][0] = a < 0 ? a + twoPi : a;
                pts[k][1] = j[k * d + q];
            }
            Arrays.sort(pts, (u, v) -> Double.compare(u[0], v[0]));
            double s = 0;
            for (int k = 0; k < m; k++) {
                double[] u = pts[k], v = pts[(k + 1) % m];
                double gap = k + 1 < m ? v[0] - u[0] : v[0] + twoPi - u[0];
                gapMax = Math.max(gapMax, gap);
                s += 0.5 * (u[1] + v[1]) * gap;
            }
            out[q] = s / twoPi;
        }
        return new Result(out, gapMax);
    }
}
