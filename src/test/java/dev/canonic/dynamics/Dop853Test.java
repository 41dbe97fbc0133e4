package dev.canonic.dynamics;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Dop853Test {
    @Test
    void exactOnTheOscillatorAndHitsOutputTimes() {
        HarmonicOscillator ho = new HarmonicOscillator(0.5);
        double[] times = {0, 1, 2.5, 10, 100};
        double[] traj = new Dop853(1e-14, 1e-14).orbits(ho, new double[] {1.0}, new double[] {0.0}, 1, times);
        for (int s = 0; s < times.length; s++) {
            assertEquals(Math.cos(0.5 * times[s]), traj[2 * s], 1e-12, "z at " + times[s]);
            assertEquals(-0.5 * Math.sin(0.5 * times[s]), traj[2 * s + 1], 1e-12, "v at " + times[s]);
        }
    }

    @Test
    void exponentialGrowthToRoundoff() {
        OdeSystem exp = new OdeSystem() {
            public int size() { return 1; }
            public void rhs(double t, double[] y, double[] d) { d[0] = y[0]; }
        };
        double[] y = new Dop853(1e-15, 1e-15).integrate(exp, 0, new double[] {1}, new double[] {2})[0];
        assertEquals(Math.exp(2), y[0], 1e-13 * Math.exp(2));
    }

    @Test
    void slabEnergyConservedTo1e12() {
        IsothermalSlab slab = new IsothermalSlab(1, 1);
        double[] times = new double[50];
        for (int i = 0; i < 50; i++) times[i] = 4.0 * (i + 1);
        double[] q = {0.3, -2.0}, p = {1.2, 0.5};
        double[] traj = new Dop853(1e-14, 1e-14).orbits(slab, q, p, 2, times);
        double[] e0 = Orbits.energies(slab, q, p, 2);
        double worst = 0;
        for (int s = 0; s < times.length; s++) {
            for (int i = 0; i < 2; i++) {
                double e = slab.energy(traj[(s * 2 + i) * 2], traj[(s * 2 + i) * 2 + 1]);
                worst = Math.max(worst, Math.abs(e - e0[i]) / e0[i]);
            }
        }
        assertTrue(worst < 1e-12, "energy error " + worst);
    }

    @Test
    void badInput() {
        Dop853 d = new Dop853(1e-12, 1e-12);
        HarmonicOscillator ho = new HarmonicOscillator(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> d.orbits(ho, new double[] {Double.NaN}, new double[] {0}, 1, new double[] {1}));
        assertTrue(e.getMessage().contains("initial state"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> d.orbits(ho, new double[] {1}, new double[] {0}, 1, new double[] {2, 1}));
        assertTrue(e.getMessage().contains("monotonic"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dop853(1e-20, 1e-12));
    }
}
