package dev.canonic.nn;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam (Kingma &amp; Ba 2015) with PyTorch's bias-corrected update, optionally with L2 weight decay
 * added to the gradient (torch.optim.Adam) or decoupled weight decay (AdamW, Loshchilov &amp; Hutter
 * 2019, torch.optim.AdamW). At step t, for each parameter θ with gradient g:
 * <pre>
 *   coupled:   g ← g + λθ                 decoupled: θ ← θ·(1 − η λ)
 *   m ← m + (1 − β₁)(g − m)               (= β₁ m + (1 − β₁) g, torch's lerp_)
 *   v ← β₂ v + (1 − β₂) g²
 *   θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
 * </pre>
 * State keys: {@code step}, {@code lr}, {@code exp_avg/i}, {@code exp_avg_sq/i}.
 */
public final class Adam implements Optimizer {
    private final List<Parameter> params;
    private double lr;
    private final double beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private Tensor[] m, v;
    private int t;

    /** Adam with β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay (PyTorch's defaults). */
    public Adam(List<Parameter> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.0, false);
    }

    /** Adam (decoupled = false) or AdamW (decoupled = true) with explicit hyper-parameters. */
    public Adam(List<Parameter> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        OptimizerState.checkLr(lr);
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam: betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(eps >= 0) || !(weightDecay >= 0)) throw new IllegalArgumentException("Adam: eps and weight decay must be ≥ 0");
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        zeroState();
    }

    @Override
    public void step(Tensor[] grads) {
        OptimizerState.checkGrads(params, grads);
        t++;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        double stepSize = lr / bc1;
        double w1 = 1 - beta1;
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor g = grads[i];
                if (g == null) continue;
                g = g.detach();
                Parameter p = params.get(i);
                Tensor theta = p.value().detach();
                if (weightDecay != 0) {
                    if (decoupled) theta = theta.mul(1 - lr * weightDecay);
                    else g = g.add(theta.mul(weightDecay));
                }
                if (m[i] == null) {
                    m[i] = Tensor.zeros(theta.backend(), theta.shape());
                    v[i] = Tensor.zeros(theta.backend(), theta.shape());
                }
                Tensor diff = g.sub(m[i]);
                m[i] = w1 < 0.5 ? m[i].add(diff.mul(w1)) : g.sub(diff.mul(1 - w1));
                v[i] = v[i].mul(beta2).add(g.mul(1 - beta2).mul(g));
                Tensor denom = v[i].sqrt().div(bc2Sqrt).add(eps);
                p.set(theta.add(m[i].mul(-stepSize).div(denom)));
            }
        }
    }

    @Override
    public void zeroState() {
        m = new Tensor[params.size()];
        v = new Tensor[params.size()];
        t = 0;
    }

    @Override
    public int steps() {
        return t;
    }

    @Override
    public Map<String, NdArray> state() {
        Map<String, NdArray> s = new LinkedHashMap<>();
        s.put("step", OptimizerState.scalar(t));
        s.put("lr", OptimizerState.scalar(lr));
        for (int i = 0; i < params.size(); i++) {
            if (m[i] == null) continue;
            s.put("exp_avg/" + i, OptimizerState.host(m[i]));
            s.put("exp_avg_sq/" + i, OptimizerState.host(v[i]));
        }
        return s;
    }

    @Override
    public void loadState(Map<String, NdArray> s) {
        int step = (int) OptimizerState.readScalar(s, "step");
        double newLr = OptimizerState.readScalar(s, "lr");
        Tensor[] nm = new Tensor[params.size()], nv = new Tensor[params.size()];
        for (int i = 0; i < params.size(); i++) {
            nm[i] = OptimizerState.readTensor(s, "exp_avg/" + i, params.get(i), true);
            nv[i] = OptimizerState.readTensor(s, "exp_avg_sq/" + i, params.get(i), nm[i] == null);
        }
        OptimizerState.checkEntries("Adam", s, "exp_avg(_sq)?", params.size());
        m = nm;
        v = nv;
        t = step;
        lr = newLr;
    }

    @Override
    public double learningRate() {
        return lr;
    }

    @Override
    public void setLearningRate(double lr) {
        OptimizerState.checkLr(lr);
        this.lr = lr;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }
}
