package dev.canonic.models.actionfinder;

import dev.canonic.core.Autograd;
import dev.canonic.core.BufferPool;
import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Module;
import dev.canonic.nn.Parameter;
import dev.canonic.nn.ResDenseBlock;
import dev.canonic.nn.ResDenseNet;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The supervised inverse network of Eq. 18: (cos θ″, sin θ″, J″/s) → (t_x, t_y, J/s), the toy's
 * (cos θ, sin θ, J) with s the action scale; θ = atan2(t_y, t_x) (we train on the toy's own angles, so
 * no offset is needed — the paper's "+ π/2" belongs to its angle convention), then the analytic toy
 * inverse gives (x, v). Trained by mean squared error on pairs the forward model produced.
 */
public final class InverseNet extends Module {
    private final ResDenseNet net;
    private final double scale;

    /** net: in 9, out 9 (the paper: 23 blocks, cap 1024; {@link #cpuConfig()} on the CPU). */
    public InverseNet(ResDenseNet.Config config, double actionScale, long seed) {
        if (config.in() != 9 || config.out() != 9) throw new IllegalArgumentException("inverse net must map 9 inputs to 9 outputs");
        this.net = register("net", new ResDenseNet(config, new Random(seed)));
        this.scale = actionScale;
    }

    /** The paper's inverse net: cap 1024, 23 blocks. */
    public static ResDenseNet.Config paperConfig() {
        return ResDenseNet.Config.paper(9, 9, 1024, 23);
    }

    /** CPU size: base 64, cap 128, 5 blocks [64, 128, 128, 128, 64], no dropout. */
    public static ResDenseNet.Config cpuConfig() {
        return new ResDenseNet.Config(9, 9, 64, 128, 5, 0.5, 256, ResDenseBlock.Form.EQUATION_11);
    }

    public ResDenseNet net() {
        return net;
    }

    public double actionScale() {
        return scale;
    }

    static Tensor features(double[] j, double[] theta, int n, double scale) {
        double[] f = new double[9 * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                f[9 * i + k] = Math.cos(theta[3 * i + k]);
                f[9 * i + 3 + k] = Math.sin(theta[3 * i + k]);
                f[9 * i + 6 + k] = j[3 * i + k] / scale;
            }
        }
        return Tensor.of(f, n, 9);
    }

    /** Per-epoch training and test mean squared error; the best test epoch's weights are kept. */
    public record History(List<Double> train, List<Double> test, int bestEpoch, double seconds) {
    }

    /**
     * Trains on (J″, θ″) → toy (θ, J) pairs: flat B×3 arrays; rows with trainMask true train, the others test.
     */
    public History train(double[] jdd, double[] tdd, double[] toyJ, double[] toyTheta, boolean[] trainMask, int epochs, int batch, double lr, long seed,
                         Consumer<String> progress) {
        int n = trainMask.length;
        List<Integer> tr = new ArrayList<>(), te = new ArrayList<>();
        for (int i = 0; i < n; i++) (trainMask[i] ? tr : te).add(i);
        Tensor in = features(jdd, tdd, n, scale), target = features(toyJ, toyTheta, n, scale);
        List<Parameter> params = parameters();
        Adam opt = new Adam(params, lr);
        List<Double> trH = new ArrayList<>(), teH = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        double[][] bestW = null;
        long t0 = System.nanoTime();
        int[] te2 = te.stream().mapToInt(Integer::intValue).toArray();
        BufferPool pool = new BufferPool();   // each batch reuses the previous batch's buffers
        for (int e = 0; e < epochs; e++) {
            train(true);
            int[] order = tr.stream().mapToInt(Integer::intValue).toArray();
            Random r = new Random(seed * 31L + e);
            for (int i = order.length - 1; i > 0; i--) {
                int k = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[k];
                order[k] = t;
            }
            double sum = 0;
            for (int b0 = 0; b0 < order.length; b0 += batch) {
                int[] idx = java.util.Arrays.copyOfRange(order, b0, Math.min(order.length, b0 + batch));
                double v;
                Tensor[] g;
                try (BufferPool.Scope sc = pool.open()) {
                    Tensor loss = net.forward(in.indexSelect(0, idx)).sub(target.indexSelect(0, idx)).square().mean();
                    v = loss.item();
                    if (!Double.isFinite(v)) throw new IllegalStateException("inverse epoch " + (e + 1) + ": loss is " + v);
                    Tensor[] leaves = params.stream().map(Parameter::value).toArray(Tensor[]::new);
                    g = sc.keep(Autograd.grad(new Tensor[] {loss}, leaves, null, false));
                }
                opt.step(g);
                sum += v * idx.length;
            }
            eval();
            double tl;
            try (GradMode.Scope s = GradMode.noGrad()) {
                tl = te2.length == 0 ? sum / order.length : net.forward(in.indexSelect(0, te2)).sub(target.indexSelect(0, te2)).square().mean().item();
            }
            trH.add(sum / Math.max(1, order.length));
            teH.add(tl);
            if (tl < best) {
                best = tl;
                bestEpoch = e;
                bestW = params.stream().map(p -> p.value().toArray()).toArray(double[][]::new);
            }
            if (progress != null) progress.accept(String.format("inverse epoch %d/%d  train %.4e  test %.4e", e + 1, epochs, sum / Math.max(1, order.length), tl));
        }
        if (bestW != null) for (int i = 0; i < params.size(); i++) params.get(i).set(Tensor.of(bestW[i], params.get(i).shape()));
        eval();
        return new History(trH, teH, bestEpoch, (System.nanoTime() - t0) * 1e-9);
    }

    /**
     * Toy (J, θ) predicted from (J″, θ″) (flat B×3 each): {J B×3, θ B×3 in [0, 2π)}; negative J_R or J_z
     * predictions are clipped to 0 (the toy inverse needs them non-negative).
     */
    public double[][] toyCoordinates(double[] jdd, double[] tdd, int n) {
        boolean was = isTraining();
        eval();
        double[] out;
        try (GradMode.Scope s = GradMode.noGrad()) {
            out = net.forward(features(jdd, tdd, n, scale)).toArray();
        } finally {
            train(was);
        }
        double[] j = new double[3 * n], th = new double[3 * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                th[3 * i + k] = IsochroneToy.wrapD(Math.atan2(out[9 * i + 3 + k], out[9 * i + k]));
                j[3 * i + k] = out[9 * i + 6 + k] * scale;
            }
            j[3 * i] = Math.max(0, j[3 * i]);
            j[3 * i + 2] = Math.max(0, j[3 * i + 2]);
        }
        return new double[][] {j, th};
    }

    /** (x, v) flat B×6 from (J″, θ″) through the network and the analytic inverse of the toy. */
    public double[] phaseSpace(IsochroneToy toy, double[] jdd, double[] tdd, int n) {
        double[][] jt = toyCoordinates(jdd, tdd, n);
        return toy.phaseSpace(jt[0], jt[1], n);
    }
}
