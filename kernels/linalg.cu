// Batched small-matrix LU (n <= 8): one thread per matrix, partial pivoting, the CPU's loop order
// (CpuBackend.lu / luSolve) so the roundings agree. Matrices are row-major and contiguous.
// A singular matrix writes its batch index into *singular with atomicMin (host initialises it to
// INT_MAX and reports the smallest, which is the one the CPU reports first within a thread chunk).
#include "common.cuh"

#define LA_MAXN 8

// In-place LU of w (n×n); returns the permutation sign, or 0 when singular.
__device__ int la_lu(double* w, int n, int* piv) {
    int sign = 1;
    for (int i = 0; i < n; i++) piv[i] = i;
    for (int col = 0; col < n; col++) {
        int p = col;
        double best = fabs(w[col * n + col]);
        for (int r = col + 1; r < n; r++) {
            double v = fabs(w[r * n + col]);
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

// Solves for one right-hand side column: y = P b (b given through a lambda-free pointer+stride),
// forward and back substitution as in the CPU's luSolve (whose columns are independent).
__device__ void la_solve_col(const double* w, int n, const int* piv, double* y) {
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < i; j++) {
            double f = w[i * n + j];
            if (f != 0.0) y[i] -= f * y[j];
        }
    }
    for (int i = n - 1; i >= 0; i--) {
        for (int j = i + 1; j < n; j++) {
            double f = w[i * n + j];
            if (f != 0.0) y[i] -= f * y[j];
        }
        y[i] /= w[i * n + i];
    }
}

extern "C" __global__ void linalg_inverse_f64(long long batch, double* out, const double* a, int n, int* singular) {
    GRID_STRIDE(q, batch) {
        double w[LA_MAXN * LA_MAXN];
        int piv[LA_MAXN];
        double y[LA_MAXN];
        const double* src = a + q * n * n;
        for (int e = 0; e < n * n; e++) w[e] = src[e];
        if (la_lu(w, n, piv) == 0) {
            atomicMin(singular, (int)q);
            continue;
        }
        double* dst = out + q * n * n;
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < n; i++) y[i] = piv[i] == r ? 1.0 : 0.0;
            la_solve_col(w, n, piv, y);
            for (int i = 0; i < n; i++) dst[i * n + r] = y[i];
        }
    }
}

extern "C" __global__ void linalg_det_f64(long long batch, double* out, const double* a, int n) {
    GRID_STRIDE(q, batch) {
        double w[LA_MAXN * LA_MAXN];
        int piv[LA_MAXN];
        const double* src = a + q * n * n;
        for (int e = 0; e < n * n; e++) w[e] = src[e];
        int s = la_lu(w, n, piv);
        double d = s;
        for (int i = 0; i < n && s != 0; i++) d *= w[i * n + i];
        out[q] = s == 0 ? 0.0 : d;
    }
}

// out[q] (n×nrhs) = A[q]^-1 B[q] (n×nrhs).
extern "C" __global__ void linalg_solve_f64(long long batch, double* out, const double* a, const double* b, int n,
                                            int nrhs, int* singular) {
    GRID_STRIDE(q, batch) {
        double w[LA_MAXN * LA_MAXN];
        int piv[LA_MAXN];
        double y[LA_MAXN];
        const double* src = a + q * n * n;
        for (int e = 0; e < n * n; e++) w[e] = src[e];
        if (la_lu(w, n, piv) == 0) {
            atomicMin(singular, (int)q);
            continue;
        }
        const double* bq = b + q * n * (long long)nrhs;
        double* dst = out + q * n * (long long)nrhs;
        for (int r = 0; r < nrhs; r++) {
            for (int i = 0; i < n; i++) y[i] = bq[piv[i] * nrhs + r];
            la_solve_col(w, n, piv, y);
            for (int i = 0; i < n; i++) dst[i * nrhs + r] = y[i];
        }
    }
}
