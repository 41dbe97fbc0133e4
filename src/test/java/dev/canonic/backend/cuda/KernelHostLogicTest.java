package dev.canonic.backend.cuda;

import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.Buffer;
import dev.canonic.backend.ReduceKind;
import dev.canonic.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CUDA backend's host logic and the kernels' index arithmetic, run on the CPU: each kernel is
 * emulated in Java from the very arguments CudaBackend packs (KernelDims struct, CSR plan, launch
 * shape, fragment layout), over a grid-stride loop with several grid sizes, and compared with
 * CpuBackend. This checks everything but the GPU's execution itself.
 */
class KernelHostLogicTest {
    static final CpuBackend CPU = CpuBackend.INSTANCE;

    static double[] randn(Random g, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = g.nextGaussian();
        return v;
    }

    /** Visits 0..n-1 the way a grid-stride loop with the given grid does (thread-major), returning the order. */
    static long[] gridStrideOrder(long n, int grid, int block) {
        long[] order = new long[(int) n];
        int w = 0;
        long stride = (long) grid * block;
        for (long t = 0; t < stride; t++) for (long i = t; i < n; i += stride) order[w++] = i;
        assertEquals(n, w);
        return order;
    }

    static int[] contiguous(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= shape[d];
        }
        return s;
    }

    /** A random layout: a permutation of a contiguous buffer, with random axes broadcast (stride 0). */
    static int[] randomStrides(Random g, int[] shape, boolean allowBroadcast) {
        int nd = shape.length;
        Integer[] perm = new Integer[nd];
        for (int i = 0; i < nd; i++) perm[i] = i;
        java.util.Collections.shuffle(java.util.Arrays.asList(perm), g);
        int[] s = new int[nd];
        int acc = 1;
        for (int q = nd - 1; q >= 0; q--) {
            int d = perm[q];
            if (allowBroadcast && g.nextInt(4) == 0) {
                s[d] = 0;
            } else {
                s[d] = acc;
                acc *= shape[d];
            }
        }
        return s;
    }

    static int span(int[] shape, int[] strides) {
        int m = 0;
        for (int d = 0; d < shape.length; d++) m += (shape[d] - 1) * strides[d];
        return m + 1;
    }

    @Test
    void binaryIndexMathMatchesTheCpuForRandomBroadcastLayouts() {
        Random g = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            int nd = 1 + g.nextInt(5);
            int[] shape = new int[nd];
            for (int d = 0; d < nd; d++) shape[d] = 1 + g.nextInt(4);
            int[] as = randomStrides(g, shape, true), bs = randomStrides(g, shape, true);
            double[] a = randn(g, span(shape, as)), b = randn(g, span(shape, bs));
            BinaryKind k = BinaryKind.values()[g.nextInt(BinaryKind.values().length)];
            int n = 1;
            for (int s : shape) n *= s;
            Buffer out = CPU.alloc(n);
            CPU.binary(k, CpuBackend.wrap(a), as, CpuBackend.wrap(b), bs, out, shape);
            KernelDims d = KernelDims.of("binary", shape, as, bs);
            assertEquals(n, d.size());
            int[] packed = d.pack();
            double[] emu = new double[n];
            for (long i : gridStrideOrder(n, 1 + g.nextInt(3), 1 + g.nextInt(8))) {
                emu[(int) i] = k.apply(a[(int) KernelDims.offset(packed, i, 0)], b[(int) KernelDims.offset(packed, i, 1)]);
            }
            assertArrayEquals(CPU.toHost(out), emu, 0, "trial " + trial);
        }
    }

    @Test
    void whereAndCopyIndexMathMatchTheCpu() {
        Random g = new Random(2);
        for (int trial = 0; trial < 200; trial++) {
            int nd = 1 + g.nextInt(4);
            int[] shape = new int[nd];
            for (int d = 0; d < nd; d++) shape[d] = 1 + g.nextInt(4);
            int n = 1;
            for (int s : shape) n *= s;
            int[] cs = randomStrides(g, shape, true), as = randomStrides(g, shape, true), bs = randomStrides(g, shape, true);
            double[] c = new double[span(shape, cs)];
            for (int i = 0; i < c.length; i++) c[i] = g.nextInt(2);
            double[] a = randn(g, span(shape, as)), b = randn(g, span(shape, bs));
            Buffer out = CPU.alloc(n);
            CPU.where(CpuBackend.wrap(c), cs, CpuBackend.wrap(a), as, CpuBackend.wrap(b), bs, out, shape);
            int[] p = KernelDims.of("where", shape, cs, as, bs).pack();
            double[] emu = new double[n];
            for (long i = 0; i < n; i++) {
                emu[(int) i] = c[(int) KernelDims.offset(p, i, 0)] != 0 ? a[(int) KernelDims.offset(p, i, 1)] : b[(int) KernelDims.offset(p, i, 2)];
            }
            assertArrayEquals(CPU.toHost(out), emu, 0);

            // copy: source in a random layout (broadcast allowed), destination permuted, both offset
            int[] ss = randomStrides(g, shape, true), ds = randomStrides(g, shape, false);
            int srcOff = g.nextInt(3), dstOff = g.nextInt(3);
            double[] src = randn(g, srcOff + span(shape, ss));
            double[] dst0 = randn(g, dstOff + span(shape, ds) + 2);
            Buffer dst = CPU.fromHost(dst0);
            CPU.copy(CpuBackend.wrap(src), srcOff, ss, shape, dst, dstOff, ds);
            int[] q = KernelDims.of("copy", shape, ds, ss).pack();
            double[] emuDst = dst0.clone();
            for (long i = 0; i < n; i++) emuDst[(int) (dstOff + KernelDims.offset(q, i, 0))] = src[(int) (srcOff + KernelDims.offset(q, i, 1))];
            assertArrayEquals(CPU.toHost(dst), emuDst, 0);
        }
    }

    @Test
    void dimsMergeContiguousAxesAndRefuseTooMany() {
        KernelDims d = KernelDims.of("t", new int[] {2, 3, 4}, new int[] {12, 4, 1}, new int[] {0, 0, 1});
        assertEquals(2, d.nd());
        assertArrayEquals(new int[] {6, 4}, d.shape());
        assertArrayEquals(new int[] {0, 1}, d.strides(1));
        KernelDims c = KernelDims.of("t", new int[] {2, 1, 3, 4}, new int[] {12, 99, 4, 1});
        assertEquals(1, c.nd());
        assertEquals(0, KernelDims.of("t", new int[] {1, 1}, new int[] {5, 7}).nd());
        int[] big = new int[9], st = new int[9];
        for (int i = 0; i < 9; i++) {
            big[i] = 2;
            st[i] = 1 << (2 * (8 - i));  // gaps: nothing merges
        }
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> KernelDims.of("binary ADD", big, st));
        assertTrue(e.getMessage().contains("binary ADD"));
        assertEquals(KernelDims.PACKED_INTS, d.pack().length);
    }

    @Test
    void segmentSumPlanGivesTheCpuResultBitForBit() {
        Random g = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            int outer = 1 + g.nextInt(3), outLen = 1 + g.nextInt(6), inner = 1 + g.nextInt(4), m = g.nextInt(12);
            int[] idx = new int[m];
            for (int j = 0; j < m; j++) idx[j] = g.nextInt(outLen);
            double[] gr = randn(g, outer * m * inner);
            for (int i = 0; i < gr.length; i += 3) gr[i] *= 1e8;  // make summation order matter
            Buffer out = CPU.alloc(outer * outLen * inner);
            CPU.indexAdd(CpuBackend.wrap(gr), outer, outLen, inner, idx, out);
            int[] plan = IndexPlan.csr(idx, outLen);
            int rows = outLen + 1;
            double[] emu = new double[outer * outLen * inner];
            for (long e = 0; e < emu.length; e++) {  // index_add_f64
                long r = e / inner, i = e % inner, q = r / outLen, t = r % outLen;
                double acc = 0.0;
                for (int p = plan[(int) t]; p < plan[(int) t + 1]; p++) acc += gr[(int) ((q * m + plan[rows + p]) * inner + i)];
                emu[(int) e] = acc;
            }
            assertArrayEquals(CPU.toHost(out), emu, 0);

            double[] x = randn(g, outer * outLen * inner);
            Buffer sel = CPU.alloc(outer * m * inner);
            CPU.indexSelect(CpuBackend.wrap(x), outer, outLen, inner, idx, sel);
            double[] es = new double[outer * m * inner];
            for (long e = 0; e < es.length; e++) {  // index_select_f64
                long r = e / inner, i = e % inner, q = r / m, j = r % m;
                es[(int) e] = x[(int) ((q * outLen + idx[(int) j]) * inner + i)];
            }
            assertArrayEquals(CPU.toHost(sel), es, 0);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> IndexPlan.csr(new int[] {0, 3}, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> IndexPlan.checkRange(new int[] {-1}, 3));
    }

    @Test
    void reductionsPerOutputAreTheCpuBitForBitAndByRowsToRounding() {
        Random g = new Random(4);
        int[][] shapes = {{3, 17, 5}, {4, 3000, 1}, {1, 1, 1}, {2, 0, 3}};
        for (int[] s : shapes) {
            int outer = s[0], len = s[1], inner = s[2];
            double[] x = randn(g, outer * len * inner);
            for (ReduceKind k : ReduceKind.values()) {
                Buffer out = CPU.alloc(outer * inner);
                CPU.reduce(k, CpuBackend.wrap(x), outer, len, inner, out);
                double[] ref = CPU.toHost(out);
                double[] emu = new double[outer * inner];
                for (long r = 0; r < emu.length; r++) {  // reduce_sum_f64 / reduce_max_f64
                    long o = r / inner, i = r % inner;
                    double acc = k == ReduceKind.SUM ? 0.0 : Double.NEGATIVE_INFINITY;
                    for (int l = 0; l < len; l++) {
                        double v = x[(int) (o * len * inner + (long) l * inner + i)];
                        if (k == ReduceKind.SUM) acc += v;
                        else if (v > acc || Double.isNaN(v)) acc = v;
                    }
                    emu[(int) r] = acc;
                }
                assertArrayEquals(ref, emu, 0);
                if (inner == 1 && len > 0) {  // reduce_*_rows_f64: 256 strided partials, then a tree
                    for (int o = 0; o < outer; o++) {
                        double[] part = new double[256];
                        for (int t = 0; t < 256; t++) {
                            double acc = k == ReduceKind.SUM ? 0.0 : Double.NEGATIVE_INFINITY;
                            for (int l = t; l < len; l += 256) {
                                double v = x[o * len + l];
                                if (k == ReduceKind.SUM) acc += v;
                                else if (v > acc || Double.isNaN(v)) acc = v;
                            }
                            part[t] = acc;
                        }
                        for (int w = 128; w > 0; w >>= 1) {
                            for (int t = 0; t < w; t++) {
                                if (k == ReduceKind.SUM) part[t] += part[t + w];
                                else if (!Double.isNaN(part[t]) && (part[t + w] > part[t] || Double.isNaN(part[t + w]))) part[t] = part[t + w];
                            }
                        }
                        assertEquals(ref[o], part[0], 1e-12 * Math.max(1, Math.abs(ref[o])) * Math.sqrt(len));
                    }
                }
            }
        }
        assertTrue(LaunchShape.reduceByRows(4, 100000, 1, 132));
        assertTrue(!LaunchShape.reduceByRows(4, 100000, 3, 132));
        assertTrue(!LaunchShape.reduceByRows(100000, 100, 1, 132));
    }

    static long mix(long z) {  // splitmix_mix in kernels/rng.cu, with Java's >>> for the unsigned shift
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Test
    void counterRngEmulationIsTheCpuUniformForAnySplit() {
        long seed = -123456789L, offset = (1L << 40) + 7;
        int n = 4099;
        Buffer out = CPU.alloc(n);
        CPU.uniform(seed, offset, out, n);
        double[] ref = CPU.toHost(out);
        for (int grid : new int[] {1, 3, 17}) {
            double[] emu = new double[n];
            long ms = mix(seed);
            for (long i : gridStrideOrder(n, grid, 32)) {
                long z = mix(ms + (offset + i) * 0x9E3779B97F4A7C15L);
                emu[(int) i] = (double) (z >>> 11) * 0x1.0p-53;
            }
            assertArrayEquals(ref, emu, 0);
        }
    }

    @Test
    void launchShapesCoverTheWork() {
        LaunchShape s = LaunchShape.linear(1000, 132);
        assertEquals(4, s.gridX());
        assertEquals(256, s.block());
        assertEquals(132 * 32, LaunchShape.linear(1L << 30, 132).gridX());
        assertEquals(1, LaunchShape.linear(0, 132).gridX());
        LaunchShape gm = LaunchShape.gemm(3, 65, 129, true);
        assertEquals(3, gm.gridX());
        assertEquals(2, gm.gridY());
        assertEquals(3, gm.gridZ());
        assertEquals(128, gm.block());
        assertEquals(256, LaunchShape.gemm(1, 1, 1, false).block());
        assertEquals(2, LaunchShape.perMatrix(65, 132).gridX());
    }

    @Test
    void outOfMemoryMessageNamesAskedAndFree() {
        String m = CudaOutOfMemoryException.message("NVIDIA H100", 1L << 31, 1L << 34, 3L << 30, 80L << 30);
        assertTrue(m.contains("asked for 16.00 GiB"), m);
        assertTrue(m.contains("3.00 GiB free of 80.00 GiB"), m);
        assertTrue(m.contains("NVIDIA H100"), m);
    }

    @Test
    void withoutAGpuTheBackendSaysWhy() {
        String why = CudaBackend.unavailableReason();
        org.junit.jupiter.api.Assumptions.assumeTrue(why != null, "a GPU is present: nothing to check here");
        IllegalStateException e = assertThrows(IllegalStateException.class, CudaBackend::instance);
        assertTrue(e.getMessage().startsWith("CUDA backend unavailable: "), e.getMessage());
        assertTrue(e.getMessage().contains(why));
    }

    @Test
    void launchArgumentsAreCheckedAgainstTheSignature() {
        KernelSignatures.check("fill_value_f64", 5L, new jcuda.driver.CUdeviceptr(), 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> KernelSignatures.check("fill_value_f64", 5, new jcuda.driver.CUdeviceptr(), 1.0));
        assertTrue(e.getMessage().contains("(lpd)") && e.getMessage().contains("(ipd)"), e.getMessage());
    }
}
