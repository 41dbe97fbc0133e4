package dev.canonic.core;

import dev.canonic.ops.Op;

/** How a tensor was made: the operation and its inputs, kept for backward. */
public final class Node {
    final Op op;
    final Tensor[] inputs;

    Node(Op op, Tensor[] inputs) {
        this.op = op;
        this.inputs = inputs;
    }

    /** The operation that produced the tensor. */
    public Op op() {
        return op;
    }
}
