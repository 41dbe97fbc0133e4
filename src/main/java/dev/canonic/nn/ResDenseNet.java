package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;

/**
 * The ACTIONFINDER widening/narrowing network (Ibata et al. 2021, Fig. 2; ../shared/BENCHMARKS.md):
 * Linear(in, base) → {@link ResDenseBlock}s whose widths double from base up to the cap, stay at the
 * cap for as many blocks as the depth leaves, then halve back to base → Linear(base, out). Between
 * consecutive blocks of different width sits a plain Linear(w_in, w_out) with bias and no
 * activation; blocks of equal width follow each other directly. Blocks wider than
 * {@code dropoutAbove} get dropout p after each ReLU (training mode only).
 *
 * <p>Presets: {@link #cap256} (base 64, cap 256, 5 blocks: 64, 128, 256, 128, 64), {@link #netP}
 * (cap 1024, 11 blocks, the paper's Fig. 2) and {@link #netG} (cap 1024, 15 blocks, the paper's
 * generating-function net). Every Linear uses {@link Init#PYTORCH_DEFAULT}. Children are
 * {@code layers.0, layers.1, …} in application order (like torch.nn.Sequential).
 */
public final class ResDenseNet extends Module {
    /**
     * Shape of the network.
     *
     * @param in           input features
     * @param out          output features
     * @param base         width of the first and last block (the paper: 64)
     * @param cap          widest block; base·2ᵏ
     * @param blocks       number of blocks; at least 2k + 1
     * @param dropoutP     dropout probability in wide blocks (the paper: 0.5)
     * @param dropoutAbove blocks wider than this get dropout (the paper: 256)
     * @param form         Eq. 11 or Listing 2 as run, see {@link ResDenseBlock.Form}
     */
    public record Config(int in, int out, int base, int cap, int blocks, double dropoutP, int dropoutAbove, ResDenseBlock.Form form) {
        public Config {
            if (in <= 0 || out <= 0 || base <= 0) throw new IllegalArgumentException("ResDenseNet: in, out and base must be positive");
            widths(base, cap, blocks);
            if (!(dropoutP >= 0 && dropoutP < 1)) throw new IllegalArgumentException("ResDenseNet: dropout p must lie in [0, 1), got " + dropoutP);
        }

        /** The paper's choices (base 64, dropout 0.5 above 256, Eq. 11) for the given in, out, cap and depth. */
        public static Config paper(int in, int out, int cap, int blocks) {
            return new Config(in, out, 64, cap, blocks, 0.5, 256, ResDenseBlock.Form.EQUATION_11);
        }
    }

    private final Config config;
    private final int[] widths;
    private final List<UnaryOperator<Tensor>> steps = new ArrayList<>();

    /** Builds the network; weights from rng, dropout seeds drawn from rng too. */
    public ResDenseNet(Config c, Random rng) {
        this.config = c;
        this.widths = widths(c.base(), c.cap(), c.blocks());
        Sequence seq = register("layers", new Sequence());
        Linear first = seq.add(new Linear(c.in(), c.base(), true, Init.PYTORCH_DEFAULT, rng));
        steps.add(first::forward);
        for (int i = 0; i < widths.length; i++) {
            if (i > 0 && widths[i] != widths[i - 1]) {
                Linear t = seq.add(new Linear(widths[i - 1], widths[i], true, Init.PYTORCH_DEFAULT, rng));
                steps.add(t::forward);
            }
            double p = widths[i] > c.dropoutAbove() ? c.dropoutP() : 0.0;
            ResDenseBlock b = seq.add(new ResDenseBlock(widths[i], p, rng.nextLong(), c.form(), rng));
            steps.add(b::forward);
        }
        Linear last = seq.add(new Linear(c.base(), c.out(), true, Init.PYTORCH_DEFAULT, rng));
        steps.add(last::forward);
    }

    /** The paper's network shape with in/out features, cap and number of blocks. */
    public ResDenseNet(int in, int out, int cap, int blocks, Random rng) {
        this(Config.paper(in, out, cap, blocks), rng);
    }

    /** Cap 256, 5 blocks [64, 128, 256, 128, 64] (the benchmarks' W2/W3 network and the ActionFinder step's G and P). */
    public static ResDenseNet cap256(int in, int out, Random rng) {
        return new ResDenseNet(in, out, 256, 5, rng);
    }

    /** The paper's netP (Fig. 2): cap 1024, 11 blocks [64 … 1024 ×3 … 64]; the paper uses in = 6, out = 1 or 3. */
    public static ResDenseNet netP(int in, int out, Random rng) {
        return new ResDenseNet(in, out, 1024, 11, rng);
    }

    /** The paper's netG: cap 1024, 15 blocks [64 … 1024 ×7 … 64]; the paper uses in = 9, out = 1. */
    public static ResDenseNet netG(int in, int out, Random rng) {
        return new ResDenseNet(in, out, 1024, 15, rng);
    }

    /**
     * Block widths: base, 2·base, …, cap (rising), the cap repeated, then falling back to base, for
     * the given number of blocks.
     */
    public static int[] widths(int base, int cap, int blocks) {
        int k = 0;
        for (int w = base; w < cap; w *= 2) k++;
        if (base <= 0 || cap < base || (base << k) != cap) {
            throw new IllegalArgumentException("ResDenseNet: cap " + cap + " must be base " + base + " times a power of two");
        }
        int atCap = blocks - 2 * k;
        if (atCap < 1) {
            throw new IllegalArgumentException("ResDenseNet: " + blocks + " blocks cannot rise from " + base + " to " + cap
                + " and fall back; need at least " + (2 * k + 1));
        }
        int[] w = new int[blocks];
        int i = 0;
        for (int j = 0; j < k; j++) w[i++] = base << j;
        for (int j = 0; j < atCap; j++) w[i++] = cap;
        for (int j = k - 1; j >= 0; j--) w[i++] = base << j;
        return w;
    }

    /** x (B×in) → B×out. */
    public Tensor forward(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != config.in()) {
            throw new IllegalArgumentException("ResDenseNet: input of shape " + Arrays.toString(x.shape()) + ", expected B×" + config.in());
        }
        Tensor h = x;
        for (UnaryOperator<Tensor> s : steps) h = s.apply(h);
        return h;
    }

    /** The block widths in order. */
    public int[] blockWidths() {
        return widths.clone();
    }

    /** The configuration. */
    public Config config() {
        return config;
    }
}
