// Optimiser updates, in place. Adam follows dev.canonic.nn.Adam operation by operation (same
// roundings under -fmad=false): diff = g - m; m = w1 < 0.5 ? m + diff*w1 : g - diff*(1 - w1);
// v = v*beta2 + (g*(1 - beta2))*g; p = p + (m*(-stepSize)) / (sqrt(v)/bc2Sqrt + eps).
// Weight decay (mode): 0 none; 1 coupled, adds p*wd to g; 2 decoupled, scales p by (1 - lr*wd) first.
#include "common.cuh"

extern "C" __global__ void optim_adam_f64(long long n, double* p, double* m, double* v, const double* g,
                                          double w1, double beta2, double stepSize, double bc2Sqrt, double eps,
                                          double decay, int mode) {
    GRID_STRIDE(i, n) {
        double theta = p[i];
        double gi = g[i];
        if (mode == 2) theta = theta * decay;       // decoupled: decay = 1 - lr*wd, computed on the host
        else if (mode == 1) gi = gi + theta * decay;  // coupled: decay = wd
        double mi = m[i];
        double diff = gi - mi;
        mi = w1 < 0.5 ? mi + diff * w1 : gi - diff * (1 - w1);
        double vi = v[i] * beta2 + gi * (1 - beta2) * gi;
        double denom = sqrt(vi) / bc2Sqrt + eps;
        p[i] = theta + mi * (-stepSize) / denom;
        m[i] = mi;
        v[i] = vi;
    }
}
