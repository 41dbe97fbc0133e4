package dev.canonic.dynamics;

import dev.canonic.check.GradCheck;
import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PoschlTellerTest {
    @Test
    void quadratureMatchesTheClosedFormActionAndFrequency() {
        PoschlTeller p = new PoschlTeller(1, 1);
        ActionAngle1D q = new ActionAngle1D(p);
        for (double e : new double[] {-0.9, -0.5, -0.1}) {
            ActionAngle1D.Orbit o = q.orbit(e);
            assertEquals(p.action(e), o.J(), 1e-10 * p.action(e));
            assertEquals(p.frequency(e), o.Omega(), 1e-10 * p.frequency(e));
        }
    }

    @Test
    void forceCurvatureAndTensorFormAgree() {
        PoschlTeller p = new PoschlTeller(1.3, 0.7);
        double h = 1e-5;
        for (double z : new double[] {-1.1, -0.2, 0.0, 0.4, 2.0}) {
            assertEquals(-(p.value(z + h) - p.value(z - h)) / (2 * h), p.force(z), 1e-8);
            assertEquals(-(p.force(z + h) - p.force(z - h)) / (2 * h), p.curvature(z), 1e-7);
            Tensor t = Tensor.scalar(z).requiresGrad(true);
            Tensor v = p.value(t);
            assertEquals(p.value(z), v.item(), 1e-15);
            assertEquals(-p.force(z), Autograd.grad(v, t)[0].item(), 1e-14);
        }
        GradCheck.first(x -> p.value(x[0]), new Tensor[] {Tensor.of(new double[] {-0.8, 0.3, 1.5}, 3)}, 1e-3, 1).assertWithin("poschl-teller", 1e-7);
        GradCheck.second(x -> p.value(x[0]), new Tensor[] {Tensor.of(new double[] {-0.8, 0.3, 1.5}, 3)}, 1e-3, 2).assertWithin("poschl-teller", 1e-7);
    }

    @Test
    void namedReferenceSystemGivesTheClosedFormAndRefusesUnboundActions() {
        ReferenceSystem sys = ReferenceSystem.of("poschl-teller", java.util.Map.of("V0", 1.3, "a", 0.7));
        PoschlTeller p = (PoschlTeller) sys.potential1D();
        assertEquals(0.7 * Math.sqrt(2.6), p.separatrixAction(), 1e-15);
        double z = 0.3, v = 0.8, e = 0.5 * v * v + p.value(z);
        double[] ref = sys.reference(new double[] {z}, new double[] {v});
        assertEquals(p.action(e), ref[0], 1e-9 * p.action(e), "J by quadrature against the closed form");
        assertEquals(p.frequency(e), ref[2], 1e-9 * p.frequency(e), "Omega");
        OrbitDatasets.Config d = OrbitDatasets.Config.defaults(sys);
        org.junit.jupiter.api.Assertions.assertTrue(d.jMax() < p.separatrixAction(), "default actions stay bound");
        OrbitDatasets.Config bad = new OrbitDatasets.Config(d.duration(), d.step(), d.energyTol(), d.integrator(), d.sampling(), d.jMin(), 1.2);
        OrbitDatasets.Config edge = new OrbitDatasets.Config(d.duration(), d.step(), d.energyTol(), d.integrator(), d.sampling(), 1.0, 1.12);
        Object[] ic = OrbitDatasets.initialConditions(sys, edge, 20, new java.util.SplittableRandom(2));
        ActionAngle1D q = new ActionAngle1D(p);
        for (int i = 0; i < 20; i++) {
            double jj = q.actionAngle(((double[]) ic[0])[i], ((double[]) ic[1])[i])[0];
            org.junit.jupiter.api.Assertions.assertTrue(jj >= 1.0 - 1e-9 && jj <= 1.12 + 1e-9, "action " + jj + " drawn near the separatrix " + p.separatrixAction());
        }
        IllegalArgumentException x = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> OrbitDatasets.initialConditions(sys, bad, 3, new java.util.SplittableRandom(1)));
        org.junit.jupiter.api.Assertions.assertTrue(x.getMessage().contains("separatrix"), x.getMessage());
    }
}
