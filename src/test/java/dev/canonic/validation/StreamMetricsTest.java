package dev.canonic.validation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
