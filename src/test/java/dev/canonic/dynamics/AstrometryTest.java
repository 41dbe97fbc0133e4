package dev.canonic.dynamics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AstrometryTest {
    @Test
    void handCheckedDirections() {
        Astrometry flat = new Astrometry(8.122, 0, new double[] {11.1, 245, 7.3});
        // 1 kpc from the Sun towards the centre, moving with the Sun plus 10 km/s towards +y (l = 90°)
        double[] o = flat.toObservables(new double[] {-7.122, 0, 0, 11.1, 255, 7.3});
        assertEquals(1, o[0], 1e-14);
        assertEquals(0, o[1], 1e-12);
        assertEquals(0, o[2], 1e-12);
        assertEquals(0, o[3], 1e-12);
        assertEquals(10 / Astrometry.K, o[4], 1e-12);
        assertEquals(0, o[5], 1e-12);
        // towards the north Galactic pole
        double[] g = flat.toGalactocentric(new double[] {2, 0, 90, 5, 0, 0});
        assertEquals(-8.122, g[0], 1e-12);
        assertEquals(2, g[2], 1e-12);
        assertEquals(7.3 + 5, g[5], 1e-12);
        // the default frame puts the Sun at height z_sun
        Astrometry p = Astrometry.paper();
        double[] sunward = p.toGalactocentric(new double[] {1e-9, 180, 0, 0, 0, 0});
        assertEquals(0.0208, sunward[2], 1e-9);
        assertEquals(-Math.sqrt(8.122 * 8.122 - 0.0208 * 0.0208), sunward[0], 1e-9);
    }

    @Test
    void roundTripTo1e12() {
        Astrometry a = Astrometry.paper();
        Random g = new Random(9);
        double worst = 0;
        for (int i = 0; i < 2000; i++) {
            double[] xv = {20 * g.nextGaussian(), 20 * g.nextGaussian(), 10 * g.nextGaussian(),
                150 * g.nextGaussian(), 150 * g.nextGaussian(), 150 * g.nextGaussian()};
            double[] o = a.toObservables(xv);
            assertTrue(o[1] >= 0 && o[1] < 360 && Math.abs(o[2]) <= 90);
            double[] back = a.toGalactocentric(o);
            for (int k = 0; k < 6; k++) {
                double scale = k < 3 ? 20 : 150;
                worst = Math.max(worst, Math.abs(back[k] - xv[k]) / scale);
            }
            double[] o2 = a.toObservables(back);
            for (int k = 0; k < 6; k++) worst = Math.max(worst, Math.abs(o2[k] - o[k]) / Math.max(1, Math.abs(o[k])));
        }
        assertTrue(worst < 1e-12, "round trip " + worst);
    }

    @Test
    void badInput() {
        Astrometry a = Astrometry.paper();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.toGalactocentric(new double[] {-1, 0, 0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("distance"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.toGalactocentric(new double[] {1, 0, 95, 0, 0, 0}));
        assertTrue(e.getMessage().contains("latitude"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.toObservables(new double[] {1, Double.NaN, 0, 0, 0, 0}));
        assertTrue(e.getMessage().contains("[1]"), e.getMessage());
    }
}
