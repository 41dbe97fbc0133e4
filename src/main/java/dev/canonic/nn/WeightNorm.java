package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.Random;

/**
 * Weight normalisation (Salimans &amp; Kingma 2016) of a {@link Linear} layer, as PyTorch's
 * {@code torch.nn.utils.weight_norm(layer, dim=0)}: the weight is re-parametrised per output row as
 * w = g · v / ‖v‖ with v (out×in) and g (out×1) trained instead of w. At construction v is the
 * layer's weight and g its row norms, so the layer computes the same function as before. Parameters
 * are named like PyTorch's: {@code weight_g}, {@code weight_v}, {@code bias} (the wrapped layer's
 * bias, same object). Built from engine operations, so differentiable to any order.
 */
public final class WeightNorm extends Module {
    private final int in, out;
    private final Parameter g, v, bias;

    /** Wraps layer: from now on use this module (the layer's own weight is no longer read). */
    public WeightNorm(Linear layer) {
        this.in = layer.inFeatures();
        this.out = layer.outFeatures();
        Tensor w = layer.weight().value().detach();
        this.g = param("weight_g", w.norm(1, true));
        this.v = param("weight_v", w);
        this.bias = layer.bias() == null ? null : adopt("bias", layer.bias());
    }

    /** Shorthand for new WeightNorm(new Linear(in, out, bias, init, rng)). */
    public WeightNorm(int in, int out, boolean bias, Init init, Random rng) {
        this(new Linear(in, out, bias, init, rng));
    }

    /** The effective weight g · v / ‖v‖ (out×in), with its graph. */
    public Tensor weight() {
        Tensor vv = v.value();
        return vv.mul(g.value().div(vv.norm(1, true)));
    }

    /** x (B×in) → x·wᵀ + b (B×out). */
    public Tensor forward(Tensor x) {
        return Linear.apply(x, weight(), bias == null ? null : bias.value(), in);
    }

    /** The magnitudes g (out×1). */
    public Parameter g() {
        return g;
    }

    /** The directions v (out×in). */
    public Parameter v() {
        return v;
    }

    /** The bias or null. */
    public Parameter bias() {
        return bias;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }
}
