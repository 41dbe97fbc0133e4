package dev.canonic.nn;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;

/**
 * Gradient clipping by global norm, as torch.nn.utils.clip_grad_norm_: with N = √(Σ‖gᵢ‖²) over all
 * gradients, every gradient is scaled by maxNorm / (N + 10⁻⁶) when that factor is below 1.
 */
public final class GradClip {
    private GradClip() {
    }

    /** The clipped gradients and the global norm measured before clipping. */
    public record Clipped(Tensor[] grads, double norm) {
    }

    /** √(Σ‖gᵢ‖²) over the non-null gradients. */
    public static double globalNorm(Tensor[] grads) {
        double s = 0;
        try (GradMode.Scope sc = GradMode.noGrad()) {
            for (Tensor g : grads) if (g != null) s += g.square().sum().item();
        }
        return Math.sqrt(s);
    }

    /** Scales the gradients so that their global norm is at most maxNorm (the inputs are not changed). */
    public static Clipped byGlobalNorm(Tensor[] grads, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("clip: max norm must be positive, got " + maxNorm);
        double n = globalNorm(grads);
        double coef = maxNorm / (n + 1e-6);
        Tensor[] out = grads.clone();
        if (coef < 1) {
            try (GradMode.Scope sc = GradMode.noGrad()) {
                for (int i = 0; i < out.length; i++) if (out[i] != null) out[i] = out[i].detach().mul(coef);
            }
        }
        return new Clipped(out, n);
    }
}
