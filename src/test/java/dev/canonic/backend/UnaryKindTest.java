package dev.canonic.backend;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnaryKindTest {
    /** tanh by its series / exponential definition in 40-digit decimal arithmetic. */
    static double exactTanh(double x) {
        MathContext mc = new MathContext(40);
        BigDecimal bx = new BigDecimal(x);
        // e^{2x} by Taylor series (|2x| <= 40 here), then (e - 1)/(e + 1)
        BigDecimal y = bx.multiply(BigDecimal.valueOf(2));
        BigDecimal term = BigDecimal.ONE, sum = BigDecimal.ONE;
        for (int k = 1; k < 400; k++) {
            term = term.multiply(y, mc).divide(BigDecimal.valueOf(k), mc);
            sum = sum.add(term, mc);
            if (term.abs().compareTo(new BigDecimal("1e-45")) < 0 && k > 2 * Math.abs(y.doubleValue())) break;
        }
        BigDecimal em1 = sum.subtract(BigDecimal.ONE, mc);
        return em1.divide(sum.add(BigDecimal.ONE, mc), mc).doubleValue();
    }

    @Test
    void fastTanhIsAccurateToAFewUlp() {
        Random g = new Random(4);
        double worst = 0;
        for (int i = 0; i < 3000; i++) {
            double x = (g.nextDouble() - 0.5) * Math.pow(10, -8 + 9.2 * g.nextDouble());
            double e = exactTanh(x);
            double err = Math.abs(UnaryKind.tanh(x) - e) / Math.ulp(e);
            worst = Math.max(worst, err);
        }
        assertTrue(worst <= 4, "tanh error " + worst + " ulp");
        assertEquals(1.0, UnaryKind.tanh(50), 0);
        assertEquals(-1.0, UnaryKind.tanh(-800), 0);
        assertEquals(0.0, UnaryKind.tanh(0.0), 0);
        assertTrue(Double.isNaN(UnaryKind.tanh(Double.NaN)));
    }

    @Test
    void cpuBackendTanhEqualsTheScalarDefinitionBitForBit() {
        // the backend runs a Vector API kernel when the module is present (the tests add it): same operations, same bits
        Random g = new Random(5);
        double[] x = new double[1003];
        for (int i = 0; i < x.length; i++) x[i] = (g.nextDouble() - 0.5) * Math.pow(10, -10 + 12 * g.nextDouble());
        x[0] = 0.0;
        x[1] = -0.0;
        x[2] = Double.NaN;
        x[3] = Double.POSITIVE_INFINITY;
        x[4] = Double.NEGATIVE_INFINITY;
        x[5] = 1e-310;
        x[6] = -30;
        dev.canonic.backend.cpu.CpuBackend be = dev.canonic.backend.cpu.CpuBackend.INSTANCE;
        Buffer out = be.alloc(x.length);
        be.unary(UnaryKind.TANH, dev.canonic.backend.cpu.CpuBackend.wrap(x), out, x.length);
        double[] o = be.toHost(out);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToLongBits(UnaryKind.tanh(x[i])), Double.doubleToLongBits(o[i]), "tanh(" + x[i] + ")");
        }
        assertEquals(1.0, o[3], 0);
        assertEquals(-1.0, o[4], 0);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(o[1]));
    }

    @Test
    void cpuBackendReluAndItsBackwardMatchTheScalarDefinitions() {
        Random g = new Random(6);
        int n = 1003;
        double[] x = new double[n], gr = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = g.nextGaussian();
            gr[i] = g.nextGaussian();
        }
        x[0] = Double.NaN;
        x[1] = -0.0;
        x[2] = 0.0;
        dev.canonic.backend.cpu.CpuBackend be = dev.canonic.backend.cpu.CpuBackend.INSTANCE;
        Buffer r = be.alloc(n), d = be.alloc(n);
        be.unary(UnaryKind.RELU, dev.canonic.backend.cpu.CpuBackend.wrap(x), r, n);
        int[] sh = {n}, st = {1};
        be.binary(BinaryKind.RELU_GRAD, dev.canonic.backend.cpu.CpuBackend.wrap(gr), st, dev.canonic.backend.cpu.CpuBackend.wrap(x), st, d, sh);
        double[] ro = be.toHost(r), dro = be.toHost(d);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToLongBits(UnaryKind.RELU.apply(x[i])), Double.doubleToLongBits(ro[i]), "relu(" + x[i] + ")");
            assertEquals(Double.doubleToLongBits(BinaryKind.RELU_GRAD.apply(gr[i], x[i])), Double.doubleToLongBits(dro[i]), "relu grad at " + x[i]);
        }
    }
}
