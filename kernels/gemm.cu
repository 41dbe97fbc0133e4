// Batched float64 matrix product C[z] = op(A[z])·op(B[z]), C m×n row-major contiguous per batch entry,
// A stored m×k (k×m when transA), B stored k×n (n×k when transB), batch strides in elements (0 reuses
// one matrix). Grid: x = ceil(n/64), y = ceil(m/64), z = batch. Edges are zero-padded in shared memory.
//
// gemm_tc_f64 (sm_80 and newer, 128 threads): each warp owns a 32×32 piece of the 64×64 block tile
// and issues mma.sync.aligned.m8n8k4.row.col.f64 (FP64 tensor cores) on 4×4 8×8 sub-tiles.
// Fragment layout (PTX ISA, m8n8k4 .f64): with g = lane/4, t = lane%4, A holds A[g][t], B holds
// B[t][g], and C/D hold C[g][2t] and C[g][2t+1].
// gemm_simt_f64 (any GPU, 256 threads): the same tiling with plain fma, 4×4 outputs per thread.
// Both accumulate in increasing k, but in a different association than the CPU's blocked kernel, so
// they agree with it to rounding (~k·eps), not bitwise.
#include "common.cuh"

#define GB_M 64
#define GB_N 64
#define GB_K 16
#define GB_PAD 2

__device__ __forceinline__ double load_a(const double* a, int transA, int m, int k, int gm, int gk) {
    if (gm >= m || gk >= k) return 0.0;
    return transA ? a[(long long)gk * m + gm] : a[(long long)gm * k + gk];
}

__device__ __forceinline__ double load_b(const double* b, int transB, int k, int n, int gk, int gn) {
    if (gk >= k || gn >= n) return 0.0;
    return transB ? b[(long long)gn * k + gk] : b[(long long)gk * n + gn];
}

// Fills As[kk][mm] = op(A)(row0+mm, k0+kk) and Bs[kk][nn] = op(B)(k0+kk, col0+nn), walking the
// stored layout's fast axis with consecutive threads so global reads coalesce.
__device__ __forceinline__ void load_tiles(double (*As)[GB_M + GB_PAD], double (*Bs)[GB_N + GB_PAD], const double* a,
                                           int transA, const double* b, int transB, int m, int n, int k, int row0,
                                           int col0, int k0, int tid, int nthreads) {
    for (int e = tid; e < GB_M * GB_K; e += nthreads) {
        int mm, kk;
        if (transA) {
            kk = e / GB_M;
            mm = e % GB_M;
        } else {
            mm = e / GB_K;
            kk = e % GB_K;
        }
        As[kk][mm] = load_a(a, transA, m, k, row0 + mm, k0 + kk);
    }
    for (int e = tid; e < GB_N * GB_K; e += nthreads) {
        int nn, kk;
        if (transB) {
            nn = e / GB_K;
            kk = e % GB_K;
        } else {
            kk = e / GB_N;
            nn = e % GB_N;
        }
        Bs[kk][nn] = load_b(b, transB, k, n, k0 + kk, col0 + nn);
    }
}

extern "C" __global__ void __launch_bounds__(128) gemm_tc_f64(int m, int n, int k, double* c, const double* a,
                                                              long long aBatch, int transA, const double* b,
                                                              long long bBatch, int transB) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    __shared__ double As[GB_K][GB_M + GB_PAD];
    __shared__ double Bs[GB_K][GB_N + GB_PAD];
    long long z = blockIdx.z;
    a += z * aBatch;
    b += z * bBatch;
    c += z * (long long)m * n;
    int row0 = blockIdx.y * GB_M, col0 = blockIdx.x * GB_N;
    int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
    int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
    int g = lane >> 2, t = lane & 3;
    double acc[4][4][2];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j][0] = acc[i][j][1] = 0.0;
    for (int k0 = 0; k0 < k; k0 += GB_K) {
        load_tiles(As, Bs, a, transA, b, transB, m, n, k, row0, col0, k0, tid, 128);
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < GB_K; kk += 4) {
            double af[4], bf[4];
#pragma unroll
            for (int i = 0; i < 4; i++) af[i] = As[kk + t][wm + i * 8 + g];
#pragma unroll
            for (int j = 0; j < 4; j++) bf[j] = Bs[kk + t][wn + j * 8 + g];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++)
                    asm volatile("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64 {%0,%1}, {%2}, {%3}, {%0,%1};\n"
                                 : "+d"(acc[i][j][0]), "+d"(acc[i][j][1])
                                 : "d"(af[i]), "d"(bf[j]));
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++) {
        int r = row0 + wm + i * 8 + g;
        if (r >= m) continue;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int col = col0 + wn + j * 8 + 2 * t;
            if (col < n) c[(long long)r * n + col] = acc[i][j][0];
            if (col + 1 < n) c[(long long)r * n + col + 1] = acc[i][j][1];
        }
    }
#else
    __trap();  // the host selects gemm_simt_f64 below compute capability 8.0
#endif
}

