package dev.canonic.models.actionfinder;

import dev.canonic.dynamics.Units;
import dev.canonic.nn.ResDenseBlock;
import dev.canonic.nn.ResDenseNet;

/**
 * Shape and loss settings of an {@link ActionFinderModel}.
 *
 * @param netG          generating-function network G(cos θ, sin θ, J′/scale): in 9, out 1
 * @param netP          point-transformation network P(cos θ′, sin θ′): in 6, out 3
 * @param pointForm     how θ″ is formed from P, see {@link PointForm}
 * @param loss          Eq. 12 ({@link LossKind#PAPER}) or Eq. 19 ({@link LossKind#SPREAD})
 * @param alpha1        weight of the θ″ zero-point term in Eq. 12 (the paper: 0.1)
 * @param maxIterations cap on the fixed-point iterations for J′ (Listing 1's iter_max)
 * @param tolMax        convergence: max |ΔJ′| over streams, in units of actionScale (Listing 1: 5e-5)
 * @param tolMean       convergence: mean |ΔJ′|, in units of actionScale (Listing 1: 1e-6)
 * @param actionScale   action normalisation in kpc km/s (the paper: 20 kpc × 200 km/s = 4000)
 * @param startAtToy    zero the output layers of G and P at initialisation, so that training starts from
 *                      G = 0, P = 0, i.e. exactly at the toy's (θ, J) (with RESIDUAL); the paper does
 *                      not say how it initialises, and PyTorch's default random output layer starts
 *                      from a J″ much worse than the toy's
 */
