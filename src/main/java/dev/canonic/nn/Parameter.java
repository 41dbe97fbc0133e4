package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.Arrays;

/**
 * A named trainable tensor. Its {@link #value()} is always a graph leaf that requires a gradient, so
 * a forward pass records how the loss depends on it; optimisers replace the value with {@link #set}.
 */
public final class Parameter {
    private final String name;
    private Tensor value;

    /** A parameter holding a detached copy (same values) of initial. */
    public Parameter(String name, Tensor initial) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("parameter name is empty");
        if (initial == null) throw new NullPointerException("initial value of parameter " + name);
        this.name = name;
        this.value = initial.detach().requiresGrad(true);
    }

    /** The local name given when the parameter was created (modules report full paths). */
    public String name() {
        return name;
    }

    /** The current value: a leaf with requiresGrad(true). */
    public Tensor value() {
        return value;
    }

    /** Replaces the value by v (detached, made a leaf that requires a gradient); the shape must not change. */
    public void set(Tensor v) {
        if (!Arrays.equals(v.shape(), value.shape())) {
            throw new IllegalArgumentException("parameter " + name + ": new value of shape " + Arrays.toString(v.shape())
                + " for shape " + Arrays.toString(value.shape()));
        }
        value = v.detach().requiresGrad(true);
    }

    /**
     * Uses t itself (graph and all) as the value, for finite-difference checks that differentiate a
     * module with respect to its parameters. Not for training: use {@link #set}.
     */
    void bind(Tensor t) {
        if (!Arrays.equals(t.shape(), value.shape())) {
            throw new IllegalArgumentException("parameter " + name + ": bound value of shape " + Arrays.toString(t.shape()));
        }
        value = t;
    }

    /** The shape of the value. */
    public int[] shape() {
        return value.shape();
    }

    @Override
    public String toString() {
        return "Parameter " + name + Arrays.toString(value.shape());
    }
}
