package dev.canonic.backend;

/**
 * The small primitive set every device implements. All arrays are dense row-major float64; shapes
 * and strides are in elements. Outputs come last and are written completely (never read) unless
 * the method says otherwise. The CPU backend is the reference implementation; every other backend
 * must match it (parity tests compare them from outside).
 */
public interface Backend {
    /** Short name, e.g. "cpu" or "cuda". */
    String name();

    /** A new zero-filled buffer of n elements. */
    Buffer alloc(int n);

    /**
     * A buffer of n elements for the output of a kernel that writes every element (see the
     * "written completely" rule above): its contents are unspecified. The CPU backend hands back a
     * recycled array inside a {@code BufferPool} scope; the default is {@link #alloc}.
     */
    default Buffer allocOutput(int n) {
        return alloc(n);
    }

    /** A new buffer holding a copy of the host values. */
    Buffer fromHost(double[] values);

    /** Copies the buffer's values to a new host array. */
    double[] toHost(Buffer b);

    /** out[i] = value for i &lt; n. */
    void fill(Buffer out, double value);

    /** out[i] = f(x[i]) for i &lt; n. */
    void unary(UnaryKind kind, Buffer x, Buffer out, int n);

    /**
     * out[idx] = f(a[idx·aStrides], b[idx·bStrides]) over the output shape; a stride of 0 broadcasts
     * that axis.
     */
    void binary(BinaryKind kind, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape);

    /** out[idx] = c[idx] != 0 ? a[idx] : b[idx], each with broadcast strides over the output shape. */
    void where(Buffer c, int[] cStrides, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape);

    /**
     * Reduces x viewed as [outer, len, inner] along the middle axis: out[o, i] = reduce_l x[o, l, i].
     */
    void reduce(ReduceKind kind, Buffer x, int outer, int len, int inner, Buffer out);

    /**
     * General strided copy: for every index of shape, dst[dstOff + idx·dstStrides] = src[srcOff +
     * idx·srcStrides]. Serves permute, slice, concat and broadcast (stride 0). Elements of dst not
     * addressed keep their value.
     */
    void copy(Buffer src, int srcOff, int[] srcStrides, int[] shape, Buffer dst, int dstOff, int[] dstStrides);

    /**
     * Batched matrix product C[b] = op(A[b])·op(B[b]) with C[b] m×n contiguous. A[b] starts at
     * b·aBatchStride and is stored m×k (or k×m when transA); B[b] starts at b·bBatchStride and is k×n
     * (or n×k when transB). A batch stride of 0 reuses one matrix for every batch.
     */
    void gemm(int batch, int m, int n, int k, Buffer a, int aBatchStride, boolean transA,
              Buffer b, int bBatchStride, boolean transB, Buffer c);

    /** x viewed as [outer, len, inner]: out[o, j, i] = x[o, idx[j], i]. */
    void indexSelect(Buffer x, int outer, int len, int inner, int[] idx, Buffer out);

    /** out viewed as [outer, outLen, inner] is zeroed, then out[o, idx[j], i] += g[o, j, i]. */
    void indexAdd(Buffer g, int outer, int outLen, int inner, int[] idx, Buffer out);

    /** Batched inverse of n×n matrices; throws ArithmeticException naming the batch entry if singular. */
    void inverse(Buffer a, int batch, int n, Buffer out);

    /** Batched determinant of n×n matrices. */
    void det(Buffer a, int batch, int n, Buffer out);

    /** Batched solve A[b]·X[b] = B[b] for n×n A and n×nrhs B. */
    void solve(Buffer a, Buffer b, int batch, int n, int nrhs, Buffer out);

    /**
     * Counter-based uniform random numbers in [0, 1): out[i] depends only on (seed, offset + i), so
     * results do not depend on how the work is split.
     */
    void uniform(long seed, long offset, Buffer out, int n);

    /**
     * True when this backend has the fused SympNet gradient-module kernels {@link #gradientShear} and
     * {@link #gradientShearBackward}. Where it has not (the default, and the CUDA backend today), the
     * gradient-shear operation is computed by composing the primitives above, with the same results up
     * to rounding.
     */
    default boolean hasGradientShear() {
        return false;
    }

    /**
     * Fused SympNet gradient-module shear on rows of x viewed as [rows, 2d]. The fixed half is columns
     * [0, d) when up (else [d, 2d)), the moving half the other d columns. For every row, with
     * z = K·x_fixed + b (K stored width×d, a and b of length width),
     * out_moving = x_moving ± Kᵀ(a ⊙ tanh z) (− when inverse) and out_fixed = x_fixed.
     */
    default void gradientShear(Buffer x, int rows, int d, int width, boolean up, boolean inverse,
                               Buffer k, Buffer a, Buffer b, Buffer out) {
        throw new UnsupportedOperationException(name() + ": no fused gradientShear kernel");
    }

    /**
     * Backward of {@link #gradientShear} for the output cotangent g [rows, 2d]. With σ = ±1 (− when
     * inverse), g_s = σ·g_moving, h = tanh(x_fixed Kᵀ + b), u = g_s Kᵀ and s = (u ⊙ a) ⊙ (1 − h²)
     * (rows×width, never stored): gx_fixed = g_fixed + s K, gx_moving = g_moving (gx is [rows, 2d]),
     * gk = (h ⊙ a)ᵀ g_s + sᵀ x_fixed (width×d), ga = Σ_rows h ⊙ u and gb = Σ_rows s (width each).
     */
    default void gradientShearBackward(Buffer x, Buffer g, int rows, int d, int width, boolean up, boolean inverse,
                                       Buffer k, Buffer a, Buffer b, Buffer gx, Buffer gk, Buffer ga, Buffer gb) {
        throw new UnsupportedOperationException(name() + ": no fused gradientShearBackward kernel");
    }

    /** True when this backend runs on the host and its buffers are plain Java arrays. */
    default boolean isHost() {
        return false;
    }
}
