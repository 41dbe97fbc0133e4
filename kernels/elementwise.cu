// Elementwise float64 kernels: unary maps, strided broadcast binary maps, where, fill, strided copy.
// Formulas follow dev.canonic.backend.UnaryKind / BinaryKind (the CPU reference) term by term; the
// build compiles with -fmad=false so a*b+c is not contracted into an fma the CPU does not do.
#include "common.cuh"

// tanh exactly as UnaryKind.tanh: exp-based for |x| >= 0.5, Kahan's expm1 trick below.
__device__ __forceinline__ double canonic_tanh(double x) {
    double a = fabs(x);
    double t;
    if (a >= 0.5) {
        t = a > 22 ? 1.0 : 1.0 - 2.0 / (exp(2 * a) + 1.0);
    } else {
        double y = 2 * a;
        double u = exp(y);
        double em1 = u == 1.0 ? y : (u - 1.0) * y / log(u);
        t = em1 / (em1 + 2.0);
    }
    return x < 0 ? -t : (x > 0 ? t : x);
}

#define UNARY(NAME, EXPR)                                                                        \
    extern "C" __global__ void unary_##NAME##_f64(long long n, double* out, const double* xs) { \
        GRID_STRIDE(i, n) {                                                                      \
            double x = xs[i];                                                                    \
            out[i] = (EXPR);                                                                     \
        }                                                                                        \
    }

UNARY(neg, -x)
UNARY(exp, exp(x))
UNARY(log, log(x))
UNARY(sin, sin(x))
UNARY(cos, cos(x))
UNARY(tan, tan(x))
UNARY(tanh, canonic_tanh(x))
UNARY(sqrt, sqrt(x))
UNARY(abs, fabs(x))
UNARY(sign, x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0))
UNARY(relu, x > 0 ? x : 0.0)
UNARY(step, x > 0 ? 1.0 : 0.0)
UNARY(sigmoid, x >= 0 ? 1.0 / (1.0 + exp(-x)) : exp(x) / (1.0 + exp(x)))
UNARY(softplus, x > 0 ? x + log1p(exp(-x)) : log1p(exp(x)))
UNARY(square, x * x)
UNARY(reciprocal, 1.0 / x)

// Java's Math.pow differs from C's pow in two special cases: pow(x, NaN) is NaN (C: 1 for x = 1),
// and pow(±1, ±inf) is NaN (C: 1).
__device__ __forceinline__ double java_pow(double a, double b) {
    if (isnan(b)) return b;
    if (fabs(a) == 1.0 && isinf(b)) return __longlong_as_double(0x7ff8000000000000LL);
    return pow(a, b);
}

// Offsets of flat output index i in the operands with strides s0 and s1 (row-major shape).
__device__ __forceinline__ void offsets2(const Dims& d, long long i, long long& o0, long long& o1) {
    if (d.nd == 1) {  // the common case after axis merging: no division
        o0 = i * d.s0[0];
        o1 = i * d.s1[0];
        return;
    }
    o0 = 0;
    o1 = 0;
    for (int k = d.nd - 1; k >= 0; k--) {
        long long c = i % d.shape[k];
        i /= d.shape[k];
        o0 += c * d.s0[k];
        o1 += c * d.s1[k];
    }
}

#define BINARY(NAME, EXPR)                                                                                    \
    extern "C" __global__ void binary_##NAME##_f64(long long n, double* out, const double* as, const double* bs, \
                                                   Dims d) {                                                 \
        GRID_STRIDE(i, n) {                                                                                   \
            long long oa, ob;                                                                                 \
            offsets2(d, i, oa, ob);                                                                           \
            double a = as[oa], b = bs[ob];                                                                    \
            out[i] = (EXPR);                                                                                  \
        }                                                                                                     \
    }

BINARY(add, a + b)
BINARY(sub, a - b)
BINARY(mul, a * b)
BINARY(div, a / b)
BINARY(pow, java_pow(a, b))
BINARY(atan2, atan2(a, b))
BINARY(maximum, a >= b ? a : b)
BINARY(minimum, a <= b ? a : b)
BINARY(tanh_grad, a * (1.0 - b * b))
BINARY(relu_grad, b > 0 ? a : 0.0)
BINARY(gt, a > b ? 1.0 : 0.0)
BINARY(ge, a >= b ? 1.0 : 0.0)
BINARY(lt, a < b ? 1.0 : 0.0)
BINARY(le, a <= b ? 1.0 : 0.0)
BINARY(eq, a == b ? 1.0 : 0.0)

// out[i] = c[.] != 0 ? a[.] : b[.]; strides s0 for c, s1 for a, s2 for b.
extern "C" __global__ void where_select_f64(long long n, double* out, const double* c, const double* a,
                                            const double* b, Dims d) {
    GRID_STRIDE(i, n) {
        long long oc = 0, oa = 0, ob = 0, r = i;
        for (int k = d.nd - 1; k >= 0; k--) {
            long long q = r % d.shape[k];
            r /= d.shape[k];
            oc += q * d.s0[k];
            oa += q * d.s1[k];
            ob += q * d.s2[k];
        }
        out[i] = c[oc] != 0.0 ? a[oa] : b[ob];
    }
}

extern "C" __global__ void fill_value_f64(long long n, double* out, double v) {
    GRID_STRIDE(i, n) out[i] = v;
}

// dst[dstOff + idx·s0] = src[srcOff + idx·s1] for every index of the shape.
extern "C" __global__ void copy_strided_f64(long long n, double* dst, const double* src, long long dstOff,
                                            long long srcOff, Dims d) {
    GRID_STRIDE(i, n) {
        long long od, os;
        offsets2(d, i, od, os);
        dst[dstOff + od] = src[srcOff + os];
    }
}
