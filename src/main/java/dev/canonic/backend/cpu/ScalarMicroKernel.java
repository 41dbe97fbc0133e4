package dev.canonic.backend.cpu;

/**
 * The plain-Java micro-kernel, used when the Vector API is not available: a 4 × 4 tile of C in
 * sixteen local accumulators, which the JIT keeps in registers.
 */
final class ScalarMicroKernel implements GemmKernels.Micro {
    @Override
    public int mr() {
        return 4;
    }

    @Override
    public int nr() {
        return 4;
    }

    @Override
    public String describe() {
        return "scalar, tile 4x4";
    }

    @Override
    public void run(int kc, double[] ap, int ao, int aps, int ars, double[] bp, int bo, double[] c, int co, int ldc, boolean first) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        final int s1 = ars, s2 = 2 * ars, s3 = 3 * ars;
        for (int p = 0; p < kc; p++) {
            double b0 = bp[bo], b1 = bp[bo + 1], b2 = bp[bo + 2], b3 = bp[bo + 3];
            double a0 = ap[ao], a1 = ap[ao + s1], a2 = ap[ao + s2], a3 = ap[ao + s3];
            c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
            c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
            c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
            c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
            ao += aps;
            bo += 4;
        }
        int r1 = co + ldc, r2 = r1 + ldc, r3 = r2 + ldc;
        if (first) {
            c[co] = c00; c[co + 1] = c01; c[co + 2] = c02; c[co + 3] = c03;
            c[r1] = c10; c[r1 + 1] = c11; c[r1 + 2] = c12; c[r1 + 3] = c13;
            c[r2] = c20; c[r2 + 1] = c21; c[r2 + 2] = c22; c[r2 + 3] = c23;
            c[r3] = c30; c[r3 + 1] = c31; c[r3 + 2] = c32; c[r3 + 3] = c33;
        } else {
            c[co] += c00; c[co + 1] += c01; c[co + 2] += c02; c[co + 3] += c03;
            c[r1] += c10; c[r1 + 1] += c11; c[r1 + 2] += c12; c[r1 + 3] += c13;
            c[r2] += c20; c[r2 + 1] += c21; c[r2 + 2] += c22; c[r2 + 3] += c23;
            c[r3] += c30; c[r3 + 1] += c31; c[r3 + 2] += c32; c[r3 + 3] += c33;
        }
    }
}
