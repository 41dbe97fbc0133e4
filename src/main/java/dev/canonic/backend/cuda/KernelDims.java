package dev.canonic.backend.cuda;

import java.util.Arrays;

/**
 * The {@code Dims} argument of the strided kernels (kernels/common.cuh): a shape and up to three
 * stride sets, passed to the kernel by value as 33 ints (132 bytes). Before packing, adjacent axes
 * that every operand walks contiguously are merged and size-1 axes dropped, so typical shapes reach
 * the kernel with one or two axes. {@link #offset} is the kernel's index arithmetic in Java, used by
 * the tests to check packing and merging against the CPU backend without a GPU.
 */
public final class KernelDims {
    /** Most axes a kernel accepts (CANONIC_MAXD in kernels/common.cuh). */
    public static final int MAXD = 8;
    /** Ints in the packed struct: nd, shape[8], s0[8], s1[8], s2[8]. */
    public static final int PACKED_INTS = 1 + 4 * MAXD;

    private final int[] shape;
    private final int[][] strides;

    private KernelDims(int[] shape, int[][] strides) {
        this.shape = shape;
        this.strides = strides;
    }

    /**
     * Merges the axes of shape for the given stride sets (1 to 3 of them). Throws
     * UnsupportedOperationException naming the op when more than {@link #MAXD} axes remain.
     */
    public static KernelDims of(String op, int[] shape, int[]... strides) {
        if (strides.length < 1 || strides.length > 3) throw new IllegalArgumentException("1 to 3 stride sets, got " + strides.length);
        for (int[] s : strides) {
            if (s.length != shape.length) {
                throw new IllegalArgumentException(op + ": strides " + Arrays.toString(s) + " do not match shape " + Arrays.toString(shape));
            }
        }
        int nd = 0;
        int[] sh = new int[shape.length];
        int[][] st = new int[strides.length][shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (nd > 0) {
                boolean merge = true;
                for (int q = 0; q < strides.length; q++) {
                    // the previous kept axis absorbs axis d when its stride == stride[d] * shape[d]
                    if ((long) st[q][nd - 1] != (long) strides[q][d] * shape[d]) {
                        merge = false;
                        break;
                    }
                }
                if (merge) {
                    sh[nd - 1] *= shape[d];
                    for (int q = 0; q < strides.length; q++) st[q][nd - 1] = strides[q][d];
                    continue;
                }
            }
            sh[nd] = shape[d];
            for (int q = 0; q < strides.length; q++) st[q][nd] = strides[q][d];
            nd++;
        }
        if (nd > MAXD) {
            throw new UnsupportedOperationException(op + " on the CUDA backend: " + nd + " non-mergeable axes (at most " + MAXD + ")");
        }
        int[] fs = Arrays.copyOf(sh, nd);
        int[][] fst = new int[strides.length][];
        for (int q = 0; q < strides.length; q++) fst[q] = Arrays.copyOf(st[q], nd);
        return new KernelDims(fs, fst);
    }

    /** Merged number of axes. */
    public int nd() {
        return shape.length;
    }

    /** Merged shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Merged strides of operand q (a copy). */
    public int[] strides(int q) {
        return strides[q].clone();
    }

    /** Number of elements. */
    public long size() {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** The struct as the kernel reads it: nd, shape[MAXD], s0[MAXD], s1[MAXD], s2[MAXD]; unused slots 0. */
    public int[] pack() {
        int[] p = new int[PACKED_INTS];
        p[0] = shape.length;
        System.arraycopy(shape, 0, p, 1, shape.length);
        for (int q = 0; q < strides.length; q++) System.arraycopy(strides[q], 0, p, 1 + MAXD * (q + 1), shape.length);
        return p;
    }

    /**
     * The kernel's offset of flat index i in operand q, read from a packed struct exactly as
     * offsets2 / where_select_f64 do: innermost axis first, i % shape, i / shape.
     */
    public static long offset(int[] packed, long i, int q) {
        long o = 0;
        for (int k = packed[0] - 1; k >= 0; k--) {
            int sh = packed[1 + k];
            long c = i % sh;
            i /= sh;
            o += c * packed[1 + MAXD * (q + 1) + k];
        }
        return o;
    }
}
