package dev.canonic.nn;

import dev.canonic.core.Tensor;

/** Elementwise activation functions (compositions of engine operations, differentiable to any order). */
public enum Activation {
    /** tanh(x). */
    TANH,
    /** max(0, x). */
    RELU,
    /** log(1 + eˣ). */
    SOFTPLUS,
    /** x·sigmoid(x). */
    SILU;

    /** The activation applied elementwise. */
    public Tensor apply(Tensor x) {
        return switch (this) {
            case TANH -> x.tanh();
            case RELU -> x.relu();
            case SOFTPLUS -> x.softplus();
            case SILU -> x.silu();
        };
    }

    /** The initialisation suited to the activation: Xavier uniform for tanh, Kaiming uniform otherwise. */
    public Init suggestedInit() {
        return this == TANH ? Init.XAVIER_UNIFORM : Init.KAIMING_UNIFORM;
    }
}
