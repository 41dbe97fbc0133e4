package dev.canonic.backend.cuda;

/** dev.canonic.nn.Adam's update written on plain arrays, operation by operation (what optim_adam_f64 does). */
final class AdamReference {
    private AdamReference() {
    }

    static void step(double[] p, double[] m, double[] v, double[] g, int t, double lr, double beta1, double beta2, double eps,
                     double wd, boolean decoupled) {
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        double stepSize = lr / bc1;
        double w1 = 1 - beta1;
        for (int i = 0; i < p.length; i++) {
            double theta = p[i], gi = g[i];
            if (wd != 0) {
                if (decoupled) theta = theta * (1 - lr * wd);
                else gi = gi + theta * wd;
            }
            double diff = gi - m[i];
            m[i] = w1 < 0.5 ? m[i] + diff * w1 : gi - diff * (1 - w1);
            v[i] = v[i] * beta2 + gi * (1 - beta2) * gi;
            double denom = Math.sqrt(v[i]) / bc2Sqrt + eps;
            p[i] = theta + m[i] * (-stepSize) / denom;
        }
    }
}
