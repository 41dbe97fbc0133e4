package dev.canonic.nn;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stochastic gradient descent with optional momentum and L2 weight decay, as torch.optim.SGD
 * (dampening 0, not Nesterov):
 * <pre>
 *   g ← g + λθ
 *   b ← g at the first step, else μ b + g      (when μ ≠ 0; then g ← b)
 *   θ ← θ − η g
 * </pre>
 * State keys: {@code step}, {@code lr}, {@code momentum_buffer/i}.
 */
public final class Sgd implements Optimizer {
    private final List<Parameter> params;
    private double lr;
    private final double momentum, weightDecay;
    private Tensor[] buf;
    private int t;

    /** SGD with learning rate, momentum μ ∈ [0, 1) and weight decay λ ≥ 0. */
    public Sgd(List<Parameter> params, double lr, double momentum, double weightDecay) {
        OptimizerState.checkLr(lr);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("Sgd: momentum must lie in [0, 1), got " + momentum);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("Sgd: weight decay must be ≥ 0, got " + weightDecay);
        this.params = List.copyOf(params);
        this.lr = lr;
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        zeroState();
    }

    @Override
    public void step(Tensor[] grads) {
        OptimizerState.checkGrads(params, grads);
        t++;
        try (GradMode.Scope s = GradMode.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor g = grads[i];
                if (g == null) continue;
                g = g.detach();
                Parameter p = params.get(i);
                Tensor theta = p.value().detach();
                if (weightDecay != 0) g = g.add(theta.mul(weightDecay));
                if (momentum != 0) {
                    buf[i] = buf[i] == null ? g : buf[i].mul(momentum).add(g);
                    g = buf[i];
                }
                p.set(theta.add(g.mul(-lr)));
            }
        }
    }

    @Override
    public void zeroState() {
        buf = new Tensor[params.size()];
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
            if (buf[i] != null) s.put("momentum_buffer/" + i, OptimizerState.host(buf[i]));
        }
        return s;
    }

    @Override
    public void loadState(Map<String, NdArray> s) {
        int step = (int) OptimizerState.readScalar(s, "step");
        double newLr = OptimizerState.readScalar(s, "lr");
        Tensor[] nb = new Tensor[params.size()];
        for (int i = 0; i < params.size(); i++) nb[i] = OptimizerState.readTensor(s, "momentum_buffer/" + i, params.get(i), true);
        OptimizerState.checkEntries("Sgd", s, "momentum_buffer", params.size());
        buf = nb;
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
