// Shared definitions for Canonic's float64 kernels. Every kernel is extern "C", takes the element
// count first and the output next (kernels/README.md), and walks its range with a grid-stride loop,
// so any launch shape gives the same result.
#pragma once

#define CANONIC_MAXD 8

// Shape and up to three stride sets, passed by value (132 bytes). s0 belongs to the first operand
// named by the kernel, s1 to the second, s2 to the third. Strides are in elements; 0 broadcasts.
struct Dims {
    int nd;
    int shape[CANONIC_MAXD];
    int s0[CANONIC_MAXD];
    int s1[CANONIC_MAXD];
    int s2[CANONIC_MAXD];
};

#define GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n); \
         i += (long long)blockDim.x * gridDim.x)
