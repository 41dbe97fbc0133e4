package dev.canonic.backend.cpu;

import dev.canonic.backend.Backend;
import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.Buffer;
import dev.canonic.backend.ReduceKind;
import dev.canonic.backend.UnaryKind;

import java.util.Arrays;

/**
 * The reference backend: pure Java, multi-threaded for large operations. Every other backend must
 * agree with it.
 */
public final class CpuBackend implements Backend {
    /** The one instance. */
    public static final CpuBackend INSTANCE = new CpuBackend();

    private static final int KC = 256;
    private static final int NC = 1024;

    private CpuBackend() {
    }

    /** Elementwise kernels with a Vector API version ({@link VectorUnary}) and this scalar one. */
    interface UnaryKernels {
        /** o[i] = {@link UnaryKind#tanh}(x[i]) for from &lt;= i &lt; to. */
        default void tanh(double[] x, double[] o, int from, int to) {
            for (int i = from; i < to; i++) o[i] = UnaryKind.tanh(x[i]);
        }

        /** o[i] = x[i] &gt; 0 ? x[i] : 0 for from &lt;= i &lt; to. */
        default void relu(double[] x, double[] o, int from, int to) {
            for (int i = from; i < to; i++) o[i] = x[i] > 0 ? x[i] : 0.0;
        }

        /** o[oo + i] = b[bo + i] &gt; 0 ? a[ao + i] : 0 for i &lt; n (ReLU's backward). */
        default void reluGrad(double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
            for (int i = 0; i < n; i++) o[oo + i] = b[bo + i] > 0 ? a[ao + i] : 0.0;
        }

        /**
         * One short row of a broadcast binary operation: o[oo + i] = a[ao + i] ∘ b[bo + i], or
         * a[ao + i] ∘ s when b is null, for i &lt; n. Returns false (nothing written) when the kind
         * has no kernel here. The JIT's vectorised loops spend short rows (64 elements) in their
         * scalar pre- and post-loops; a Vector API loop does not.
         */
        default boolean row(BinaryKind kind, double[] a, int ao, double[] b, int bo, double s, double[] o, int oo, int n) {
            return false;
        }
    }

    static final UnaryKernels UNARY = loadUnary();

    private static UnaryKernels loadUnary() {
        if (!"false".equalsIgnoreCase(System.getProperty("canonic.vector", "true"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (UnaryKernels) Class.forName("dev.canonic.backend.cpu.VectorUnary").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall back to the scalar loops
            }
        }
        return new UnaryKernels() {
        };
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public boolean isHost() {
        return true;
    }

    static double[] arr(Buffer b) {
        if (!(b instanceof CpuBuffer)) {
            throw new IllegalArgumentException("cpu backend given a buffer of backend " + b.backend().name());
        }
        double[] a = ((CpuBuffer) b).a;
        if (a == null) throw CpuBuffer.released();
        return a;
    }

    /** Wraps a host array without copying. */
    public static Buffer wrap(double[] values) {
        return new CpuBuffer(values);
    }

    /** A zero-filled buffer; inside a BufferPool scope a recycled array, zero-filled. */
    @Override
    public Buffer alloc(int n) {
        return CpuArena.alloc(n, true);
    }

    /** An output buffer; inside a BufferPool scope a recycled array holding stale values. */
    @Override
    public Buffer allocOutput(int n) {
        return CpuArena.alloc(n, false);
    }

    @Override
    public Buffer fromHost(double[] values) {
        return new CpuBuffer(values.clone());
    }

    @Override
    public double[] toHost(Buffer b) {
        return arr(b).clone();
    }

    @Override
    public void fill(Buffer out, double value) {
        Arrays.fill(arr(out), value);
    }

    @Override
    public void unary(UnaryKind kind, Buffer xb, Buffer ob, int n) {
        double[] x = arr(xb), o = arr(ob);
        Parallel.forRange(n, 16, (from, to) -> unaryRange(kind, x, o, from, to));
    }

    private static void unaryRange(UnaryKind kind, double[] x, double[] o, int from, int to) {
        switch (kind) {
            case NEG: for (int i = from; i < to; i++) o[i] = -x[i]; break;
            case SQUARE: for (int i = from; i < to; i++) o[i] = x[i] * x[i]; break;
            case RELU: UNARY.relu(x, o, from, to); break;
            case STEP: for (int i = from; i < to; i++) o[i] = x[i] > 0 ? 1.0 : 0.0; break;
            case EXP: for (int i = from; i < to; i++) o[i] = Math.exp(x[i]); break;
            case TANH: UNARY.tanh(x, o, from, to); break;
            case SQRT: for (int i = from; i < to; i++) o[i] = Math.sqrt(x[i]); break;
            case RECIPROCAL: for (int i = from; i < to; i++) o[i] = 1.0 / x[i]; break;
            default: for (int i = from; i < to; i++) o[i] = kind.apply(x[i]);
        }
    }

    private static boolean contiguous(int[] strides, int[] shape) {
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != s) return false;
            s *= shape[d];
        }
        return true;
    }

