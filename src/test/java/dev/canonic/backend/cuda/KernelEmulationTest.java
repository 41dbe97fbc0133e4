package dev.canonic.backend.cuda;

import dev.canonic.backend.Buffer;
import dev.canonic.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Java emulations of the two kernels whose thread-to-data mapping is most intricate: the tensor-core
 * DGEMM (block tiles, warp tiles, and the m8n8k4 f64 fragment layout as the PTX ISA documents it) and
 * the one-thread-per-matrix LU (column-by-column substitution). They check the index arithmetic and
 * the loop order against CpuBackend; they cannot check the hardware's behaviour.
 */
class KernelEmulationTest {
    static final int BM = 64, BN = 64, BK = 16;

    static double loadA(double[] a, int ao, boolean ta, int m, int k, int gm, int gk) {
        if (gm >= m || gk >= k) return 0.0;
        return ta ? a[ao + gk * m + gm] : a[ao + gm * k + gk];
    }

    static double loadB(double[] b, int bo, boolean tb, int k, int n, int gk, int gn) {
        if (gk >= k || gn >= n) return 0.0;
        return tb ? b[bo + gn * k + gk] : b[bo + gk * n + gn];
    }

    /** load_tiles in kernels/gemm.cu for nthreads threads. */
    static void loadTiles(double[][] as, double[][] bs, double[] a, int ao, boolean ta, double[] b, int bo, boolean tb, int m, int n,
                          int k, int row0, int col0, int k0, int nthreads) {
        for (int tid = 0; tid < nthreads; tid++) {
            for (int e = tid; e < BM * BK; e += nthreads) {
                int mm = ta ? e % BM : e / BK, kk = ta ? e / BM : e % BK;
                as[kk][mm] = loadA(a, ao, ta, m, k, row0 + mm, k0 + kk);
            }
            for (int e = tid; e < BN * BK; e += nthreads) {
                int nn = tb ? e / BK : e % BN, kk = tb ? e % BK : e / BN;
                bs[kk][nn] = loadB(b, bo, tb, k, n, k0 + kk, col0 + nn);
            }
        }
    }

    /** gemm_tc_f64: 4 warps, each 4×4 m8n8k4 tiles; lane (g, t) holds A[g][t], B[t][g], C[g][2t], C[g][2t+1]. */
    static double[] gemmTc(int batch, int m, int n, int k, double[] a, int aBatch, boolean ta, double[] b, int bBatch, boolean tb) {
        double[] c = new double[batch * m * n];
        LaunchShape s = LaunchShape.gemm(batch, m, n, true);
        for (int z = 0; z < s.gridZ(); z++) {
            for (int by = 0; by < s.gridY(); by++) {
                for (int bx = 0; bx < s.gridX(); bx++) {
                    int row0 = by * BM, col0 = bx * BN;
                    double[][][][] acc = new double[4][32][16][2];  // [warp][lane][i*4+j][0/1]
                    double[][] as = new double[BK][BM], bs = new double[BK][BN];
                    for (int k0 = 0; k0 < k; k0 += BK) {
                        loadTiles(as, bs, a, z * aBatch, ta, b, z * bBatch, tb, m, n, k, row0, col0, k0, s.block());
                        for (int warp = 0; warp < 4; warp++) {
                            int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
                            for (int kk = 0; kk < BK; kk += 4) {
                                double[][] af = new double[32][4], bf = new double[32][4];
                                for (int lane = 0; lane < 32; lane++) {
                                    int g = lane >> 2, t = lane & 3;
                                    for (int i = 0; i < 4; i++) af[lane][i] = as[kk + t][wm + i * 8 + g];
                                    for (int j = 0; j < 4; j++) bf[lane][j] = bs[kk + t][wn + j * 8 + g];
                                }
                                for (int i = 0; i < 4; i++) {
                                    for (int j = 0; j < 4; j++) {
                                        // the warp-wide mma: gather fragments, D = A·B + C, scatter back
                                        double[][] A = new double[8][4], B = new double[4][8], C = new double[8][8];
                                        for (int lane = 0; lane < 32; lane++) {
                                            int g = lane >> 2, t = lane & 3;
                                            A[g][t] = af[lane][i];
                                            B[t][g] = bf[lane][j];
                                            C[g][2 * t] = acc[warp][lane][i * 4 + j][0];
                                            C[g][2 * t + 1] = acc[warp][lane][i * 4 + j][1];
                                        }
                                        for (int r = 0; r < 8; r++) {
                                            for (int q = 0; q < 8; q++) {
                                                double sum = C[r][q];
                                                for (int p = 0; p < 4; p++) sum = Math.fma(A[r][p], B[p][q], sum);
                                                C[r][q] = sum;
                                            }
                                        }
                                        for (int lane = 0; lane < 32; lane++) {
                                            int g = lane >> 2, t = lane & 3;
                                            acc[warp][lane][i * 4 + j][0] = C[g][2 * t];
                                            acc[warp][lane][i * 4 + j][1] = C[g][2 * t + 1];
                                        }
                                    }
                                }
                            }
                        }
                    }
                    for (int warp = 0; warp < 4; warp++) {
                        int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
                        for (int lane = 0; lane < 32; lane++) {
                            int g = lane >> 2, t = lane & 3;
                            for (int i = 0; i < 4; i++) {
                                int r = row0 + wm + i * 8 + g;
                                if (r >= m) continue;
                                for (int j = 0; j < 4; j++) {
                                    int col = col0 + wn + j * 8 + 2 * t;
                                    if (col < n) c[z * m * n + r * n + col] = acc[warp][lane][i * 4 + j][0];
                                    if (col + 1 < n) c[z * m * n + r * n + col + 1] = acc[warp][lane][i * 4 + j][1];
                                }
                            }
                        }
                    }
                }
            }
        }
        return c;
    }

