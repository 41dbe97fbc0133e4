package dev.canonic.models.actionfinder;

import dev.canonic.core.Tensor;
import dev.canonic.dynamics.Units;
import dev.canonic.nn.Module;
import dev.canonic.nn.Parameter;
import dev.canonic.nn.ResDenseBlock;
import dev.canonic.nn.ResDenseNet;

import java.util.List;
import java.util.Random;

/**
 * The acceleration network of Eq. 14: a = net_a(x, a_iso) + a_iso, where a_iso is the acceleration
 * of the toy isochrone (GM, b fixed at construction). The network sees x / 20 kpc and
 * a_iso / 2000 (km/s)²/kpc (the paper's scales 200²/20) and its output is scaled back by 2000. Its
 * output layer starts at zero, so a = a_iso before training. Accelerations in (km/s)²/kpc.
 */
public final class AccelerationNet extends Module {
    /** (200 km/s)² / 20 kpc. */
    public static final double ACCEL_SCALE = Units.VELOCITY_SCALE_KMS * Units.VELOCITY_SCALE_KMS / Units.POSITION_SCALE_KPC;
    private final ResDenseNet net;
    private final double gm;
    private final double b;

    /** net: in 6, out 3 (the paper: 15 blocks as netG; {@link #cpuConfig()} for the CPU). */
    public AccelerationNet(ResDenseNet.Config config, double toyGm, double toyB, long seed) {
        if (config.in() != 6 || config.out() != 3) throw new IllegalArgumentException("acceleration net must map 6 inputs to 3 outputs");
        this.net = register("net", new ResDenseNet(config, new Random(seed)));
        this.gm = toyGm;
        this.b = toyB;
        List<Parameter> ps = net.parameters();
        for (Parameter p : ps.subList(ps.size() - 2, ps.size())) p.set(Tensor.zeros(p.shape()));
    }

    /** The paper's net_a: cap 1024, 15 blocks, dropout as the paper. */
    public static ResDenseNet.Config paperConfig() {
        return ResDenseNet.Config.paper(6, 3, 1024, 15);
    }

    /** CPU size: [32, 64, 32], no dropout. */
    public static ResDenseNet.Config cpuConfig() {
        return new ResDenseNet.Config(6, 3, 32, 64, 3, 0.5, 256, ResDenseBlock.Form.EQUATION_11);
    }

    public ResDenseNet net() {
        return net;
    }

    public double toyGm() {
        return gm;
    }

    public double toyB() {
        return b;
    }

    /** Toy isochrone acceleration −GM x / (√(b² + r²) (b + √(b² + r²))²), flat B×3. */
    public double[] isochroneAcceleration(double[] x, int n) {
        double[] a = new double[3 * n];
        for (int i = 0; i < n; i++) {
            double r2 = x[3 * i] * x[3 * i] + x[3 * i + 1] * x[3 * i + 1] + x[3 * i + 2] * x[3 * i + 2];
            double s = Math.sqrt(b * b + r2);
            double f = -gm / (s * (b + s) * (b + s));
            for (int k = 0; k < 3; k++) a[3 * i + k] = f * x[3 * i + k];
        }
        return a;
    }

    /** a for positions x (B×3 flat, kpc) as a tensor with a graph to the weights. */
    public Tensor forward(double[] x, int n) {
        double[] aIso = isochroneAcceleration(x, n);
        double[] in = new double[6 * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                in[6 * i + k] = x[3 * i + k] / Units.POSITION_SCALE_KPC;
                in[6 * i + 3 + k] = aIso[3 * i + k] / ACCEL_SCALE;
            }
        }
        return net.forward(Tensor.of(in, n, 6)).mul(ACCEL_SCALE).add(Tensor.of(aIso, n, 3));
    }

    /** a (flat B×3, (km/s)²/kpc) for positions x (flat B×3, kpc), in evaluation mode. */
    public double[] accelerations(double[] x, int n) {
        boolean was = isTraining();
        eval();
        try (dev.canonic.core.GradMode.Scope s = dev.canonic.core.GradMode.noGrad()) {
            return forward(x, n).toArray();
        } finally {
            train(was);
        }
    }
}
