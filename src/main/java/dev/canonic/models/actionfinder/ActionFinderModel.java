package dev.canonic.models.actionfinder;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.nn.Module;
import dev.canonic.nn.Parameter;
import dev.canonic.nn.ResDenseNet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The ACTIONFINDER (Ibata et al. 2021): isochrone toy (θ, J) → generating function G (θ′, J′) →
 * point transformation P (θ″, J″), trained so that J″ is the same for every star of a stream.
 * Children: {@code toy} ({@link IsochroneToy}), {@code netG}, {@code netP} ({@link ResDenseNet}).
 *
 * <p>Inputs are Galactocentric x (kpc) and v (km/s) rows (x, y, z, vx, vy, vz) with a stream id per
 * row; outputs J″ = (J_R, L_z, J_z) in kpc km/s and θ″ = (θ_R, θ_φ, θ_z) in radians [0, 2π). The
 * networks see actions divided by {@link ActionFinderConfig#actionScale()}.
 */
public final class ActionFinderModel extends Module {
    /** Names of the loss terms, in the order of {@link Output#terms()}. */
    public static final String[] LOSS_NAMES = {"total", "spread", "positivity", "zero_point"};

    private final ActionFinderConfig config;
    private final IsochroneToy toy;
    private final ResDenseNet netG;
    private final ResDenseNet netP;

    /**
     * @param config networks and loss
     * @param toyGm  toy GM in kpc (km/s)²
     * @param toyB   toy b in kpc
     * @param fixToy hold GM and b fixed
     * @param seed   weight initialisation seed (dropout seeds drawn from it too)
     */
    public ActionFinderModel(ActionFinderConfig config, double toyGm, double toyB, boolean fixToy, long seed) {
        this.config = config;
        Random rng = new Random(seed);
        this.toy = register("toy", new IsochroneToy(toyGm, toyB, fixToy));
        this.netG = register("netG", new ResDenseNet(config.netG(), rng));
        this.netP = register("netP", new ResDenseNet(config.netP(), rng));
        if (config.startAtToy()) {
            zeroOutput(netG);
            zeroOutput(netP);
        }
    }

    /** Zeroes the final Linear (its weight and bias are the last two parameters). */
    private static void zeroOutput(ResDenseNet net) {
        List<Parameter> ps = net.parameters();
        for (Parameter p : ps.subList(ps.size() - 2, ps.size())) p.set(Tensor.zeros(p.shape()));
    }

    public ActionFinderConfig config() {
        return config;
    }

    public IsochroneToy toy() {
        return toy;
    }

    public ResDenseNet netG() {
        return netG;
    }

    public ResDenseNet netP() {
        return netP;
    }

    /** Parameters an optimiser should update: netG, netP, and GM, b unless the toy is fixed. */
    public List<Parameter> trainableParameters() {
        List<Parameter> l = new ArrayList<>(toy.trainable());
        l.addAll(netG.parameters());
        l.addAll(netP.parameters());
        return l;
    }

    /**
     * One forward pass.
     *
     * @param actions   B×3 J″ in kpc km/s (graph kept)
     * @param angles    B×3 θ″ wrapped to [0, 2π)
     * @param toyActions B×3 toy J in kpc km/s
     * @param toyAngles  B×3 toy θ
     * @param pass      the normalised internals (J′, θ′, Jacobians, fixed-point report)
     * @param loss      the configured loss (scalar, graph kept)
     * @param terms     {total, spread, positivity, zero_point} as numbers (NaN where a term is not part of the loss)
     */
    public record Output(Tensor actions, Tensor angles, Tensor toyActions, Tensor toyAngles, ActionFinderCore.Pass pass, Tensor loss, double[] terms) {
        /** Rows with an ill-conditioned ∂θ″/∂θ′. */
        public int[] illConditioned() {
            return pass.illConditioned();
        }
    }

    /** Forward pass on xv (B×6, kpc and km/s) grouped by streams; the loss as configured. */
    public Output forward(Tensor xv, Streams st) {
        return forward(xv, st, config.maxIterations(), false, true);
    }

    /**
     * Forward pass with control over the fixed-point iteration.
     *
     * @param iterations cap on the iterations (or the exact count when exact)
     * @param exact      run exactly {@code iterations} iterations
     * @param withLoss   compute the loss terms (false: only J″, θ″)
     */
    public Output forward(Tensor xv, Streams st, int iterations, boolean exact, boolean withLoss) {
        if (xv.rank() != 2 || xv.dim(1) != 6 || xv.dim(0) != st.rows()) {
            throw new IllegalArgumentException("ActionFinder: expects " + st.rows() + "×6 (x, y, z, vx, vy, vz) rows, got " + java.util.Arrays.toString(xv.shape()));
        }
        IsochroneToy.Result t = toy.forward(xv);
        double scale = config.actionScale();
        Tensor jn = t.actions().div(scale);
        ActionFinderCore.Pass p = ActionFinderCore.pass(netG::forward, netP::forward, config.pointForm(), jn, t.angles(), st, iterations,
            config.tolMax(), config.tolMean(), exact);
        Tensor loss = null;
        double[] terms = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        if (withLoss) {
            Tensor spread = config.loss().spread(p.jDD(), st);
            terms[1] = spread.item();
            loss = spread;
            if (config.loss().hasEq12Terms()) {
                Tensor pos = ActionFinderCore.positivity(p.jDD());
                terms[2] = pos.item();
                loss = loss.add(pos);
                if (config.alpha1() > 0) {
                    Tensor zp = ActionFinderCore.zeroPoint(netG::forward, netP::forward, config.pointForm(), st.fill(p.jPrimeMean()));
                    terms[3] = zp.item();
                    loss = loss.add(zp.mul(config.alpha1()));
                }
            }
            terms[0] = loss.item();
        }
        return new Output(p.jDD().mul(scale), IsochroneToy.wrap(p.thetaDD()), t.actions(), t.angles(), p, loss, terms);
    }

    /**
     * J″ and θ″ for flat arrays in evaluation mode (no dropout): {J″ B×3 (kpc km/s), θ″ B×3 in [0, 2π)}.
     * xv is B×6 (kpc, km/s); streams may have a single star at inference (J′ is then solved per star).
     */
    public double[][] actionsAngles(double[] xv, Streams st) {
        return run(xv, st, false);
    }

    /**
     * As {@link #actionsAngles} but with dropout active, each call drawing new masks: the Monte-Carlo
     * dropout passes of the paper's §7 (identical to actionsAngles for a model without dropout).
     */
    public double[][] actionsAnglesSampled(double[] xv, Streams st) {
        return run(xv, st, true);
    }

    private double[][] run(double[] xv, Streams st, boolean dropout) {
        boolean was = isTraining();
        train(dropout);
        try (GradMode.Scope s = GradMode.enabled(true)) {
            Output o = forward(Tensor.of(xv, st.rows(), 6), st, config.maxIterations(), false, false);
            return new double[][] {o.actions().toArray(), o.angles().toArray()};
        } finally {
            train(was);
        }
    }

    /** Ω″ (B×3, km/s/kpc, Eq. 16) given each star's acceleration acc (flat B×3, (km/s)²/kpc). */
    public double[] frequencies(double[] xv, Streams st, double[] acc) {
        if (acc.length != 3 * st.rows()) throw new IllegalArgumentException("need 3 acceleration components per row, got " + acc.length + " values for " + st.rows() + " rows");
        return derivatives(xv, st).frequencies(xv, acc);
    }

    /**
     * J″, θ″ and their derivatives with respect to each star's own (x, v), for Eq. 15–16: the stream
     * means fed to G are those of a full {@link #forward} and are held fixed (see
     * {@link ActionFinderCore#perStarMap}). Evaluation mode is used (no dropout).
     *
     * @param actions B×3 J″ (kpc km/s)
     * @param angles  B×3 θ″ in [0, 2π)
     * @param dJ      B×3×6 ∂J″_i/∂(x, v)_j (kpc km/s per kpc or per km/s)
     * @param dTheta  B×3×6 ∂θ″_i/∂(x, v)_j
     */
    public record Derivatives(double[] actions, double[] angles, double[] dJ, double[] dTheta, int rows) {
        /** dJ″/dt (B×3, kpc km/s per kpc/(km/s)) = ∂J″/∂x · v + ∂J″/∂v · a, a flat B×3 in (km/s)²/kpc. */
        public double[] dJdt(double[] xv, double[] acc) {
            return flow(dJ, xv, acc);
        }

        /** Ω″ (B×3, km/s/kpc) = ∂θ″/∂x · v + ∂θ″/∂v · a (Eq. 16). */
        public double[] frequencies(double[] xv, double[] acc) {
            return flow(dTheta, xv, acc);
        }

        private double[] flow(double[] d, double[] xv, double[] acc) {
            double[] out = new double[3 * rows];
            for (int r = 0; r < rows; r++) {
                for (int i = 0; i < 3; i++) {
                    double s = 0;
                    for (int k = 0; k < 3; k++) s += d[18 * r + 6 * i + k] * xv[6 * r + 3 + k] + d[18 * r + 6 * i + 3 + k] * acc[3 * r + k];
                    out[3 * r + i] = s;
                }
            }
            return out;
        }
    }

    /** See {@link Derivatives}; xv flat B×6 (kpc, km/s). */
    public Derivatives derivatives(double[] xv, Streams st) {
        boolean was = isTraining();
        eval();
        try (GradMode.Scope s = GradMode.enabled(true)) {
            Output o = forward(Tensor.of(xv, st.rows(), 6), st, config.maxIterations(), false, false);
            Tensor x = Tensor.of(xv, st.rows(), 6).requiresGrad(true);
            IsochroneToy.Result t = toy.forward(x);
            Tensor[] m = ActionFinderCore.perStarMap(netG::forward, netP::forward, config.pointForm(), t.actions().div(config.actionScale()), t.angles(),
                st.fill(o.pass().solve().jPrimeMean()), st.fill(o.pass().jPrimeMean()));
            Tensor jdd = m[0].mul(config.actionScale());
            Tensor dj = dev.canonic.core.Autograd.jacobianOf(jdd, x, false);
            Tensor dt = dev.canonic.core.Autograd.jacobianOf(m[1], x, false);
            return new Derivatives(jdd.toArray(), IsochroneToy.wrap(m[1].detach()).toArray(), dj.toArray(), dt.toArray(), st.rows());
        } finally {
            train(was);
        }
    }
}
