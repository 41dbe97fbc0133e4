package dev.canonic.backend.cpu;

import java.util.Arrays;

/**
 * The fused SympNet gradient-module shear and its backward ({@link CpuBackend#gradientShear},
 * {@link CpuBackend#gradientShearBackward}): one pass over the rows, in blocks of {@link #BLOCK}
 * rows, with a block's rows×width activations in a scratch array of the thread (tanh runs on it in
 * place), so no rows×width array is allocated; blocks are split over threads by {@link Parallel}
 * when the work is large enough.
 *
 * <p>For d = 1 the rows run on the Vector API ({@link VectorShear}) when it is present. The scalar
 * loops here (d &gt; 1, or no Vector API) perform, for d = 1, the same floating-point operations in
 * the same order as the primitive composition they replace (z = x·K_j + b_j as the outer-product
 * matmul and the broadcast add, tanh, (h_j·a_j)·K_j summed in four interleaved partial sums as
 * {@link SkinnyGemm}'s matrix·vector), so that forward is bitwise equal to it; the vector rows and
 * d &gt; 1 agree to rounding. The backward sums its parameter gradients per block of rows, then the
 * blocks in order, so its result does not depend on the number of threads.
 *
 * <p>Measured (2-core Xeon, AVX-512, one thread, B = 1024, width 64, d = 1): forward 1.5 ns and
 * backward 2.2 ns per row and hidden unit, of which tanh is 1.1; the scalar loops take 3.1 and 4.9.
 */
final class ShearKernel {
    /** Rows per block: the unit of scratch, of work handed to a thread, and of gradient partial sums. */
    static final int BLOCK = 32;
    /** Rough flops per row and hidden unit (tanh about 30 on vectors, the rest a handful). */
    private static final long COST = 40;

    private ShearKernel() {
    }

    /** Blocks of rows for d = 1 with the width in vector lanes: {@link VectorShear}. z is the block's scratch. */
    interface Rows {
        /** The forward of rows [r0, r1) for d = 1 (fixed column f, moving column m). */
        void forward1(double[] x, int r0, int r1, int f, int m, boolean inverse, int w,
                      double[] k, double[] a, double[] b, double[] z, double[] out);

        /** The backward of rows [r0, r1) for d = 1, adding the rows' parameter gradients to sk, sa, sb. */
        void backward1(double[] x, double[] g, int r0, int r1, int f, int m, boolean inverse, int w,
                       double[] k, double[] a, double[] b, double[] z, double[] gx, double[] sk, double[] sa, double[] sb);
    }

    /** The Vector API rows, or null (no jdk.incubator.vector, or -Dcanonic.vector=false): then the scalar loops below. */
    private static final Rows VECTOR = loadVector();

