package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.Random;

/**
 * Multi-layer perceptron: Linear layers widths[0]→widths[1]→…→widths[n−1] with biases and the
 * activation between consecutive layers (none after the last). Weights use
 * {@link Activation#suggestedInit()} (Xavier uniform for tanh, Kaiming uniform otherwise); biases
 * start at zero. Layers are named {@code layers.0}, {@code layers.1}, ….
 */
public final class Mlp extends Module {
    private final Linear[] layers;
    private final Activation act;

    /** widths has at least two entries: input, hidden…, output. */
    public Mlp(int[] widths, Activation act, Random rng) {
        if (widths.length < 2) throw new IllegalArgumentException("Mlp: need at least input and output widths");
        this.act = act;
        Module holder = register("layers", new Sequence());
        layers = new Linear[widths.length - 1];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = ((Sequence) holder).add(new Linear(widths[i], widths[i + 1], true, act.suggestedInit(), rng));
        }
    }

    /** x (B×widths[0]) → B×widths[n−1]. */
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.length; i++) {
            h = layers[i].forward(h);
            if (i < layers.length - 1) h = act.apply(h);
        }
        return h;
    }

    /** Layer i. */
    public Linear layer(int i) {
        return layers[i];
    }

    /** Number of Linear layers. */
    public int depth() {
        return layers.length;
    }
}
