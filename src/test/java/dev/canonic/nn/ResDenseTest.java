package dev.canonic.nn;

import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static dev.canonic.nn.NnTesting.checkBoth;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Weight normalisation, dropout, the ResDense block (Eq. 11) and the widening/narrowing network. */
class ResDenseTest {
    @Test
    void weightNormStartsAsTheWrappedLayerAndHasUnitDirections() {
        Random g = new Random(1);
        Linear l = new Linear(4, 3, true, Init.KAIMING_UNIFORM, g);
        Tensor x = Tensor.randn(g, 5, 4);
        Tensor before = l.forward(x);
        WeightNorm wn = new WeightNorm(l);
        assertTrue(NnTesting.maxAbsDiff(before, wn.forward(x)) < 1e-15);
        assertArrayEquals(new String[] {"weight_g", "weight_v", "bias"}, wn.namedParameters().keySet().toArray(new String[0]));
        assertEquals(new int[] {3, 1}.length, wn.g().shape().length);
        // doubling g doubles the weight; scaling v changes nothing
        wn.g().set(wn.g().value().mul(2));
        wn.v().set(wn.v().value().mul(7));
        assertTrue(NnTesting.maxAbsDiff(l.weight().value().mul(2), wn.weight()) < 1e-15);
    }

    @Test
    void weightNormDerivatives() {
        Random g = new Random(2);
        WeightNorm wn = new WeightNorm(3, 2, true, Init.XAVIER_NORMAL, g);
        wn.g().set(Tensor.randn(g, 2, 1));
        checkBoth("weight norm", wn, x -> wn.forward(x).tanh(), Tensor.randn(g, 2, 3));
        WeightNorm nb = new WeightNorm(2, 2, false, Init.KAIMING_NORMAL, g);
        checkBoth("weight norm no bias", nb, x -> nb.forward(x).square(), Tensor.randn(g, 3, 2));
    }

    /** Eq. 11 evaluated by hand for width 2 (no dropout): out = W2(ReLU(W1 ReLU(x))) + b2 + x. */
    @Test
    void blockMatchesEquation11ByHand() {
        Random g = new Random(3);
        ResDenseBlock b = new ResDenseBlock(2, g);
        var ps = b.namedParameters();
        assertArrayEquals(new String[] {"wn1.weight_g", "wn1.weight_v", "wn2.weight_g", "wn2.weight_v", "wn2.bias"},
            ps.keySet().toArray(new String[0]));
        ps.get("wn1.weight_g").set(Tensor.of(new double[] {2.0, 0.5}, 2, 1));
        ps.get("wn1.weight_v").set(Tensor.of(new double[] {3, 4, 1, -1}, 2, 2));
        ps.get("wn2.weight_g").set(Tensor.of(new double[] {1.0, 3.0}, 2, 1));
        ps.get("wn2.weight_v").set(Tensor.of(new double[] {0, 2, -5, 12}, 2, 2));
        ps.get("wn2.bias").set(Tensor.of(new double[] {0.25, -0.5}, 2));
        double[] x = {0.7, -0.3};
        // W1 = [[2·3/5, 2·4/5], [0.5/√2, −0.5/√2]]; W2 = [[0, 1], [3·(−5/13), 3·12/13]]
        double r0 = 0.7, r1 = 0.0;                                      // ReLU(x)
        double h0 = 1.2 * r0 + 1.6 * r1, h1 = 0.5 / Math.sqrt(2) * (r0 - r1);
        h0 = Math.max(h0, 0);
        h1 = Math.max(h1, 0);
        double o0 = h1 + 0.25 + x[0];
        double o1 = -15.0 / 13 * h0 + 36.0 / 13 * h1 - 0.5 + x[1];
        assertArrayEquals(new double[] {o0, o1}, b.forward(Tensor.of(x, 1, 2)).toArray(), 1e-15);
        // Listing 2 as run applies each weight-normalised layer twice
        ResDenseBlock twice = new ResDenseBlock(2, 0, 0, ResDenseBlock.Form.LISTING_2_AS_RUN, new Random(3));
        for (var e : ps.entrySet()) twice.namedParameters().get(e.getKey()).set(e.getValue().value());
        double t0 = 1.2 * r0 + 1.6 * r1, t1 = 0.5 / Math.sqrt(2) * (r0 - r1);
        double u0 = 1.2 * t0 + 1.6 * t1, u1 = 0.5 / Math.sqrt(2) * (t0 - t1);
        u0 = Math.max(u0, 0);
        u1 = Math.max(u1, 0);
        double s0 = u1 + 0.25, s1 = -15.0 / 13 * u0 + 36.0 / 13 * u1 - 0.5;
        double w0 = s1 + 0.25 + x[0], w1 = -15.0 / 13 * s0 + 36.0 / 13 * s1 - 0.5 + x[1];
        assertArrayEquals(new double[] {w0, w1}, twice.forward(Tensor.of(x, 1, 2)).toArray(), 1e-14);
    }

