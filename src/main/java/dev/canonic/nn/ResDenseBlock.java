package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.Random;

/**
 * The ACTIONFINDER unit block (Ibata et al. 2021, Eq. 11 and Listing 2), width n → n:
 * <pre>
 *   out = WN2(D2(Dropout(ReLU(WN1(D1(Dropout(ReLU(x)))))))) + x
 * </pre>
 * where D1 (no bias) and D2 (with bias) are n×n {@link Linear} layers under
 * {@link WeightNorm} (w = g·v/‖v‖ per output row), so "WN(D(·))" is one weight-normalised linear
 * map. The dropout layers exist only when the block is built with p &gt; 0 (the paper: p = 0.5 in
 * blocks wider than 256) and act only in training mode. Linear layers use PyTorch's default
 * initialisation ({@link Init#PYTORCH_DEFAULT}), as the paper's code does. Children: {@code wn1},
 * {@code wn2}, and {@code drop1}, {@code drop2} when present.
 *
 * <p>{@link Form#LISTING_2_AS_RUN} reproduces what Listing 2 computes when run in PyTorch:
 * {@code weight_norm} returns the same module, so {@code self.WN1(self.dense1(x))} applies the same
 * weight-normalised layer twice (and likewise for the second layer). The default,
 * {@link Form#EQUATION_11}, applies each once, as Eq. 11 and Fig. 2 describe.
 */
public final class ResDenseBlock extends Module {
    /** How many times each weight-normalised layer is applied; see the class comment. */
    public enum Form {
        /** Each weight-normalised layer once (Eq. 11, Fig. 2). */
        EQUATION_11,
        /** Each weight-normalised layer twice, as the Listing 2 code executes. */
        LISTING_2_AS_RUN
    }

    private final int width;
    private final WeightNorm wn1, wn2;
    private final Dropout drop1, drop2;
    private final Form form;

    /** A block of the given width with the paper's dropout rule (p = 0.5 when width &gt; 256), seeded from rng. */
    public ResDenseBlock(int width, Random rng) {
        this(width, width > 256 ? 0.5 : 0.0, rng.nextLong(), Form.EQUATION_11, rng);
    }

    /** A block with dropout probability dropoutP (0 = no dropout layers), mask seed, form and weights from rng. */
    public ResDenseBlock(int width, double dropoutP, long dropoutSeed, Form form, Random rng) {
        this.width = width;
        this.form = form;
        this.wn1 = register("wn1", new WeightNorm(width, width, false, Init.PYTORCH_DEFAULT, rng));
        this.wn2 = register("wn2", new WeightNorm(width, width, true, Init.PYTORCH_DEFAULT, rng));
        if (dropoutP > 0) {
            drop1 = register("drop1", new Dropout(dropoutP, dropoutSeed));
            drop2 = register("drop2", new Dropout(dropoutP, dropoutSeed ^ 0x9E3779B97F4A7C15L));
        } else {
            drop1 = drop2 = null;
        }
    }

    /** x (B×width) → B×width. */
    public Tensor forward(Tensor x) {
        Tensor h = x.relu();
        if (drop1 != null) h = drop1.forward(h);
        h = wn1.forward(h);
        if (form == Form.LISTING_2_AS_RUN) h = wn1.forward(h);
        h = h.relu();
        if (drop2 != null) h = drop2.forward(h);
        h = wn2.forward(h);
        if (form == Form.LISTING_2_AS_RUN) h = wn2.forward(h);
        return h.add(x);
    }

    /** The width n. */
    public int width() {
        return width;
    }

    /** True when the block has dropout layers. */
    public boolean hasDropout() {
        return drop1 != null;
    }
}
