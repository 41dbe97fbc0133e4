package dev.canonic.cli;

import dev.canonic.core.GradMode;
import dev.canonic.core.Tensor;
import dev.canonic.io.OrbitCsv;
import dev.canonic.models.koopman.KoopmanFiles;
import dev.canonic.models.koopman.KoopmanModel;
import dev.canonic.models.koopman.OrbitAverage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code canonic actions --model MODEL --input points.csv --out out.csv}. */
@Command(name = "actions", mixinStandardHelpOptions = true,
    description = "Actions, angles and frequencies of phase-space points with a trained model. Model A: output the input's orbit_id and t "
        + "(when present) and coordinates, then J,theta,Omega (1 dof) or J1..Jd,theta1..thetad,Omega1..Omegad, in the data's units; with orbit_id "
        + "also J_orbit,Omega_orbit (J1_orbit..): each orbit's action as the average of J over the learned angle along its rows, the accurate "
        + "figure when the rows sample an orbit over a full period. "
        + "Model B (ActionFinder): input as for train actionfinder (orbit_id optional: stars sharing an id are solved together); output every input "
        + "column, then JR,Lz,Jz (kpc km/s), thetaR,thetaphi,thetaz (radians in [0, 2pi)), OmegaR,Omegaphi,Omegaz (km/s/kpc) once the acceleration "
        + "phase has run, JR_stream,Lz_stream,Jz_stream (each stream's mean J'': its orbit's actions when its stars share one orbit, "
        + "with the per-star error of the learned map averaged out), and *_std columns with --mc K.")