    private static boolean allZero(int[] strides) {
        for (int s : strides) if (s != 0) return false;
        return true;
    }

    private static int size(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    @Override
    public void binary(BinaryKind kind, Buffer ab, int[] as, Buffer bb, int[] bs, Buffer ob, int[] shape) {
        double[] a = arr(ab), b = arr(bb), o = arr(ob);
        int n = size(shape);
        if (n == 0) return;
        boolean ac = contiguous(as, shape), bc = contiguous(bs, shape);
        if (ac && bc) {
            Parallel.forRange(n, 2, (f, t) -> binaryFlat(kind, a, b, o, f, t));
            return;
        }
        if (ac && allZero(bs)) {
            double s = b[0];
            Parallel.forRange(n, 2, (f, t) -> binaryScalarRight(kind, a, s, o, f, t));
            return;
        }
        if (bc && allZero(as)) {
            double s = a[0];
            Parallel.forRange(n, 2, (f, t) -> binaryScalarLeft(kind, s, b, o, f, t));
            return;
        }
        int last = shape.length - 1;
        int inner = shape[last];
        int rows = n / inner;
        int ias = as[last], ibs = bs[last];
        Parallel.forRange(rows, inner * 2L, (f, t) -> {
            for (int r = f; r < t; r++) {
                int ao = 0, bo = 0, rem = r;
                for (int d = last - 1; d >= 0; d--) {
                    int i = rem % shape[d];
                    rem /= shape[d];
                    ao += i * as[d];
                    bo += i * bs[d];
                }
                int oo = r * inner;
                if (ias == 1 && ibs == 1) {
                    if (!UNARY.row(kind, a, ao, b, bo, 0.0, o, oo, inner)) binaryRows(kind, a, ao, b, bo, o, oo, inner);
                } else if (ias == 1 && ibs == 0) {
                    if (!UNARY.row(kind, a, ao, null, 0, b[bo], o, oo, inner)) binaryScalarRight(kind, a, ao, b[bo], o, oo, inner);
                } else if (ias == 0 && ibs == 1) {
                    binaryScalarLeft(kind, a[ao], b, bo, o, oo, inner);
                } else if (kind == BinaryKind.ADD) {
                    for (int j = 0; j < inner; j++) o[oo + j] = a[ao + j * ias] + b[bo + j * ibs];
                } else if (kind == BinaryKind.MUL) {
                    for (int j = 0; j < inner; j++) o[oo + j] = a[ao + j * ias] * b[bo + j * ibs];
                } else {
                    for (int j = 0; j < inner; j++) o[oo + j] = kind.apply(a[ao + j * ias], b[bo + j * ibs]);
                }
            }
        });
    }

    private static void binaryFlat(BinaryKind kind, double[] a, double[] b, double[] o, int f, int t) {
        binaryRows(kind, a, f, b, f, o, f, t - f);
    }

    /** o[oo + j] = a[ao + j] ∘ b[bo + j] for j &lt; n (contiguous rows; the JIT vectorises the common kinds). */
    private static void binaryRows(BinaryKind kind, double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        switch (kind) {
            case ADD: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + b[bo + i]; break;
            case SUB: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - b[bo + i]; break;
            case MUL: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * b[bo + i]; break;
            case DIV: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / b[bo + i]; break;
            case TANH_GRAD: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * (1.0 - b[bo + i] * b[bo + i]); break;
            case RELU_GRAD: UNARY.reluGrad(a, ao, b, bo, o, oo, n); break;
            default: for (int i = 0; i < n; i++) o[oo + i] = kind.apply(a[ao + i], b[bo + i]);
        }
    }

    private static void binaryScalarRight(BinaryKind kind, double[] a, double s, double[] o, int f, int t) {
        binaryScalarRight(kind, a, f, s, o, f, t - f);
    }

    /** o[oo + j] = a[ao + j] ∘ s for j &lt; n. */
    private static void binaryScalarRight(BinaryKind kind, double[] a, int ao, double s, double[] o, int oo, int n) {
        switch (kind) {
            case ADD: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] + s; break;
            case SUB: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] - s; break;
            case MUL: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] * s; break;
            case DIV: for (int i = 0; i < n; i++) o[oo + i] = a[ao + i] / s; break;
            default: for (int i = 0; i < n; i++) o[oo + i] = kind.apply(a[ao + i], s);
        }
    }

    private static void binaryScalarLeft(BinaryKind kind, double s, double[] b, double[] o, int f, int t) {
        binaryScalarLeft(kind, s, b, f, o, f, t - f);
    }

    /** o[oo + j] = s ∘ b[bo + j] for j &lt; n. */
    private static void binaryScalarLeft(BinaryKind kind, double s, double[] b, int bo, double[] o, int oo, int n) {
        switch (kind) {
            case ADD: for (int i = 0; i < n; i++) o[oo + i] = s + b[bo + i]; break;
            case SUB: for (int i = 0; i < n; i++) o[oo + i] = s - b[bo + i]; break;
            case MUL: for (int i = 0; i < n; i++) o[oo + i] = s * b[bo + i]; break;
            default: for (int i = 0; i < n; i++) o[oo + i] = kind.apply(s, b[bo + i]);
        }
    }

    @Override
    public void where(Buffer cb, int[] cs, Buffer ab, int[] as, Buffer bb, int[] bs, Buffer ob, int[] shape) {
        double[] c = arr(cb), a = arr(ab), b = arr(bb), o = arr(ob);
        int n = size(shape);
        int nd = shape.length;
        Parallel.forRange(n, 4, (f, t) -> {
            for (int i = f; i < t; i++) {
                int rem = i, co = 0, ao = 0, bo = 0;
                for (int d = nd - 1; d >= 0; d--) {
                    int k = rem % shape[d];
                    rem /= shape[d];
                    co += k * cs[d];
                    ao += k * as[d];
                    bo += k * bs[d];
                }
                o[i] = c[co] != 0.0 ? a[ao] : b[bo];
            }
        });
    }

    @Override
    public void reduce(ReduceKind kind, Buffer xb, int outer, int len, int inner, Buffer ob) {
        double[] x = arr(xb), o = arr(ob);
        if (inner == 1) {
            Parallel.forRange(outer, len, (f, t) -> {
                for (int r = f; r < t; r++) {
                    int base = r * len;
                    double acc;
                    if (kind == ReduceKind.SUM) {
                        acc = 0.0;
                        for (int l = 0; l < len; l++) acc += x[base + l];
                    } else {
                        acc = Double.NEGATIVE_INFINITY;
                        for (int l = 0; l < len; l++) {
                            double v = x[base + l];
                            if (v > acc || Double.isNaN(v)) acc = v;
                        }
                    }
                    o[r] = acc;
                }
            });
            return;
        }
        Parallel.forRange(outer, (long) len * inner, (f, t) -> {
            for (int r = f; r < t; r++) {
                int ob0 = r * inner;
                int xb0 = r * len * inner;
                if (kind == ReduceKind.SUM) {
                    Arrays.fill(o, ob0, ob0 + inner, 0.0);
                    for (int l = 0; l < len; l++) {
                        int xo = xb0 + l * inner;
                        for (int i = 0; i < inner; i++) o[ob0 + i] += x[xo + i];
                    }
                } else {
                    Arrays.fill(o, ob0, ob0 + inner, Double.NEGATIVE_INFINITY);
                    for (int l = 0; l < len; l++) {
                        int xo = xb0 + l * inner;
                        for (int i = 0; i < inner; i++) {
                            double v = x[xo + i];
                            if (v > o[ob0 + i] || Double.isNaN(v)) o[ob0 + i] = v;
                        }
                    }
                }
            }
        });
    }

    @Override
    public void copy(Buffer sb, int srcOff, int[] ss, int[] shape, Buffer db, int dstOff, int[] ds) {
        double[] s = arr(sb), d = arr(db);
        int nd = shape.length;
        int n = size(shape);
        if (n == 0) return;
        if (nd == 0) {
            d[dstOff] = s[srcOff];
            return;
        }
        int inner = shape[nd - 1];
        int rows = n / inner;
        int sInner = ss[nd - 1], dInner = ds[nd - 1];
        Parallel.forRange(rows, inner, (f, t) -> {
            for (int r = f; r < t; r++) {
                int so = srcOff, doff = dstOff, rem = r;
                for (int k = nd - 2; k >= 0; k--) {
                    int i = rem % shape[k];
                    rem /= shape[k];
                    so += i * ss[k];
                    doff += i * ds[k];
                }
                if (sInner == 1 && dInner == 1) {
                    System.arraycopy(s, so, d, doff, inner);
                } else if (sInner == 0 && dInner == 1) {
                    Arrays.fill(d, doff, doff + inner, s[so]);
                } else {
                    for (int j = 0; j < inner; j++) d[doff + j * dInner] = s[so + j * sInner];
                }
            }
        });
    }

    @Override
    public void gemm(int batch, int m, int n, int k, Buffer ab, int aBatchStride, boolean transA,
                     Buffer bb, int bBatchStride, boolean transB, Buffer cb) {
        double[] a = arr(ab), b = arr(bb), c = arr(cb);
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            Arrays.fill(c, 0, batch * m * n, 0.0);
            return;
        }
        if (SkinnyGemm.tryGemm(batch, m, n, k, a, aBatchStride, transA, b, bBatchStride, transB, c)) return;
        if (useBlocked(m, n, k)) {
            blockedGemm(batch, m, n, k, a, aBatchStride, transA, b, bBatchStride, transB, c);
            return;
        }
        // Small products: bring both operands to plain row-major layout once, then a simple loop.
        double[] an = a;
        int aStride = aBatchStride;
        if (transA) {
            int na = aBatchStride == 0 ? 1 : batch;
            an = new double[na * m * k];
            for (int q = 0; q < na; q++) transpose(a, q * aBatchStride, k, m, an, q * m * k);
            aStride = aBatchStride == 0 ? 0 : m * k;
        }
        double[] bn = b;
        int bStride = bBatchStride;
        if (transB) {
            int nb = bBatchStride == 0 ? 1 : batch;
            bn = new double[nb * k * n];
            for (int q = 0; q < nb; q++) transpose(b, q * bBatchStride, n, k, bn, q * k * n);
            bStride = bBatchStride == 0 ? 0 : k * n;
        }
        final double[] fa = an, fb = bn;
        final int fas = aStride, fbs = bStride;
        long flopsPerMatrix = 2L * m * n * k;
        if (batch >= Parallel.threads() * 2 || m < 8) {
            Parallel.forRange(batch, flopsPerMatrix, (f, t) -> {
                for (int q = f; q < t; q++) {
                    kernel(fa, q * fas, fb, q * fbs, c, q * m * n, 0, m, n, k);
                }
            });
        } else {
            for (int q = 0; q < batch; q++) {
                final int qq = q;
                Parallel.forRange(m, 2L * n * k, (f, t) -> kernel(fa, qq * fas, fb, qq * fbs, c, qq * m * n, f, t, n, k));
            }
        }
    }

    /** System property canonic.gemm.blocked=false keeps every product on the simple loop (for comparisons). */
    private static final boolean BLOCKED = !"false".equalsIgnoreCase(System.getProperty("canonic.gemm.blocked"));

    /**
     * True when the packed, register-blocked kernel pays: packing costs O(mk + kn) per call, so
     * tiny or very thin products stay on the simple loop.
     */
    static boolean useBlocked(int m, int n, int k) {
        return BLOCKED && k >= 8 && m >= 4 && n >= 8 && (long) m * n * k >= 32L * 32 * 32;
    }

    /**
     * Below this many flops (about 200 µs on one core) a single product runs on the calling thread:
     * handing half of it to a worker costs more than it saves.
     */
    private static final long PARALLEL_GEMM_FLOPS = 1L << 23;

    /** Batched product on {@link GemmKernels}: parallel over the batch, or over row panels of one product. */
    private static void blockedGemm(int batch, int m, int n, int k, double[] a, int as, boolean transA,
                                    double[] b, int bs, boolean transB, double[] c) {
        long flopsPerMatrix = 2L * m * n * k;
        int mn = m * n;
        if (batch >= Parallel.threads() * 2) {
            Parallel.forRange(batch, flopsPerMatrix, (f, t) -> {
                for (int q = f; q < t; q++) {
                    GemmKernels.gemm(a, q * as, transA, b, q * bs, transB, c, q * mn, m, n, k, 0, m);
                }
            });
        } else {
            final int mr = GemmKernels.MR;
            int panels = (m + mr - 1) / mr;
            for (int q = 0; q < batch; q++) {
                final int qq = q;
                if (flopsPerMatrix < PARALLEL_GEMM_FLOPS) {
                    GemmKernels.gemm(a, qq * as, transA, b, qq * bs, transB, c, qq * mn, m, n, k, 0, m);
                    continue;
                }
                Parallel.forRange(panels, 2L * mr * n * k, (f, t) ->
                        GemmKernels.gemm(a, qq * as, transA, b, qq * bs, transB, c, qq * mn, m, n, k,
                                f * mr, Math.min(m, t * mr)));
            }
        }
    }

    /** Which matrix-product micro-kernel this JVM runs (for canonic info and benchmarks). */
    public static String gemmKernel() {
        return GemmKernels.describe();
    }

    /** dst (cols×rows) = transpose of src (rows×cols). */
    private static void transpose(double[] src, int so, int rows, int cols, double[] dst, int dOff) {
        final int blk = 32;
        for (int i0 = 0; i0 < rows; i0 += blk) {
            int i1 = Math.min(rows, i0 + blk);
            for (int j0 = 0; j0 < cols; j0 += blk) {
                int j1 = Math.min(cols, j0 + blk);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) dst[dOff + j * rows + i] = src[so + i * cols + j];
                }
            }
        }
    }

    /** C[m0:m1, :] = A[m0:m1, :]·B for row-major A (m×k), B (k×n), C (m×n); cache-blocked. */
    static void kernel(double[] a, int aOff, double[] b, int bOff, double[] c, int cOff,
                       int m0, int m1, int n, int k) {
        Arrays.fill(c, cOff + m0 * n, cOff + m1 * n, 0.0);
        for (int jj = 0; jj < n; jj += NC) {
            int jend = Math.min(n, jj + NC);
            for (int kk = 0; kk < k; kk += KC) {
                int kend = Math.min(k, kk + KC);
                for (int i = m0; i < m1; i++) {
                    int co = cOff + i * n;
                    int ao = aOff + i * k;
                    int p = kk;
                    for (; p + 1 < kend; p += 2) {
                        double a0 = a[ao + p], a1 = a[ao + p + 1];
                        int b0 = bOff + p * n, b1 = b0 + n;
                        for (int j = jj; j < jend; j++) c[co + j] += a0 * b[b0 + j] + a1 * b[b1 + j];
                    }
                    for (; p < kend; p++) {
                        double a0 = a[ao + p];
                        int b0 = bOff + p * n;
                        for (int j = jj; j < jend; j++) c[co + j] += a0 * b[b0 + j];
                    }
                }
            }
        }
    }

    @Override
    public void indexSelect(Buffer xb, int outer, int len, int inner, int[] idx, Buffer ob) {
        double[] x = arr(xb), o = arr(ob);
        int m = idx.length;
        for (int j = 0; j < m; j++) {
            if (idx[j] < 0 || idx[j] >= len) {
                throw new IndexOutOfBoundsException("index " + idx[j] + " out of range [0, " + len + ")");
            }
        }
        Parallel.forRange(outer * m, inner, (f, t) -> {
            for (int r = f; r < t; r++) {
                int q = r / m, j = r % m;
                System.arraycopy(x, (q * len + idx[j]) * inner, o, r * inner, inner);
            }
        });
    }

    @Override
    public void indexAdd(Buffer gb, int outer, int outLen, int inner, int[] idx, Buffer ob) {
        double[] g = arr(gb), o = arr(ob);
        int m = idx.length;
        Arrays.fill(o, 0, outer * outLen * inner, 0.0);
        Parallel.forRange(outer, (long) m * inner, (f, t) -> {
            for (int q = f; q < t; q++) {
                for (int j = 0; j < m; j++) {
                    int go = (q * m + j) * inner, oo = (q * outLen + idx[j]) * inner;
                    for (int i = 0; i < inner; i++) o[oo + i] += g[go + i];
                }
            }
        });
    }

    /** LU with partial pivoting in place on a (n×n at off); returns the sign of the permutation, or 0 if singular. */
    private static int lu(double[] a, int n, int[] piv) {
        int sign = 1;
        for (int i = 0; i < n; i++) piv[i] = i;
        for (int col = 0; col < n; col++) {
            int p = col;
            double best = Math.abs(a[col * n + col]);
            for (int r = col + 1; r < n; r++) {
                double v = Math.abs(a[r * n + col]);
                if (v > best) {
                    best = v;
                    p = r;
                }
            }
            if (best == 0.0) return 0;
            if (p != col) {
                for (int j = 0; j < n; j++) {
                    double t = a[col * n + j];
                    a[col * n + j] = a[p * n + j];
                    a[p * n + j] = t;
                }
                int t = piv[col];
                piv[col] = piv[p];
                piv[p] = t;
                sign = -sign;
            }
            double d = a[col * n + col];
            for (int r = col + 1; r < n; r++) {
                double f = a[r * n + col] / d;
                a[r * n + col] = f;
                for (int j = col + 1; j < n; j++) a[r * n + j] -= f * a[col * n + j];
            }
        }
        return sign;
    }

    /** Solves LU x = P b for nrhs right-hand sides stored n×nrhs; writes into x at xo. */
    private static void luSolve(double[] lu, int n, int[] piv, double[] b, int bo, int nrhs, double[] x, int xo) {
        double[] y = new double[n * nrhs];
        for (int i = 0; i < n; i++) System.arraycopy(b, bo + piv[i] * nrhs, y, i * nrhs, nrhs);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                double f = lu[i * n + j];
                if (f != 0.0) for (int r = 0; r < nrhs; r++) y[i * nrhs + r] -= f * y[j * nrhs + r];
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            for (int j = i + 1; j < n; j++) {
                double f = lu[i * n + j];
                if (f != 0.0) for (int r = 0; r < nrhs; r++) y[i * nrhs + r] -= f * y[j * nrhs + r];
            }
            double d = lu[i * n + i];
            for (int r = 0; r < nrhs; r++) y[i * nrhs + r] /= d;
        }
        System.arraycopy(y, 0, x, xo, n * nrhs);
    }

    @Override
    public void inverse(Buffer ab, int batch, int n, Buffer ob) {
        double[] a = arr(ab), o = arr(ob);
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1.0;
        Parallel.forRange(batch, (long) n * n * n, (f, t) -> {
            double[] w = new double[n * n];
            int[] piv = new int[n];
            for (int q = f; q < t; q++) {
                System.arraycopy(a, q * n * n, w, 0, n * n);
                if (lu(w, n, piv) == 0) {
                    throw new ArithmeticException("inverse: matrix " + q + " of the batch is singular");
                }
                luSolve(w, n, piv, eye, 0, n, o, q * n * n);
            }
        });
    }

    @Override
    public void det(Buffer ab, int batch, int n, Buffer ob) {
        double[] a = arr(ab), o = arr(ob);
        Parallel.forRange(batch, (long) n * n * n, (f, t) -> {
            double[] w = new double[n * n];
            int[] piv = new int[n];
            for (int q = f; q < t; q++) {
                System.arraycopy(a, q * n * n, w, 0, n * n);
                int s = lu(w, n, piv);
                double d = s;
                for (int i = 0; i < n && s != 0; i++) d *= w[i * n + i];
                o[q] = s == 0 ? 0.0 : d;
            }
        });
    }

    @Override
    public void solve(Buffer ab, Buffer bb, int batch, int n, int nrhs, Buffer ob) {
        double[] a = arr(ab), b = arr(bb), o = arr(ob);
        Parallel.forRange(batch, (long) n * n * (n + nrhs), (f, t) -> {
            double[] w = new double[n * n];
            int[] piv = new int[n];
            for (int q = f; q < t; q++) {
                System.arraycopy(a, q * n * n, w, 0, n * n);
                if (lu(w, n, piv) == 0) {
                    throw new ArithmeticException("solve: matrix " + q + " of the batch is singular");
                }
                luSolve(w, n, piv, b, q * n * nrhs, nrhs, o, q * n * nrhs);
            }
        });
    }

    @Override
    public boolean hasGradientShear() {
        return true;
    }

    /** One pass over the rows without rows×width intermediates: {@link ShearKernel}. */
    @Override
    public void gradientShear(Buffer x, int rows, int d, int width, boolean up, boolean inverse,
                              Buffer k, Buffer a, Buffer b, Buffer out) {
        ShearKernel.forward(arr(x), rows, d, width, up, inverse, arr(k), arr(a), arr(b), arr(out));
    }

    @Override
    public void gradientShearBackward(Buffer x, Buffer g, int rows, int d, int width, boolean up, boolean inverse,
                                      Buffer k, Buffer a, Buffer b, Buffer gx, Buffer gk, Buffer ga, Buffer gb) {
        ShearKernel.backward(arr(x), arr(g), rows, d, width, up, inverse, arr(k), arr(a), arr(b),
            arr(gx), arr(gk), arr(ga), arr(gb));
    }

    /** SplitMix64 finaliser: a well-mixed 64-bit hash. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The counter-based uniform in [0, 1) for (seed, counter); shared definition for all backends. */
    public static double uniformAt(long seed, long counter) {
        long z = mix(mix(seed) + counter * 0x9E3779B97F4A7C15L);
        return (z >>> 11) * 0x1.0p-53;
    }

    @Override
    public void uniform(long seed, long offset, Buffer ob, int n) {
        double[] o = arr(ob);
        Parallel.forRange(n, 8, (f, t) -> {
            for (int i = f; i < t; i++) o[i] = uniformAt(seed, offset + i);
        });
    }
}
