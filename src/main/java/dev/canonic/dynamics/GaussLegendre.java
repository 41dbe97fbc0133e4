package dev.canonic.dynamics;

import java.util.function.DoubleUnaryOperator;

/**
 * Gauss–Legendre quadrature: nodes and weights of an n-point rule on [−1, 1] found by Newton's
 * method on the Legendre polynomial P_n (three-term recurrence), and an adaptive composite rule
 * that doubles the number of panels until two successive estimates agree.
 */
final class GaussLegendre {
    final double[] x;
    final double[] w;

    GaussLegendre(int n) {
        x = new double[n];
        w = new double[n];
        for (int i = 0; i < (n + 1) / 2; i++) {
            double t = Math.cos(Math.PI * (i + 0.75) / (n + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1, p1 = t;
                for (int k = 2; k <= n; k++) {
                    double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (t * p1 - p0) / (t * t - 1);
                double dt = p1 / dp;
                t -= dt;
                if (Math.abs(dt) < 1e-16) break;
            }
            double p0 = 1, p1 = t;
            for (int k = 2; k <= n; k++) {
                double p2 = ((2 * k - 1) * t * p1 - (k - 1) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            dp = n * (t * p1 - p0) / (t * t - 1);
            x[i] = -t;
            x[n - 1 - i] = t;
            w[i] = w[n - 1 - i] = 2 / ((1 - t * t) * dp * dp);
        }
    }

    static final GaussLegendre G20 = new GaussLegendre(20);
    static final GaussLegendre G16 = new GaussLegendre(16);

    /** ∫_a^b f with `panels` equal panels. */
    double integrate(DoubleUnaryOperator f, double a, double b, int panels) {
        double h = (b - a) / panels, s = 0;
        for (int k = 0; k < panels; k++) {
            double c = a + (k + 0.5) * h, r = 0.5 * h;
            double ps = 0;
            for (int i = 0; i < x.length; i++) ps += w[i] * f.applyAsDouble(c + r * x[i]);
            s += ps * r;
        }
        return s;
    }

    /**
     * ∫_a^b f, doubling panels from 1 until successive estimates differ by at most tol (absolute);
     * throws if 4096 panels do not suffice.
     */
    double adaptive(DoubleUnaryOperator f, double a, double b, double tol, String what) {
        if (a == b) return 0;
        double prev = integrate(f, a, b, 1), dPrev = Double.POSITIVE_INFINITY;
        for (int panels = 2; panels <= 4096; panels *= 2) {
            double cur = integrate(f, a, b, panels);
            double d = Math.abs(cur - prev);
            if (d <= tol) return cur;
            // rounding noise floor (integrand evaluated with cancellation): differences stop shrinking
            if (panels >= 16 && d <= 1e3 * tol && d >= 0.25 * dPrev) return cur;
            prev = cur;
            dPrev = d;
        }
        throw new ArithmeticException(what + ": quadrature did not converge on [" + a + ", " + b + "]");
    }
}
