package dev.canonic.ops;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.check.GradCheck;
import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused SympNet gradient module {@link Op.GradientShear}: finite-difference checks of first and
 * second derivatives (first order runs the CPU's fused backward kernel, second order the
 * differentiable composition it falls back to when a graph is recorded), and agreement with the
 * primitive composition it replaces: values and gradients to 1e-13 relative to their largest element
 * (the sums over the width run in another order).
 */
class GradientShearTest {
    static Tensor shear(Tensor[] x, int d, boolean up, boolean inverse) {
        return Ops.apply(new Op.GradientShear(d, up, inverse), x[0], x[1], x[2], x[3]);
    }

    /** What GradientModule computed before the fused op: slice, matmul, add, tanh, mul, matmul, add/sub, concat. */
    static Tensor composed(Tensor[] in, int d, boolean up, boolean inverse) {
        Tensor x = in[0], k = in[1], a = in[2], b = in[3];
        Tensor q = x.slice(1, 0, d), p = x.slice(1, d, 2 * d);
        Tensor fixed = up ? q : p, moving = up ? p : q;
        Tensor t = fixed.matmul(k, false, true).add(b).tanh().mul(a).matmul(k);
        Tensor m = inverse ? moving.sub(t) : moving.add(t);
        return up ? Tensor.concat(1, q, m) : Tensor.concat(1, m, p);
    }

    static Tensor[] inputs(Random g, int rows, int d, int w) {
        return new Tensor[] {Tensor.randn(g, rows, 2 * d), Tensor.randn(g, w, d).mul(0.8), Tensor.randn(g, w).mul(0.5),
            Tensor.randn(g, w)};
    }

