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
}
