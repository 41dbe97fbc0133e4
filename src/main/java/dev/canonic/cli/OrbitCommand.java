package dev.canonic.cli;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.io.OrbitCsv;
import dev.canonic.models.koopman.KoopmanFiles;
import dev.canonic.models.koopman.KoopmanModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code canonic orbit --model MODEL --J V --theta V --times START:STOP:STEP --out orbit.csv}. */
@Command(name = "orbit", mixinStandardHelpOptions = true,
    description = "The orbit decoded from action-angle values through a trained model A's inverse map: θ(t) = θ + Ω(J)·t.")
public final class OrbitCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model file written by canonic train koopman")
    Path model;

    @Option(names = "--J", required = true, split = ",", description = "action(s), one per degree of freedom, data units")
    double[] j;

    @Option(names = "--theta", required = true, split = ",", description = "angle(s) in radians")
    double[] theta;

    @Option(names = "--times", required = true, description = "START:STOP:STEP (STOP included when it falls on the grid)")
    String times;

    @Option(names = "--out", required = true, description = "CSV to write (t and the coordinates)")
    Path out;

    static double[] grid(String spec) {
        String[] p = spec.split(":");
        if (p.length != 3) throw new IllegalArgumentException("--times must be START:STOP:STEP, got '" + spec + "'");
        double a = Double.parseDouble(p[0]), b = Double.parseDouble(p[1]), s = Double.parseDouble(p[2]);
        if (!(s > 0) || !(b >= a)) throw new IllegalArgumentException("--times needs STEP > 0 and STOP >= START, got '" + spec + "'");
        int n = (int) Math.floor((b - a) / s * (1 + 1e-12)) + 1;
        if (n > 10_000_000) throw new IllegalArgumentException("--times asks for " + n + " samples; at most 10^7");
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = a + i * s;
        return t;
    }

    @picocli.CommandLine.Mixin
    BackendOption backend = new BackendOption();

    @Override
    public Integer call() throws Exception {
        backend.apply();
        KoopmanModel m = KoopmanFiles.load(model);
        int d = m.dof();
        if (j.length != d || theta.length != d) {
            throw new IllegalArgumentException("the model has " + d + " degree(s) of freedom: give " + d + " value(s) to --J and --theta");
        }
        double[] t = grid(times);
        double[] xs;
        try (GradMode.Scope g = GradMode.noGrad()) {
            xs = m.rollout(Tensor.of(j, 1, d), Tensor.of(theta, 1, d), t).toArray();
        }
        List<String> cols = new ArrayList<>(List.of("t"));
        cols.addAll(KoopmanFiles.coordinateNames(d));
        double[] v = new double[t.length * (2 * d + 1)];
        for (int k = 0; k < t.length; k++) {
            v[k * (2 * d + 1)] = t[k];
            System.arraycopy(xs, k * 2 * d, v, k * (2 * d + 1) + 1, 2 * d);
        }
        OrbitCsv.write(out, cols, v, null);
        System.out.println(t.length + " samples written to " + out);
        return 0;
    }
}
