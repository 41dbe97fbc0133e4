package dev.canonic.validation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StreamMetricsTest {
    @Test
    void actionFigures() {
        double[] ref = {10, 20, 30, 30, 40, 50};
        double[] got = {11, 20, 27, 29, 40, 55};
        assertArrayEquals(new double[] {1, 0, 4, 5.0 / 3}, StreamMetrics.mad(got, ref), 1e-15);
        double[] rel = StreamMetrics.relativeMad(got, ref);
        assertEquals(1.0 / 20, rel[0], 1e-15);
        assertEquals(4.0 / 40, rel[2], 1e-15);
        assertEquals(rel[2], rel[3], 0);
    }

    @Test
    void anglesIgnoreAConstantOffsetAcrossTheWrap() {
        double[] ref = {0.1, 3.0, 6.2, 1.0, 0.5, 2.0, 5.0, 6.0, 0.2};
        double[] got = new double[9];
        double[] off = {2.5, -1.0, 0.3};
        for (int i = 0; i < 9; i++) got[i] = dev.canonic.models.actionfinder.data.StreamFiles.wrap(ref[i] + off[i % 3]);
        double[] m = StreamMetrics.angleMadDeg(got, ref);
        for (double v : m) assertEquals(0, v, 1e-12);
        got[0] += Math.toRadians(3);
        m = StreamMetrics.angleMadDeg(got, ref);
        assertEquals(4.0 / 3, m[0], 0.01); // residuals 2°, −1°, −1° after the offset moves by 1°
        assertEquals(Math.PI, Math.abs(StreamMetrics.wrapPi(Math.PI)), 1e-15);
        assertEquals(-0.5, StreamMetrics.wrapPi(2 * Math.PI - 0.5), 1e-15);
    }

    @Test
    void spreadsWithinAndAcrossStreams() {
        // two streams: J_R = 1 ± 0.1 and 3 ± 0.1; L_z constant in each
        double[] j = {0.9, 5, 1, 1.1, 5, 1, 2.9, 7, 1, 3.1, 7, 1};
        double[][] s = StreamMetrics.spreads(j, new int[] {0, 0, 1, 1});
        assertEquals(0.1, s[0][0], 1e-14);
        assertEquals(1.0, s[1][0], 1e-14);
        assertEquals(0, s[0][1], 1e-14);
        assertEquals(1.0, s[1][1], 1e-14);
        assertEquals(0, s[1][2], 1e-14);
    }

    @Test
    void errorConcentrationFindsTheStreamsThatCarryTheError() {
        // 50 streams of 2 stars; stream 7 is off by 30 in J_R on both stars, every other star by 0.1 in each component
        int streams = 50, n = 2 * streams;
        double[] ref = new double[3 * n], got = new double[3 * n];
        int[] id = new int[n];
        for (int i = 0; i < n; i++) {
            id[i] = i / 2;
            ref[3 * i] = id[i] == 7 ? 5000 : 100 + i;
            ref[3 * i + 1] = -300 + i;
            ref[3 * i + 2] = 50;
            for (int k = 0; k < 3; k++) got[3 * i + k] = ref[3 * i + k] + (id[i] == 7 ? (k == 0 ? 30 : 0) : 0.1);
        }
        double[] c = StreamMetrics.errorConcentration(got, ref, id, 0.02);
        assertEquals(1, c[4], 0.0, "2 % of 50 streams rounds up to one");
        double total = 2 * 30 + 49 * 2 * 3 * 0.1;
        assertEquals(60 / total, c[1], 1e-12, "share of the worst stream");
        assertEquals(0.1, c[2], 1e-12, "mean |dJ| of the others");
        assertEquals(5000, c[3], 0.0, "reference J_R of the worst stream");
        assertEquals(0.1, c[0], 1e-12, "median over stars and components");
        assertThrows(IllegalArgumentException.class, () -> StreamMetrics.errorConcentration(got, ref, new int[3], 0.02));
    }

    @Test
    void apocentreAndErrorBeyondTheData() {
        // Kepler-like isochrone with b → small: a circular orbit's apocentre is its radius; a faster star goes further out
        dev.canonic.dynamics.Isochrone iso = new dev.canonic.dynamics.Isochrone(1e6, 1e-6);
        double r = 10, vc = Math.sqrt(1e6 / r);
        double[] xv = {r, 0, 0, 0, vc, 0, r, 0, 0, 0, 1.2 * vc, 0, r, 0, 0, 0, 2 * vc, 0};
        double[] apo = dev.canonic.dynamics.Orbits.apocentres(iso, xv, 3);
        assertEquals(r, apo[0], 1e-4);  // a double root: bisection finds it to ~√ε
        double a = r / (2 - 1.44);  // vis-viva: semi-major axis a = r / (2 − v²/v_c²), apocentre 2a − r
        assertEquals(2 * a - r, apo[1], 1e-4);  // b = 1e-6 kpc shifts it by ~1e-6 relative
        assertEquals(Double.POSITIVE_INFINITY, apo[2]);
        // three streams of one star each; the second and third leave the data (r_max = 12)
        double[] learned = {1, 0, 0, 4, 0, 0, 10, 0, 0}, ref = {0, 0, 0, 0, 0, 0, 0, 0, 0};
        double[] b = StreamMetrics.beyondData(learned, ref, new int[] {0, 1, 2}, apo, 12);
        assertEquals(2, b[0]);
        assertEquals(3, b[1]);
        assertEquals(14.0 / 15.0, b[2], 1e-15);
        assertEquals(1.0 / 3.0, b[3], 1e-15);
        assertEquals(12.0, dev.canonic.dynamics.Orbits.maxRadius(new double[] {0, 12, 0, 5, 5, 5, 1, 1, 1, 0, 0, 0}, 2), 0);
    }
}
