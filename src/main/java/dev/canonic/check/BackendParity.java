package dev.canonic.check;

import dev.canonic.backend.Backend;
import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.Buffer;
import dev.canonic.backend.ReduceKind;
import dev.canonic.backend.UnaryKind;
import dev.canonic.backend.cpu.CpuBackend;
import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import dev.canonic.ops.Ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Runs the CPU backend's operation-test inputs (CpuBackendTest's odd matrix-product sizes and
 * transposes, n = 1..8 linear algebra, the counter RNG) and every primitive with broadcast strides,
 * edge values (±0, ±inf, NaN, huge arguments) included, on a backend under test and on
 * {@link CpuBackend}, and compares element by element to a relative tolerance (1e-12 unless a case
 * says otherwise: matrix products allow k·1e-13 for their summation order, which differs by design,
 * and sums and products measure the error against max(|value|, 1), the inputs' scale, like
 * CpuBackendTest does, so a result that cancels to near zero is not misread).
 * A second-derivative case runs a Hessian-vector product through the autodiff on both backends.
 * Used by CudaParityTest and by {@code canonic selftest}.
 */
public final class BackendParity {
    /** One case's outcome. */
    public record Result(String name, boolean passed, double worstRelError, String detail) {
    }

    private final Backend dev;
    private final CpuBackend cpu = CpuBackend.INSTANCE;
    private final List<Result> results = new ArrayList<>();

    private BackendParity(Backend dev) {
        this.dev = dev;
    }

    /** Runs every case on backend and returns the outcomes in order. */
    public static List<Result> run(Backend backend) {
        BackendParity p = new BackendParity(backend);
        p.all();
        return p.results;
    }

    // ---- comparison ----

    private void compare(String name, double[] ref, double[] got, double rtol) {
        compare(name, ref, got, rtol, 0.0);
    }

    /**
     * Relative comparison |ref − got| / max(|ref|, floor): a floor of the inputs' scale keeps results
     * that cancel to near zero (a dot product, a sum) from reading as large relative errors when the
     * two backends sum in different orders.
     */
    private void compare(String name, double[] ref, double[] got, double rtol, double floor) {
        if (ref.length != got.length) {
            results.add(new Result(name, false, Double.NaN, "length " + got.length + " vs " + ref.length));
            return;
        }
        double worst = 0;
        int bad = -1;
        for (int i = 0; i < ref.length; i++) {
            double r = ref[i], g = got[i];
            if (Double.isNaN(r) || Double.isNaN(g)) {
                if (Double.isNaN(r) != Double.isNaN(g)) {
                    bad = i;
                    worst = Double.POSITIVE_INFINITY;
                    break;
                }
                continue;
            }
            if (r == g) continue;
            if (Double.isInfinite(r) || Double.isInfinite(g)) {
                bad = i;
                worst = Double.POSITIVE_INFINITY;
                break;
            }
            double e = Math.abs(r - g) / Math.max(Math.abs(r), Math.max(floor, Double.MIN_NORMAL));
            if (e > worst) {
                worst = e;
                if (e > rtol) bad = i;
            }
        }
        boolean ok = bad < 0 && worst <= rtol;
        String d = ok ? "" : "element " + bad + ": cpu " + (bad >= 0 ? ref[bad] : "") + ", device " + (bad >= 0 ? got[bad] : "");
        results.add(new Result(name, ok, worst, d));
    }

    /** Runs op on both backends with the same host inputs and compares its output (of length outLen). */
    private void check(String name, double rtol, int outLen, double[][] inputs, Op op) {
        check(name, rtol, 0.0, outLen, inputs, op);
    }

