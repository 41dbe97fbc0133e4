package dev.canonic.nn;

import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimiser steps against values worked out by hand from PyTorch's documented update rules. */
class OptimizerTest {
    static final double[] THETA0 = {1.0, -2.0};
    static final double[] G1 = {0.5, -1.0};
    static final double[] G2 = {0.1, 0.3};

    static Parameter p() {
        return new Parameter("w", Tensor.of(THETA0.clone(), 2));
    }

    static Tensor[] g(double[] v) {
        return new Tensor[] {Tensor.of(v.clone(), 2)};
    }

    /** Two Adam steps written out scalar by scalar (β₁ = 0.9, β₂ = 0.999, ε = 1e-8). */
    static double[] adamByHand(double lr, double wd, boolean decoupled) {
        double[] out = new double[2];
        for (int i = 0; i < 2; i++) {
            double th = THETA0[i], m = 0, v = 0;
            double[] gs = {G1[i], G2[i]};
            for (int t = 1; t <= 2; t++) {
                double gr = gs[t - 1];
                if (decoupled) th = th * (1 - lr * wd);
                else gr = gr + wd * th;
                m = 0.9 * m + 0.1 * gr;
                v = 0.999 * v + 0.001 * gr * gr;
                double mHat = m / (1 - Math.pow(0.9, t));
                double vHat = v / (1 - Math.pow(0.999, t));
                th = th - lr * mHat / (Math.sqrt(vHat) + 1e-8);
            }
            out[i] = th;
        }
        return out;
    }

    @Test
    void adamFirstStepIsLrTimesSignOfGradient() {
        Parameter w = p();
        Adam a = new Adam(List.of(w), 0.1);
        a.step(g(G1));
        // after one step m̂ = g and v̂ = g², so θ moves by lr·g/(|g| + ε)
        assertArrayEquals(new double[] {1.0 - 0.1 * 0.5 / (0.5 + 1e-8), -2.0 + 0.1 * 1.0 / (1.0 + 1e-8)}, w.value().toArray(), 1e-15);
        assertEquals(1, a.steps());
        assertTrue(w.value().requiresGrad());
        assertEquals(null, w.value().node(), "the update must not record a graph");
    }

    @Test
    void adamTwoStepsPlainL2AndDecoupled() {
        double[][] cases = {{0.0, 0}, {0.05, 0}, {0.05, 1}};
        for (double[] c : cases) {
            Parameter w = p();
            boolean dec = c[1] == 1;
            Adam a = new Adam(List.of(w), 0.01, 0.9, 0.999, 1e-8, c[0], dec);
            a.step(g(G1));
            a.step(g(G2));
            assertArrayEquals(adamByHand(0.01, c[0], dec), w.value().toArray(), 1e-15, "wd " + c[0] + " decoupled " + dec);
        }
        // the three variants really differ (so the comparison above can fail)
        assertFalse(adamByHand(0.01, 0.05, true)[0] == adamByHand(0.01, 0.05, false)[0]);
        assertFalse(adamByHand(0.01, 0.0, false)[0] == adamByHand(0.01, 0.05, false)[0]);
    }

    @Test
    void adamSecondStepByNumbers() {
        // θ = 1, g = 0.5 then 0.1, lr = 0.01: m = 0.05 → 0.055, v = 2.5e-4 → 2.5975e-4
        Parameter w = new Parameter("w", Tensor.of(new double[] {1.0}, 1));
        Adam a = new Adam(List.of(w), 0.01);
        a.step(new Tensor[] {Tensor.of(new double[] {0.5}, 1)});
        a.step(new Tensor[] {Tensor.of(new double[] {0.1}, 1)});
        double th1 = 1.0 - 0.01 * 0.5 / (0.5 + 1e-8);
        double mHat = 0.055 / 0.19, vHat = 2.5975e-4 / (1 - 0.999 * 0.999);
        assertEquals(th1 - 0.01 * mHat / (Math.sqrt(vHat) + 1e-8), w.value().item(), 1e-15);
    }

    @Test
    void sgdWithMomentumAndWeightDecay() {
        Parameter w = p();
        Sgd s = new Sgd(List.of(w), 0.1, 0.9, 0.01);
        s.step(g(G1));
        s.step(g(G2));
        for (int i = 0; i < 2; i++) {
            double b1 = G1[i] + 0.01 * THETA0[i];
            double th1 = THETA0[i] - 0.1 * b1;
            double b2 = 0.9 * b1 + G2[i] + 0.01 * th1;
            assertEquals(th1 - 0.1 * b2, w.value().toArray()[i], 1e-15);
        }
        Parameter u = p();
        new Sgd(List.of(u), 0.5, 0.0, 0.0).step(g(G1));
        assertArrayEquals(new double[] {0.75, -1.5}, u.value().toArray(), 0.0);
    }

    @Test
    void stateRoundTripContinuesBitwise() {
        for (int kind = 0; kind < 2; kind++) {
            Parameter a = p(), b = p();
            Optimizer oa = kind == 0 ? new Adam(List.of(a), 0.01, 0.9, 0.99, 1e-8, 0.1, true) : new Sgd(List.of(a), 0.01, 0.9, 0.1);
            Optimizer ob = kind == 0 ? new Adam(List.of(b), 0.5, 0.9, 0.99, 1e-8, 0.1, true) : new Sgd(List.of(b), 0.5, 0.9, 0.1);
            oa.step(g(G1));
            Map<String, NdArray> st = oa.state();
            b.set(a.value());
            ob.loadState(st);
            assertEquals(0.01, ob.learningRate());
            oa.step(g(G2));
            ob.step(g(G2));
            assertArrayEquals(a.value().toArray(), b.value().toArray(), 0.0);
            assertEquals(2, ob.steps());
        }
    }

    @Test
    void badStateAndGradientsAreNamed() {
        Parameter w = p();
        Adam a = new Adam(List.of(w), 0.1);
        a.step(g(G1));
        Map<String, NdArray> st = new java.util.LinkedHashMap<>(a.state());
        st.put("exp_avg/0", new NdArray(new double[3], new int[] {3}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p()), 0.1).loadState(st));
        assertTrue(e.getMessage().contains("exp_avg/0") && e.getMessage().contains("[3]"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> a.step(new Tensor[] {Tensor.zeros(3)}));
        assertTrue(e2.getMessage().contains("parameter w"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.setLearningRate(Double.NaN));
    }
}
