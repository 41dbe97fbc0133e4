package dev.canonic.backend;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.core.Tensor;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuBackendTest {
    static double[] naive(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @Test
    void matmulMatchesNaiveProductForOddSizesAndThreadCounts() {
        Random g = new Random(5);
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {67, 300, 129}, {257, 33, 1030}, {128, 600, 64}, {200, 1, 64}, {1, 70, 90}, {150, 64, 1}, {1, 1, 50}, {40, 1, 1}};
        for (int t : new int[] {1, 2}) {
            Parallel.setThreads(t);
            for (int[] s : sizes) {
                Tensor a = Tensor.randn(g, s[0], s[1]), b = Tensor.randn(g, s[1], s[2]);
                double[] ref = naive(a.toArray(), b.toArray(), s[0], s[1], s[2]);
                double[] c = a.matmul(b).toArray();
                double[] ct = a.t().matmul(b.t(), true, true).toArray();
                for (int i = 0; i < ref.length; i++) {
                    assertEquals(ref[i], c[i], 1e-12 * Math.max(1, Math.abs(ref[i])) * s[1]);
                    assertEquals(ref[i], ct[i], 1e-12 * Math.max(1, Math.abs(ref[i])) * s[1]);
                }
            }
        }
        Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void skinnyProductsInEveryTransposeAndBatchLayoutMatchNaive() {
        Random g = new Random(6);
        int[][] sizes = {{5, 1, 7}, {1, 6, 4}, {6, 4, 1}, {1, 1, 3}, {5, 21, 1}, {1, 19, 6}, {4, 64, 1}};
        for (int[] s : sizes) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    Tensor a = Tensor.randn(g, 3, s[0], s[1]), b = Tensor.randn(g, s[1], s[2]);
                    Tensor aa = ta ? a.transpose(-2, -1) : a, bb = tb ? b.t() : b;
                    double[] c = aa.matmul(bb, ta, tb).toArray();
                    double[] av = a.toArray(), bv = b.toArray();
                    for (int q = 0; q < 3; q++) {
                        double[] ref = naive(java.util.Arrays.copyOfRange(av, q * s[0] * s[1], (q + 1) * s[0] * s[1]), bv, s[0], s[1], s[2]);
                        for (int i = 0; i < ref.length; i++) assertEquals(ref[i], c[q * ref.length + i], 1e-13, "shape " + java.util.Arrays.toString(s) + " ta=" + ta + " tb=" + tb);
                    }
                }
            }
        }
    }

    @Test
    void smallLinearAlgebraAgreesWithEjml() {
        Random g = new Random(9);
        for (int n = 1; n <= 8; n++) {
            Tensor a = Tensor.randn(g, 5, n, n);
            Tensor rhs = Tensor.randn(g, 5, n, 2);
            double[] inv = a.inverse().toArray(), det = a.det().toArray(), sol = a.solve(rhs).toArray();
            double[] av = a.toArray(), rv = rhs.toArray();
            for (int q = 0; q < 5; q++) {
                DMatrixRMaj m = new DMatrixRMaj(n, n);
                System.arraycopy(av, q * n * n, m.data, 0, n * n);
                DMatrixRMaj mi = new DMatrixRMaj(n, n);
                assertTrue(CommonOps_DDRM.invert(m, mi));
                for (int i = 0; i < n * n; i++) assertEquals(mi.data[i], inv[q * n * n + i], 1e-10 * Math.max(1, Math.abs(mi.data[i])));
                assertEquals(CommonOps_DDRM.det(m), det[q], 1e-12 * Math.max(1, Math.abs(det[q])));
                DMatrixRMaj b = new DMatrixRMaj(n, 2);
                System.arraycopy(rv, q * n * 2, b.data, 0, n * 2);
                DMatrixRMaj x = new DMatrixRMaj(n, 2);
                assertTrue(CommonOps_DDRM.solve(m, b, x));
                for (int i = 0; i < n * 2; i++) assertEquals(x.data[i], sol[q * n * 2 + i], 1e-10 * Math.max(1, Math.abs(x.data[i])));
            }
        }
    }

    @Test
    void broadcastRowsGiveExactlyTheScalarResults() {
        Random g = new Random(12);
        for (int inner : new int[] {1, 3, 8, 13, 64, 67}) {
            Tensor a = Tensor.randn(g, 37, inner), row = Tensor.randn(g, inner), col = Tensor.randn(g, 37, 1);
            double[] av = a.toArray(), rv = row.toArray(), cv = col.toArray();
            Tensor[] got = {a.add(row), a.sub(row), a.mul(row), a.div(row), a.add(col), a.sub(col), a.mul(col), a.div(col)};
            for (int k = 0; k < got.length; k++) {
                double[] v = got[k].toArray();
                for (int r = 0; r < 37; r++) {
                    for (int j = 0; j < inner; j++) {
                        double x = av[r * inner + j], y = k < 4 ? rv[j] : cv[r];
                        double e = k % 4 == 0 ? x + y : k % 4 == 1 ? x - y : k % 4 == 2 ? x * y : x / y;
                        assertEquals(Double.doubleToRawLongBits(e), Double.doubleToRawLongBits(v[r * inner + j]), "op " + k + " inner " + inner);
                    }
                }
            }
        }
    }

    @Test
    void singularMatrixIsReportedWithItsBatchIndex() {
        Tensor a = Tensor.of(new double[] {1, 0, 0, 1, 1, 2, 2, 4}, 2, 2, 2);
        ArithmeticException e = assertThrows(ArithmeticException.class, a::inverse);
        assertTrue(e.getMessage().contains("matrix 1"), e.getMessage());
        assertEquals(0.0, a.det().toArray()[1], 0);
    }

    @Test
    void counterBasedUniformDoesNotDependOnSplitting() {
        Backend be = dev.canonic.backend.cpu.CpuBackend.INSTANCE;
        double[] whole = Tensor.uniform(be, 77, 0, 1000).toArray();
        double[] tail = Tensor.uniform(be, 77, 600, 400).toArray();
        for (int i = 0; i < 400; i++) assertEquals(whole[600 + i], tail[i], 0);
        double mean = 0;
        for (double v : whole) {
            assertTrue(v >= 0 && v < 1);
            mean += v / whole.length;
        }
        assertEquals(0.5, mean, 0.05);
    }
}
