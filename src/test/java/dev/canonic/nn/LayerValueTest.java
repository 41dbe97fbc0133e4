package dev.canonic.nn;

import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Forward values of the layers against their formulas evaluated by hand. */
class LayerValueTest {
    @Test
    void linearIsXTimesWTransposedPlusB() {
        Linear l = new Linear(2, 3, true, Init.ZERO, new Random(0));
        l.weight().set(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2));
        l.bias().set(Tensor.of(new double[] {0.5, -1, 2}, 3));
        assertArrayEquals(new double[] {1 * 1 - 2 * 1 + 0.5, 3 - 4 - 1, 5 - 6 + 2},
            l.forward(Tensor.of(new double[] {1, -1}, 1, 2)).toArray(), 0.0);
    }

    @Test
    void mlpAppliesTheActivationBetweenLayersOnly() {
        Mlp m = new Mlp(new int[] {1, 2, 1}, Activation.SOFTPLUS, new Random(0));
        m.layer(0).weight().set(Tensor.of(new double[] {1, -2}, 2, 1));
        m.layer(0).bias().set(Tensor.of(new double[] {0.1, 0.2}, 2));
        m.layer(1).weight().set(Tensor.of(new double[] {3, 4}, 1, 2));
        m.layer(1).bias().set(Tensor.of(new double[] {-5}, 1));
        double x = 0.3;
        double want = 3 * Math.log1p(Math.exp(x + 0.1)) + 4 * Math.log1p(Math.exp(-2 * x + 0.2)) - 5;
        assertArrayEquals(new double[] {want}, m.forward(Tensor.of(new double[] {x}, 1, 1)).toArray(), 1e-14);
    }

    @Test
    void gradientModulesUpAndLow() {
        for (boolean up : new boolean[] {true, false}) {
            GradientModule g = new GradientModule(1, 2, up, new Random(0));
            var ps = g.namedParameters();
            ps.get("K").set(Tensor.of(new double[] {0.5, -1.5}, 2, 1));
            ps.get("a").set(Tensor.of(new double[] {0.3, 0.7}, 2));
            ps.get("b").set(Tensor.of(new double[] {0.1, -0.2}, 2));
            double q = 0.8, p = -0.4;
            double s = up ? q : p;
            double term = 0.5 * 0.3 * Math.tanh(0.5 * s + 0.1) - 1.5 * 0.7 * Math.tanh(-1.5 * s - 0.2);
            double[] want = up ? new double[] {q, p + term} : new double[] {q + term, p};
            Tensor x = Tensor.of(new double[] {q, p}, 1, 2);
            assertArrayEquals(want, g.forward(x).toArray(), 1e-15, "up=" + up);
            assertArrayEquals(new double[] {q, p}, g.inverse(g.forward(x)).toArray(), 1e-15);
        }
    }

    @Test
    void linearModuleShearsWithSymmetricMatrices() {
        LinearModule m = new LinearModule(2, true, 2, new Random(0));
        var ps = m.namedParameters();
        ps.get("A0").set(Tensor.of(new double[] {1, 2, 0, 3}, 2, 2));      // S0 = [[2, 2], [2, 6]]
        ps.get("A1").set(Tensor.of(new double[] {0, 0, 1, -1}, 2, 2));     // S1 = [[0, 1], [1, -2]]
        ps.get("bq").set(Tensor.of(new double[] {0.5, 0}, 2));
        ps.get("bp").set(Tensor.of(new double[] {0, -1}, 2));
        double[] q = {1, -1}, p = {0.5, 2};
        double[] p1 = {p[0] + 2 * q[0] + 2 * q[1], p[1] + 2 * q[0] + 6 * q[1]};   // up: p += S0 q
        double[] q1 = {q[0] + p1[1], q[1] + p1[0] - 2 * p1[1]};                   // low: q += S1 p
        double[] want = {q1[0] + 0.5, q1[1], p1[0], p1[1] - 1};
        Tensor x = Tensor.of(new double[] {q[0], q[1], p[0], p[1]}, 1, 4);
        assertArrayEquals(want, m.forward(x).toArray(), 1e-14);
        assertArrayEquals(x.toArray(), m.inverse(m.forward(x)).toArray(), 1e-14);
    }
}
