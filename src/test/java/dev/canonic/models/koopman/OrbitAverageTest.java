package dev.canonic.models.koopman;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The orbit action: the average of a learned J over the learned angle along an orbit. */
class OrbitAverageTest {
    /**
     * An exactly symplectic "encoder": two shears, (q, p) → (q, p − f′(q)) → (q + g′(p), p), with
     * f(q) = a q³/3 + c sin(2q) and g(p) = b p³/3. It maps the circles of a harmonic oscillator
     * (true action J) to curves whose r²/2 ripples around J.
     */
    static double[] encode(double q, double p) {
        double a = 0.08, b = 0.05, c = 0.03;
        p = p - (a * q * q + 2 * c * Math.cos(2 * q));
        q = q + b * p * p;
        return new double[] {q, p};
    }

    @Test
    void averageOverTheLearnedAngleIsTheTrueActionOfASymplecticallyDistortedOrbit() {
        double jTrue = 0.7, w = 1.0, dt = 0.037;
        int m = 500; // about 3 periods, not a whole number of them
        double[] j = new double[m], th = new double[m];
        double ripple = 0, timeMean = 0;
        for (int k = 0; k < m; k++) {
            double phi = 0.4 + w * k * dt, r = Math.sqrt(2 * jTrue);
            double[] y = encode(r * Math.sin(phi), r * Math.cos(phi));
            j[k] = 0.5 * (y[0] * y[0] + y[1] * y[1]);
            th[k] = Math.atan2(y[0], y[1]);
            ripple = Math.max(ripple, Math.abs(j[k] - jTrue));
            timeMean += j[k] / m;
        }
        OrbitAverage.Result res = OrbitAverage.average(j, th, m, 1);
        assertTrue(ripple > 1e-2, "the test map must make a visible ripple, got " + ripple);
        assertEquals(jTrue, res.actions()[0], 1e-5 * ripple, "orbit action; pointwise ripple " + ripple + ", plain time mean " + timeMean);
        assertTrue(Math.abs(timeMean - jTrue) > 10 * Math.abs(res.actions()[0] - jTrue), "the angle average beats the plain time mean");
        assertTrue(res.covered(), "three periods cover the circle, largest gap " + res.largestGap());
    }

    @Test
    void eachComponentIsAveragedOverItsOwnAngle() {
        int m = 400;
        double[] j = new double[2 * m], th = new double[2 * m];
        for (int k = 0; k < m; k++) {
            double a = 0.11 * k, b = 0.37 * k + 1;
            j[2 * k] = 1.5 + 0.1 * Math.cos(3 * a);
            th[2 * k] = a;
            j[2 * k + 1] = 0.25 + 0.01 * Math.sin(b);
            th[2 * k + 1] = b;
        }
        OrbitAverage.Result res = OrbitAverage.average(j, th, m, 2);
        assertEquals(1.5, res.actions()[0], 1e-5);
        assertEquals(0.25, res.actions()[1], 1e-6);
    }

    @Test
    void aPartialOrbitIsFlaggedAndBadShapesAreNamed() {
        double[] j = {1, 1, 1}, th = {0.1, 0.2, 0.3};
        OrbitAverage.Result res = OrbitAverage.average(j, th, 3, 1);
        assertFalse(res.covered(), "three samples within 0.2 rad leave most of the circle unsampled");
        assertEquals(1.0, res.actions()[0], 1e-15, "a constant stays itself");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OrbitAverage.average(new double[] {1}, new double[] {0}, 1, 1));
        assertTrue(e.getMessage().contains("at least 2 samples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OrbitAverage.average(j, new double[] {0, 1}, 3, 1));
        assertTrue(e.getMessage().contains("3×1"), e.getMessage());
    }
}
