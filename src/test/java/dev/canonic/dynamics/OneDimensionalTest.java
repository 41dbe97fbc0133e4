package dev.canonic.dynamics;

import dev.canonic.check.GradCheck;
import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 1D potentials, integrators and reference action-angle calculators (physics checks, galpy style). */
class OneDimensionalTest {
    static final HarmonicOscillator HO = new HarmonicOscillator(0.5);
    static final IsothermalSlab SLAB = new IsothermalSlab(1.0, 1.0);

    static double rel(double a, double b) {
        return Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
    }

    @Test
    void forcesAreMinusTheDerivativeAndTensorVersionsAgree() {
        for (Potential1D p : new Potential1D[] {HO, SLAB, new IsothermalSlab(0.7, 1.9)}) {
            double[] zs = {-7.3, -1.1, -0.2, 0.0, 0.35, 2.5, 40.0};
            Tensor zt = Tensor.of(zs, zs.length).requiresGrad(true);
            Tensor phi = p.value(zt);
            double[] pv = phi.toArray();
            double[] g = Autograd.grad(new Tensor[] {phi.sum()}, new Tensor[] {zt}, null, false)[0].toArray();
            for (int i = 0; i < zs.length; i++) {
                double z = zs[i], h = 1e-5 * Math.max(1, Math.abs(z));
                double fd = -(p.value(z + h) - p.value(z - h)) / (2 * h);
                assertEquals(fd, p.force(z), 1e-8 * Math.max(1, Math.abs(fd)), p + " force at " + z);
                double cd = -(p.force(z + h) - p.force(z - h)) / (2 * h);
                assertEquals(cd, p.curvature(z), 1e-7, p + " curvature at " + z);
                assertEquals(p.value(z), pv[i], 1e-13 * Math.max(1, Math.abs(pv[i])), p + " tensor value at " + z);
                assertEquals(-p.force(z), g[i], 1e-13 * Math.max(1, Math.abs(g[i])), p + " tensor gradient at " + z);
            }
            Tensor x = Tensor.of(new double[] {-1.3, -0.4, 0.2, 0.9, 2.1, 3.3}, 2, 3);
            GradCheck.both(a -> p.value(a[0]), x).assertWithin(p + " gradcheck", 1e-8);
        }
    }

    @Test
    void slabValueHasNoOverflowFarOut() {
        double z = 4000;
        assertEquals(2 * (z / 2 - Math.log(2)), SLAB.value(z), 1e-9);
        assertTrue(Double.isFinite(SLAB.value(Tensor.of(new double[] {z}, 1)).item()));
    }

    /** Max relative energy error of leapfrog / Yoshida over a time span with step h. */
    static double energyDrift(SymplecticIntegrator integ, Potential1D p, double h, double span) {
        double[] z = {0.3, -1.0, 2.0, 0.0}, v = {0.9, 0.2, -0.1, 1.5};
        double[] e0 = Orbits.energies(p, z, v, 4);
        int steps = (int) Math.round(span / h);
        double worst = 0;
        for (int s = 0; s < steps; s++) {
            integ.step(p, z, v, 4, h);
            double[] e = Orbits.energies(p, z, v, 4);
            for (int i = 0; i < 4; i++) worst = Math.max(worst, rel(e[i], e0[i]));
        }
        return worst;
    }

    @Test
    void integratorsConserveEnergyWithTheirOrder() {
        for (Potential1D p : new Potential1D[] {HO, SLAB}) {
            double lf1 = energyDrift(new Leapfrog(), p, 0.02, 30), lf2 = energyDrift(new Leapfrog(), p, 0.01, 30);
            assertTrue(lf1 / lf2 > 3.5 && lf1 / lf2 < 4.5, p + " leapfrog order: ratio " + lf1 / lf2);
            double y1 = energyDrift(new Yoshida4(), p, 0.1, 30), y2 = energyDrift(new Yoshida4(), p, 0.05, 30);
            assertTrue(y1 / y2 > 13 && y1 / y2 < 19, p + " Yoshida order: ratio " + y1 / y2);
            assertTrue(energyDrift(new Leapfrog(), p, 2e-4, 10) < 1e-7, p + " leapfrog energy at 1e-7");
            assertTrue(energyDrift(new Yoshida4(), p, 0.01, 30) < 1e-9, p + " Yoshida energy");
        }
    }

    @Test
    void leapfrogFollowsTheExactOscillatorSolution() {
        double w = HO.omega();
        double[] z = {1.0}, v = {0.0};
        double h = 1e-3, t = 20;
        new Yoshida4().advance(HO, z, v, 1, h, (int) Math.round(t / h));
        assertEquals(Math.cos(w * t), z[0], 1e-11);
        assertEquals(-w * Math.sin(w * t), v[0], 1e-11);
    }

