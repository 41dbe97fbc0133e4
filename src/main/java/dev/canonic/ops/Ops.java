package dev.canonic.ops;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;

/** Runs a primitive and, when gradients are being recorded, attaches it to the graph. */
public final class Ops {
    private Ops() {
    }

    /** Applies op to the inputs; the result joins the graph if any input requires a gradient. */
    public static Tensor apply(Op op, Tensor... in) {
        for (int i = 0; i < in.length; i++) {
            if (in[i] == null) throw new NullPointerException(op.name() + ": input " + i + " is null");
        }
        Tensor out = op.forward(in);
        if (GradMode.isEnabled() && !(op instanceof Op.Binary && ((Op.Binary) op).kind().isComparison())) {
            for (Tensor t : in) {
                if (t.requiresGrad()) {
                    Tensor.attach(out, op, in);
                    break;
                }
            }
        }
        return out;
    }
}
