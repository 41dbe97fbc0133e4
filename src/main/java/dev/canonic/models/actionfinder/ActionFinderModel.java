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
            Tensor spread = ActionFinderCore.spread(p.jDD(), st);
            terms[1] = spread.item();
            loss = spread;
            if (config.loss() == ActionFinderConfig.LossKind.PAPER) {
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

    /** Results for flat arrays, without a graph: {J″ B×3, θ″ B×3} flat, in eval mode unless dropout is wanted. */
    public double[][] actionsAngles(double[] xv, Streams st) {
        try (GradMode.Scope s = GradMode.enabled(true)) {
            Output o = forward(Tensor.of(xv, st.rows(), 6), st, config.maxIterations(), false, false);
            return new double[][] {o.actions().toArray(), o.angles().toArray()};
        }
    }
}
