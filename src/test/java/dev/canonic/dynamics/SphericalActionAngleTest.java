package dev.canonic.dynamics;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SphericalActionAngleTest {
    @Test
    void quadratureReproducesTheAnalyticIsochrone() {
        Isochrone iso = Isochrone.paper();
        IsochroneActionAngle an = new IsochroneActionAngle(iso);
        SphericalActionAngle q = new SphericalActionAngle(iso);
        double wj = 0, wo = 0, wt = 0;
        for (double[] w : ThreeDimensionalTest.randomBound(new Random(21), 100)) {
            double[] x = {w[0], w[1], w[2]}, v = {w[3], w[4], w[5]};
            double[] a = an.actionAngle(x, v), b = q.actionAngle(x, v);
            double js = Math.abs(a[0]) + Math.abs(a[1]) + Math.abs(a[2]);
            for (int k = 0; k < 3; k++) {
                wj = Math.max(wj, Math.abs(a[k] - b[k]) / js);
                wo = Math.max(wo, Math.abs(a[6 + k] - b[6 + k]) / Math.abs(a[6]));
                wt = Math.max(wt, Math.abs(Angles.diff(a[3 + k], b[3 + k])));
            }
        }
        assertTrue(wj < 1e-11, "actions " + wj);
        assertTrue(wo < 1e-11, "frequencies " + wo);
        assertTrue(wt < 1e-9, "angles " + wt);
    }

    @Test
    void actionsConstantAndAnglesLinearInOtherSphericalPotentials() {
        SphericalPotential[] pots = {new Plummer(1.4e6, 5), new Hernquist(1.4e6, 3), new Nfw(3e6, 15)};
        Dop853 dop = new Dop853(1e-14, 1e-14);
        double[] times = new double[8];
        for (int i = 0; i < times.length; i++) times[i] = Units.gyrToInternal(0.05 * (i + 1));
        for (SphericalPotential p : pots) {
            SphericalActionAngle q = new SphericalActionAngle(p);
            double[] x0 = {9.0, 1.0, -2.0}, v0 = {40.0, 120.0, 60.0};
            double[] a0 = q.actionAngle(x0, v0);
            double[] traj = dop.orbits(p, x0, v0, 1, times);
            double js = Math.abs(a0[0]) + Math.abs(a0[1]) + Math.abs(a0[2]);
            for (int s = 0; s < times.length; s++) {
                double[] a = q.actionAngle(new double[] {traj[6 * s], traj[6 * s + 1], traj[6 * s + 2]},
                    new double[] {traj[6 * s + 3], traj[6 * s + 4], traj[6 * s + 5]});
                for (int k = 0; k < 3; k++) {
                    assertEquals(a0[k], a[k], 1e-9 * js, p + " action " + k);
                    assertEquals(0, Angles.diff(a[3 + k], a0[3 + k] + a0[6 + k] * times[s]), 1e-8, p + " angle " + k);
                }
            }
        }
    }

    @Test
    void circularOrbitAndBadInput() {
        Hernquist h = new Hernquist(1e6, 2);
        SphericalActionAngle q = new SphericalActionAngle(h);
        double r = 7, vc = h.circularSpeed(r);
        double[] a = q.actionAngle(new double[] {r, 0, 0}, new double[] {0, vc, 0});
        assertTrue(Math.abs(a[0]) < 1e-10 * a[1], "J_r " + a[0]);
        assertEquals(vc / r, a[8], 1e-8 * vc / r);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.actionAngle(new double[] {r, 0, 0}, new double[] {0, 3000, 0}));
        assertTrue(e.getMessage().contains("unbound"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.actionAngle(new double[] {0, 0, 0}, new double[] {0, 1, 0}));
        assertTrue(e.getMessage().contains("r = 0"), e.getMessage());
    }
}
