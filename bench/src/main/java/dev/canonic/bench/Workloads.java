package dev.canonic.bench;

import dev.canonic.core.Autograd;
import dev.canonic.core.BufferPool;
import dev.canonic.core.Tensor;
import dev.canonic.nn.Activation;
import dev.canonic.nn.Mlp;
import dev.canonic.nn.Module;
import dev.canonic.nn.Parameter;
import dev.canonic.nn.ResDenseNet;
import dev.canonic.nn.SymplecticNet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The standard workloads W2–W5 (../../shared/BENCHMARKS.md) built from the engine's own layers, in
 * the same operation order as their PyTorch twins in bench/pytorch/workloads.py. A {@link Step} holds
 * the model and its inputs; {@link Step#run()} is one "step": forward, loss, backward to every
 * parameter gradient (no optimiser), and returns the loss; each step's intermediate buffers are
 * recycled by the next ({@link BufferPool}; -Dcanonic.pool=false turns that off). The JMH classes W2ResDense … W5Koopman
 * time it; {@link Equivalence} checks it against PyTorch on identical weights.
 */
public final class Workloads {
    private Workloads() {
    }

    /** One workload instance: a model, its fixed input, and its step. */
    public abstract static class Step {
        final Module model;
        final List<Parameter> params;
        final Tensor[] leaves;
        final BufferPool pool = new BufferPool();
        Tensor[] grads;

        Step(Module model) {
            this.model = model;
            this.params = model.parameters();
            this.leaves = new Tensor[params.size()];
        }

        /** The loss with its graph (forward only). */
        abstract Tensor loss();

        /** Forward, loss, backward to every parameter; returns the loss value. Only the gradients outlive the step. */
        public final double run() {
            try (BufferPool.Scope s = pool.open()) {
                double l = compute();
                s.keep(grads);
                return l;
            }
        }

        /** The step itself: sets {@link #grads}, returns the loss value. */
        double compute() {
            for (int i = 0; i < leaves.length; i++) leaves[i] = params.get(i).value();
            Tensor l = loss();
            grads = Autograd.grad(new Tensor[] {l}, leaves, null, false);
            return l.item();
        }

        /** The gradients of the last {@link #run()}, in parameter order. */
        public Tensor[] grads() {
            return grads;
        }

        /** The model's parameters by dotted path. */
        public Map<String, Parameter> namedParameters() {
            return model.namedParameters();
        }

        /** The model. */
        public Module model() {
            return model;
        }

        /** Named inputs (for the equivalence check). */
        public abstract Map<String, Tensor> inputs();
    }

    /** W2 (cap 256) and W4 (cap 1024, netP): ResDense network in evaluation mode, loss = mean(output). */
    public static final class ResDenseStep extends Step {
        final Tensor x;

        ResDenseStep(ResDenseNet net, Tensor x) {
            super(net);
            net.eval();
            this.x = x;
        }

        @Override
        Tensor loss() {
            return ((ResDenseNet) model).forward(x).mean();
        }

        @Override
        public Map<String, Tensor> inputs() {
            return Map.of("x", x);
        }
    }

    /**
     * W3: the ResDense network (cap 256) with its input gradient g = d(out)/d(input) per sample,
     * graph kept; loss = mean over samples of |g − mean of g over its group of 8|; backward to the
     * parameters (a double backward).
     */
    public static final class InputGradStep extends Step {
        final Tensor x0;

        InputGradStep(ResDenseNet net, Tensor x0) {
            super(net);
            net.eval();
            if (x0.dim(0) % 8 != 0) throw new IllegalArgumentException("W3: batch must be a multiple of 8");
            this.x0 = x0;
        }

        @Override
        Tensor loss() {
            int b = x0.dim(0), f = x0.dim(1);
            Tensor x = x0.detach().requiresGrad(true);
            Tensor out = ((ResDenseNet) model).forward(x);
            Tensor g = Autograd.grad(new Tensor[] {out}, new Tensor[] {x}, null, true)[0];
            Tensor gg = g.reshape(b / 8, 8, f);
            return gg.sub(gg.mean(1, true)).abs().mean();
        }

        @Override
        public Map<String, Tensor> inputs() {
            return Map.of("x", x0);
        }
    }

    /** The W5 model: a SympNet encoder of 8 gradient modules (width 64, no linear modules) and two MLPs 1→64→64→1 (tanh). */
    public static final class KoopmanNets extends Module {
        final SymplecticNet enc;
        final Mlp omega, energy;

        KoopmanNets(Random rng) {
            enc = register("enc", new SymplecticNet(1, 8, 64, false, rng));
            omega = register("omega", new Mlp(new int[] {1, 64, 64, 1}, Activation.TANH, rng));
            energy = register("energy", new Mlp(new int[] {1, 64, 64, 1}, Activation.TANH, rng));
        }
    }

    /**
     * W5: 1-D symplectic Koopman step on B pairs (x_k, x_{k+1}), Δt = 0.1: latent one-step loss,
     * reconstruction of x_{k+1} through the exact inverse, physics loss (dH/dJ − ω)² with dH/dJ by
     * autodiff (graph kept). Same sequence as workloads.py's w5.
     */
    public static final class KoopmanStep extends Step {
        static final double DT = 0.1;
        final Tensor xk, xk1;

        KoopmanStep(KoopmanNets nets, Tensor xk) {
            super(nets);
            this.xk = xk;
            int b = xk.dim(0);
            double c = Math.cos(DT), s = Math.sin(DT);
            double[] v = xk.toArray(), w = new double[2 * b];
            for (int i = 0; i < b; i++) {
                w[2 * i] = c * v[2 * i] + s * v[2 * i + 1];
                w[2 * i + 1] = -s * v[2 * i] + c * v[2 * i + 1];
            }
            this.xk1 = Tensor.of(w, b, 2);
        }

        @Override
        Tensor loss() {
            KoopmanNets m = (KoopmanNets) model;
            Tensor y = m.enc.forward(xk), y1 = m.enc.forward(xk1);
            Tensor u = y.slice(1, 0, 1), v = y.slice(1, 1, 2);
            Tensor u1 = y1.slice(1, 0, 1), v1 = y1.slice(1, 1, 2);
            Tensor j = u.mul(u).add(v.mul(v)).div(2.0);
            Tensor theta = v.atan2(u);
            Tensor omega = m.omega.forward(j);
            Tensor h = m.energy.forward(j);
            Tensor dhdj = Autograd.grad(new Tensor[] {h}, new Tensor[] {j}, null, true)[0];
            Tensor ang = omega.mul(DT);
            Tensor ca = ang.cos(), sa = ang.sin();
            Tensor ur = ca.mul(u).sub(sa.mul(v)), vr = sa.mul(u).add(ca.mul(v));
            Tensor latent = ur.sub(u1).square().add(vr.sub(v1).square()).mean();
            Tensor recon = m.enc.inverse(Tensor.concat(1, ur, vr)).sub(xk1).square().sum(1, false).mean();
            Tensor phys = dhdj.sub(omega).square().mean();
            return latent.add(recon).add(phys).add(theta.sum().mul(0.0));
        }

        @Override
        public Map<String, Tensor> inputs() {
            Map<String, Tensor> m = new LinkedHashMap<>();
            m.put("xk", xk);
            m.put("xk1", xk1);
            return m;
        }
    }

    /** W2 (cap 256) with batch b. */
    public static Step w2(int b) {
        Random rng = new Random(0);
        ResDenseNet net = ResDenseNet.cap256(6, 1, rng);
        return new ResDenseStep(net, Tensor.randn(new Random(1), b, 6));
    }

    /** W3 with batch b (a multiple of 8). */
    public static Step w3(int b) {
        Random rng = new Random(0);
        ResDenseNet net = ResDenseNet.cap256(6, 1, rng);
        return new InputGradStep(net, Tensor.randn(new Random(1), b, 6));
    }

    /** W4 (netP, cap 1024, 11 blocks) with batch b. */
    public static Step w4(int b) {
        Random rng = new Random(0);
        ResDenseNet net = ResDenseNet.netP(6, 1, rng);
        return new ResDenseStep(net, Tensor.randn(new Random(1), b, 6));
    }

    /** W5 with batch b. */
    public static Step w5(int b) {
        return new KoopmanStep(new KoopmanNets(new Random(0)), Tensor.randn(new Random(1), b, 2));
    }

    /**
     * W6 (BENCHMARKS.md "ActionFinder step"): S groups × 8 stars, the toy isochrone, G and P of cap
     * 256, 5 fixed-point iterations without graph and one with, J″ through the inverse 3×3 Jacobian,
     * loss = mean |J″ − group mean|, backward to every weight; the step is model B's own
     * {@link dev.canonic.models.actionfinder.ActionFinderStep}. b counts stars (S = b / 8).
     */
    public static final class ActionFinderW6 extends Step {
        final dev.canonic.models.actionfinder.ActionFinderStep.Inputs in;

        ActionFinderW6(dev.canonic.models.actionfinder.ActionFinderStep.Inputs in) {
            super(holder(in));
            this.in = in;
        }

        private static Module holder(dev.canonic.models.actionfinder.ActionFinderStep.Inputs in) {
            dev.canonic.nn.Sequence s = new dev.canonic.nn.Sequence();
            s.add(in.g());
            s.add(in.p());
            return s;
        }

        @Override
        Tensor loss() {
            throw new UnsupportedOperationException("W6 runs its own step (run())");
        }

        @Override
        double compute() {
            dev.canonic.models.actionfinder.ActionFinderStep.Result r = dev.canonic.models.actionfinder.ActionFinderStep.step(in);
            grads = r.grads();
            return r.loss();
        }

        @Override
        public Map<String, Tensor> inputs() {
            return Map.of("xv", in.xv());
        }
    }

    /** W6 with b stars (groups of 8). */
    public static Step w6(int b) {
        return new ActionFinderW6(dev.canonic.models.actionfinder.ActionFinderStep.setup(b / 8, 8, 1));
    }

    /** The workload by id at a batch size. */
    public static Step of(String id, int b) {
        switch (id) {
            case "W2": return w2(b);
            case "W3": return w3(b);
            case "W4": return w4(b);
            case "W5": return w5(b);
            case "W6": return w6(b);
            default: throw new IllegalArgumentException("unknown workload " + id);
        }
    }

    /** The batch size BENCHMARKS.md fixes for a workload. */
    public static int standardBatch(String id) {
        return id.equals("W5") ? 1024 : 8192;
    }
}
