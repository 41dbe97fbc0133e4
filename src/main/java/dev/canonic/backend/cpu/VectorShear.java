package dev.canonic.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ShearKernel}'s blocks of rows for d = 1 on the Vector API (loaded only with {@code
 * --add-modules jdk.incubator.vector}, like {@link VectorUnary}): the width runs in vector lanes.
 * The pre-activations z = x·K_j + b_j of a block go to the thread's scratch array, tanh runs on it in
 * place ({@link VectorUnary#tanh}, bit for bit the scalar definition; a separate loop because the
 * Vector API tanh is too large to be inlined into another loop), and the per-unit products are the
 * scalar code's operations. Only the sums over the width (t, and the input gradient s·K) are taken
 * in lanes with fused multiply-adds and then across the lanes in lane order, so they agree with the
 * scalar kernel to rounding rather than bitwise, and are the same on every call. A row's result does not depend on the other rows, so the inverse
 * still undoes the forward up to the rounding of x ± t.
 */
final class VectorShear implements ShearKernel.Rows {
    private static final VectorSpecies<Double> S = VectorUnary.S;
    private static final int L = S.length();
    private final VectorUnary unary = new VectorUnary();

    /** z[(r − r0)·w + j] = tanh(x[r, f]·K_j + b_j). */
    private void activations(double[] x, int r0, int r1, int f, int w, double[] k, double[] b, double[] z) {
        int upper = S.loopBound(w);
        for (int r = r0; r < r1; r++) {
            double xv = x[2 * r + f];
            DoubleVector xb = DoubleVector.broadcast(S, xv);
            int zo = (r - r0) * w, j = 0;
            for (; j < upper; j += L) {
                xb.mul(DoubleVector.fromArray(S, k, j)).add(DoubleVector.fromArray(S, b, j)).intoArray(z, zo + j);
            }
            for (; j < w; j++) z[zo + j] = xv * k[j] + b[j];
        }
        unary.tanh(z, z, 0, (r1 - r0) * w);
    }

    /**
     * The lanes of v added in lane order. Not reduceLanes(ADD): its order is left to the
     * implementation and may differ between the intrinsic and the Java fallback that runs before the
     * JIT compiles the loop, and a row must give the same t whenever it is computed (the inverse
     * subtracts exactly what the forward added; results must not depend on JIT timing).
     */
    private static double sum(DoubleVector v, double[] lanes) {
        v.intoArray(lanes, 0);
        double s = lanes[0];
        for (int i = 1; i < L; i++) s += lanes[i];
        return s;
    }

    @Override
    public void forward1(double[] x, int r0, int r1, int f, int m, boolean inverse, int w,
                         double[] k, double[] a, double[] b, double[] z, double[] out) {
        activations(x, r0, r1, f, w, k, b, z);
        int upper = S.loopBound(w);
        double[] lanes = new double[L];
        for (int r = r0; r < r1; r++) {
            int xr = 2 * r, zo = (r - r0) * w, j = 0;
            DoubleVector acc = DoubleVector.zero(S);
            for (; j < upper; j += L) {
                DoubleVector ha = DoubleVector.fromArray(S, z, zo + j).mul(DoubleVector.fromArray(S, a, j));
                acc = ha.fma(DoubleVector.fromArray(S, k, j), acc);
            }
            double t = sum(acc, lanes);
            for (; j < w; j++) t += z[zo + j] * a[j] * k[j];
            out[xr + f] = x[xr + f];
            out[xr + m] = inverse ? x[xr + m] - t : x[xr + m] + t;
        }
    }

    @Override
    public void backward1(double[] x, double[] g, int r0, int r1, int f, int m, boolean inverse, int w,
                          double[] k, double[] a, double[] b, double[] z, double[] gx, double[] sk, double[] sa, double[] sb) {
        activations(x, r0, r1, f, w, k, b, z);
        int upper = S.loopBound(w);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        double[] lanes = new double[L];
        for (int r = r0; r < r1; r++) {
            int xr = 2 * r, zo = (r - r0) * w, j = 0;
            double x0 = x[xr + f], g0 = inverse ? -g[xr + m] : g[xr + m];
            DoubleVector xb = DoubleVector.broadcast(S, x0), gb = DoubleVector.broadcast(S, g0);
            DoubleVector acc = DoubleVector.zero(S);
            for (; j < upper; j += L) {
                DoubleVector kv = DoubleVector.fromArray(S, k, j), av = DoubleVector.fromArray(S, a, j);
                DoubleVector h = DoubleVector.fromArray(S, z, zo + j);
                DoubleVector u = gb.mul(kv);
                DoubleVector s = u.mul(av).mul(one.sub(h.mul(h)));
                DoubleVector.fromArray(S, sk, j).add(h.mul(av).mul(gb).add(s.mul(xb))).intoArray(sk, j);
                DoubleVector.fromArray(S, sa, j).add(h.mul(u)).intoArray(sa, j);
                DoubleVector.fromArray(S, sb, j).add(s).intoArray(sb, j);
                acc = s.fma(kv, acc);
            }
            double dx = sum(acc, lanes);
            for (; j < w; j++) {
                double h = z[zo + j];
                double uj = g0 * k[j];
                double sj = uj * a[j] * (1.0 - h * h);
                sk[j] += h * a[j] * g0 + sj * x0;
                sa[j] += h * uj;
                sb[j] += sj;
                dx += sj * k[j];
            }
            gx[xr + f] = g[xr + f] + dx;
            gx[xr + m] = g[xr + m];
        }
    }
}