    private static Rows loadVector() {
        if (!"false".equalsIgnoreCase(System.getProperty("canonic.vector", "true"))
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                return (Rows) Class.forName("dev.canonic.backend.cpu.VectorShear").getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall back to the scalar loops
            }
        }
        return null;
    }

    private static int blocks(int rows) {
        return (rows + BLOCK - 1) / BLOCK;
    }

    /** z[(r − r0)·w + j] = tanh(Σ_i x[r, f + i]·K[j, i] + b[j]) for the rows of one block. */
    private static void activations(double[] x, int r0, int r1, int d, int w, int f, double[] k, double[] b, double[] z) {
        int twoD = 2 * d;
        for (int r = r0; r < r1; r++) {
            int xr = r * twoD + f, zo = (r - r0) * w;
            if (d == 1) {
                double xv = x[xr];
                for (int j = 0; j < w; j++) z[zo + j] = xv * k[j] + b[j];
            } else {
                for (int j = 0; j < w; j++) {
                    int kr = j * d;
                    double s = x[xr] * k[kr];
                    for (int i = 1; i < d; i++) s += x[xr + i] * k[kr + i];
                    z[zo + j] = s + b[j];
                }
            }
        }
        CpuBackend.UNARY.tanh(z, z, 0, (r1 - r0) * w);
    }

    static void forward(double[] x, int rows, int d, int w, boolean up, boolean inverse,
                        double[] k, double[] a, double[] b, double[] out) {
        int f = up ? 0 : d, m = up ? d : 0, twoD = 2 * d;
        int nb = blocks(rows);
        Parallel.forRange(nb, COST * BLOCK * w, (from, to) -> {
            double[] z = new double[BLOCK * w];
            double[] ha = new double[w];
            for (int blk = from; blk < to; blk++) {
                int r0 = blk * BLOCK, r1 = Math.min(rows, r0 + BLOCK);
                if (d == 1 && VECTOR != null) {
                    VECTOR.forward1(x, r0, r1, f, m, inverse, w, k, a, b, z, out);
                    continue;
                }
                activations(x, r0, r1, d, w, f, k, b, z);
                for (int r = r0; r < r1; r++) {
                    int zo = (r - r0) * w, xr = r * twoD;
                    for (int j = 0; j < w; j++) ha[j] = z[zo + j] * a[j];
                    for (int i = 0; i < d; i++) {
                        double t = dotColumn(ha, k, w, d, i);
                        out[xr + f + i] = x[xr + f + i];
                        out[xr + m + i] = inverse ? x[xr + m + i] - t : x[xr + m + i] + t;
                    }
                }
            }
        });
    }

    /** Σ_j v[j]·K[j, i] in four interleaved partial sums, ((s0 + s1) + (s2 + s3)), as SkinnyGemm sums. */
    private static double dotColumn(double[] v, double[] k, int w, int d, int i) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int j = 0;
        if (d == 1) {
            for (; j + 3 < w; j += 4) {
                s0 += v[j] * k[j];
                s1 += v[j + 1] * k[j + 1];
                s2 += v[j + 2] * k[j + 2];
                s3 += v[j + 3] * k[j + 3];
            }
            for (; j < w; j++) s0 += v[j] * k[j];
        } else {
            for (; j + 3 < w; j += 4) {
                s0 += v[j] * k[j * d + i];
                s1 += v[j + 1] * k[(j + 1) * d + i];
                s2 += v[j + 2] * k[(j + 2) * d + i];
                s3 += v[j + 3] * k[(j + 3) * d + i];
            }
            for (; j < w; j++) s0 += v[j] * k[j * d + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static void backward(double[] x, double[] g, int rows, int d, int w, boolean up, boolean inverse,
                         double[] k, double[] a, double[] b, double[] gx, double[] gk, double[] ga, double[] gb) {
        int f = up ? 0 : d, m = up ? d : 0;
        int nb = blocks(rows);
        int wd = w * d, per = wd + 2 * w;
        double[] partial = new double[nb * per];
        Parallel.forRange(nb, COST * BLOCK * w * 2, (from, to) -> {
            double[] z = new double[BLOCK * w];
            double[] gs = new double[d], s = new double[w];
            // this block's sums, in arrays of their own so that the loops over j vectorise
            double[] sk = new double[wd], sa = new double[w], sb = new double[w];
            for (int blk = from; blk < to; blk++) {
                int r0 = blk * BLOCK, r1 = Math.min(rows, r0 + BLOCK);
                Arrays.fill(sk, 0.0);
                Arrays.fill(sa, 0.0);
                Arrays.fill(sb, 0.0);
                if (d == 1 && VECTOR != null) {
                    VECTOR.backward1(x, g, r0, r1, f, m, inverse, w, k, a, b, z, gx, sk, sa, sb);
                } else {
                    activations(x, r0, r1, d, w, f, k, b, z);
                    backwardRows(x, g, r0, r1, d, w, f, m, inverse, k, a, z, gs, s, gx, sk, sa, sb);
                }
                int pk = blk * per;
                System.arraycopy(sk, 0, partial, pk, wd);
                System.arraycopy(sa, 0, partial, pk + wd, w);
                System.arraycopy(sb, 0, partial, pk + wd + w, w);
            }
        });
        Arrays.fill(gk, 0, wd, 0.0);
        Arrays.fill(ga, 0, w, 0.0);
        Arrays.fill(gb, 0, w, 0.0);
        for (int blk = 0; blk < nb; blk++) {
            int pk = blk * per, pa = pk + wd, pb = pa + w;
            for (int e = 0; e < wd; e++) gk[e] += partial[pk + e];
            for (int j = 0; j < w; j++) {
                ga[j] += partial[pa + j];
                gb[j] += partial[pb + j];
            }
        }
    }

    /** The scalar backward of rows [r0, r1), given their activations h in z; adds to sk, sa, sb. */
    private static void backwardRows(double[] x, double[] g, int r0, int r1, int d, int w, int f, int m, boolean inverse,
                                     double[] k, double[] a, double[] z, double[] gs, double[] s,
                                     double[] gx, double[] sk, double[] sa, double[] sb) {
        int twoD = 2 * d;
        for (int r = r0; r < r1; r++) {
            int zo = (r - r0) * w, xr = r * twoD;
            for (int i = 0; i < d; i++) gs[i] = inverse ? -g[xr + m + i] : g[xr + m + i];
            if (d == 1) {
                double g0 = gs[0], x0 = x[xr + f];
                for (int j = 0; j < w; j++) {
                    double h = z[zo + j];
                    double uj = g0 * k[j];
                    double sj = uj * a[j] * (1.0 - h * h);
                    s[j] = sj;
                    sk[j] += h * a[j] * g0 + sj * x0;
                    sa[j] += h * uj;
                    sb[j] += sj;
                }
            } else {
                for (int j = 0; j < w; j++) {
                    double h = z[zo + j];
                    int kr = j * d;
                    double uj = gs[0] * k[kr];
                    for (int i = 1; i < d; i++) uj += gs[i] * k[kr + i];
                    double sj = uj * a[j] * (1.0 - h * h);
                    double haj = h * a[j];
                    s[j] = sj;
                    for (int i = 0; i < d; i++) sk[kr + i] += haj * gs[i] + sj * x[xr + f + i];
                    sa[j] += h * uj;
                    sb[j] += sj;
                }
            }
            for (int i = 0; i < d; i++) {
                gx[xr + f + i] = g[xr + f + i] + dotColumn(s, k, w, d, i);
                gx[xr + m + i] = g[xr + m + i];
            }
        }
    }
}