    @Test
    void blockDerivativesEvalAndWithFixedDropoutMasks() {
        for (ResDenseBlock.Form form : ResDenseBlock.Form.values()) {
            Random g = new Random(4);
            ResDenseBlock b = new ResDenseBlock(3, 0.0, 0, form, g);
            checkBoth("block " + form, b, b::forward, Tensor.randn(g, 2, 3));
        }
        Random g = new Random(5);
        ResDenseBlock d = new ResDenseBlock(3, 0.5, 77, ResDenseBlock.Form.EQUATION_11, g);
        assertTrue(d.hasDropout());
        Dropout d1 = (Dropout) d.namedModules().get("drop1"), d2 = (Dropout) d.namedModules().get("drop2");
        checkBoth("block with dropout", d, x -> {
            d1.setCounter(0);
            d2.setCounter(0);
            return d.forward(x);
        }, Tensor.randn(g, 4, 3));
    }

    @Test
    void dropoutStatisticsModesAndReproducibility() {
        Dropout d = new Dropout(0.3, 123);
        Tensor x = Tensor.ones(200, 50);
        double[] y = d.forward(x).toArray();
        int zeros = 0;
        for (double v : y) {
            if (v == 0) zeros++;
            else assertEquals(1 / 0.7, v, 1e-15);
        }
        assertEquals(0.3, zeros / 10000.0, 0.02);
        assertEquals(10000, d.counter());
        double[] y2 = d.forward(x).toArray();
        assertFalse(java.util.Arrays.equals(y, y2), "the next call draws a new mask");
        Dropout same = new Dropout(0.3, 123);
        assertArrayEquals(y, same.forward(x).toArray(), 0.0);
        assertNotEquals(0.0, NnTesting.maxAbsDiff(new Dropout(0.3, 124).forward(x), same.forward(x)) + 0.0);
        d.eval();
        Tensor e = Tensor.randn(new Random(1), 3, 3);
        assertTrue(d.forward(e) == e, "evaluation mode passes the input through");
        Dropout g = new Dropout(0.5, 9);
        checkBoth("dropout", g, x1 -> {
            g.setCounter(5);
            return g.forward(x1).square();
        }, Tensor.randn(new Random(2), 3, 4));
        assertThrows(IllegalArgumentException.class, () -> new Dropout(1.5, 0));
    }

