package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.Random;

/**
 * How a {@link Linear} layer's weight (out×in, fan_in = in, fan_out = out) is drawn from a seeded
 * {@link Random}. Biases start at zero except under {@link #PYTORCH_DEFAULT}.
 */
public enum Init {
    /** He/Kaiming uniform for ReLU: U(−b, b) with b = √(6 / fan_in) (variance 2 / fan_in). */
    KAIMING_UNIFORM,
    /** He/Kaiming normal for ReLU: N(0, 2 / fan_in). */
    KAIMING_NORMAL,
    /** Glorot/Xavier uniform: U(−b, b) with b = √(6 / (fan_in + fan_out)). */
    XAVIER_UNIFORM,
    /** Glorot/Xavier normal: N(0, 2 / (fan_in + fan_out)). */
    XAVIER_NORMAL,
    /** Every weight (and the bias) zero. */
    ZERO,
    /**
     * What torch.nn.Linear does by default (kaiming_uniform with a = √5): weight and bias both
     * U(−b, b) with b = 1 / √fan_in. Used by the ResDense network, as in the paper's PyTorch code.
     */
    PYTORCH_DEFAULT;

    /** A weight of shape out×in drawn by this rule. */
    public Tensor weight(int in, int out, Random rng) {
        double[] w = new double[in * out];
        switch (this) {
            case KAIMING_UNIFORM -> uniform(w, Math.sqrt(6.0 / in), rng);
            case KAIMING_NORMAL -> normal(w, Math.sqrt(2.0 / in), rng);
            case XAVIER_UNIFORM -> uniform(w, Math.sqrt(6.0 / (in + out)), rng);
            case XAVIER_NORMAL -> normal(w, Math.sqrt(2.0 / (in + out)), rng);
            case ZERO -> { }
            case PYTORCH_DEFAULT -> uniform(w, 1.0 / Math.sqrt(in), rng);
            default -> throw new IllegalStateException(name());
        }
        return Tensor.of(w, out, in);
    }

    /** A bias of length out drawn by this rule (zeros unless PYTORCH_DEFAULT). */
    public Tensor bias(int in, int out, Random rng) {
        double[] b = new double[out];
        if (this == PYTORCH_DEFAULT) uniform(b, 1.0 / Math.sqrt(in), rng);
        return Tensor.of(b, out);
    }

    private static void uniform(double[] w, double bound, Random rng) {
        for (int i = 0; i < w.length; i++) w[i] = bound * (2 * rng.nextDouble() - 1);
    }

    private static void normal(double[] w, double std, Random rng) {
        for (int i = 0; i < w.length; i++) w[i] = std * rng.nextGaussian();
    }
}
