package dev.canonic.check;

import dev.canonic.core.Autograd;
import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;

import java.util.Random;
import java.util.function.Function;

/**
 * Finite-difference checks of first and second derivatives.
 *
 * <p>First order: for a random cotangent c, the analytic gradient of s(x) = Σ c·f(x) with respect
 * to every element of every input is compared with a Richardson-extrapolated central difference
 * (truncation error O(h⁴)), so float64 agreement to 1e-8 relative is normal.
 *
 * <p>Second order (like PyTorch's gradgradcheck): the first-order gradient, computed with the
 * graph kept, is itself checked as a function of the inputs and of the cotangent.
 */
public final class GradCheck {
    private GradCheck() {
    }

    /** Worst disagreement found. */
    public record Result(double maxError, int input, int element, double analytic, double numeric, int checked) {
        /** Throws an AssertionError naming the worst element when maxError exceeds tol. */
        public Result assertWithin(String what, double tol) {
            if (!(maxError <= tol)) {
                throw new AssertionError(what + ": derivative mismatch " + maxError + " > " + tol + " at input " + input
                    + " element " + element + " (analytic " + analytic + ", numeric " + numeric + ", " + checked + " elements checked)");
            }
            return this;
        }
    }

    /** Checks first derivatives of f at xs with step h (relative error, floored at 1 in magnitude). */
    public static Result first(Function<Tensor[], Tensor> f, Tensor[] xs, double h, long seed) {
        Tensor[] leaves = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) leaves[i] = xs[i].detach().requiresGrad(true);
        Tensor y0 = f.apply(leaves);
        Random rng = new Random(seed);
        double[] cv = new double[y0.size()];
        for (int i = 0; i < cv.length; i++) cv[i] = rng.nextGaussian();
        Tensor c = Tensor.of(y0.backend(), cv, y0.shape());
        Tensor[] analytic;
        if (y0.requiresGrad()) {
            analytic = Autograd.grad(new Tensor[] {y0}, leaves, new Tensor[] {c}, false);
        } else {
            analytic = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) analytic[i] = Tensor.zeros(xs[i].backend(), xs[i].shape());
        }
        double worst = -1;
        int wi = -1, we = -1, checked = 0;
        double wa = 0, wn = 0;
        {
            for (int i = 0; i < xs.length; i++) {
                double[] base = xs[i].toArray();
                double[] an = analytic[i].toArray();
                for (int e = 0; e < base.length; e++) {
                    double step = h * Math.max(1.0, Math.abs(base[e]));
                    double d1 = central(f, xs, i, base, e, step, cv);
                    double d2 = central(f, xs, i, base, e, step / 2, cv);
                    double num = (4 * d2 - d1) / 3;
                    double err = Math.abs(an[e] - num) / Math.max(1.0, Math.max(Math.abs(an[e]), Math.abs(num)));
                    if (Double.isNaN(err)) err = Double.POSITIVE_INFINITY;
                    checked++;
                    if (err > worst) {
                        worst = err;
                        wi = i;
                        we = e;
                        wa = an[e];
                        wn = num;
                    }
                }
            }
        }
        return new Result(Math.max(worst, 0), wi, we, wa, wn, checked);
    }

    private static double central(Function<Tensor[], Tensor> f, Tensor[] xs, int i, double[] base, int e, double step, double[] cv) {
        double[] p = base.clone();
        p[e] = base[e] + step;
        double fp = dot(f, xs, i, p, cv);
        p[e] = base[e] - step;
        double fm = dot(f, xs, i, p, cv);
        return (fp - fm) / (2 * step);
    }

    private static double dot(Function<Tensor[], Tensor> f, Tensor[] xs, int i, double[] vals, double[] cv) {
        Tensor[] in = xs.clone();
        in[i] = Tensor.of(xs[i].backend(), vals, xs[i].shape());
        double[] y = f.apply(in).toArray();
        double s = 0;
        for (int k = 0; k < y.length; k++) s += y[k] * cv[k];
        return s;
    }

    /**
     * Checks second derivatives: the gradient of Σ c·f(x) with respect to all inputs, computed with
     * the graph kept, must itself pass the first-order check in x and in c.
     */
    public static Result second(Function<Tensor[], Tensor> f, Tensor[] xs, double h, long seed) {
        Tensor probe;
        try (GradMode.Scope s = GradMode.noGrad()) {
            probe = f.apply(xs);
        }
        Random rng = new Random(seed ^ 0x5DEECE66DL);
        double[] cv = new double[probe.size()];
        for (int i = 0; i < cv.length; i++) cv[i] = rng.nextGaussian();
        Tensor c0 = Tensor.of(probe.backend(), cv, probe.shape());
        int n = xs.length;
        Function<Tensor[], Tensor> gradFn = all -> {
            Tensor[] x = new Tensor[n];
            for (int i = 0; i < n; i++) x[i] = all[i].requiresGrad() ? all[i] : all[i].detach().requiresGrad(true);
            Tensor c = all[n];
            Tensor y = f.apply(x);
            Tensor[] g = Autograd.grad(new Tensor[] {y}, x, new Tensor[] {c}, true);
            Tensor[] flat = new Tensor[n];
            for (int i = 0; i < n; i++) flat[i] = g[i].reshape(g[i].size());
            return Tensor.concat(0, flat);
        };
        Tensor[] all = new Tensor[n + 1];
        System.arraycopy(xs, 0, all, 0, n);
        all[n] = c0;
        return first(gradFn, all, h, seed + 1);
    }

    /** First and second order with the default step (1e-3, Richardson-extrapolated); returns the worse. */
    public static Result both(Function<Tensor[], Tensor> f, Tensor... xs) {
        Result a = first(f, xs, 1e-3, 42);
        Result b = second(f, xs, 1e-3, 43);
        return a.maxError >= b.maxError ? a : b;
    }
}
