package dev.canonic.models.actionfinder;

import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import dev.canonic.dynamics.ReferenceSystem;
import dev.canonic.nn.Parameter;
import dev.canonic.nn.ResDenseNet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The W6 workload of ../shared/BENCHMARKS.md ("ActionFinder step"), for the benchmark harness to wrap
 * in JMH: toy isochrone (θ, J) of (x, v) (GM of the paper's isochrone, b = 5 kpc, fixed); G =
 * ResDense(cap 256) on (cos θ, sin θ, J′/4000) → 1; P = ResDense(cap 256) on (cos θ′, sin θ′) → 3;
 * exactly 5 fixed-point iterations without graph, one with the graph kept; θ′ = θ + ∂G/∂J′;
 * θ″ = P(θ′) (the literal {@link ActionFinderConfig.PointForm#DIRECT} form BENCHMARKS.md prescribes);
 * J″ through the inverse of the per-sample 3×3 Jacobian ∂θ″/∂θ′; loss = mean |J″ − group mean of J″|;
 * backward to every weight of G and P. The networks are in evaluation mode (cap 256 has no dropout anyway).
 *
 * <p>PyTorch equivalent (float64), per step, with {@code th}, {@code J} the toy angles and normalised
 * actions as S×N×3 tensors computed from xv with autograd on, and {@code G}, {@code P} the two nets:
 * <pre>{@code
 * Jm = J.mean(1, keepdim=True)
 * for _ in range(5):                                   # no graph
 *     t = th.detach().requires_grad_()
 *     g = G(torch.cat([t.cos(), t.sin(), Jm.expand_as(J)], -1)).sum()
 *     Jm = (J - torch.autograd.grad(g, t)[0]).mean(1, keepdim=True).detach()
 * t = th.detach().requires_grad_()
 * g = G(torch.cat([t.cos(), t.sin(), Jm.expand_as(J)], -1)).sum()
 * Jd = J - torch.autograd.grad(g, t, create_graph=True)[0]
 * Jdm = Jd.mean(1, keepdim=True).expand_as(J)
 * g2 = G(torch.cat([t.cos(), t.sin(), Jdm], -1)).sum()
 * Td = (t + torch.autograd.grad(g2, Jdm, create_graph=True)[0]) % (2 * torch.pi)
 * Tdd = P(torch.cat([Td.cos(), Td.sin()], -1))
 * A = torch.stack([torch.autograd.grad(Tdd[..., i].sum(), Td, create_graph=True)[0] for i in range(3)], -2)
 * Jdd = torch.einsum('bsji,bsj->bsi', torch.inverse(A), Jd)
 * loss = (Jdd - Jdd.mean(1, keepdim=True)).abs().mean()
 * grads = torch.autograd.grad(loss, list(G.parameters()) + list(P.parameters()))
 * }</pre>
 * (Our Jacobian is taken row by row exactly like the list comprehension, and Jdm is the expanded mean
 * fed to G, differentiated as an intermediate.)
 */
public final class ActionFinderStep {
    private ActionFinderStep() {
    }

    /** The fixed inputs of the workload. */
    public record Inputs(Tensor xv, Streams streams, IsochroneToy toy, ResDenseNet g, ResDenseNet p) {
        /** Every weight of G and P. */
        public List<Parameter> parameters() {
            List<Parameter> l = new ArrayList<>(g.parameters());
            l.addAll(p.parameters());
            return l;
        }
    }

    /** S groups × N stars of random bound halo-like points (r in 6–16 kpc) and cap-256 nets, all from seed. */
    public static Inputs setup(int s, int n, long seed) {
        Random rng = new Random(seed);
        double gm = ReferenceSystem.PAPER_GM, b = 5.0;
        double[] xv = new double[6 * s * n];
        for (int i = 0; i < s * n; ) {
            double r = 6 + 10 * rng.nextDouble();
            double z = 2 * rng.nextDouble() - 1, ph = 2 * Math.PI * rng.nextDouble(), sn = Math.sqrt(1 - z * z);
            double z2 = 2 * rng.nextDouble() - 1, ph2 = 2 * Math.PI * rng.nextDouble(), sn2 = Math.sqrt(1 - z2 * z2);
            double sp = 20 + 250 * rng.nextDouble();
            double[] row = {r * sn * Math.cos(ph), r * sn * Math.sin(ph), r * z, sp * sn2 * Math.cos(ph2), sp * sn2 * Math.sin(ph2), sp * z2};
            System.arraycopy(row, 0, xv, 6 * i, 6);
            if (IsochroneToy.problem(xv, i, gm, b) == null) i++;
        }
        ResDenseNet g = ResDenseNet.cap256(9, 1, rng);
        ResDenseNet p = ResDenseNet.cap256(6, 3, rng);
        g.eval();
        p.eval();
        return new Inputs(Tensor.of(xv, s * n, 6), Streams.uniform(s, n), new IsochroneToy(gm, b, true), g, p);
    }

    /** Loss and the gradient of every weight of G and P (in {@link Inputs#parameters()} order). */
    public record Result(double loss, Tensor[] grads) {
    }

    /** One W6 step: forward, loss, backward to every weight. */
    public static Result step(Inputs in) {
        IsochroneToy.Result t = in.toy().forward(in.xv());
        Tensor j = t.actions().div(dev.canonic.dynamics.Units.ACTION_SCALE);
        ActionFinderCore.Pass pass = ActionFinderCore.pass(in.g()::forward, in.p()::forward, ActionFinderConfig.PointForm.DIRECT, j, t.angles(),
            in.streams(), 5, 1, 1, true);
        Tensor loss = ActionFinderCore.spread(pass.jDD(), in.streams());
        List<Parameter> ps = in.parameters();
        Tensor[] leaves = new Tensor[ps.size()];
        for (int i = 0; i < leaves.length; i++) leaves[i] = ps.get(i).value();
        Tensor[] grads = Autograd.grad(new Tensor[] {loss}, leaves, null, false);
        return new Result(loss.item(), grads);
    }
}