    @TestFactory
    List<DynamicTest> firstAndSecondOrder() {
        List<DynamicTest> ts = new ArrayList<>();
        Random g = new Random(11);
        int[][] sizes = {{1, 1, 4}, {1, 3, 5}, {1, 8, 37}, {2, 1, 3}, {2, 5, 6}, {2, 7, 35}};
        for (int[] s : sizes) {
            int d = s[0], w = s[1], rows = s[2];
            for (boolean up : new boolean[] {true, false}) {
                for (boolean inverse : new boolean[] {false, true}) {
                    Tensor[] xs = inputs(g, rows, d, w);
                    String name = "d=" + d + " w=" + w + " rows=" + rows + (up ? " up" : " low") + (inverse ? " inverse" : "");
                    // a nonlinear head so that second derivatives in every input are exercised
                    Function<Tensor[], Tensor> f = x -> shear(x, d, up, inverse).sin();
                    ts.add(DynamicTest.dynamicTest(name, () -> {
                        GradCheck.first(f, xs, 1e-3, 21).assertWithin(name + " (first order)", 1e-7);
                        GradCheck.second(f, xs, 1e-3, 22).assertWithin(name + " (second order)", 1e-7);
                    }));
                }
            }
        }
        return ts;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static void assertClose(String what, double[] ref, double[] got, double rel) {
        double scale = Math.max(maxAbs(ref), 1e-300);
        double worst = 0;
        for (int i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(ref[i] - got[i]) / scale);
        assertTrue(worst <= rel, what + ": relative difference " + worst + " > " + rel);
    }

    @Test
    void agreesWithTheComposition() {
        Random g = new Random(5);
        for (int d = 1; d <= 2; d++) {
            for (int w : new int[] {1, 5, 64}) {
                for (int rows : new int[] {1, 31, 100, 4096}) {
                    for (boolean up : new boolean[] {true, false}) {
                        for (boolean inverse : new boolean[] {false, true}) {
                            String what = "d=" + d + " w=" + w + " rows=" + rows + (up ? " up" : " low") + (inverse ? " inverse" : "");
                            Tensor[] base = inputs(g, rows, d, w);
                            Tensor c = Tensor.randn(g, rows, 2 * d);
                            Tensor[] xa = leaves(base), xb = leaves(base);
                            Tensor ya = shear(xa, d, up, inverse), yb = composed(xb, d, up, inverse);
                            // the fixed half is copied: bitwise; the moving half agrees to rounding
                            int f = up ? 0 : d;
                            assertArrayEquals(yb.slice(1, f, f + d).toArray(), ya.slice(1, f, f + d).toArray(), 0.0, what + " fixed half");
                            assertClose(what + " forward", yb.toArray(), ya.toArray(), 1e-13);
                            Tensor[] ga = Autograd.grad(new Tensor[] {ya}, xa, new Tensor[] {c}, false);
                            Tensor[] gb = Autograd.grad(new Tensor[] {yb}, xb, new Tensor[] {c}, false);
                            String[] names = {"x", "K", "a", "b"};
                            for (int i = 0; i < 4; i++) {
                                assertClose(what + " gradient in " + names[i], gb[i].toArray(), ga[i].toArray(), 1e-13);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The recorded (createGraph) backward and the fused kernel's give the same first derivatives. */
    @Test
    void recordedBackwardAgreesWithTheKernel() {
        Random g = new Random(6);
        for (int d = 1; d <= 2; d++) {
            Tensor[] base = inputs(g, 70, d, 9);
            Tensor c = Tensor.randn(g, 70, 2 * d);
            Tensor[] xa = leaves(base), xb = leaves(base);
            Tensor[] ga = Autograd.grad(new Tensor[] {shear(xa, d, false, false)}, xa, new Tensor[] {c}, false);
            Tensor[] gb = Autograd.grad(new Tensor[] {shear(xb, d, false, false)}, xb, new Tensor[] {c}, true);
            for (int i = 0; i < 4; i++) assertClose("d=" + d + " input " + i, gb[i].toArray(), ga[i].toArray(), 1e-13);
        }
    }

    @Test
    void inverseUndoesForward() {
        Random g = new Random(8);
        for (int d = 1; d <= 2; d++) {
            Tensor[] in = inputs(g, 200, d, 16);
            Tensor y = shear(in, d, true, false);
            Tensor[] back = in.clone();
            back[0] = y;
            assertClose("d=" + d, in[0].toArray(), shear(back, d, true, true).toArray(), 1e-15);
        }
    }

    @Test
    void badShapesAreNamed() {
        Tensor[] in = inputs(new Random(1), 4, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shear(in, 1, true, false));
        assertTrue(e.getMessage().contains("gradientShear"), e.getMessage());
        Tensor[] wrongA = in.clone();
        wrongA[2] = Tensor.zeros(4);
        assertThrows(IllegalArgumentException.class, () -> shear(wrongA, 2, true, false));
    }

    @Test
    void zeroRows() {
        Tensor[] in = inputs(new Random(2), 0, 1, 3);
        Tensor[] x = leaves(in);
        Tensor y = shear(x, 1, false, false);
        assertArrayEquals(new int[] {0, 2}, y.shape());
        Tensor[] gr = Autograd.grad(new Tensor[] {y}, x, new Tensor[] {Tensor.zeros(0, 2)}, false);
        assertArrayEquals(new double[3], gr[1].toArray(), 0.0);
    }

    /** Rows are split over threads and the parameter gradients summed per block of 32 rows: no dependence on the thread count. */
    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Random g = new Random(9);
        for (int d = 1; d <= 2; d++) {
            Tensor[] base = inputs(g, 4099, d, 64);
            Tensor c = Tensor.randn(g, 4099, 2 * d);
            double[][] ref = null;
            try {
                for (int t : new int[] {1, 2, 3}) {
                    Parallel.setThreads(t);
                    Tensor[] x = leaves(base);
                    Tensor y = shear(x, d, d == 1, false);
                    Tensor[] gr = Autograd.grad(new Tensor[] {y}, x, new Tensor[] {c}, false);
                    double[][] got = {y.toArray(), gr[0].toArray(), gr[1].toArray(), gr[2].toArray(), gr[3].toArray()};
                    if (ref == null) ref = got;
                    for (int i = 0; i < got.length; i++) assertArrayEquals(ref[i], got[i], 0.0, "d=" + d + " threads " + t + " output " + i);
                }
            } finally {
                Parallel.setThreads(Runtime.getRuntime().availableProcessors());
            }
        }
    }

    private static Tensor[] leaves(Tensor[] base) {
        Tensor[] r = new Tensor[base.length];
        for (int i = 0; i < base.length; i++) r[i] = base[i].detach().requiresGrad(true);
        return r;
    }
}
