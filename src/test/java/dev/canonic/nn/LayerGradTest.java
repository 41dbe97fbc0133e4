package dev.canonic.nn;

import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.canonic.nn.NnTesting.checkBoth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** First- and second-order finite-difference checks of every layer w.r.t. its input and its parameters. */
class LayerGradTest {
    @Test
    void linearWithAndWithoutBias() {
        Random g = new Random(1);
        Linear a = new Linear(3, 2, true, Init.XAVIER_NORMAL, g);
        Linear b = new Linear(3, 2, false, Init.KAIMING_NORMAL, g);
        checkBoth("linear+bias", a, x -> a.forward(x).tanh(), Tensor.randn(g, 2, 3));
        checkBoth("linear", b, x -> b.forward(x).sin(), Tensor.randn(g, 2, 3));
        assertEquals(2, a.parameters().size());
        assertEquals(1, b.parameters().size());
    }

    @Test
    void mlpEveryActivation() {
        for (Activation act : Activation.values()) {
            Random g = new Random(2 + act.ordinal());
            Mlp m = new Mlp(new int[] {2, 3, 2}, act, g);
            // shift the input so that no ReLU pre-activation sits within the step of its kink
            checkBoth("mlp " + act, m, x -> m.forward(x).square(), Tensor.randn(g, 2, 2));
        }
    }

    @Test
    void gradientModulesForwardAndInverse() {
        for (boolean up : new boolean[] {true, false}) {
            Random g = new Random(up ? 3 : 4);
            GradientModule m = new GradientModule(2, 3, up, g);
            // make the nonlinear term large enough that a wrong derivative could not hide
            m.parameters().forEach(p -> p.set(p.value().mul(5.0)));
            checkBoth("gradient module up=" + up, m, m::forward, Tensor.randn(g, 2, 4));
            checkBoth("gradient module inverse up=" + up, m, m::inverse, Tensor.randn(g, 2, 4));
        }
    }

    @Test
    void linearModulesForwardAndInverse() {
        Random g = new Random(5);
        LinearModule m = new LinearModule(2, false, 3, g);
        for (Parameter p : m.parameters()) p.set(Tensor.randn(g, p.shape()).mul(0.5));
        checkBoth("linear module", m, x -> m.forward(x).sin(), Tensor.randn(g, 2, 4));
        checkBoth("linear module inverse", m, x -> m.inverse(x).sin(), Tensor.randn(g, 2, 4));
    }

    @Test
    void symplecticNet() {
        Random g = new Random(6);
        SymplecticNet n = new SymplecticNet(1, 2, 2, true, g);
        checkBoth("sympnet", n, x -> n.forward(x).square(), Tensor.randn(g, 2, 2));
        checkBoth("sympnet inverse", n, x -> n.inverse(x).square(), Tensor.randn(g, 2, 2));
    }

    @Test
    void parameterPathsAreDottedAndOrdered() {
        SymplecticNet n = new SymplecticNet(1, 2, 2, true, new Random(0));
        assertArrayEquals(new String[] {
            "layers.0.A0", "layers.0.A1", "layers.0.bq", "layers.0.bp",
            "layers.1.K", "layers.1.a", "layers.1.b",
            "layers.2.A0", "layers.2.A1", "layers.2.bq", "layers.2.bp",
            "layers.3.K", "layers.3.a", "layers.3.b"}, n.namedParameters().keySet().toArray(new String[0]));
        Mlp m = new Mlp(new int[] {1, 4, 1}, Activation.TANH, new Random(0));
        assertArrayEquals(new String[] {"layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"},
            m.namedParameters().keySet().toArray(new String[0]));
        assertEquals(4 + 4 + 4 + 1, m.parameterCount());
    }

    @Test
    void sameSeedSameWeightsAndBadShapesAreNamed() {
        Mlp a = new Mlp(new int[] {2, 5, 1}, Activation.SILU, new Random(9));
        Mlp b = new Mlp(new int[] {2, 5, 1}, Activation.SILU, new Random(9));
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).value().toArray(), b.parameters().get(i).value().toArray(), 0.0);
        }
        Linear l = new Linear(3, 2, true, Init.ZERO, new Random(0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(2, 4)));
        assertEquals("Linear: input of shape [2, 4], expected B×3", e.getMessage());
    }

    @Test
    void initialisationScales() {
        Random g = new Random(10);
        int in = 200, out = 300;
        assertEquals(2.0 / in, variance(Init.KAIMING_NORMAL.weight(in, out, g)), 0.05 * 2.0 / in);
        assertEquals(2.0 / in, variance(Init.KAIMING_UNIFORM.weight(in, out, g)), 0.05 * 2.0 / in);
        assertEquals(2.0 / (in + out), variance(Init.XAVIER_NORMAL.weight(in, out, g)), 0.05 * 2.0 / (in + out));
        assertEquals(2.0 / (in + out), variance(Init.XAVIER_UNIFORM.weight(in, out, g)), 0.05 * 2.0 / (in + out));
        assertEquals(1.0 / (3 * in), variance(Init.PYTORCH_DEFAULT.weight(in, out, g)), 0.05 / (3 * in));
        assertEquals(0.0, variance(Init.ZERO.weight(in, out, g)), 0.0);
    }

    private static double variance(Tensor t) {
        double[] v = t.toArray();
        double s = 0;
        for (double x : v) s += x * x;
        return s / v.length;
    }
}
