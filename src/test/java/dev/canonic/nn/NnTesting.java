package dev.canonic.nn;

import dev.canonic.check.GradCheck;
import dev.canonic.core.Tensor;

import java.util.List;
import java.util.function.Function;

/** Shared helpers: finite-difference checks of a module with respect to its input and parameters. */
final class NnTesting {
    static final double TOL = 1e-7;

    private NnTesting() {
    }

    /** xs[0] is the input, xs[1..] the parameter values of m in parameters() order. */
    static Tensor[] inputsAndParams(Module m, Tensor x) {
        List<Parameter> ps = m.parameters();
        Tensor[] xs = new Tensor[ps.size() + 1];
        xs[0] = x;
        for (int i = 0; i < ps.size(); i++) xs[i + 1] = ps.get(i).value().detach();
        return xs;
    }

    /** A function of (input, parameters…) that binds the parameters and runs fwd. */
    static Function<Tensor[], Tensor> bound(Module m, Function<Tensor, Tensor> fwd) {
        List<Parameter> ps = m.parameters();
        return xs -> {
            for (int i = 0; i < ps.size(); i++) ps.get(i).bind(xs[i + 1]);
            return fwd.apply(xs[0]);
        };
    }

    /** First and second order checks w.r.t. the input and every parameter, tolerance 1e-7. */
    static void checkBoth(String name, Module m, Function<Tensor, Tensor> fwd, Tensor x) {
        Tensor[] xs = inputsAndParams(m, x);
        Function<Tensor[], Tensor> f = bound(m, fwd);
        try {
            GradCheck.Result r1 = GradCheck.first(f, xs, 1e-3, 11).assertWithin(name + " first order", TOL);
            GradCheck.Result r2 = GradCheck.second(f, xs, 1e-3, 12).assertWithin(name + " second order", TOL);
            if (r1.checked() < x.size() || r2.checked() < x.size()) throw new AssertionError(name + ": too few elements checked");
        } finally {
            List<Parameter> ps = m.parameters();
            for (int i = 0; i < ps.size(); i++) ps.get(i).set(xs[i + 1]);
        }
    }

    static double maxAbsDiff(Tensor a, Tensor b) {
        double[] x = a.toArray(), y = b.toArray();
        if (x.length != y.length) throw new AssertionError("sizes differ: " + x.length + " vs " + y.length);
        double m = 0;
        for (int i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
        return m;
    }
}
