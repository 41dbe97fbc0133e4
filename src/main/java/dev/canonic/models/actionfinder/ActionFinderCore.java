package dev.canonic.models.actionfinder;

import dev.canonic.core.Autograd;
import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.models.actionfinder.ActionFinderConfig.PointForm;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The central function of the ACTIONFINDER (Ibata et al. 2021, Listing 1; Eq. 5–8), written for any
 * generating function G and point transformation P, so that it serves the model, the tests (closed-form
 * G and P) and the W6 benchmark alike. Actions here are in normalised units (kpc km/s divided by the
 * model's action scale); angles in radians.
 *
 * <p>G maps rows (cos θ, sin θ, J′) (B×9) to B×1; P maps (cos θ′, sin θ′) (B×6) to B×3. As in
 * Listing 1, J′ is solved per stream: starting from the stream mean of the toy J, iterate
 * J′ ← ⟨J − ∂G/∂θ(θ, J′)⟩_stream without a graph until the change is below the tolerances; then once
 * more with the graph kept, giving each star's J′ = J − ∂G/∂θ(θ, ⟨J′⟩) and the stream mean ⟨J′⟩;
 * θ′ = θ + ∂G/∂J′(θ, ⟨J′⟩) (mod 2π); θ″ = θ′ + P or P (see {@link PointForm}); and
 * J″ = (∂θ′/∂θ″)ᵀ-contraction with J′, i.e. J″_i = Σ_j (A⁻¹)_{ji} J′_j with A = ∂θ″/∂θ′ per star.
 */
public final class ActionFinderCore {
    private ActionFinderCore() {
    }

    /** Cond(A) estimate ‖A‖_F‖A⁻¹‖_F above which a Jacobian is reported as ill-conditioned. */
    public static final double ILL_CONDITIONED = 1e10;

    /**
     * Outcome of the graph-free fixed-point iteration.
     *
     * @param jPrimeMean  S×3 per-stream J′ (no graph)
     * @param iterations  iterations run
     * @param converged   whether both tolerances were met (always false when the count was forced and not met)
     * @param maxChange   max |ΔJ′| over streams and components at the last iteration
     * @param meanChange  mean |ΔJ′| at the last iteration
     * @param worstStream dense index of the stream with the largest last change (−1 with no iteration)
     */
    public record Solve(Tensor jPrimeMean, int iterations, boolean converged, double maxChange, double meanChange, int worstStream) {
    }

    /**
     * The results of one pass, every tensor part of the graph (except where noted).
     *
     * @param jPrime          B×3 J′ of each star (J − ∂G/∂θ)
     * @param jPrimeMean      S×3 stream means of J′
     * @param thetaPrime      B×3 θ′ in [0, 2π)
     * @param thetaDD         B×3 θ″ (not wrapped: the loss needs the continuous value)
     * @param jDD             B×3 J″
     * @param jacobian        B×3×3 A = ∂θ″/∂θ′
     * @param solve           the fixed-point report
     * @param illConditioned  rows whose A is singular, non-finite or has cond &gt; {@link #ILL_CONDITIONED}
     */
    public record Pass(Tensor jPrime, Tensor jPrimeMean, Tensor thetaPrime, Tensor thetaDD, Tensor jDD, Tensor jacobian, Solve solve,
                       int[] illConditioned) {
    }

    static Tensor gInput(Tensor theta, Tensor jPrime) {
        return Tensor.concat(1, theta.cos(), theta.sin(), jPrime);
    }

    /**
     * Iterates J′ ← ⟨J − ∂G/∂θ(θ, J′)⟩ per stream without keeping a graph, from ⟨J⟩.
     *
     * @param exact when true run exactly maxIter iterations (the W6 benchmark), ignoring the tolerances
     */
    public static Solve solveFixedPoint(Function<Tensor, Tensor> g, Tensor j, Tensor theta, Streams st, int maxIter, double tolMax, double tolMean,
                                        boolean exact) {
        Tensor jd = st.mean(j.detach()).detach();
        Tensor th = theta.detach().requiresGrad(true);
        int it = 0;
        boolean conv = false;
        double mx = Double.NaN, mean = Double.NaN;
        int worst = -1;
        Tensor jDet = j.detach();
        while (it < maxIter) {
            Tensor gv = g.apply(gInput(th, st.fill(jd)));
            Tensor dgdth = Autograd.grad(new Tensor[] {gv}, new Tensor[] {th}, null, false)[0];
            Tensor next = st.mean(jDet.sub(dgdth)).detach();
            double[] a = next.toArray(), b = jd.toArray();
            mx = 0;
            double sum = 0;
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs(a[i] - b[i]);
                if (!(d <= mx)) {
                    mx = d;
                    worst = i / 3;
                }
                sum += d;
            }
            mean = sum / a.length;
            jd = next;
            it++;
            if (!Double.isFinite(mx)) break;
            if (!exact && mx < tolMax && mean < tolMean) {
                conv = true;
                break;
            }
        }
        return new Solve(jd, it, conv, mx, mean, worst);
    }

    /**
     * One forward pass (Listing 1) from normalised toy actions j and toy angles theta (each B×3). The
     * derivatives of G it needs are taken even inside a no-grad scope (recording is switched on for the pass).
     */
    public static Pass pass(Function<Tensor, Tensor> g, Function<Tensor, Tensor> p, PointForm form, Tensor j, Tensor theta, Streams st,
                            int maxIter, double tolMax, double tolMean, boolean exact) {
        try (GradMode.Scope on = GradMode.enabled(true)) {
            return passImpl(g, p, form, j, theta, st, maxIter, tolMax, tolMean, exact);
        }
    }

    private static Pass passImpl(Function<Tensor, Tensor> g, Function<Tensor, Tensor> p, PointForm form, Tensor j, Tensor theta, Streams st,
                                 int maxIter, double tolMax, double tolMean, boolean exact) {
        if (j.rank() != 2 || j.dim(1) != 3 || theta.rank() != 2 || theta.dim(1) != 3 || j.dim(0) != theta.dim(0) || j.dim(0) != st.rows()) {
            throw new IllegalArgumentException("pass: expects J and θ of shape " + st.rows() + "×3");
        }
        Solve solve = solveFixedPoint(g, j, theta, st, maxIter, tolMax, tolMean, exact);
        Tensor th = theta.requiresGrad() ? theta : theta.detach().requiresGrad(true);
        // once more with the graph kept: J′ = J − ∂G/∂θ at the converged stream mean
        Tensor g1 = g.apply(gInput(th, st.fill(solve.jPrimeMean())));
        Tensor dgdth = Autograd.grad(new Tensor[] {g1}, new Tensor[] {th}, null, true)[0];
        Tensor jPrime = j.sub(dgdth);
        Tensor jPrimeMean = st.mean(jPrime);
        Tensor jFill = st.fill(jPrimeMean);
        // θ′ = θ + ∂G/∂J′ (mod 2π)
        Tensor g2 = g.apply(gInput(th, jFill));
        Tensor dgdj = Autograd.grad(new Tensor[] {g2}, new Tensor[] {jFill}, null, true)[0];
        Tensor thetaPrime = IsochroneToy.wrap(th.add(dgdj));
        Tensor thetaDD = pointTransform(p, form, thetaPrime);
        Tensor a = Autograd.jacobianOf(thetaDD, thetaPrime, true);
        int[] ill = illConditioned(a.toArray(), st.rows());
        Tensor inv = a.inverse();
        // J″_i = Σ_j (∂θ′_j/∂θ″_i) J′_j = Σ_j inv[b, j, i] J′[b, j]  (Listing 1's einsum 'bsji,bsj->bsi')
        Tensor jDD = jPrime.unsqueeze(2).mul(inv).sum(1, false);
        return new Pass(jPrime, jPrimeMean, thetaPrime, thetaDD, jDD, a, solve, ill);
    }

    /**
     * The map of each star on its own: as the graph-kept part of {@link #pass}, but with the values of
     * J′ fed to G held constant (fillTheta: the fixed-point stream means used for ∂G/∂θ; fillJ: the
     * stream means of J′ used for ∂G/∂J′). Along a true orbit J′ is constant, so derivatives of this map
     * along the flow are those of the canonical transformation (Eq. 15–16); each output row depends on
     * its own input row only.
     *
     * @return {J″ B×3, θ″ B×3 (unwrapped)}
     */
    public static Tensor[] perStarMap(Function<Tensor, Tensor> g, Function<Tensor, Tensor> p, PointForm form, Tensor j, Tensor theta,
                                      Tensor fillTheta, Tensor fillJ) {
        try (GradMode.Scope on = GradMode.enabled(true)) {
            return perStarMapImpl(g, p, form, j, theta, fillTheta, fillJ);
        }
    }

    private static Tensor[] perStarMapImpl(Function<Tensor, Tensor> g, Function<Tensor, Tensor> p, PointForm form, Tensor j, Tensor theta,
                                           Tensor fillTheta, Tensor fillJ) {
        Tensor th = theta.requiresGrad() ? theta : theta.detach().requiresGrad(true);
        Tensor g1 = g.apply(gInput(th, fillTheta.detach()));
        Tensor jPrime = j.sub(Autograd.grad(new Tensor[] {g1}, new Tensor[] {th}, null, true)[0]);
        Tensor jf = fillJ.detach().requiresGrad(true);
        Tensor g2 = g.apply(gInput(th, jf));
        Tensor thetaPrime = IsochroneToy.wrap(th.add(Autograd.grad(new Tensor[] {g2}, new Tensor[] {jf}, null, true)[0]));
        Tensor thetaDD = pointTransform(p, form, thetaPrime);
        Tensor inv = Autograd.jacobianOf(thetaDD, thetaPrime, true).inverse();
        return new Tensor[] {jPrime.unsqueeze(2).mul(inv).sum(1, false), thetaDD};
    }

    /** θ″ from θ′: θ′ + P(cos θ′, sin θ′) or P(cos θ′, sin θ′). */
    public static Tensor pointTransform(Function<Tensor, Tensor> p, PointForm form, Tensor thetaPrime) {
        Tensor out = p.apply(Tensor.concat(1, thetaPrime.cos(), thetaPrime.sin()));
        return form == PointForm.RESIDUAL ? thetaPrime.add(out) : out;
    }

    /** Rows whose 3×3 matrix (flat B×9) is singular, non-finite or ill-conditioned. */
    public static int[] illConditioned(double[] a, int n) {
        List<Integer> bad = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            double[] m = new double[9];
            System.arraycopy(a, 9 * s, m, 0, 9);
            double c = condition(m);
            if (!(c <= ILL_CONDITIONED)) bad.add(s);
        }
        return bad.stream().mapToInt(Integer::intValue).toArray();
    }

    /** ‖A‖_F ‖A⁻¹‖_F of a 3×3 matrix (row-major); infinite when singular, NaN for non-finite entries. */
    public static double condition(double[] m) {
        double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8], c02 = m[3] * m[7] - m[4] * m[6];
        double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
        for (double v : m) if (!Double.isFinite(v)) return Double.NaN;
        if (det == 0) return Double.POSITIVE_INFINITY;
        double[] adj = {
            c00, m[2] * m[7] - m[1] * m[8], m[1] * m[5] - m[2] * m[4],
            c01, m[0] * m[8] - m[2] * m[6], m[2] * m[3] - m[0] * m[5],
            c02, m[1] * m[6] - m[0] * m[7], m[0] * m[4] - m[1] * m[3]};
        double na = 0, ni = 0;
        for (int i = 0; i < 9; i++) {
            na += m[i] * m[i];
            ni += adj[i] * adj[i];
        }
        return Math.sqrt(na) * Math.sqrt(ni) / Math.abs(det);
    }

    /** L_spread: mean over stars and components of |J″ − ⟨J″⟩_stream|. */
    public static Tensor spread(Tensor jDD, Streams st) {
        return jDD.sub(st.meanFilled(jDD)).abs().mean();
    }

    /**
     * Scale-free spread: mean over stars and components of |J″ − ⟨J″⟩_stream| / Σ_k |⟨J″_k⟩_stream|
     * (the stream's mean actions' L1 norm, graph kept, so a uniform rescaling of a stream's actions
     * leaves it unchanged; a norm below 1e-12 is floored there).
     */
    public static Tensor relativeSpread(Tensor jDD, Streams st) {
        Tensor m = st.meanFilled(jDD);
        Tensor norm = m.abs().sum(1, true).add(1e-12);
        return jDD.sub(m).abs().div(norm).mean();
    }

    /** Eq. 13: ⟨|J2″ − |J2″||⟩ + ⟨|J3″ − |J3″||⟩ with the paper's J2 = J_z (column 2) and J3 = J_R (column 0). */
    public static Tensor positivity(Tensor jDD) {
        Tensor jz = jDD.slice(1, 2, 3), jr = jDD.slice(1, 0, 1);
        return jz.sub(jz.abs()).abs().mean().add(jr.sub(jr.abs()).abs().mean());
    }

    /**
     * L_θ0: mean |θ″| (wrapped to [−π, π)) when θ = 0 is fed in with each stream's J′ (jPrimeFill, B×3):
     * θ′₀ = ∂G/∂J′(0, J′), θ″₀ = point transformation of θ′₀.
     */
    public static Tensor zeroPoint(Function<Tensor, Tensor> g, Function<Tensor, Tensor> p, PointForm form, Tensor jPrimeFill) {
        try (GradMode.Scope on = GradMode.enabled(true)) {
            return zeroPointImpl(g, p, form, jPrimeFill);
        }
    }

    private static Tensor zeroPointImpl(Function<Tensor, Tensor> g, Function<Tensor, Tensor> p, PointForm form, Tensor jPrimeFill) {
        int b = jPrimeFill.dim(0);
        Tensor zero = Tensor.zeros(jPrimeFill.backend(), b, 3);
        Tensor jf = jPrimeFill.requiresGrad() ? jPrimeFill : jPrimeFill.detach().requiresGrad(true);
        Tensor g0 = g.apply(gInput(zero, jf));
        Tensor th0 = Autograd.grad(new Tensor[] {g0}, new Tensor[] {jf}, null, true)[0];
        Tensor tdd = pointTransform(p, form, th0);
        return IsochroneToy.wrapSigned(tdd).abs().mean();
    }
}