public record ActionFinderConfig(ResDenseNet.Config netG, ResDenseNet.Config netP, PointForm pointForm, LossKind loss, double alpha1,
                                 int maxIterations, double tolMax, double tolMean, double actionScale, boolean startAtToy) {
    /** How θ″ follows from the network P. */
    public enum PointForm {
        /**
         * θ″ = θ′ + P(cos θ′, sin θ′): P is a periodic correction, so the map starts near the identity
         * and θ″ − θ′ is periodic as a point transformation of angles must be (the default; see
         * package-info for why the paper's Eq. 7 is read this way).
         */
        RESIDUAL,
        /** θ″ = P(cos θ′, sin θ′), Eq. 7 and Listing 1 taken literally (the W6 benchmark's form). */
        DIRECT
    }

    /** Which loss the forward pass reports. */
    public enum LossKind {
        /** Eq. 12: spread of J″ within streams + positivity of J2″, J3″ + α1 × θ″ zero point. */
        PAPER,
        /** Eq. 19: spread of J″ within streams only. */
        SPREAD,
        /**
         * Eq. 12 with its spread term made scale-free ({@link ActionFinderCore#relativeSpread}): each
         * star's |J″ − ⟨J″⟩_stream| divided by its stream's Σ_k |⟨J″_k⟩|, so every stream counts by its
         * relative spread, loosely and tightly bound alike, and no map lowers the loss by shrinking
         * actions; positivity and the θ″ zero point as Eq. 12.
         */
        RELATIVE;

        /** Whether the positivity and θ″ zero-point terms of Eq. 12 are part of the loss. */
        public boolean hasEq12Terms() {
            return this != SPREAD;
        }

        /** The spread term of this loss. */
        public dev.canonic.core.Tensor spread(dev.canonic.core.Tensor jDD, Streams st) {
            return this == RELATIVE ? ActionFinderCore.relativeSpread(jDD, st) : ActionFinderCore.spread(jDD, st);
        }
    }

    public ActionFinderConfig {
        if (netG.in() != 9 || netG.out() != 1) throw new IllegalArgumentException("netG must map 9 inputs to 1 output, got " + netG.in() + " → " + netG.out());
        if (netP.in() != 6 || netP.out() != 3) throw new IllegalArgumentException("netP must map 6 inputs to 3 outputs, got " + netP.in() + " → " + netP.out());
        if (pointForm == null || loss == null) throw new IllegalArgumentException("pointForm and loss must be given");
        if (!(alpha1 >= 0) || !Double.isFinite(alpha1)) throw new IllegalArgumentException("alpha1 must be finite and ≥ 0, got " + alpha1);
        if (maxIterations < 0) throw new IllegalArgumentException("maxIterations must be ≥ 0, got " + maxIterations);
        if (!(tolMax > 0) || !(tolMean > 0)) throw new IllegalArgumentException("tolerances must be positive");
        if (!(actionScale > 0) || !Double.isFinite(actionScale)) throw new IllegalArgumentException("actionScale must be positive, got " + actionScale);
    }

    /**
     * The paper's preset: netG 15 blocks, netP 11 blocks, cap 1024, base 64, dropout 0.5 in blocks
     * wider than 256, Eq. 11 blocks; Eq. 12 loss with α1 = 0.1; Listing 1's tolerances, at most 100 iterations.
     */
    public static ActionFinderConfig paper() {
        return new ActionFinderConfig(ResDenseNet.Config.paper(9, 1, 1024, 15), ResDenseNet.Config.paper(6, 3, 1024, 11),
            PointForm.RESIDUAL, LossKind.PAPER, 0.1, 100, 5e-5, 1e-6, Units.ACTION_SCALE, true);
    }

    /**
     * The CPU preset: both networks base 32, cap 64, 3 blocks [32, 64, 32] (no dropout, ~13k and ~13k
     * weights), otherwise as {@link #paper()}. Chosen so a quick isochrone fit trains in about a minute on
     * two cores; the paper's preset needs a GPU.
     */
    public static ActionFinderConfig cpu() {
        return new ActionFinderConfig(new ResDenseNet.Config(9, 1, 32, 64, 3, 0.5, 256, ResDenseBlock.Form.EQUATION_11),
            new ResDenseNet.Config(6, 3, 32, 64, 3, 0.5, 256, ResDenseBlock.Form.EQUATION_11),
            PointForm.RESIDUAL, LossKind.PAPER, 0.1, 100, 5e-5, 1e-6, Units.ACTION_SCALE, true);
    }

    /** A preset by name: "paper" or "cpu". */
    public static ActionFinderConfig preset(String name) {
        return switch (name) {
            case "paper" -> paper();
            case "cpu" -> cpu();
            default -> throw new IllegalArgumentException("unknown preset '" + name + "' (expected paper or cpu)");
        };
    }

    /** This configuration with another loss. */
    public ActionFinderConfig withLoss(LossKind l) {
        return new ActionFinderConfig(netG, netP, pointForm, l, alpha1, maxIterations, tolMax, tolMean, actionScale, startAtToy);
    }

    /** This configuration with another point form. */
    public ActionFinderConfig withPointForm(PointForm f) {
        return new ActionFinderConfig(netG, netP, f, loss, alpha1, maxIterations, tolMax, tolMean, actionScale, startAtToy);
    }

    /** This configuration with or without the zeroed output layers. */
    public ActionFinderConfig withStartAtToy(boolean on) {
        return new ActionFinderConfig(netG, netP, pointForm, loss, alpha1, maxIterations, tolMax, tolMean, actionScale, on);
    }

    /** This configuration with other network shapes (in/out fixed at 9 → 1 and 6 → 3). */
    public ActionFinderConfig withNets(ResDenseNet.Config g, ResDenseNet.Config p) {
        return new ActionFinderConfig(g, p, pointForm, loss, alpha1, maxIterations, tolMax, tolMean, actionScale, startAtToy);
    }

    /** This configuration with other fixed-point settings. */
    public ActionFinderConfig withIteration(int max, double tMax, double tMean) {
        return new ActionFinderConfig(netG, netP, pointForm, loss, alpha1, max, tMax, tMean, actionScale, startAtToy);
    }
}
