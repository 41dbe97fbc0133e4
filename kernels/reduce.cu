// Reductions along the middle axis of x viewed as [outer, len, inner], and gather / segment sums.
#include "common.cuh"

// One thread per output element, summing in order l = 0..len-1 like the CPU: bitwise identical
// to CpuBackend.reduce. Used whenever there are enough outputs to fill the GPU.
extern "C" __global__ void reduce_sum_f64(long long n, double* out, const double* x, int len, int inner) {
    GRID_STRIDE(r, n) {
        long long o = r / inner, i = r % inner;
        const double* p = x + o * (long long)len * inner + i;
        double acc = 0.0;
        for (int l = 0; l < len; l++) acc += p[(long long)l * inner];
        out[r] = acc;
    }
}

// MAX keeps the first NaN it meets, like the CPU (v > acc || isnan(v)).
extern "C" __global__ void reduce_max_f64(long long n, double* out, const double* x, int len, int inner) {
    GRID_STRIDE(r, n) {
        long long o = r / inner, i = r % inner;
        const double* p = x + o * (long long)len * inner + i;
        double acc = -INFINITY;
        for (int l = 0; l < len; l++) {
            double v = p[(long long)l * inner];
            if (v > acc || isnan(v)) acc = v;
        }
        out[r] = acc;
    }
}

// Few long rows (inner == 1): one block of 256 threads per row. Each thread sums a strided slice
// in order, then a fixed tree combines them: deterministic, but the rounding differs from the CPU's
// sequential sum (relative error ~ len·eps·cond). Launch with blockDim.x = 256, gridDim.x = rows.
extern "C" __global__ void __launch_bounds__(256) reduce_sum_rows_f64(long long rows, double* out, const double* x,
                                                                       int len) {
    __shared__ double part[256];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const double* p = x + r * (long long)len;
        double acc = 0.0;
        for (int l = threadIdx.x; l < len; l += blockDim.x) acc += p[l];
        part[threadIdx.x] = acc;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) part[threadIdx.x] += part[threadIdx.x + s];
            __syncthreads();
        }
        if (threadIdx.x == 0) out[r] = part[0];
        __syncthreads();
    }
}

extern "C" __global__ void reduce_max_rows_f64(long long rows, double* out, const double* x, int len) {
    __shared__ double part[256];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const double* p = x + r * (long long)len;
        double acc = -INFINITY;
        for (int l = threadIdx.x; l < len; l += blockDim.x) {
            double v = p[l];
            if (v > acc || isnan(v)) acc = v;
        }
        part[threadIdx.x] = acc;
        __syncthreads();
        for (int s = blockDim.x / 2; s > 0; s >>= 1) {
            if (threadIdx.x < s) {
                double v = part[threadIdx.x + s];
                // first NaN by position: the lower slot wins ties between NaNs
                if (!isnan(part[threadIdx.x]) && (v > part[threadIdx.x] || isnan(v))) part[threadIdx.x] = v;
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) out[r] = part[0];
        __syncthreads();
    }
}

// out[q, j, i] = x[q, idx[j], i]; n = outer·m·inner. Indices are checked on the host.
extern "C" __global__ void index_select_f64(long long n, double* out, const double* x, const int* idx, int len,
                                            int inner, int m) {
    GRID_STRIDE(e, n) {
        long long r = e / inner, i = e % inner;
        long long q = r / m, j = r % m;
        out[e] = x[(q * len + idx[j]) * inner + i];
    }
}

// Segment sum without atomics: the host turns idx into CSR form (start[t]..start[t+1] lists, in
// increasing j, the positions j with idx[j] = t; see IndexPlan), and one thread per output element
// adds its rows in that order starting from 0.0 — exactly the CPU's order, so the result is
// bitwise identical and does not depend on scheduling (atomicAdd on double would not be).
// n = outer·outLen·inner; plan = [start (outLen + 1 entries), rows (m entries)], uploaded in one copy.
extern "C" __global__ void index_add_f64(long long n, double* out, const double* g, const int* plan, int outLen,
                                         int inner, int m) {
    const int* start = plan;
    const int* rows = plan + outLen + 1;
    GRID_STRIDE(e, n) {
        long long r = e / inner, i = e % inner;
        long long q = r / outLen, t = r % outLen;
        double acc = 0.0;
        for (int p = start[t]; p < start[t + 1]; p++) acc += g[(q * m + rows[p]) * inner + i];
        out[e] = acc;
    }
}
