// Counter-based random numbers: out[i] depends only on (seed, offset + i), never on the launch
// shape. The generator is the CPU reference's (CpuBackend.uniformAt): two SplitMix64 finalisers
// over seed and a Weyl-scrambled counter, top 53 bits to [0, 1). It is stateless like Philox, and
// using the same function as the CPU makes dropout masks identical on both backends.
#include "common.cuh"

__device__ __forceinline__ unsigned long long splitmix_mix(unsigned long long z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

extern "C" __global__ void rng_uniform_f64(long long n, double* out, unsigned long long seed,
                                           unsigned long long offset) {
    unsigned long long ms = splitmix_mix(seed);
    GRID_STRIDE(i, n) {
        unsigned long long ctr = offset + (unsigned long long)i;
        unsigned long long z = splitmix_mix(ms + ctr * 0x9E3779B97F4A7C15ULL);
        out[i] = (double)(z >> 11) * 0x1.0p-53;
    }
}

// Inverted dropout: out[i] = u(seed, offset + i) >= p ? x[i] * scale : 0, with scale = 1 / (1 - p).
extern "C" __global__ void rng_dropout_f64(long long n, double* out, const double* x, unsigned long long seed,
                                           unsigned long long offset, double p, double scale) {
    unsigned long long ms = splitmix_mix(seed);
    GRID_STRIDE(i, n) {
        unsigned long long ctr = offset + (unsigned long long)i;
        unsigned long long z = splitmix_mix(ms + ctr * 0x9E3779B97F4A7C15ULL);
        double u = (double)(z >> 11) * 0x1.0p-53;
        out[i] = u >= p ? x[i] * scale : 0.0;
    }
}
