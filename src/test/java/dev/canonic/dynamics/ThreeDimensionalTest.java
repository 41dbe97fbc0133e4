package dev.canonic.dynamics;

import dev.canonic.check.GradCheck;
import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 3D potentials and the analytic isochrone action-angle map (physics checks, galpy style). */
class ThreeDimensionalTest {
    static final Isochrone ISO = Isochrone.paper();
    static final IsochroneActionAngle AA = new IsochroneActionAngle(ISO);

    static Potential[] all() {
        return new Potential[] {
            new Kepler(1e6), ISO, new Plummer(1e6, 3), new Hernquist(1e6, 2), new Nfw(2e6, 16),
            new LogarithmicHalo(220, 1.5, 0.8), new MiyamotoNagai(4e5, 3, 0.3),
            new CompositePotential(new MiyamotoNagai(4e5, 3, 0.3), new Nfw(2e6, 16), new Hernquist(1e5, 0.7))};
    }

    @Test
    void forcesMatchGradientsAndTensorVersions() {
        double[][] pts = {{8.1, 0.3, -1.2}, {-3.0, 5.0, 2.0}, {0.4, -0.2, 0.1}, {20.0, -15.0, 7.0}};
        for (Potential p : all()) {
            Tensor xt = Tensor.of(pts).requiresGrad(true);
            Tensor phi = p.value(xt);
            double[] pv = phi.toArray();
            double[] g = Autograd.grad(new Tensor[] {phi.sum()}, new Tensor[] {xt}, null, false)[0].toArray();
            for (int i = 0; i < pts.length; i++) {
                double[] x = pts[i], f = new double[3];
                p.force(x[0], x[1], x[2], f, 0);
                assertEquals(p.value(x[0], x[1], x[2]), pv[i], 1e-12 * Math.abs(pv[i]), p + " tensor value");
                for (int k = 0; k < 3; k++) {
                    double[] a = x.clone(), b = x.clone();
                    double h = 1e-5 * Math.max(1, Math.abs(x[k]));
                    a[k] += h;
                    b[k] -= h;
                    double fd = -(p.value(a[0], a[1], a[2]) - p.value(b[0], b[1], b[2])) / (2 * h);
                    double scale = Math.max(1e-3, Math.abs(f[0]) + Math.abs(f[1]) + Math.abs(f[2]));
                    assertEquals(fd, f[k], 1e-7 * scale, p + " force component " + k + " at point " + i);
                    assertEquals(-f[k], g[3 * i + k], 1e-11 * scale, p + " tensor gradient component " + k + " at point " + i);
                }
            }
            // first and second order through the engine (scaled so values are O(1))
            Tensor x = Tensor.of(new double[] {8.1, 0.3, -1.2, -3.0, 5.0, 2.0}, 2, 3);
            double s = 1 / Math.abs(p.value(8.1, 0.3, -1.2));
            GradCheck.both(a -> p.value(a[0]).mul(s), x).assertWithin(p + " gradcheck", 1e-7);
        }
    }