    private void check(String name, double rtol, double floor, int outLen, double[][] inputs, Op op) {
        try {
            double[] ref = runOn(cpu, outLen, inputs, op);
            double[] got = runOn(dev, outLen, inputs, op);
            compare(name, ref, got, rtol, floor);
        } catch (RuntimeException e) {
            results.add(new Result(name, false, Double.NaN, e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private static double[] runOn(Backend b, int outLen, double[][] inputs, Op op) {
        Buffer[] in = new Buffer[inputs.length];
        for (int i = 0; i < inputs.length; i++) in[i] = b.fromHost(inputs[i]);
        Buffer out = b.alloc(outLen);
        op.apply(b, in, out);
        return b.toHost(out);
    }

    @FunctionalInterface
    private interface Op {
        void apply(Backend b, Buffer[] in, Buffer out);
    }

    private static double[] randn(Random g, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = g.nextGaussian();
        return v;
    }

    private static int[] contiguous(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    // ---- cases ----

    private void all() {
        Random g = new Random(20240607);
        unaryCases(g);
        binaryCases(g);
        whereCase(g);
        reduceCases(g);
        copyCases(g);
        indexCases(g);
        gemmCases(g);
        linalgCases(g);
        rngCases();
        secondDerivativeCase(g);
        gradientShearCases(g);
    }

    /** Edge values every elementwise case includes. */
    static final double[] EDGES = {0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 1e-300, -1e-300, 1e-8, 22.5, -22.5, 700, -745, 1e300,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, Math.PI / 2, 1e6, 3.0e5 + 0.25};

    private void unaryCases(Random g) {
        int n = 1000;
        double[] x = randn(g, n);
        for (int i = 0; i < n; i++) x[i] *= (i % 3 == 0 ? 10 : 1);
        System.arraycopy(EDGES, 0, x, 0, EDGES.length);
        double[] pos = x.clone();
        for (int i = 0; i < n; i++) pos[i] = Math.abs(pos[i]);
        for (UnaryKind k : UnaryKind.values()) {
            double[] in = k == UnaryKind.LOG || k == UnaryKind.SQRT ? pos : x;
            check("unary " + k, 1e-12, n, new double[][] {in}, (b, a, o) -> b.unary(k, a[0], o, n));
        }
    }

    private void binaryCases(Random g) {
        int[] shape = {3, 4, 5};
        int n = size(shape);
        double[] a = randn(g, n), bb = randn(g, 4 * 5);
        double[] row = randn(g, 5);
        for (int i = 0; i < EDGES.length && i < n; i++) a[i] = EDGES[i];
        for (int i = 0; i < 5; i++) row[i] = i == 0 ? 1.0 : row[i];
        for (BinaryKind k : BinaryKind.values()) {
            double[] base = k == BinaryKind.POW ? abs(a) : a;
            // [3,4,5] op [4,5] broadcast over axis 0
            check("binary " + k + " broadcast", 1e-12, n, new double[][] {base, bb},
                (b, in, o) -> b.binary(k, in[0], contiguous(shape), in[1], new int[] {0, 5, 1}, o, shape));
            // transposed left operand ([5,4,3] stored, read as [3,4,5]) op a row broadcast over two axes
            check("binary " + k + " strided", 1e-12, n, new double[][] {base, row},
                (b, in, o) -> b.binary(k, in[0], new int[] {1, 3, 12}, in[1], new int[] {0, 0, 1}, o, shape));
            // scalar on the left
            check("binary " + k + " scalar", 1e-12, n, new double[][] {new double[] {0.75}, base},
                (b, in, o) -> b.binary(k, in[0], new int[] {0, 0, 0}, in[1], contiguous(shape), o, shape));
        }
    }

    private static double[] abs(double[] v) {
        double[] o = v.clone();
        for (int i = 0; i < o.length; i++) o[i] = Math.abs(o[i]);
        return o;
    }

    private void whereCase(Random g) {
        int[] shape = {4, 6};
        double[] c = new double[6];
        for (int i = 0; i < 6; i++) c[i] = i % 2 == 0 ? 0.0 : (i == 3 ? Double.NaN : 1.0);
        double[] a = randn(g, 24), bv = randn(g, 4);
        check("where broadcast", 0, 24, new double[][] {c, a, bv},
            (b, in, o) -> b.where(in[0], new int[] {0, 1}, in[1], new int[] {6, 1}, in[2], new int[] {1, 0}, o, shape));
    }

    private void reduceCases(Random g) {
        int[][] shapes = {{7, 13, 1}, {3, 50, 9}, {1, 100000, 1}, {2, 5000, 1}, {5, 0, 3}, {1, 1, 1}};
        for (int[] s : shapes) {
            int outer = s[0], len = s[1], inner = s[2];
            double[] x = randn(g, outer * len * inner);
            if (x.length > 4) x[3] = Double.NaN;
            for (ReduceKind k : ReduceKind.values()) {
                double rtol = k == ReduceKind.SUM && len >= 2048 ? 1e-10 : 1e-12;
                check("reduce " + k + " [" + outer + "," + len + "," + inner + "]", rtol, 1.0, outer * inner, new double[][] {x},
                    (b, in, o) -> b.reduce(k, in[0], outer, len, inner, o));
            }
            double[] y = randn(g, outer * len * inner);
            check("reduce SUM finite [" + outer + "," + len + "," + inner + "]", len >= 2048 ? 1e-10 : 1e-12, 1.0, outer * inner,
                new double[][] {y}, (b, in, o) -> b.reduce(ReduceKind.SUM, in[0], outer, len, inner, o));
        }
    }

    private void copyCases(Random g) {
        double[] src = randn(g, 2 * 3 * 4);
        // permute [2,3,4] → [4,2,3] into a fresh buffer
        check("copy permute", 0, 24, new double[][] {src},
            (b, in, o) -> b.copy(in[0], 0, new int[] {1, 12, 4}, new int[] {4, 2, 3}, o, 0, new int[] {6, 3, 1}));
        // slice rows 1..2 of a [3,8] matrix, columns 2..6 step 2, into the middle of a prefilled buffer
        double[] m = randn(g, 24);
        check("copy slice with offsets", 0, 30, new double[][] {m}, (b, in, o) -> {
            b.fill(o, -7.0);
            b.copy(in[0], 8 + 2, new int[] {8, 2}, new int[] {2, 3}, o, 5, new int[] {6, 1});
        });
        // broadcast a row with a stride-0 source axis
        check("copy broadcast", 0, 20, new double[][] {randn(g, 5)},
            (b, in, o) -> b.copy(in[0], 0, new int[] {0, 1}, new int[] {4, 5}, o, 0, new int[] {5, 1}));
    }

    private void indexCases(Random g) {
        int outer = 3, len = 7, inner = 4;
        int[] idx = {6, 0, 3, 3, 1, 6, 6, 2, 0};
        double[] x = randn(g, outer * len * inner);
        check("indexSelect", 0, outer * idx.length * inner, new double[][] {x},
            (b, in, o) -> b.indexSelect(in[0], outer, len, inner, idx, o));
        double[] gr = randn(g, outer * idx.length * inner);
        check("indexAdd (segment sum)", 0, outer * len * inner, new double[][] {gr},
            (b, in, o) -> b.indexAdd(in[0], outer, len, inner, idx, o));
    }

    private void gemmCases(Random g) {
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {67, 300, 129}, {257, 33, 1030}, {128, 600, 64}, {200, 1, 64}, {1, 70, 90},
            {150, 64, 1}, {1, 1, 50}, {40, 1, 1}, {64, 64, 64}, {65, 63, 17}};
        for (int[] s : sizes) {
            int m = s[0], k = s[1], n = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int batch = m * n * k < 200000 ? 3 : 1;
                double[] a = randn(g, batch * m * k), bb = randn(g, k * n);
                // A batched, B shared (batch stride 0) as in CpuBackendTest's skinny cases
                check("gemm " + m + "x" + k + "x" + n + (ta ? " Aᵀ" : "") + (tb ? " Bᵀ" : "") + " batch " + batch,
                    Math.max(1e-12, 1e-13 * k), 1.0, batch * m * n, new double[][] {a, bb},
                    (b, in, o) -> b.gemm(batch, m, n, k, in[0], m * k, ta, in[1], 0, tb, o));
            }
        }
        check("gemm k=0", 0, 6, new double[][] {new double[1], new double[1]},
            (b, in, o) -> b.gemm(1, 2, 3, 0, in[0], 0, false, in[1], 0, false, o));
    }

    private void linalgCases(Random g) {
        for (int n = 1; n <= 8; n++) {
            final int nn = n;
            int batch = 5;
            double[] a = randn(g, batch * n * n), rhs = randn(g, batch * n * 2);
            check("inverse n=" + n, 1e-12, batch * n * n, new double[][] {a}, (b, in, o) -> b.inverse(in[0], batch, nn, o));
            check("det n=" + n, 1e-12, batch, new double[][] {a}, (b, in, o) -> b.det(in[0], batch, nn, o));
            check("solve n=" + n, 1e-12, batch * n * 2, new double[][] {a, rhs}, (b, in, o) -> b.solve(in[0], in[1], batch, nn, 2, o));
        }
        // singular entry 1 must be reported like the CPU reports it
        double[] sing = {1, 0, 0, 1, 1, 2, 2, 4};
        String name = "inverse reports the singular batch entry";
        try {
            Buffer in = dev.fromHost(sing);
            dev.inverse(in, 2, 2, dev.alloc(8));
            results.add(new Result(name, false, Double.NaN, "no ArithmeticException"));
        } catch (ArithmeticException e) {
            boolean ok = e.getMessage().contains("matrix 1");
            results.add(new Result(name, ok, 0, ok ? "" : e.getMessage()));
        } catch (RuntimeException e) {
            results.add(new Result(name, false, Double.NaN, e.toString()));
        }
        check("det of a singular matrix", 0, 2, new double[][] {sing}, (b, in, o) -> b.det(in[0], 2, 2, o));
    }

    private void rngCases() {
        check("uniform", 0, 100003, new double[0][], (b, in, o) -> b.uniform(42L, 1_000_000_007L, o, 100003));
        check("uniform, negative seed", 0, 1000, new double[0][], (b, in, o) -> b.uniform(-5L, 0L, o, 1000));
    }

    /** Hessian-vector product of f(W) = Σ sin(tanh(X·W)²) through the autodiff (second derivatives). */
    private void secondDerivativeCase(Random g) {
        double[] xv = randn(g, 6 * 4), wv = randn(g, 4 * 3), vv = randn(g, 4 * 3);
        Function<Backend, double[]> hvp = b -> {
            Tensor x = Tensor.of(b, xv, 6, 4);
            Tensor w = Tensor.of(b, wv, 4, 3).requiresGrad(true);
            Tensor v = Tensor.of(b, vv, 4, 3);
            Tensor f = x.matmul(w).tanh().square().sin().sum();
            Tensor gw = Autograd.grad(new Tensor[] {f}, new Tensor[] {w}, null, true)[0];
            Tensor h = Autograd.grad(new Tensor[] {gw.mul(v).sum()}, new Tensor[] {w}, null, false)[0];
            return h.to(CpuBackend.INSTANCE).toArray();
        };
        try {
            double[] ref = hvp.apply(cpu);
            double scale = 0;
            for (double v : ref) scale = Math.max(scale, Math.abs(v));
            compare("second derivative (Hessian-vector product)", ref, hvp.apply(dev), 1e-11, 1e-3 * scale);
        } catch (RuntimeException e) {
            results.add(new Result("second derivative (Hessian-vector product)", false, Double.NaN, e.toString()));
        }
    }

    /**
     * The fused SympNet gradient module (the CPU's one-pass kernel; other backends may compose
     * primitives): its output and the gradients of Σ c·y with respect to x, K, a and b.
     */
    private void gradientShearCases(Random g) {
        for (int d = 1; d <= 2; d++) {
            for (boolean up : new boolean[] {true, false}) {
                int rows = 45, w = 13, dd = d;
                double[] xv = randn(g, rows * 2 * d), kv = randn(g, w * d), av = randn(g, w), bv = randn(g, w), cv = randn(g, rows * 2 * d);
                String name = "gradientShear d=" + d + (up ? " up" : " low");
                Function<Backend, double[]> run = be -> {
                    Tensor x = Tensor.of(be, xv, rows, 2 * dd).requiresGrad(true);
                    Tensor k = Tensor.of(be, kv, w, dd).requiresGrad(true);
                    Tensor a = Tensor.of(be, av, w).requiresGrad(true);
                    Tensor b = Tensor.of(be, bv, w).requiresGrad(true);
                    Tensor y = Ops.apply(new dev.canonic.ops.Op.GradientShear(dd, up, false), x, k, a, b);
                    Tensor[] gr = Autograd.grad(new Tensor[] {y}, new Tensor[] {x, k, a, b}, new Tensor[] {Tensor.of(be, cv, rows, 2 * dd)}, false);
                    List<double[]> parts = new ArrayList<>();
                    parts.add(y.to(CpuBackend.INSTANCE).toArray());
                    for (Tensor t : gr) parts.add(t.to(CpuBackend.INSTANCE).toArray());
                    int n = 0;
                    for (double[] p : parts) n += p.length;
                    double[] all = new double[n];
                    int at = 0;
                    for (double[] p : parts) {
                        System.arraycopy(p, 0, all, at, p.length);
                        at += p.length;
                    }
                    return all;
                };
                try {
                    double[] ref = run.apply(cpu);
                    double scale = 0;
                    for (double v : ref) scale = Math.max(scale, Math.abs(v));
                    compare(name, ref, run.apply(dev), 1e-12, 1e-3 * scale);
                } catch (RuntimeException e) {
                    results.add(new Result(name, false, Double.NaN, e.toString()));
                }
            }
        }
    }
}
