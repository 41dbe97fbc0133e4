package dev.canonic.models.koopman;

/**
 * Configuration of the symplectic Koopman autoencoder (seed 000) and of its training.
 *
 * @param dof          degrees of freedom d (phase space has 2d coordinates q1..qd, p1..pd)
 * @param layers       gradient modules of the symplectic encoder (alternating up / low)
 * @param width        hidden width of each gradient module
 * @param linearModules whether a symplectic linear module precedes each gradient module
 * @param netWidth     hidden width of the frequency and energy MLPs (two hidden layers, tanh)
 * @param rollout      latent rollout window R (steps); the first step is the one-step loss
 * @param wOneStep     weight of the one-step latent loss
 * @param wRollout     weight of the multi-step latent rollout loss (steps 2..R)
 * @param wRecon       weight of the reconstruction loss of x_{k+1} through the decoder
 * @param wPhysics     weight of the physics loss (dH/dJ − ω)²
 * @param epochs       passes over the training windows
 * @param segment      samples per orbit segment: a batch holds whole segments, each sample encoded once
 * @param batch        segments per step
 * @param lr           peak Adam learning rate (cosine decay to lrMin)
 * @param lrMin        final learning rate
 * @param seed         seed of initialisation, batching and the train/validation split
 * @param lbfgsIters   L-BFGS refinement iterations after Adam, on a fixed full batch (0: none)
 * @param lbfgsSamples at most this many samples (in whole segments) in that full batch
 * @param lbfgsMemory  (s, y) pairs the L-BFGS refinement keeps: the encoder's loss is badly
 *                     conditioned: with 100 pairs the slab suite's largest action error after 800 iterations was 2.3× smaller than with 20
 */
public record KoopmanConfig(int dof, int layers, int width, boolean linearModules, int netWidth, int rollout,
                            double wOneStep, double wRollout, double wRecon, double wPhysics,
                            int segment, int epochs, int batch, double lr, double lrMin, long seed, int lbfgsIters, int lbfgsSamples, int lbfgsMemory) {
    public KoopmanConfig {
        if (dof < 1) throw new IllegalArgumentException("dof must be at least 1, got " + dof);
        if (layers < 1 || width < 1 || netWidth < 1) throw new IllegalArgumentException("layers, width and netWidth must be positive");
        if (rollout < 1) throw new IllegalArgumentException("rollout window must be at least 1 step, got " + rollout);
        if (epochs < 1 || batch < 1) throw new IllegalArgumentException("epochs and batch must be positive");
        if (lbfgsIters < 0 || lbfgsSamples < 1 || lbfgsMemory < 1) throw new IllegalArgumentException("lbfgsIters must be >= 0, lbfgsSamples and lbfgsMemory >= 1");
        if (segment < 2) throw new IllegalArgumentException("segment length must be at least 2, got " + segment);
        if (!(lr > 0) || !(lrMin >= 0) || lrMin > lr) throw new IllegalArgumentException("need 0 <= lrMin <= lr and lr > 0");
    }

    /** The seed's 1-D model: 8 gradient modules of width 64, MLPs 1 → 64 → 64 → 1. */
    public static KoopmanConfig seed1d(long seed) {
        return new KoopmanConfig(1, 8, 64, true, 64, 8, 1.0, 1.0, 1.0, 1.0, 32, 60, 32, 3e-3, 1e-5, seed, 300, 4096, 100);
    }

    /** A copy with another L-BFGS refinement length. */
    public KoopmanConfig withLbfgs(int iters, int windows) {
        return new KoopmanConfig(dof, layers, width, linearModules, netWidth, rollout, wOneStep, wRollout, wRecon, wPhysics,
            segment, epochs, batch, lr, lrMin, seed, iters, windows, lbfgsMemory);
    }

    /** A copy with other training length and seed. */
    public KoopmanConfig withTraining(int epochs, int batch, long seed) {
        return new KoopmanConfig(dof, layers, width, linearModules, netWidth, rollout, wOneStep, wRollout, wRecon, wPhysics,
            segment, epochs, batch, lr, lrMin, seed, lbfgsIters, lbfgsSamples, lbfgsMemory);
    }
}