    /** gemm_tc16_f64: 4 warps, each 2×4 m16n8k4 tiles; lane (g, t) holds A[g][t], A[g+8][t], B[t][g], C[g|g+8][2t..2t+1]. */
    static double[] gemmTc16(int batch, int m, int n, int k, double[] a, int aBatch, boolean ta, double[] b, int bBatch, boolean tb) {
        double[] c = new double[batch * m * n];
        LaunchShape s = LaunchShape.gemm(batch, m, n, true);
        for (int z = 0; z < s.gridZ(); z++) {
            for (int by = 0; by < s.gridY(); by++) {
                for (int bx = 0; bx < s.gridX(); bx++) {
                    int row0 = by * BM, col0 = bx * BN;
                    double[][][] acc = new double[4][32][2 * 4 * 4];  // [warp][lane][(i*4+j)*4+q]
                    double[][] as = new double[BK][BM], bs = new double[BK][BN];
                    for (int k0 = 0; k0 < k; k0 += BK) {
                        loadTiles(as, bs, a, z * aBatch, ta, b, z * bBatch, tb, m, n, k, row0, col0, k0, s.block());
                        for (int warp = 0; warp < 4; warp++) {
                            int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
                            for (int kk = 0; kk < BK; kk += 4) {
                                for (int i = 0; i < 2; i++) {
                                    for (int j = 0; j < 4; j++) {
                                        double[][] A = new double[16][4], B = new double[4][8], C = new double[16][8];
                                        for (int lane = 0; lane < 32; lane++) {
                                            int g = lane >> 2, t = lane & 3, base = (i * 4 + j) * 4;
                                            A[g][t] = as[kk + t][wm + i * 16 + g];
                                            A[g + 8][t] = as[kk + t][wm + i * 16 + g + 8];
                                            B[t][g] = bs[kk + t][wn + j * 8 + g];
                                            C[g][2 * t] = acc[warp][lane][base];
                                            C[g][2 * t + 1] = acc[warp][lane][base + 1];
                                            C[g + 8][2 * t] = acc[warp][lane][base + 2];
                                            C[g + 8][2 * t + 1] = acc[warp][lane][base + 3];
                                        }
                                        for (int r = 0; r < 16; r++) {
                                            for (int q = 0; q < 8; q++) {
                                                double sum = C[r][q];
                                                for (int p = 0; p < 4; p++) sum = Math.fma(A[r][p], B[p][q], sum);
                                                C[r][q] = sum;
                                            }
                                        }
                                        for (int lane = 0; lane < 32; lane++) {
                                            int g = lane >> 2, t = lane & 3, base = (i * 4 + j) * 4;
                                            acc[warp][lane][base] = C[g][2 * t];
                                            acc[warp][lane][base + 1] = C[g][2 * t + 1];
                                            acc[warp][lane][base + 2] = C[g + 8][2 * t];
                                            acc[warp][lane][base + 3] = C[g + 8][2 * t + 1];
                                        }
                                    }
                                }
                            }
                        }
                    }
                    for (int warp = 0; warp < 4; warp++) {
                        int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
                        for (int lane = 0; lane < 32; lane++) {
                            int g = lane >> 2, t = lane & 3;
                            for (int i = 0; i < 2; i++) {
                                for (int h = 0; h < 2; h++) {
                                    int r = row0 + wm + i * 16 + g + 8 * h;
                                    if (r >= m) continue;
                                    for (int j = 0; j < 4; j++) {
                                        int col = col0 + wn + j * 8 + 2 * t, base = (i * 4 + j) * 4 + 2 * h;
                                        if (col < n) c[z * m * n + r * n + col] = acc[warp][lane][base];
                                        if (col + 1 < n) c[z * m * n + r * n + col + 1] = acc[warp][lane][base + 1];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return c;
    }

    /** gemm_simt_f64: 256 threads, thread (tr, tc) owns rows tr + 16i and columns tc + 16j of the tile. */
    static double[] gemmSimt(int batch, int m, int n, int k, double[] a, int aBatch, boolean ta, double[] b, int bBatch, boolean tb) {
        double[] c = new double[batch * m * n];
        LaunchShape s = LaunchShape.gemm(batch, m, n, false);
        for (int z = 0; z < s.gridZ(); z++) {
            for (int by = 0; by < s.gridY(); by++) {
                for (int bx = 0; bx < s.gridX(); bx++) {
                    int row0 = by * BM, col0 = bx * BN;
                    double[][][] acc = new double[256][4][4];
                    double[][] as = new double[BK][BM], bs = new double[BK][BN];
                    for (int k0 = 0; k0 < k; k0 += BK) {
                        loadTiles(as, bs, a, z * aBatch, ta, b, z * bBatch, tb, m, n, k, row0, col0, k0, 256);
                        for (int tid = 0; tid < 256; tid++) {
                            int tr = tid / 16, tc = tid % 16;
                            for (int kk = 0; kk < BK; kk++) {
                                for (int i = 0; i < 4; i++) {
                                    for (int j = 0; j < 4; j++) acc[tid][i][j] = Math.fma(as[kk][tr + 16 * i], bs[kk][tc + 16 * j], acc[tid][i][j]);
                                }
                            }
                        }
                    }
                    for (int tid = 0; tid < 256; tid++) {
                        int tr = tid / 16, tc = tid % 16;
                        for (int i = 0; i < 4; i++) {
                            int r = row0 + tr + 16 * i;
                            if (r >= m) continue;
                            for (int j = 0; j < 4; j++) {
                                int col = col0 + tc + 16 * j;
                                if (col < n) c[z * m * n + r * n + col] = acc[tid][i][j];
                            }
                        }
                    }
                }
            }
        }
        return c;
    }

    @Test
    void tensorCoreAndPlainTilingsGiveTheProductInEveryLayout() {
        Random g = new Random(11);
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {65, 17, 70}, {8, 33, 129}, {64, 64, 16}, {130, 3, 9}};
        for (int[] s : sizes) {
            int m = s[0], k = s[1], n = s[2];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                int batch = 2;
                double[] a = new double[batch * m * k], b = new double[k * n];
                for (int i = 0; i < a.length; i++) a[i] = g.nextGaussian();
                for (int i = 0; i < b.length; i++) b[i] = g.nextGaussian();
                Buffer c = CpuBackend.INSTANCE.alloc(batch * m * n);
                CpuBackend.INSTANCE.gemm(batch, m, n, k, CpuBackend.wrap(a), m * k, ta, CpuBackend.wrap(b), 0, tb, c);
                double[] ref = CpuBackend.INSTANCE.toHost(c);
                double[] tc = gemmTc(batch, m, n, k, a, m * k, ta, b, 0, tb);
                double[] pl = gemmSimt(batch, m, n, k, a, m * k, ta, b, 0, tb);
                double[] t16 = gemmTc16(batch, m, n, k, a, m * k, ta, b, 0, tb);
                for (int i = 0; i < ref.length; i++) {
                    double tol = 1e-13 * k * Math.max(1, Math.abs(ref[i]));
                    assertEquals(ref[i], tc[i], tol, "tc " + java.util.Arrays.toString(s) + " t=" + t + " at " + i);
                    assertEquals(ref[i], pl[i], tol, "simt " + java.util.Arrays.toString(s) + " t=" + t + " at " + i);
                    assertEquals(ref[i], t16[i], tol, "tc16 " + java.util.Arrays.toString(s) + " t=" + t + " at " + i);
                }
            }
        }
    }

    // la_lu / la_solve_col of kernels/linalg.cu
    static int lu(double[] w, int n, int[] piv) {
        int sign = 1;
        for (int i = 0; i < n; i++) piv[i] = i;
        for (int col = 0; col < n; col++) {
            int p = col;
            double best = Math.abs(w[col * n + col]);
            for (int r = col + 1; r < n; r++) {
                double v = Math.abs(w[r * n + col]);
                if (v > best) {
                    best = v;
                    p = r;
                }
            }
            if (best == 0.0) return 0;
            if (p != col) {
                for (int j = 0; j < n; j++) {
                    double t = w[col * n + j];
                    w[col * n + j] = w[p * n + j];
                    w[p * n + j] = t;
                }
                int t = piv[col];
                piv[col] = piv[p];
                piv[p] = t;
                sign = -sign;
            }
            double d = w[col * n + col];
            for (int r = col + 1; r < n; r++) {
                double f = w[r * n + col] / d;
                w[r * n + col] = f;
                for (int j = col + 1; j < n; j++) w[r * n + j] -= f * w[col * n + j];
            }
        }
        return sign;
    }

    static void solveCol(double[] w, int n, double[] y) {
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) if (w[i * n + j] != 0.0) y[i] -= w[i * n + j] * y[j];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = i + 1; j < n; j++) if (w[i * n + j] != 0.0) y[i] -= w[i * n + j] * y[j];
            y[i] /= w[i * n + i];
        }
    }

    @Test
    void columnByColumnLuIsTheCpuBitForBit() {
        Random g = new Random(12);
        CpuBackend cpu = CpuBackend.INSTANCE;
        for (int n = 1; n <= 8; n++) {
            int batch = 7, nrhs = 3;
            double[] a = new double[batch * n * n], rhs = new double[batch * n * nrhs];
            for (int i = 0; i < a.length; i++) a[i] = g.nextGaussian();
            for (int i = 0; i < rhs.length; i++) rhs[i] = g.nextGaussian();
            Buffer inv = cpu.alloc(a.length), det = cpu.alloc(batch), sol = cpu.alloc(rhs.length);
            cpu.inverse(CpuBackend.wrap(a), batch, n, inv);
            cpu.det(CpuBackend.wrap(a), batch, n, det);
            cpu.solve(CpuBackend.wrap(a), CpuBackend.wrap(rhs), batch, n, nrhs, sol);
            double[] eInv = new double[a.length], eDet = new double[batch], eSol = new double[rhs.length];
            for (int q = 0; q < batch; q++) {
                double[] w = java.util.Arrays.copyOfRange(a, q * n * n, (q + 1) * n * n);
                int[] piv = new int[n];
                int s = lu(w, n, piv);
                double d = s;
                for (int i = 0; i < n && s != 0; i++) d *= w[i * n + i];
                eDet[q] = s == 0 ? 0.0 : d;
                double[] y = new double[n];
                for (int r = 0; r < n; r++) {
                    for (int i = 0; i < n; i++) y[i] = piv[i] == r ? 1.0 : 0.0;
                    solveCol(w, n, y);
                    for (int i = 0; i < n; i++) eInv[q * n * n + i * n + r] = y[i];
                }
                for (int r = 0; r < nrhs; r++) {
                    for (int i = 0; i < n; i++) y[i] = rhs[q * n * nrhs + piv[i] * nrhs + r];
                    solveCol(w, n, y);
                    for (int i = 0; i < n; i++) eSol[q * n * nrhs + i * nrhs + r] = y[i];
                }
            }
            assertArrayEquals(cpu.toHost(inv), eInv, 0, "inverse n=" + n);
            assertArrayEquals(cpu.toHost(det), eDet, 0, "det n=" + n);
            assertArrayEquals(cpu.toHost(sol), eSol, 0, "solve n=" + n);
        }
    }
}