    @Test
    void trajectoryLayout() {
        double[] traj = Orbits.trajectory(new Leapfrog(), HO, new double[] {1, 2}, new double[] {0, 0.5}, 2, 0.1, 3, 10);
        assertEquals(4 * 2 * 2, traj.length);
        assertEquals(1, traj[0]);
        assertEquals(0, traj[1]);
        assertEquals(2, traj[2]);
        assertEquals(0.5, traj[3]);
        double[] z = {1, 2}, v = {0, 0.5};
        new Leapfrog().advance(HO, z, v, 2, 0.01, 30);
        assertEquals(z[1], traj[3 * 4 + 2], 1e-15);
        assertEquals(v[1], traj[3 * 4 + 3], 1e-15);
    }

    @Test
    void harmonicAnalyticConventionAndRoundTrip() {
        HarmonicActionAngle aa = new HarmonicActionAngle(HO);
        double w = 0.5, amp = 1.7;
        for (double t = 0; t < 30; t += 0.37) {
            // exact solution with upward crossing of z = 0 at t = 0: z = A sin(ωt), v = Aω cos(ωt)
            double z = amp * Math.sin(w * t), v = amp * w * Math.cos(w * t);
            double[] r = aa.actionAngle(z, v);
            assertEquals(0.5 * amp * amp * w, r[0], 1e-14);
            assertEquals(0, Angles.diff(r[1], w * t), 1e-13);
            assertEquals(w, r[2]);
            assertTrue(r[1] >= 0 && r[1] < 2 * Math.PI);
            double[] back = aa.phaseSpace(r[0], r[1]);
            assertEquals(z, back[0], 1e-14);
            assertEquals(v, back[1], 1e-14);
        }
    }

    @Test
    void harmonicTensorVersionsMatchAndDifferentiate() {
        HarmonicActionAngle aa = new HarmonicActionAngle(0.5);
        double[] z = {0.3, -1.2, 0.8, -0.1}, v = {0.5, 0.2, -0.7, -0.3};
        Tensor[] t = aa.actionAngle(Tensor.of(z, 4), Tensor.of(v, 4));
        for (int i = 0; i < 4; i++) {
            double[] r = aa.actionAngle(z[i], v[i]);
            assertEquals(r[0], t[0].get(i), 1e-15);
            assertEquals(r[1], t[1].get(i), 1e-15);
        }
        Tensor[] back = aa.phaseSpace(t[0], t[1]);
        for (int i = 0; i < 4; i++) {
            assertEquals(z[i], back[0].get(i), 1e-14);
            assertEquals(v[i], back[1].get(i), 1e-14);
        }
        GradCheck.both(a -> { Tensor[] r = aa.actionAngle(a[0], a[1]); return r[0].add(r[1].sin()); },
            Tensor.of(z, 4), Tensor.of(v, 4)).assertWithin("HO (J, θ) gradcheck", 1e-8);
        GradCheck.both(a -> { Tensor[] r = aa.phaseSpace(a[0], a[1]); return r[0].mul(r[1]); },
            Tensor.of(new double[] {0.4, 1.1}, 2), Tensor.of(new double[] {0.3, 4.0}, 2)).assertWithin("HO (z, v) gradcheck", 1e-8);
    }

    @Test
    void quadratureMatchesTheAnalyticOscillator() {
        ActionAngle1D q = new ActionAngle1D(HO);
        HarmonicActionAngle aa = new HarmonicActionAngle(HO);
        Random rng = new Random(1);
        double worstJ = 0, worstT = 0, worstO = 0;
        for (int i = 0; i < 200; i++) {
            double z = 4 * rng.nextGaussian(), v = rng.nextGaussian();
            double[] a = aa.actionAngle(z, v), b = q.actionAngle(z, v);
            worstJ = Math.max(worstJ, rel(b[0], a[0]));
            worstO = Math.max(worstO, rel(b[2], a[2]));
            worstT = Math.max(worstT, Math.abs(Angles.diff(b[1], a[1])));
        }
        assertTrue(worstJ < 1e-12, "J " + worstJ);
        assertTrue(worstO < 1e-12, "Omega " + worstO);
        assertTrue(worstT < 1e-12, "theta " + worstT);
    }

    @Test
    void slabActionsConstantAndAnglesLinearAlongOrbits() {
        ActionAngle1D q = new ActionAngle1D(SLAB);
        for (double[] ic : new double[][] {{0.0, 0.3}, {0.5, 1.5}, {-2.0, -3.0}, {1.0, 6.0}}) {
            double[] z = {ic[0]}, v = {ic[1]};
            double[] r0 = q.actionAngle(z[0], v[0]);
            double h = 2e-3, t = 0;
            for (int k = 0; k < 20; k++) {
                new Yoshida4().advance(SLAB, z, v, 1, h, 250);
                t += 250 * h;
                double[] r = q.actionAngle(z[0], v[0]);
                assertEquals(r0[0], r[0], 1e-9 * r0[0], "J along orbit " + ic[0] + "," + ic[1]);
                assertEquals(r0[2], r[2], 1e-9 * r0[2], "Omega along orbit");
                assertEquals(0, Angles.diff(r[1], r0[1] + r0[2] * t), 1e-9, "theta grows at Omega");
            }
        }
    }