    @Test
    void tensorPositionsNeedThreeColumns() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ISO.value(Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("last axis of 3"), e.getMessage());
    }

    static double[][] randomBound(Random g, int n) {
        double[][] out = new double[n][];
        int k = 0;
        while (k < n) {
            double r = 6 + 10 * g.nextDouble();
            double[] u = unit(g), w = unit(g);
            double sp = Math.abs(150 * g.nextGaussian());
            double[] x = {r * u[0], r * u[1], r * u[2]}, v = {sp * w[0], sp * w[1], sp * w[2]};
            if (ISO.energy(x, v) < 0) out[k++] = new double[] {x[0], x[1], x[2], v[0], v[1], v[2]};
        }
        return out;
    }

    static double[] unit(Random g) {
        double z = 2 * g.nextDouble() - 1, ph = 2 * Math.PI * g.nextDouble(), s = Math.sqrt(1 - z * z);
        return new double[] {s * Math.cos(ph), s * Math.sin(ph), z};
    }

    @Test
    void isochroneRoundTrip() {
        Random g = new Random(3);
        double worstX = 0, worstV = 0, worstJ = 0, worstT = 0;
        for (double[] w : randomBound(g, 300)) {
            double[] x = {w[0], w[1], w[2]}, v = {w[3], w[4], w[5]};
            double[] a = AA.actionAngle(x, v);
            double[] back = AA.phaseSpace(new double[] {a[0], a[1], a[2]}, new double[] {a[3], a[4], a[5]});
            double rx = Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]), vv = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            for (int k = 0; k < 3; k++) {
                worstX = Math.max(worstX, Math.abs(back[k] - x[k]) / rx);
                worstV = Math.max(worstV, Math.abs(back[3 + k] - v[k]) / vv);
            }
            double[] a2 = AA.actionAngle(new double[] {back[0], back[1], back[2]}, new double[] {back[3], back[4], back[5]});
            for (int k = 0; k < 3; k++) {
                worstJ = Math.max(worstJ, Math.abs(a2[k] - a[k]) / (Math.abs(a[0]) + Math.abs(a[1]) + Math.abs(a[2])));
                worstT = Math.max(worstT, Math.abs(Angles.diff(a2[3 + k], a[3 + k])));
            }
        }
        assertTrue(worstX < 1e-10, "x round trip " + worstX);
        assertTrue(worstV < 1e-10, "v round trip " + worstV);
        assertTrue(worstJ < 1e-10, "J round trip " + worstJ);
        assertTrue(worstT < 1e-10, "theta round trip " + worstT);
    }

    @Test
    void isochroneRoundTripOnSpecialOrientations() {
        double[][] cases = {
            {7, 2, 0, -30, 180, 0},      // planar prograde (J_z = 0, node undefined)
            {7, 2, 0, -30, -180, 0},     // planar retrograde
            {7, 0, 2, -30, 0, 150},      // polar (L_z = 0)
            {0, 0, 9, 100, 40, -20},     // on the z axis
            {9, 0, 0, 0, 217.5, 0}};     // near circular
        for (double[] w : cases) {
            double[] x = {w[0], w[1], w[2]}, v = {w[3], w[4], w[5]};
            double[] a = AA.actionAngle(x, v);
            double[] back = AA.phaseSpace(new double[] {a[0], a[1], a[2]}, new double[] {a[3], a[4], a[5]});
            for (int k = 0; k < 3; k++) {
                assertEquals(x[k], back[k], 1e-10 * 10, "x" + k + " for " + java.util.Arrays.toString(w));
                assertEquals(v[k], back[3 + k], 1e-10 * 200, "v" + k + " for " + java.util.Arrays.toString(w));
            }
        }
    }

    @Test
    void isochroneActionsConstantAnglesLinearAlongOrbits() {
        Random g = new Random(5);
        double[][] ics = randomBound(g, 4);
        double tEnd = Units.gyrToInternal(1.0);
        double[] times = new double[20];
        for (int i = 0; i < times.length; i++) times[i] = tEnd * (i + 1) / times.length;
        Dop853 dop = new Dop853(1e-14, 1e-14);
        for (double[] ic : ics) {
            double[] x0 = {ic[0], ic[1], ic[2]}, v0 = {ic[3], ic[4], ic[5]};
            double[] a0 = AA.actionAngle(x0, v0);
            double[] traj = dop.orbits(ISO, x0, v0, 1, times);
            double jscale = Math.abs(a0[0]) + Math.abs(a0[1]) + Math.abs(a0[2]);
            for (int s = 0; s < times.length; s++) {
                double[] x = {traj[6 * s], traj[6 * s + 1], traj[6 * s + 2]}, v = {traj[6 * s + 3], traj[6 * s + 4], traj[6 * s + 5]};
                double[] a = AA.actionAngle(x, v);
                for (int k = 0; k < 3; k++) {
                    assertEquals(a0[k], a[k], 1e-9 * jscale, "action " + k + " along orbit");
                    assertEquals(a0[6 + k], a[6 + k], 1e-9 * Math.abs(a0[6]), "frequency " + k + " along orbit");
                    // angles advance at the analytic frequencies: this checks Ω against the integrated orbit
                    assertEquals(0, Angles.diff(a[3 + k], a0[3 + k] + a0[6 + k] * times[s]), 1e-8, "angle " + k + " at t = " + times[s]);
                }
            }
        }
    }

    @Test
    void radialPeriodMatchesTheIntegratedOrbit() {
        // after T_r = 2π/Ω_r the radius and radial velocity return to their starting values,
        // and after T_ψ = 2π/Ω_ψ the angle in the orbital plane has gone round once (mod the radial phase)
        double[] x0 = {9.0, 1.5, -2.0}, v0 = {60.0, 150.0, 70.0};
        double[] a = AA.actionAngle(x0, v0);
        double tr = 2 * Math.PI / a[6];
        double[] traj = new Dop853(1e-14, 1e-14).orbits(ISO, x0, v0, 1, new double[] {tr});
        double r0 = Math.sqrt(x0[0] * x0[0] + x0[1] * x0[1] + x0[2] * x0[2]);
        double r1 = Math.sqrt(traj[0] * traj[0] + traj[1] * traj[1] + traj[2] * traj[2]);
        double vr0 = (x0[0] * v0[0] + x0[1] * v0[1] + x0[2] * v0[2]) / r0;
        double vr1 = (traj[0] * traj[3] + traj[1] * traj[4] + traj[2] * traj[5]) / r1;
        assertEquals(r0, r1, 1e-10 * r0, "r after one radial period");
        assertEquals(vr0, vr1, 1e-9 * Math.abs(v0[1]), "v_r after one radial period");
        // the in-plane angle advances by Ω_ψ T_r over one radial period
        double[] a1 = AA.actionAngle(new double[] {traj[0], traj[1], traj[2]}, new double[] {traj[3], traj[4], traj[5]});
        OrbitalPlane p0 = new OrbitalPlane(x0, x0[1] * v0[2] - x0[2] * v0[1], x0[2] * v0[0] - x0[0] * v0[2], x0[0] * v0[1] - x0[1] * v0[0]);
        double[] x1 = {traj[0], traj[1], traj[2]};
        OrbitalPlane p1 = new OrbitalPlane(x1, traj[1] * traj[5] - traj[2] * traj[4], traj[2] * traj[3] - traj[0] * traj[5], traj[0] * traj[4] - traj[1] * traj[3]);
        assertEquals(0, Angles.diff(p1.psi, p0.psi + a[8] * tr), 1e-9, "psi advance over a radial period");
        assertEquals(0, Angles.diff(a1[3], a[3]), 1e-9);
    }

    @Test
    void circularOrbitHasZeroRadialAction() {
        double r = 8.122, vc = ISO.circularSpeed(r);
        assertEquals(217, vc, 1.0);   // the paper's v_c(R☉) = 217 km/s
        double[] a = AA.actionAngle(new double[] {r, 0, 0}, new double[] {0, vc, 0});
        assertTrue(Math.abs(a[0]) < 1e-12 * a[1], "J_r of a circular orbit " + a[0]);
        assertEquals(r * vc, a[1], 1e-12 * r * vc);
        assertEquals(0, a[2], 1e-12 * r * vc);
        // retrograde and polar orbits: L_z sign and J_z
        double[] ret = AA.actionAngle(new double[] {r, 0, 0}, new double[] {0, -vc, 0});
        assertEquals(-r * vc, ret[1], 1e-9);
        assertEquals(-ret[7], ret[8], 1e-12);
        double[] pol = AA.actionAngle(new double[] {r, 0, 0}, new double[] {0, 0, vc});
        assertEquals(0, pol[1], 1e-12);
        assertEquals(r * vc, pol[2], 1e-9);
    }

    @Test
    void leapfrogEnergyAt1e7Over0p1Gyr() {
        Random g = new Random(11);
        double[][] ics = randomBound(g, 16);
        int n = ics.length;
        double[] q = new double[3 * n], p = new double[3 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(ics[i], 0, q, 3 * i, 3);
            System.arraycopy(ics[i], 3, p, 3 * i, 3);
        }
        double[] e0 = Orbits.energies(ISO, q, p, n);
        double h = Units.gyrToInternal(1e-5);
        int steps = (int) Math.round(Units.gyrToInternal(0.1) / h);
        double worst = 0;
        for (int k = 0; k < 10; k++) {
            new Leapfrog().advance(ISO, q, p, n, h, steps / 10);
            double[] e = Orbits.energies(ISO, q, p, n);
            for (int i = 0; i < n; i++) worst = Math.max(worst, Math.abs(e[i] - e0[i]) / Math.abs(e0[i]));
        }
        assertTrue(worst < 1e-7, "leapfrog energy error " + worst);
    }

    @Test
    void dop853EnergyAt1e12() {
        double[][] ics = randomBound(new Random(13), 4);
        double[] times = {Units.gyrToInternal(0.05), Units.gyrToInternal(0.1)};
        for (double[] ic : ics) {
            double[] x = {ic[0], ic[1], ic[2]}, v = {ic[3], ic[4], ic[5]};
            double[] traj = new Dop853(1e-14, 1e-14).orbits(ISO, x, v, 1, times);
            double e0 = ISO.energy(x, v);
            double e1 = ISO.energy(new double[] {traj[6], traj[7], traj[8]}, new double[] {traj[9], traj[10], traj[11]});
            assertEquals(e0, e1, 1e-12 * Math.abs(e0));
        }
    }

    @Test
    void badInputIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> AA.actionAngle(new double[] {8, 0, 0}, new double[] {0, 1000, 0}));
        assertTrue(e.getMessage().contains("unbound"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AA.actionAngle(new double[] {0, 0, 0}, new double[] {0, 10, 0}));
        assertTrue(e.getMessage().contains("r = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AA.actionAngle(new double[] {8, Double.NaN, 0}, new double[] {0, 10, 0}));
        assertTrue(e.getMessage().contains("position[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AA.actionAngle(new double[] {8, 0, 0}, new double[] {10, 0, 0}));
        assertTrue(e.getMessage().contains("radial"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AA.actionAngle(new double[] {1, 2, 3, 4, 5, 6}, new double[] {1, 2, 3}, 3));
        assertTrue(e.getMessage().contains("positions has 6 values, expected 9"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Isochrone(-1, 5));
        assertTrue(e.getMessage().contains("GM"), e.getMessage());
    }
}