    @Test
    void monteCarloDropoutMeanAndSpread() {
        ResDenseNet net = new ResDenseNet(new ResDenseNet.Config(2, 1, 8, 16, 3, 0.5, 8, ResDenseBlock.Form.EQUATION_11), new Random(6));
        net.eval();
        Tensor x = Tensor.randn(new Random(7), 5, 2);
        Dropout.Prediction p = Dropout.monteCarlo(net, net::forward, x, 200);
        assertFalse(net.isTraining(), "mode restored");
        assertArrayEquals(new int[] {5, 1}, p.mean().shape());
        double[] s = p.spread().toArray();
        for (double v : s) assertTrue(v > 0, "dropout passes must differ: spread " + v);
        // the same thing computed pass by pass
        ResDenseNet again = new ResDenseNet(new ResDenseNet.Config(2, 1, 8, 16, 3, 0.5, 8, ResDenseBlock.Form.EQUATION_11), new Random(6));
        again.train(true);
        double[][] ys = new double[200][];
        for (int k = 0; k < 200; k++) ys[k] = again.forward(x).toArray();
        for (int i = 0; i < 5; i++) {
            double m = 0, v = 0;
            for (double[] y : ys) m += y[i] / 200;
            for (double[] y : ys) v += (y[i] - m) * (y[i] - m) / 199;
            assertEquals(m, p.mean().toArray()[i], 1e-12);
            assertEquals(Math.sqrt(v), s[i], 1e-12);
        }
        // without dropout layers the spread is zero
        ResDenseNet plain = new ResDenseNet(new ResDenseNet.Config(2, 1, 8, 16, 3, 0.0, 8, ResDenseBlock.Form.EQUATION_11), new Random(6));
        for (double v : Dropout.monteCarlo(plain, plain::forward, x, 3).spread().toArray()) assertEquals(0.0, v);
    }

    @Test
    void widthsAndPresetsFollowThePaper() {
        assertArrayEquals(new int[] {64, 128, 256, 128, 64}, ResDenseNet.widths(64, 256, 5));
        assertArrayEquals(new int[] {64, 128, 256, 512, 1024, 1024, 1024, 512, 256, 128, 64}, ResDenseNet.widths(64, 1024, 11));
        assertArrayEquals(new int[] {64, 128, 256, 512, 1024, 1024, 1024, 1024, 1024, 1024, 1024, 512, 256, 128, 64},
            ResDenseNet.widths(64, 1024, 15));
        assertThrows(IllegalArgumentException.class, () -> ResDenseNet.widths(64, 300, 5));
        assertThrows(IllegalArgumentException.class, () -> ResDenseNet.widths(64, 256, 4));

        ResDenseNet n = ResDenseNet.cap256(6, 1, new Random(8));
        long expect = 6 * 64 + 64 + 64 + 1;
        for (int w : n.blockWidths()) expect += 2L * w * w + 3L * w;
        expect += 64 * 128 + 128 + 128 * 256 + 256 + 256 * 128 + 128 + 128 * 64 + 64;
        assertEquals(expect, n.parameterCount());
        int linears = 0, blocks = 0, dropouts = 0;
        for (Module m : n.namedModules().values()) {
            if (m instanceof Linear) linears++;
            if (m instanceof ResDenseBlock) blocks++;
            if (m instanceof Dropout) dropouts++;
        }
        assertEquals(5, blocks);
        assertEquals(4 + 2, linears, "4 transitions plus input and output (the weight-normalised layers replace their Linear)");
        assertEquals(0, dropouts, "no block wider than 256");

        ResDenseNet p = ResDenseNet.netP(6, 1, new Random(9));
        int tr = 0, dr = 0;
        for (var e : p.namedModules().entrySet()) {
            if (e.getValue() instanceof Linear && e.getKey().matches("layers\\.\\d+")) tr++;
            if (e.getValue() instanceof Dropout) dr++;
        }
        assertEquals(8 + 2, tr, "netP: 8 transition layers plus input and output");
        assertEquals(2 * 5, dr, "dropout after both ReLUs of the 512, 1024×3 and 512 blocks");
        assertArrayEquals(new int[] {3, 1}, p.forward(Tensor.randn(new Random(1), 3, 6)).shape());
    }

    @Test
    void smallNetworkDerivativesWithDropout() {
        Random g = new Random(10);
        ResDenseNet net = new ResDenseNet(new ResDenseNet.Config(3, 1, 2, 4, 3, 0.5, 2, ResDenseBlock.Form.EQUATION_11), g);
        Dropout[] ds = net.namedModules().values().stream().filter(m -> m instanceof Dropout).toArray(Dropout[]::new);
        assertEquals(2, ds.length);
        checkBoth("resdense net", net, x -> {
            for (Dropout d : ds) d.setCounter(3);
            return net.forward(x);
        }, Tensor.randn(g, 2, 3));
    }
}
