package dev.canonic.backend.cpu;

import dev.canonic.backend.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocked matrix product against a naive triple loop, around every block edge. */
class GemmKernelsTest {
    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** A(i,p) from storage (m×k, or k×m when transA). */
    static double at(double[] a, int off, boolean trans, int rows, int cols, int i, int p) {
        return trans ? a[off + p * rows + i] : a[off + i * cols + p];
    }

    static double[] naive(int batch, int m, int n, int k, double[] a, int as, boolean ta, double[] b, int bs, boolean tb) {
        double[] c = new double[batch * m * n];
        for (int q = 0; q < batch; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += at(a, q * as, ta, m, k, i, p) * at(b, q * bs, tb, k, n, p, j);
                    }
                    c[q * m * n + i * n + j] = s;
                }
            }
        }
        return c;
    }

    static double[] rand(Random g, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = g.nextGaussian();
        return x;
    }

    static double[] run(int batch, int m, int n, int k, double[] a, int as, boolean ta, double[] b, int bs, boolean tb) {
        double[] c = new double[batch * m * n];
        java.util.Arrays.fill(c, Double.NaN); // C must be fully overwritten
        CpuBackend.INSTANCE.gemm(batch, m, n, k, CpuBackend.wrap(a), as, ta, CpuBackend.wrap(b), bs, tb, CpuBackend.wrap(c));
        return c;
    }

    static void check(double[] ref, double[] got, int k, String what) {
        assertEquals(ref.length, got.length, what);
        for (int i = 0; i < ref.length; i++) {
            double tol = 1e-12 * Math.max(1, Math.abs(ref[i])) * Math.max(1, k);
            assertTrue(Math.abs(ref[i] - got[i]) <= tol, what + " at " + i + ": " + ref[i] + " vs " + got[i]);
        }
    }

    static List<int[]> edgeSizes() {
        int mr = GemmKernels.MR, nr = GemmKernels.NR, kc = GemmKernels.KC;
        List<int[]> s = new ArrayList<>();
        int[] ms = {4, mr - 1, mr, mr + 1, 12 * mr - 1, 12 * mr + 1, 2 * 12 * mr + 3};
        int[] ns = {8, nr - 1, nr, nr + 1, 3 * nr + 5};
        int[] ks = {8, 9, kc - 1, kc, kc + 1, 2 * kc + 7};
        for (int m : ms) for (int n : ns) for (int k : ks) {
            if ((long) m * n * k <= 2_000_000 && CpuBackend.useBlocked(m, n, k)) s.add(new int[] {m, n, k});
        }
        s.add(new int[] {37, 128 * nr + 3, 20}); // more columns than one packed B block
        return s;
    }

    @Test
    void blockedProductMatchesNaiveAroundBlockEdgesWithTransposes() {
        Random g = new Random(11);
        for (int[] s : edgeSizes()) {
            int m = s[0], n = s[1], k = s[2];
            double[] a = rand(g, m * k), b = rand(g, k * n);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    double[] ref = naive(1, m, n, k, a, 0, ta, b, 0, tb);
                    for (int t : new int[] {1, 2}) {
                        Parallel.setThreads(t);
                        check(ref, run(1, m, n, k, a, 0, ta, b, 0, tb), k,
                                "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb + " t=" + t);
                    }
                }
            }
        }
    }

    @Test
    void scalarAndVectorMicroKernelsAgreeWithNaive() {
        Random g = new Random(12);
        List<GemmKernels.Micro> micros = new ArrayList<>();
        micros.add(new ScalarMicroKernel());
        micros.add(GemmKernels.MICRO);
        int[][] sizes = {{4, 8, 8}, {33, 71, 300}, {100, 49, 513}, {7, 1, 9}};
        for (GemmKernels.Micro micro : micros) {
            for (int[] s : sizes) {
                int m = s[0], n = s[1], k = s[2];
                double[] a = rand(g, m * k), b = rand(g, k * n);
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        double[] ref = naive(1, m, n, k, a, 0, ta, b, 0, tb);
                        double[] c = new double[m * n];
                        java.util.Arrays.fill(c, Double.NaN);
                        GemmKernels.gemm(micro, a, 0, ta, b, 0, tb, c, 0, m, n, k, 0, m, GemmKernels.DIRECT_A);
                        check(ref, c, k, micro.describe() + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb);
                    }
                }
            }
        }
    }

    @Test
    void panelsOfAReadInPlaceGiveBitwiseThePackedResult() {
        Random g = new Random(14);
        // Partial row panels, several KC blocks (k > 256), several MC blocks, row ranges split as threads split them.
        int[][] sizes = {{8192 / 8, 64, 64}, {203, 37, 600}, {97, 24, 257}, {8, 8, 1}, {17, 100, 31}};
        List<GemmKernels.Micro> micros = List.of(new ScalarMicroKernel(), GemmKernels.MICRO);
        for (GemmKernels.Micro micro : micros) {
            for (int[] s : sizes) {
                int m = s[0], n = s[1], k = s[2];
                double[] a = rand(g, m * k), b = rand(g, k * n);
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        double[] packed = new double[m * n], direct = new double[m * n];
                        int half = m / 2 + 3 > m ? m : m / 2 + 3;
                        GemmKernels.gemm(micro, a, 0, ta, b, 0, tb, packed, 0, m, n, k, 0, m, false);
                        GemmKernels.gemm(micro, a, 0, ta, b, 0, tb, direct, 0, m, n, k, 0, half, true);
                        GemmKernels.gemm(micro, a, 0, ta, b, 0, tb, direct, 0, m, n, k, half, m, true);
                        String what = micro.describe() + " " + m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb;
                        for (int i = 0; i < packed.length; i++) {
                            assertEquals(Double.doubleToRawLongBits(packed[i]), Double.doubleToRawLongBits(direct[i]), what + " element " + i);
                        }
                        check(naive(1, m, n, k, a, 0, ta, b, 0, tb), direct, k, what);
                    }
                }
            }
        }
    }

    @Test
    void batchedWithZeroStridesAndTransposes() {
        Random g = new Random(13);
        int[][] shapes = {{40, 50, 60}, {3, 3, 3}, {64, 64, 6}, {9, 30, 17}};
        for (int[] s : shapes) {
            int m = s[0], n = s[1], k = s[2];
            for (int batch : new int[] {1, 3, 9}) {
                for (int[] strides : new int[][] {{1, 1}, {0, 1}, {1, 0}, {0, 0}}) {
                    int as = strides[0] * m * k, bs = strides[1] * k * n;
                    double[] a = rand(g, Math.max(1, batch * strides[0]) * m * k);
                    double[] b = rand(g, Math.max(1, batch * strides[1]) * k * n);
                    for (boolean ta : new boolean[] {false, true}) {
                        for (boolean tb : new boolean[] {false, true}) {
                            double[] ref = naive(batch, m, n, k, a, as, ta, b, bs, tb);
                            for (int t : new int[] {1, 2}) {
                                Parallel.setThreads(t);
                                check(ref, run(batch, m, n, k, a, as, ta, b, bs, tb), k,
                                        "batch=" + batch + " " + m + "x" + n + "x" + k + " strides=" + as + "," + bs
                                                + " ta=" + ta + " tb=" + tb + " t=" + t);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void oneAndTwoThreadsGiveBitwiseEqualResults() {
        // Each element of C is summed in the same order whatever the row split, so the results agree exactly.
        Random g = new Random(14);
        int[][] sizes = {{300, 200, 700}, {513, 257, 129}, {1, 500, 300}};
        for (int[] s : sizes) {
            int m = s[0], n = s[1], k = s[2];
            double[] a = rand(g, m * k), b = rand(g, k * n);
            Parallel.setThreads(1);
            double[] c1 = run(1, m, n, k, a, 0, false, b, 0, true);
            Parallel.setThreads(2);
            double[] c2 = run(1, m, n, k, a, 0, false, b, 0, true);
            assertArrayEquals(c1, c2, m + "x" + n + "x" + k);
        }
    }

    @Test
    void zeroDepthGivesZeros() {
        double[] c = new double[6];
        java.util.Arrays.fill(c, 7);
        Buffer cb = CpuBackend.wrap(c);
        CpuBackend.INSTANCE.gemm(1, 2, 3, 0, CpuBackend.wrap(new double[0]), 0, false, CpuBackend.wrap(new double[0]), 0, false, cb);
        assertArrayEquals(new double[6], c, 0);
    }
}