public final class ActionsCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model file written by canonic train koopman")
    Path model;

    @Option(names = "--input", required = true, description = "CSV with z,vz (or q1..qd,p1..pd); orbit_id and t optional")
    Path input;

    @Option(names = "--out", required = true, description = "CSV to write")
    Path out;

    @Option(names = "--mc", description = "model B: K Monte-Carlo dropout passes, adding *_std columns (needs a model with dropout, e.g. preset paper)")
    Integer mc;

    @Option(names = "--coordinates", description = "model B: galactocentric or observables, when the input holds both sets")
    String coordinates;

    @picocli.CommandLine.Mixin
    BackendOption backend = new BackendOption();

    @Override
    public Integer call() throws Exception {
        backend.apply();
        if (ActionFinderCommands.isModelB(model)) {
            return ActionFinderCommands.actions(model, input, out, mc == null ? 0 : mc, TrainActionFinder.coordinates(coordinates));
        }
        if (mc != null) throw new IllegalArgumentException("--mc applies to model B (ActionFinder) files; " + model + " is a model-A file");
        KoopmanModel m = KoopmanFiles.load(model);
        int d = m.dof();
        List<String> header = OrbitCsv.header(input);
        List<String> cols = new ArrayList<>();
        for (String c : new String[] {"orbit_id", "orbit", "t", "time"}) if (header.contains(c)) cols.add(c);
        List<String> coords = KoopmanFiles.coordinateNames(d);
        cols.addAll(coords);
        OrbitCsv.Table t = OrbitCsv.read(input, cols);
        int n = t.rows(), nc = cols.size(), off = nc - 2 * d;
        double[] x = new double[n * 2 * d];
        for (int r = 0; r < n; r++) {
            for (int c = 0; c < 2 * d; c++) {
                double v = t.values()[r * nc + off + c];
                if (!Double.isFinite(v)) throw new IllegalArgumentException(input + ": row " + (r + 1) + " column '" + coords.get(c) + "' is not a finite number");
                x[r * 2 * d + c] = v;
            }
        }
        double[] j, th, w, jp;
        try (GradMode.Scope g = GradMode.noGrad()) {
            Tensor xt = Tensor.of(x, n, 2 * d);
            j = m.actions(xt).toArray();
            th = m.angles(xt).toArray();
            jp = m.pointActions(j, th);
            w = m.frequenciesOfActions(Tensor.of(jp, n, d)).toArray();
        }
        int idCol = cols.indexOf("orbit_id") >= 0 ? cols.indexOf("orbit_id") : cols.indexOf("orbit");
        double[] jo = null, wo = null;
        if (idCol >= 0) {
            double[][] orbit = orbitActions(m, t.values(), nc, idCol, j, th, n, d);
            jo = orbit[0];
            wo = orbit[1];
        }
        List<String> outCols = new ArrayList<>(cols);
        for (String p : idCol >= 0 ? new String[] {"J", "theta", "Omega", "J_orbit", "Omega_orbit"} : new String[] {"J", "theta", "Omega"}) {
            if (d == 1) outCols.add(p);
            else for (int q = 1; q <= d; q++) outCols.add(p.endsWith("_orbit") ? p.replace("_orbit", q + "_orbit") : p + q);
        }
        int oc = outCols.size();
        double[] v = new double[n * oc];
        for (int r = 0; r < n; r++) {
            System.arraycopy(t.values(), r * nc, v, r * oc, nc);
            for (int q = 0; q < d; q++) {
                v[r * oc + nc + q] = jp[r * d + q];
                v[r * oc + nc + d + q] = th[r * d + q];
                v[r * oc + nc + 2 * d + q] = w[r * d + q];
                if (jo != null) {
                    v[r * oc + nc + 3 * d + q] = jo[r * d + q];
                    v[r * oc + nc + 4 * d + q] = wo[r * d + q];
                }
            }
        }
        OrbitCsv.write(out, outCols, v, null);
        System.out.println(n + " points written to " + out);
        return 0;
    }

    /**
     * Orbit actions J_orbit (the average of J over the learned angle along each orbit's rows, see
     * {@link OrbitAverage}) and Ω(J_orbit), copied to every row of the orbit. Warns, naming the
     * orbits, where the rows leave a gap of more than π/4 in angle (less than about one period).
     */
    static double[][] orbitActions(KoopmanModel m, double[] table, int nc, int idCol, double[] j, double[] th, int n, int d) {
        Map<Double, List<Integer>> rows = new LinkedHashMap<>();
        for (int r = 0; r < n; r++) rows.computeIfAbsent(table[r * nc + idCol], k -> new ArrayList<>()).add(r);
        double[] jo = new double[n * d];
        List<String> gaps = new ArrayList<>();
        for (Map.Entry<Double, List<Integer>> e : rows.entrySet()) {
            List<Integer> rs = e.getValue();
            int k = rs.size();
            double[] jj = new double[k * d], tt = new double[k * d];
            for (int i = 0; i < k; i++) {
                System.arraycopy(j, rs.get(i) * d, jj, i * d, d);
                System.arraycopy(th, rs.get(i) * d, tt, i * d, d);
            }
            double[] avg;
            if (k >= 2) {
                OrbitAverage.Result res = OrbitAverage.average(jj, tt, k, d);
                avg = res.actions();
                if (!res.covered()) gaps.add(KoopmanFiles.fmt(e.getKey()));
            } else {
                avg = jj;
                gaps.add(KoopmanFiles.fmt(e.getKey()));
            }
            for (int r : rs) System.arraycopy(avg, 0, jo, r * d, d);
        }
        double[] wo;
        try (GradMode.Scope g = GradMode.noGrad()) {
            wo = m.frequenciesOfActions(Tensor.of(jo, n, d)).toArray();
        }
        if (!gaps.isEmpty()) {
            System.err.println("warning: " + gaps.size() + " orbit(s) do not go round their angle circle (a gap above pi/4 rad between samples, "
                + "or a single sample), so J_orbit there is less accurate than on orbits sampled over a full period: "
                + String.join(", ", gaps.subList(0, Math.min(10, gaps.size()))) + (gaps.size() > 10 ? ", ..." : ""));
        }
        return new double[][] {jo, wo};
    }
}