// gemm_tc16_f64 (sm_90, opt-in): the same tiling on Hopper's full-rate shape
// mma.sync.aligned.m16n8k4.row.col.f64 (PTX ISA 7.8). Each warp's 32×32 piece is 2×4 16×8 tiles.
// Fragments (PTX ISA, m16n8k4 .f64): A holds A[g][t] and A[g+8][t]; B holds B[t][g]; C/D hold
// C[g][2t], C[g][2t+1], C[g+8][2t], C[g+8][2t+1]. Not the default until measured on a GPU
// (-Dcanonic.cuda.gemm=m16n8k4 selects it).
extern "C" __global__ void __launch_bounds__(128) gemm_tc16_f64(int m, int n, int k, double* c, const double* a,
                                                                long long aBatch, int transA, const double* b,
                                                                long long bBatch, int transB) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    __shared__ double As[GB_K][GB_M + GB_PAD];
    __shared__ double Bs[GB_K][GB_N + GB_PAD];
    long long z = blockIdx.z;
    a += z * aBatch;
    b += z * bBatch;
    c += z * (long long)m * n;
    int row0 = blockIdx.y * GB_M, col0 = blockIdx.x * GB_N;
    int tid = threadIdx.x, warp = tid >> 5, lane = tid & 31;
    int wm = (warp >> 1) * 32, wn = (warp & 1) * 32;
    int g = lane >> 2, t = lane & 3;
    double acc[2][4][4];
#pragma unroll
    for (int i = 0; i < 2; i++)
#pragma unroll
        for (int j = 0; j < 4; j++)
#pragma unroll
            for (int q = 0; q < 4; q++) acc[i][j][q] = 0.0;
    for (int k0 = 0; k0 < k; k0 += GB_K) {
        load_tiles(As, Bs, a, transA, b, transB, m, n, k, row0, col0, k0, tid, 128);
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < GB_K; kk += 4) {
            double af[2][2], bf[4];
#pragma unroll
            for (int i = 0; i < 2; i++) {
                af[i][0] = As[kk + t][wm + i * 16 + g];
                af[i][1] = As[kk + t][wm + i * 16 + g + 8];
            }
#pragma unroll
            for (int j = 0; j < 4; j++) bf[j] = Bs[kk + t][wn + j * 8 + g];
#pragma unroll
            for (int i = 0; i < 2; i++)
#pragma unroll
                for (int j = 0; j < 4; j++)
                    asm volatile("mma.sync.aligned.m16n8k4.row.col.f64.f64.f64.f64 {%0,%1,%2,%3}, {%4,%5}, {%6}, {%0,%1,%2,%3};\n"
                                 : "+d"(acc[i][j][0]), "+d"(acc[i][j][1]), "+d"(acc[i][j][2]), "+d"(acc[i][j][3])
                                 : "d"(af[i][0]), "d"(af[i][1]), "d"(bf[j]));
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 2; i++) {
#pragma unroll
        for (int h = 0; h < 2; h++) {
            int r = row0 + wm + i * 16 + g + 8 * h;
            if (r >= m) continue;
#pragma unroll
            for (int j = 0; j < 4; j++) {
                int col = col0 + wn + j * 8 + 2 * t;
                if (col < n) c[(long long)r * n + col] = acc[i][j][2 * h];
                if (col + 1 < n) c[(long long)r * n + col + 1] = acc[i][j][2 * h + 1];
            }
        }
    }
#else
    __trap();  // only the sm_90 PTX has this path
#endif
}

extern "C" __global__ void __launch_bounds__(256) gemm_simt_f64(int m, int n, int k, double* c, const double* a,
                                                                long long aBatch, int transA, const double* b,
                                                                long long bBatch, int transB) {
    __shared__ double As[GB_K][GB_M + GB_PAD];
    __shared__ double Bs[GB_K][GB_N + GB_PAD];
    long long z = blockIdx.z;
    a += z * aBatch;
    b += z * bBatch;
    c += z * (long long)m * n;
    int row0 = blockIdx.y * GB_M, col0 = blockIdx.x * GB_N;
    int tid = threadIdx.x;
    int tr = tid / 16, tc = tid % 16;  // rows tr + 16·i, columns tc + 16·j
    double acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; i++)
#pragma unroll
        for (int j = 0; j < 4; j++) acc[i][j] = 0.0;
    for (int k0 = 0; k0 < k; k0 += GB_K) {
        load_tiles(As, Bs, a, transA, b, transB, m, n, k, row0, col0, k0, tid, 256);
        __syncthreads();
#pragma unroll
        for (int kk = 0; kk < GB_K; kk++) {
            double av[4], bv[4];
#pragma unroll
            for (int i = 0; i < 4; i++) av[i] = As[kk][tr + 16 * i];
#pragma unroll
            for (int j = 0; j < 4; j++) bv[j] = Bs[kk][tc + 16 * j];
#pragma unroll
            for (int i = 0; i < 4; i++)
#pragma unroll
                for (int j = 0; j < 4; j++) acc[i][j] = fma(av[i], bv[j], acc[i][j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < 4; i++) {
        int r = row0 + tr + 16 * i;
        if (r >= m) continue;
#pragma unroll
        for (int j = 0; j < 4; j++) {
            int col = col0 + tc + 16 * j;
            if (col < n) c[(long long)r * n + col] = acc[i][j];
        }
    }
}
