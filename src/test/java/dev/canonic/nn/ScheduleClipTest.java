package dev.canonic.nn;

import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Learning-rate schedules and gradient clipping against values worked out by hand. */
class ScheduleClipTest {
    @Test
    void stepSchedule() {
        LrSchedule s = LrSchedule.step(0.1, 3, 0.5);
        double[] want = {0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025};
        for (int e = 0; e < want.length; e++) assertEquals(want[e], s.lrAt(e), 1e-17);
    }

    @Test
    void cosineSchedule() {
        LrSchedule s = LrSchedule.cosine(1.0, 0.1, 4);
        assertEquals(1.0, s.lrAt(0), 1e-16);
        assertEquals(0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, s.lrAt(1), 1e-16);
        assertEquals(0.55, s.lrAt(2), 1e-16);
        assertEquals(0.1, s.lrAt(4), 1e-16);
        assertEquals(0.1, s.lrAt(9), 1e-16);
    }

    @Test
    void plateauScheduleAndItsState() {
        LrSchedule s = LrSchedule.reduceOnPlateau(1.0, 0.5, 1, 0.01, 0.2);
        double[] losses = {10, 9, 8.95, 8.99, 7, 7, 7, 7, 7, 7, 7};
        // 8.95 is not 1 % better than 9; two bad epochs in a row (> patience 1) halve the rate
        double[] lrAfter = {1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2};
        LrSchedule copy = null;
        for (int e = 0; e < losses.length; e++) {
            s.observe(e, losses[e]);
            assertEquals(lrAfter[e], s.lrAt(e + 1), 1e-16, "after epoch " + e);
            if (e == 5) {
                copy = LrSchedule.reduceOnPlateau(1.0, 0.5, 1, 0.01, 0.2);
                copy.loadState(s.state());
            }
            if (copy != null && e > 5) {
                copy.observe(e, losses[e]);
                assertEquals(s.lrAt(e + 1), copy.lrAt(e + 1));
            }
        }
    }

    @Test
    void clipByGlobalNorm() {
        Tensor[] g = {Tensor.of(new double[] {3}, 1), null, Tensor.of(new double[] {0, 4}, 2)};
        GradClip.Clipped c = GradClip.byGlobalNorm(g, 1.0);
        assertEquals(5.0, c.norm(), 0.0);
        double k = 1.0 / (5.0 + 1e-6);
        assertArrayEquals(new double[] {3 * k}, c.grads()[0].toArray(), 1e-16);
        assertArrayEquals(new double[] {0, 4 * k}, c.grads()[2].toArray(), 1e-16);
        assertEquals(null, c.grads()[1]);
        GradClip.Clipped untouched = GradClip.byGlobalNorm(g, 10.0);
        assertSame(g[0], untouched.grads()[0]);
        assertThrows(IllegalArgumentException.class, () -> GradClip.byGlobalNorm(g, 0));
    }
}
