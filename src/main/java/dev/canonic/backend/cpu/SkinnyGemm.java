package dev.canonic.backend.cpu;

/**
 * Matrix products with a dimension of 1 (matrix·vector, vector·matrix, outer products), which the
 * blocked kernel handles poorly: its inner loop would run over a single element. A vector operand
 * is contiguous whether or not it is marked transposed, so no transposition is ever copied.
 */
final class SkinnyGemm {
    private SkinnyGemm() {
    }

    /** Computes the product when m, n or k is 1 and returns true; returns false otherwise. */
    static boolean tryGemm(int batch, int m, int n, int k, double[] a, int aStride, boolean transA,
                           double[] b, int bStride, boolean transB, double[] c) {
        if (n != 1 && m != 1 && k != 1) return false;
        long cost = 2L * m * n * k;
        Parallel.forRange(batch, cost, (f, t) -> {
            for (int q = f; q < t; q++) one(m, n, k, a, q * aStride, transA, b, q * bStride, transB, c, q * m * n);
        });
        return true;
    }

    private static void one(int m, int n, int k, double[] a, int ao, boolean transA, double[] b, int bo, boolean transB,
                            double[] c, int co) {
        if (k == 1) {
            // outer product: c[i, j] = a[i]·b[j]
            for (int i = 0; i < m; i++) {
                double ai = a[ao + i];
                int r = co + i * n;
                for (int j = 0; j < n; j++) c[r + j] = ai * b[bo + j];
            }
        } else if (n == 1) {
            if (!transA) {
                // c[i] = Σ_p A[i, p]·b[p]
                for (int i = 0; i < m; i++) {
                    int r = ao + i * k;
                    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    int p = 0;
                    for (; p + 3 < k; p += 4) {
                        s0 += a[r + p] * b[bo + p];
                        s1 += a[r + p + 1] * b[bo + p + 1];
                        s2 += a[r + p + 2] * b[bo + p + 2];
                        s3 += a[r + p + 3] * b[bo + p + 3];
                    }
                    for (; p < k; p++) s0 += a[r + p] * b[bo + p];
                    c[co + i] = (s0 + s1) + (s2 + s3);
                }
            } else {
                // A stored k×m: c = Σ_p b[p]·A[p, :]
                java.util.Arrays.fill(c, co, co + m, 0.0);
                for (int p = 0; p < k; p++) {
                    double bp = b[bo + p];
                    int r = ao + p * m;
                    for (int i = 0; i < m; i++) c[co + i] += bp * a[r + i];
                }
            }
        } else {
            // m == 1
            if (!transB) {
                // B stored k×n: c = Σ_p a[p]·B[p, :]
                java.util.Arrays.fill(c, co, co + n, 0.0);
                for (int p = 0; p < k; p++) {
                    double ap = a[ao + p];
                    int r = bo + p * n;
                    for (int j = 0; j < n; j++) c[co + j] += ap * b[r + j];
                }
            } else {
                // B stored n×k: c[j] = Σ_p a[p]·B[j, p]
                for (int j = 0; j < n; j++) {
                    int r = bo + j * k;
                    double s0 = 0, s1 = 0;
                    int p = 0;
                    for (; p + 1 < k; p += 2) {
                        s0 += a[ao + p] * b[r + p];
                        s1 += a[ao + p + 1] * b[r + p + 1];
                    }
                    for (; p < k; p++) s0 += a[ao + p] * b[r + p];
                    c[co + j] = s0 + s1;
                }
            }
        }
    }
}
