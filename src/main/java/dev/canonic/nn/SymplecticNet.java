package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A SympNet (Jin et al. 2020): a stack of {@link GradientModule}s alternating up, low, up, … with,
 * when asked, a {@link LinearModule} (two sub-layers by default) before each gradient module. Every
 * layer is symplectic, so the whole map is; {@link #inverse} applies the exact inverses in reverse
 * order. Rows are (q₁…q_d, p₁…p_d), B×2d.
 *
 * <p>Initialisation: as each layer states (gradient modules: small a ~ N(0, 0.05²/width), K ~ N(0, 1/d);
 * linear modules: A ~ N(0, 0.02²/d), zero bias), so the net starts near the identity but not at it
 * (with 8 layers of width 64 points move by about 5–15 % of their size).
 * Children are {@code layers.0, layers.1, …} in application order.
 */
public final class SymplecticNet extends Module implements Invertible {
    private final List<Invertible> layers = new ArrayList<>();
    private final int d;

    /** layers gradient modules of the given width; linearModules puts a two-sub-layer LinearModule before each. */
    public SymplecticNet(int d, int layers, int width, boolean linearModules, Random rng) {
        this(d, layers, width, linearModules ? 2 : 0, rng);
    }

    /** As above with linearSublayers sub-layers per linear module (0 = no linear modules). */
    public SymplecticNet(int d, int layers, int width, int linearSublayers, Random rng) {
        if (layers <= 0) throw new IllegalArgumentException("SymplecticNet: need at least one layer, got " + layers);
        this.d = d;
        Sequence seq = register("layers", new Sequence());
        for (int i = 0; i < layers; i++) {
            boolean up = i % 2 == 0;
            if (linearSublayers > 0) this.layers.add(seq.add(new LinearModule(d, up, linearSublayers, rng)));
            this.layers.add(seq.add(new GradientModule(d, width, up, rng)));
        }
    }

    /** x (B×2d) → B×2d. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Invertible l : layers) h = l.forward(h);
        return h;
    }

    /** The exact inverse of {@link #forward}. */
    @Override
    public Tensor inverse(Tensor y) {
        Tensor h = y;
        for (int i = layers.size() - 1; i >= 0; i--) h = layers.get(i).inverse(h);
        return h;
    }

    /** Degrees of freedom. */
    public int dof() {
        return d;
    }
}
