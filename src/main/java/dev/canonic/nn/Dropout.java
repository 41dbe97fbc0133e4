package dev.canonic.nn;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;

import java.util.Map;
import java.util.function.Function;

/**
 * Dropout (Hinton et al. 2012): in training mode each element is zeroed with probability p and the
 * survivors are scaled by 1/(1 − p); in evaluation mode the input passes unchanged. The mask comes
 * from the backend's counter-based generator, {@code Tensor.uniform(backend, seed, counter, shape)},
 * and the counter advances by the number of elements at every call, so a run is reproducible from
 * the seed and the counter (which checkpoints save as state {@code counter}), and is the same on
 * every backend.
 *
 * <p>{@link #monteCarlo} gives Monte-Carlo dropout predictions (Gal &amp; Ghahramani 2016): the mean
 * and spread of K stochastic passes.
 */
public final class Dropout extends Module {
    private final double p;
    private long seed;
    private long counter;

    /** Dropout with probability p ∈ [0, 1] and a seed for its masks. */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: p must lie in [0, 1], got " + p);
        this.p = p;
        this.seed = seed;
    }

    /** x with elements dropped (training mode) or x itself (evaluation mode, or p = 0). */
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0) return x;
        Tensor u = Tensor.uniform(x.backend(), seed, counter, x.shape());
        counter += x.size();
        if (p == 1) return x.mul(0.0);
        Tensor mask = u.ge(Tensor.scalar(p, x.backend())).mul(1.0 / (1.0 - p));
        return x.mul(mask);
    }

    /** The drop probability. */
    public double p() {
        return p;
    }

    /** The position in the random stream (elements consumed so far). */
    public long counter() {
        return counter;
    }

    /** Moves the position in the random stream (e.g. to replay the same masks). */
    public void setCounter(long c) {
        if (c < 0) throw new IllegalArgumentException("Dropout: counter must be ≥ 0, got " + c);
        counter = c;
    }

    /** The seed of the masks. */
    public long seed() {
        return seed;
    }

    /** State: {@code counter} (0-d) and {@code seed} as its high and low 32-bit halves (exact in float64). */
    @Override
    protected Map<String, NdArray> localState() {
        Map<String, NdArray> m = new java.util.LinkedHashMap<>();
        m.put("counter", new NdArray(new double[] {counter}, new int[0]));
        m.put("seed", new NdArray(new double[] {seed >>> 32, seed & 0xFFFFFFFFL}, new int[] {2}));
        return m;
    }

    @Override
    protected void loadLocalState(String key, NdArray value) {
        double[] v = value.data();
        if (key.equals("counter") && v.length == 1 && v[0] >= 0 && v[0] == Math.rint(v[0]) && v[0] < 0x1p53) {
            counter = (long) v[0];
        } else if (key.equals("seed") && v.length == 2 && halfword(v[0]) && halfword(v[1])) {
            seed = ((long) v[0] << 32) | (long) v[1];
        } else {
            throw new IllegalArgumentException("Dropout: bad state '" + key + "' " + java.util.Arrays.toString(v));
        }
    }

    private static boolean halfword(double d) {
        return d >= 0 && d < 0x1p32 && d == Math.rint(d);
    }

    /** Mean and spread (sample standard deviation over the passes, K − 1 in the denominator). */
    public record Prediction(Tensor mean, Tensor spread, int passes) {
    }

    /**
     * Monte-Carlo dropout: runs forward K ≥ 2 times with the model in training mode (dropout active)
     * and no graph, and returns the elementwise mean and standard deviation. The model's mode is
     * restored afterwards.
     */
    public static Prediction monteCarlo(Module model, Function<Tensor, Tensor> forward, Tensor x, int passes) {
        if (passes < 2) throw new IllegalArgumentException("monteCarlo: need at least 2 passes, got " + passes);
        boolean was = model.isTraining();
        model.train(true);
        try (GradMode.Scope s = GradMode.noGrad()) {
            Tensor sum = null, sumSq = null;
            Tensor first = null;
            for (int k = 0; k < passes; k++) {
                Tensor y = forward.apply(x);
                if (first == null) first = y;
                Tensor d = y.sub(first);    // shifted sums: no cancellation when the spread is small
                sum = sum == null ? d : sum.add(d);
                sumSq = sumSq == null ? d.square() : sumSq.add(d.square());
            }
            Tensor meanShift = sum.div(passes);
            Tensor var = sumSq.sub(sum.mul(meanShift)).div(passes - 1).maximum(Tensor.scalar(0.0, x.backend()));
            return new Prediction(first.add(meanShift), var.sqrt(), passes);
        } finally {
            model.train(was);
        }
    }
}
