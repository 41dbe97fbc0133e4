package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.Random;

/**
 * Fully connected layer y = x·Wᵀ + b with W of shape out×in (PyTorch's layout) and an optional bias
 * of length out. Input B×in, output B×out. Initialisation by {@link Init}.
 */
public final class Linear extends Module {
    private final int in, out;
    private final Parameter weight;
    private final Parameter bias;

    /** A layer in→out, with or without bias, weights drawn by init from rng. */
    public Linear(int in, int out, boolean bias, Init init, Random rng) {
        if (in <= 0 || out <= 0) throw new IllegalArgumentException("Linear: sizes must be positive, got " + in + "→" + out);
        this.in = in;
        this.out = out;
        this.weight = param("weight", init.weight(in, out, rng));
        this.bias = bias ? param("bias", init.bias(in, out, rng)) : null;
    }

    /** x (B×in) → B×out. */
    public Tensor forward(Tensor x) {
        return apply(x, weight.value(), bias == null ? null : bias.value(), in);
    }

    /** x·wᵀ + b for an explicit weight (out×in) and optional bias; shared with {@link WeightNorm}. */
    static Tensor apply(Tensor x, Tensor w, Tensor b, int in) {
        if (x.rank() != 2 || x.dim(1) != in) {
            throw new IllegalArgumentException("Linear: input of shape " + java.util.Arrays.toString(x.shape()) + ", expected B×" + in);
        }
        Tensor y = x.matmul(w, false, true);
        return b == null ? y : y.add(b);
    }

    /** The weight, out×in. */
    public Parameter weight() {
        return weight;
    }

    /** The bias (length out), or null when the layer has none. */
    public Parameter bias() {
        return bias;
    }

    /** Input features. */
    public int inFeatures() {
        return in;
    }

    /** Output features. */
    public int outFeatures() {
        return out;
    }
}
