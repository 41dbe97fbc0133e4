package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Limited-memory BFGS on a deterministic (full-batch) loss, for refining a model after stochastic
 * training: near a minimum it converges far faster than Adam, whose steps are limited by gradient
 * noise. Directions come from the two-loop recursion over the last m (s, y) pairs; steps from a
 * backtracking line search with the Armijo condition; pairs with sᵀy ≤ 0 are skipped.
 */
public final class Lbfgs {
    /** The loss and its gradient (one per parameter, same order) at the parameters' current values. */
    public interface Objective {
        /** Returns the loss; fills grads[i] with ∂loss/∂parameter i. */
        double evaluate(Tensor[] grads);
    }

    /** What happened. */
    public record Result(int iterations, int evaluations, double initialLoss, double finalLoss) {
    }

    private final List<Parameter> params;
    private final int memory;

    /** L-BFGS over these parameters with a history of m pairs. */
    public Lbfgs(List<Parameter> params, int memory) {
        if (memory < 1) throw new IllegalArgumentException("L-BFGS memory must be at least 1");
        this.params = params;
        this.memory = memory;
    }

    private double[] flatValues() {
        int n = 0;
        for (Parameter p : params) n += p.value().size();
        double[] v = new double[n];
        int o = 0;
        for (Parameter p : params) {
            double[] a = p.value().toArray();
            System.arraycopy(a, 0, v, o, a.length);
            o += a.length;
        }
        return v;
    }

    private void setValues(double[] v) {
        int o = 0;
        for (Parameter p : params) {
            int n = p.value().size();
            double[] a = new double[n];
            System.arraycopy(v, o, a, 0, n);
            p.set(Tensor.of(a, p.value().shape()));
            o += n;
        }
    }

    private static double[] flat(Tensor[] g, int n) {
        double[] v = new double[n];
        int o = 0;
        for (Tensor t : g) {
            double[] a = t.toArray();
            System.arraycopy(a, 0, v, o, a.length);
            o += a.length;
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }

    /**
     * Runs at most maxIter iterations, stopping early when the relative decrease of the loss over
     * an iteration falls below relTol or no descent step is found; the parameters end at the best point.
     */
    public Result minimise(Objective f, int maxIter, double relTol) {
        double[] x = flatValues();
        int n = x.length;
        Tensor[] gt = new Tensor[params.size()];
        double fx = f.evaluate(gt);
        double f0 = fx;
        double[] g = flat(gt, n);
        int evals = 1, it = 0;
        Deque<double[][]> hist = new ArrayDeque<>();
        double gamma = 1.0 / Math.max(1e-300, Math.sqrt(dot(g, g)));
        for (; it < maxIter; it++) {
            // two-loop recursion: d = −H·g
            double[] q = g.clone();
            double[][][] hs = hist.toArray(new double[0][][]);
            double[] alpha = new double[hs.length];
            for (int i = hs.length - 1; i >= 0; i--) {
                double[] s = hs[i][0], y = hs[i][1];
                alpha[i] = hs[i][2][0] * dot(s, q);
                for (int k = 0; k < n; k++) q[k] -= alpha[i] * y[k];
            }
            for (int k = 0; k < n; k++) q[k] *= gamma;
            for (int i = 0; i < hs.length; i++) {
                double[] s = hs[i][0], y = hs[i][1];
                double beta = hs[i][2][0] * dot(y, q);
                for (int k = 0; k < n; k++) q[k] += s[k] * (alpha[i] - beta);
            }
            for (int k = 0; k < n; k++) q[k] = -q[k];
            double slope = dot(g, q);
            if (!(slope < 0)) {
                hist.clear();
                for (int k = 0; k < n; k++) q[k] = -g[k] * gamma;
                slope = dot(g, q);
                if (!(slope < 0)) break;
            }
            double step = 1.0, fNew = Double.NaN;
            double[] xNew = new double[n];
            boolean ok = false;
            for (int ls = 0; ls < 30; ls++) {
                for (int k = 0; k < n; k++) xNew[k] = x[k] + step * q[k];
                setValues(xNew);
                fNew = f.evaluate(gt);
                evals++;
                if (Double.isFinite(fNew) && fNew <= fx + 1e-4 * step * slope) {
                    ok = true;
                    break;
                }
                step *= 0.5;
            }
            if (!ok) {
                setValues(x);
                break;
            }
            double[] gNew = flat(gt, n);
            double[] s = new double[n], y = new double[n];
            for (int k = 0; k < n; k++) {
                s[k] = xNew[k] - x[k];
                y[k] = gNew[k] - g[k];
            }
            double sy = dot(s, y);
            if (sy > 1e-300) {
                hist.addLast(new double[][] {s, y, {1.0 / sy}});
                if (hist.size() > memory) hist.removeFirst();
                gamma = sy / dot(y, y);
            }
            double rel = (fx - fNew) / Math.max(Math.abs(fx), 1e-300);
            x = xNew.clone();
            g = gNew;
            fx = fNew;
            if (rel < relTol) {
                it++;
                break;
            }
        }
        setValues(x);
        return new Result(it, evals, f0, fx);
    }
}
