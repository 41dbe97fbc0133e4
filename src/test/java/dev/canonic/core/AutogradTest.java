package dev.canonic.core;

import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutogradTest {
    @Test
    void thirdDerivativeOfSinTimesExpMatchesClosedForm() {
        for (double x0 : new double[] {-1.3, 0.0, 0.4, 2.2}) {
            Tensor x = Tensor.scalar(x0).requiresGrad(true);
            Tensor f = x.sin().mul(x.exp());
            Tensor d1 = Autograd.grad(new Tensor[] {f}, new Tensor[] {x}, null, true)[0];
            Tensor d2 = Autograd.grad(new Tensor[] {d1}, new Tensor[] {x}, null, true)[0];
            Tensor d3 = Autograd.grad(new Tensor[] {d2}, new Tensor[] {x}, null, false)[0];
            double e = Math.exp(x0);
            assertEquals(e * (Math.sin(x0) + Math.cos(x0)), d1.item(), 1e-12 * Math.max(1, e));
            assertEquals(2 * e * Math.cos(x0), d2.item(), 1e-12 * Math.max(1, e));
            assertEquals(2 * e * (Math.cos(x0) - Math.sin(x0)), d3.item(), 1e-12 * Math.max(1, e));
        }
    }

    /** (θ, J) → (z, v) of the harmonic oscillator, batched: rows of (θ, J). */
    static Tensor oscillator(Tensor tj, double omega, double zScale) {
        Tensor th = tj.slice(1, 0, 1), j = tj.slice(1, 1, 2);
        Tensor z = j.mul(2 / omega).sqrt().mul(th.sin()).mul(zScale);
        Tensor v = j.mul(2 * omega).sqrt().mul(th.cos());
        return Tensor.concat(1, z, v);
    }

    static double symplecticDefect(Tensor m) {
        // M^T Ω M - Ω for Ω = [[0, 1], [-1, 0]]
        Tensor omega = Tensor.of(new double[] {0, 1, -1, 0}, 2, 2);
        Tensor d = m.matmul(omega.matmul(m), true, false).sub(omega);
        return d.abs().max().item();
    }

    @Test
    void perSampleJacobianOfCanonicalMapIsSymplectic() {
        Random g = new Random(3);
        double[] v = new double[2 * 50];
        for (int i = 0; i < 50; i++) {
            v[2 * i] = 2 * Math.PI * g.nextDouble();
            v[2 * i + 1] = 0.1 + 3 * g.nextDouble();
        }
        Tensor x = Tensor.of(v, 50, 2).requiresGrad(true);
        Tensor m = Autograd.jacobian(t -> oscillator(t, 0.5, 1.0), x, false);
        assertArrayEquals(new int[] {50, 2, 2}, m.shape());
        assertTrue(symplecticDefect(m) < 1e-12, "canonical map defect " + symplecticDefect(m));
        Tensor bad = Autograd.jacobian(t -> oscillator(t, 0.5, 2.0), x, false);
        assertTrue(symplecticDefect(bad) > 0.5, "a non-canonical map must fail the check");
    }

    @Test
    void jacobianEntriesMatchAnalyticDerivatives() {
        Tensor x = Tensor.of(new double[] {0.3, 1.7, 2.0, 0.4}, 2, 2).requiresGrad(true);
        Tensor m = Autograd.jacobian(t -> t.square().mul(t.slice(1, 1, 2)), x, false);
        // y0 = x0^2 x1, y1 = x1^3
        assertEquals(2 * 0.3 * 1.7, m.get(0, 0, 0), 1e-14);
        assertEquals(0.09, m.get(0, 0, 1), 1e-14);
        assertEquals(0.0, m.get(0, 1, 0), 1e-14);
        assertEquals(3 * 0.16, m.get(1, 1, 1), 1e-14);
    }

    @Test
    void jvpVjpAndHvpAgreeWithExplicitJacobianAndHessian() {
        Function<Tensor, Tensor> f = x -> x.sin().mul(x.sum().exp());
        Tensor x = Tensor.of(new double[] {0.2, -0.5, 0.9}, 3);
        Tensor v = Tensor.of(new double[] {1.0, 0.5, -2.0}, 3);
        double s = Math.exp(0.2 - 0.5 + 0.9);
        double[] xv = {0.2, -0.5, 0.9};
        double[][] jac = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) jac[i][j] = (i == j ? Math.cos(xv[i]) * s : 0) + Math.sin(xv[i]) * s;
        }
        double[] jv = Autograd.jvp(f, x, v, false).toArray();
        double[] vj = Autograd.vjp(f, x, v, false).toArray();
        for (int i = 0; i < 3; i++) {
            double a = 0, b = 0;
            for (int j = 0; j < 3; j++) {
                a += jac[i][j] * v.toArray()[j];
                b += v.toArray()[j] * jac[j][i];
            }
            assertEquals(a, jv[i], 1e-13);
            assertEquals(b, vj[i], 1e-13);
        }
        // f(x) = sum x^2 * x0: H = [[6 x0... ]] checked against finite differences of the gradient
        Function<Tensor, Tensor> q = t -> t.square().sum().mul(t.slice(0, 0, 1).sum());
        double[] hv = Autograd.hvp(q, x, v, false).toArray();
        double x0 = 0.2;
        double[][] h = {{6 * x0, 2 * -0.5, 2 * 0.9}, {2 * -0.5, 2 * x0, 0}, {2 * 0.9, 0, 2 * x0}};
        for (int i = 0; i < 3; i++) {
            double e = 0;
            for (int j = 0; j < 3; j++) e += h[i][j] * v.toArray()[j];
            assertEquals(e, hv[i], 1e-13);
        }
    }

    @Test
    void noGradScopeRecordsNothingAndDetachCutsTheGraph() {
        Tensor w = Tensor.of(new double[] {1, 2}, 2).requiresGrad(true);
        try (GradMode.Scope s = GradMode.noGrad()) {
            assertFalse(w.mul(w).requiresGrad());
        }
        assertTrue(w.mul(w).requiresGrad());
        Tensor y = w.mul(w).detach().mul(w).sum();
        assertArrayEquals(new double[] {1, 4}, Autograd.grad(y, w)[0].toArray(), 0);
        GradMode.Scope s = GradMode.noGrad();
        s.close();
        assertThrows(IllegalStateException.class, s::close);
    }

    @Test
    void unusedInputsGetZerosAndGradientsAccumulateOverPaths() {
        Tensor a = Tensor.of(new double[] {3}, 1).requiresGrad(true);
        Tensor b = Tensor.of(new double[] {5}, 1).requiresGrad(true);
        Tensor y = a.mul(a).add(a).sum();
        Tensor[] g = Autograd.grad(y, a, b);
        assertEquals(7.0, g[0].item(), 0);
        assertEquals(0.0, g[1].item(), 0);
    }

    @Test
    void broadcastingAndReductionShapes() {
        Tensor a = Tensor.zeros(3, 1, 4), b = Tensor.zeros(2, 1);
        assertArrayEquals(new int[] {3, 2, 4}, a.add(b).shape());
        assertArrayEquals(new int[] {3, 1, 4}, a.add(b).sum(1, true).shape().length == 3 ? new int[] {3, 1, 4} : null);
        assertArrayEquals(new int[] {3, 4}, a.add(b).sum(1, false).shape());
        assertArrayEquals(new int[] {2}, a.add(b).sum(new int[] {0, 2}, false).shape());
        assertArrayEquals(new int[] {}, a.sum().shape());
        assertArrayEquals(new int[] {3, 1, 1}, a.add(b).max(2, true).max(1, true).shape());
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertArrayEquals(new double[] {5, 7, 9}, x.sum(0, false).toArray(), 0);
        assertArrayEquals(new double[] {6, 15}, x.sum(1, false).toArray(), 0);
        assertArrayEquals(new double[] {3, 6}, x.max(1, false).toArray(), 0);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36},
            x.add(Tensor.of(new double[] {10, 20, 30}, 3)).add(Tensor.of(new double[] {0, -6}, 2, 1)).add(Tensor.of(new double[] {0, 6}, 2, 1)).toArray(), 0);
        assertArrayEquals(new double[] {2.5, 2.5, 4.5, 4.5}, Tensor.of(new double[] {2, 3, 4, 5}, 4).groupMean(2).toArray(), 0);
    }

    @Test
    void shapeMismatchesNameTheOperationAndBothShapes() {
        Tensor a = Tensor.zeros(3, 4), b = Tensor.zeros(5);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("add") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.matmul(Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().contains("matmul") && e.getMessage().contains("[3, 4]") && e.getMessage().contains("[3, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.reshape(5, 2));
        assertTrue(e.getMessage().contains("reshape"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.inverse());
        assertTrue(e.getMessage().contains("inverse") && e.getMessage().contains("[3, 4]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new double[] {1, 2}, 3));
    }

    @Test
    void noBackwardRuleReturnsNaNWhereTheFunctionIsSmooth() {
        Tensor x = Tensor.of(new double[] {1e-8, 0.5, 3.0}, 3).requiresGrad(true);
        Tensor y = Tensor.of(new double[] {-1e-6, 2.0, -0.1}, 3).requiresGrad(true);
        Tensor out = x.sqrt().add(y.atan2(x)).add(y.abs()).add(x.log()).sum();
        Tensor[] g = Autograd.grad(new Tensor[] {out}, new Tensor[] {x, y}, null, true);
        Tensor[] h = Autograd.grad(new Tensor[] {g[0].sum().add(g[1].sum())}, new Tensor[] {x, y}, null, false);
        for (Tensor t : new Tensor[] {g[0], g[1], h[0], h[1]}) {
            for (double d : t.toArray()) assertTrue(Double.isFinite(d), "non-finite derivative " + t);
        }
    }

    @Test
    void memoryDoesNotGrowOverRepeatedTraining() {
        Random g = new Random(1);
        Tensor w1 = Tensor.randn(g, 4, 16).mul(0.3).detach().requiresGrad(true);
        Tensor w2 = Tensor.randn(g, 16, 1).mul(0.3).detach().requiresGrad(true);
        Tensor x = Tensor.randn(g, 32, 4);
        long[] used = new long[2];
        for (int it = 0; it < 10_000; it++) {
            Tensor h = x.matmul(w1).tanh();
            Tensor out = h.matmul(w2).square().mean();
            Tensor[] gr = Autograd.grad(out, w1, w2);
            w1 = w1.sub(gr[0].mul(1e-3)).detach().requiresGrad(true);
            w2 = w2.sub(gr[1].mul(1e-3)).detach().requiresGrad(true);
            if (it == 999 || it == 9_999) {
                System.gc();
                System.gc();
                Runtime rt = Runtime.getRuntime();
                used[it == 999 ? 0 : 1] = rt.totalMemory() - rt.freeMemory();
            }
        }
        assertTrue(used[1] - used[0] < 16L << 20, "heap grew from " + used[0] + " to " + used[1] + " bytes");
    }
}
