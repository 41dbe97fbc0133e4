package dev.canonic.backend.cpu;

import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.UnaryKind;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise kernels on the Vector API (loaded only with {@code --add-modules jdk.incubator.vector},
 * like {@link VectorMicroKernel}). {@link #tanh} runs {@link UnaryKind#tanh}'s operations in the same
 * order on whole vectors, so its results equal the scalar definition bit for bit; ReLU and its
 * backward select with a lane mask (the JIT of JDK 17 does not vectorise the scalar conditional).
 * The tail of a range runs the scalar code.
 */
final class VectorUnary implements CpuBackend.UnaryKernels {
    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final long MAGIC_BITS = Double.doubleToRawLongBits(UnaryKind.ROUND_MAGIC);
    private static final double[] C = UnaryKind.EXPM1_C;
    private static final double C0 = C[0], C1 = C[1], C2 = C[2], C3 = C[3], C4 = C[4], C5 = C[5], C6 = C[6], C7 = C[7],
        C8 = C[8], C9 = C[9], C10 = C[10], C11 = C[11];

    private static DoubleVector b(double v) {
        return DoubleVector.broadcast(S, v);
    }

    @Override
    public void tanh(double[] x, double[] o, int from, int to) {
        int i = from;
        int upper = from + S.loopBound(to - from);
        for (; i < upper; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            DoubleVector a = v.abs().min(UnaryKind.TANH_CLAMP);
            DoubleVector y = a.add(a);
            DoubleVector s = y.fma(UnaryKind.INV_LN2, UnaryKind.ROUND_MAGIC);
            DoubleVector kf = s.sub(UnaryKind.ROUND_MAGIC);
            DoubleVector r = kf.fma(b(-UnaryKind.LN2_HI), y).sub(kf.mul(UnaryKind.LN2_LO));
            DoubleVector q = DoubleVector.broadcast(S, C0);
            q = q.fma(r, b(C1));
            q = q.fma(r, b(C2));
            q = q.fma(r, b(C3));
            q = q.fma(r, b(C4));
            q = q.fma(r, b(C5));
            q = q.fma(r, b(C6));
            q = q.fma(r, b(C7));
            q = q.fma(r, b(C8));
            q = q.fma(r, b(C9));
            q = q.fma(r, b(C10));
            q = q.fma(r, b(C11));
            DoubleVector em1 = q.fma(r.mul(r), r);
            LongVector kb = s.reinterpretAsLongs().sub(MAGIC_BITS).add(1023L).lanewise(VectorOperators.LSHL, 52);
            DoubleVector twoK = kb.reinterpretAsDoubles();
            DoubleVector e = twoK.mul(em1).add(twoK.sub(1.0));
            DoubleVector t = e.div(e.add(2.0));
            LongVector sign = v.reinterpretAsLongs().and(Long.MIN_VALUE);
            t.reinterpretAsLongs().or(sign).reinterpretAsDoubles().intoArray(o, i);
        }
        for (; i < to; i++) o[i] = UnaryKind.tanh(x[i]);
    }

    @Override
    public void relu(double[] x, double[] o, int from, int to) {
        DoubleVector z = DoubleVector.zero(S);
        int i = from;
        int upper = from + S.loopBound(to - from);
        for (; i < upper; i += L) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            z.blend(v, v.compare(VectorOperators.GT, 0.0)).intoArray(o, i);
        }
        for (; i < to; i++) o[i] = x[i] > 0 ? x[i] : 0.0;
    }

    @Override
    public boolean row(BinaryKind kind, double[] a, int ao, double[] b, int bo, double s, double[] o, int oo, int n) {
        int i = 0;
        int upper = S.loopBound(n);
        switch (kind) {
            case ADD:
                if (b != null) {
                    for (; i < upper; i += L) DoubleVector.fromArray(S, a, ao + i).add(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                } else {
                    for (; i < upper; i += L) DoubleVector.fromArray(S, a, ao + i).add(s).intoArray(o, oo + i);
                }
                break;
            case SUB:
                if (b != null) {
                    for (; i < upper; i += L) DoubleVector.fromArray(S, a, ao + i).sub(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                } else {
                    for (; i < upper; i += L) DoubleVector.fromArray(S, a, ao + i).sub(s).intoArray(o, oo + i);
                }
                break;
            case MUL:
                if (b != null) {
                    for (; i < upper; i += L) DoubleVector.fromArray(S, a, ao + i).mul(DoubleVector.fromArray(S, b, bo + i)).intoArray(o, oo + i);
                } else {
                    for (; i < upper; i += L) DoubleVector.fromArray(S, a, ao + i).mul(s).intoArray(o, oo + i);
                }
                break;
            default:
                return false;
        }
        if (b != null) for (; i < n; i++) o[oo + i] = kind.apply(a[ao + i], b[bo + i]);
        else for (; i < n; i++) o[oo + i] = kind.apply(a[ao + i], s);
        return true;
    }

    @Override
    public void reluGrad(double[] a, int ao, double[] b, int bo, double[] o, int oo, int n) {
        DoubleVector z = DoubleVector.zero(S);
        int i = 0;
        int upper = S.loopBound(n);
        for (; i < upper; i += L) {
            DoubleVector g = DoubleVector.fromArray(S, a, ao + i);
            DoubleVector x = DoubleVector.fromArray(S, b, bo + i);
            z.blend(g, x.compare(VectorOperators.GT, 0.0)).intoArray(o, oo + i);
        }
        for (; i < n; i++) o[oo + i] = b[bo + i] > 0 ? a[ao + i] : 0.0;
    }
}