    /** A generic anharmonic, asymmetric potential without a closed-form drop(): Φ = √(1 + z²) − 1 + 0.1 z³/(1 + z²). */
    static final Potential1D ANHARMONIC = new Potential1D() {
        public double value(double z) { return Math.sqrt(1 + z * z) - 1 + 0.1 * z * z * z / (1 + z * z); }
        public double force(double z) {
            double u = 1 + z * z;
            return -(z / Math.sqrt(u) + 0.1 * (3 * z * z * u - 2 * z * z * z * z) / (u * u));
        }
        public double curvature(double z) {
            double h = 1e-5;
            return -(force(z + h) - force(z - h)) / (2 * h);
        }
        public Tensor value(Tensor z) {
            Tensor u = z.square().add(1);
            return u.sqrt().sub(1).add(z.pow(3).div(u).mul(0.1));
        }
        public String name() { return "anharmonic"; }
    };

    @Test
    void anyConfiningPotentialByQuadrature() {
        ActionAngle1D q = new ActionAngle1D(ANHARMONIC);
        double[] z = {0.2}, v = {1.3};
        double[] r0 = q.actionAngle(z[0], v[0]);
        double t = 0, h = 1e-3;
        for (int k = 0; k < 12; k++) {
            new Yoshida4().advance(ANHARMONIC, z, v, 1, h, 1000);
            t += 1000 * h;
            double[] r = q.actionAngle(z[0], v[0]);
            assertEquals(r0[0], r[0], 1e-9 * r0[0], "J along an anharmonic orbit");
            assertEquals(0, Angles.diff(r[1], r0[1] + r0[2] * t), 1e-9, "theta grows at Omega");
        }
        double[] back = q.phaseSpace(r0[0], r0[1]);
        assertEquals(0.2, back[0], 1e-10);
        assertEquals(1.3, back[1], 1e-10);
    }

    @Test
    void slabSmallAmplitudeLimitAndInverse() {
        ActionAngle1D q = new ActionAngle1D(SLAB);
        double w0 = 1 / Math.sqrt(2);       // σ/(√2 z0)
        double[] r = q.actionAngle(1e-4, 0);
        assertEquals(w0, r[2], 1e-8);
        double[] at0 = q.actionAngle(0, 0);
        assertEquals(0, at0[0]);
        assertEquals(w0, at0[2], 1e-15);
        // frequency falls with action
        assertTrue(q.actionAngle(0, 3)[2] < q.actionAngle(0, 1)[2]);
        // inverse
        for (double[] p : new double[][] {{0.3, 0.9}, {-1.7, 0.4}, {2.5, -1.0}, {-0.1, -2.2}, {0, 1}}) {
            double[] aa = q.actionAngle(p[0], p[1]);
            double[] back = q.phaseSpace(aa[0], aa[1]);
            assertEquals(p[0], back[0], 1e-10, "z round trip");
            assertEquals(p[1], back[1], 1e-10, "v round trip");
        }
    }

    @Test
    void badInputIsNamed() {
        ActionAngle1D q = new ActionAngle1D(SLAB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.actionAngle(Double.NaN, 1));
        assertTrue(e.getMessage().contains("not finite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.actionAngle(new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("has 2 values but"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HarmonicOscillator(-1));
        assertTrue(e.getMessage().contains("omega"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Leapfrog().advance(HO, new double[] {Double.NaN}, new double[] {0}, 1, 0.1, 1));
        assertTrue(e.getMessage().contains("positions[0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new HarmonicActionAngle(0.5).phaseSpace(-1, 0));
        assertTrue(e.getMessage().contains("non-negative"), e.getMessage());
        Potential1D flat = new Potential1D() {
            public double value(double z) { return -1 / Math.sqrt(1 + z * z); }
            public double force(double z) { return -z / Math.pow(1 + z * z, 1.5); }
            public double curvature(double z) { return (1 - 2 * z * z) / Math.pow(1 + z * z, 2.5); }
            public Tensor value(Tensor z) { return z.square().add(1).pow(-0.5).neg(); }
            public String name() { return "plummer1d"; }
        };
        e = assertThrows(IllegalArgumentException.class, () -> new ActionAngle1D(flat).actionAngle(0, 2));
        assertTrue(e.getMessage().contains("unbound"), e.getMessage());
    }
}
