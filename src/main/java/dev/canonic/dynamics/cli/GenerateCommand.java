package dev.canonic.dynamics.cli;

import dev.canonic.dynamics.Astrometry;
import dev.canonic.dynamics.Leapfrog;
import dev.canonic.dynamics.OrbitDatasets;
import dev.canonic.dynamics.ReferenceSystem;
import dev.canonic.dynamics.SymplecticIntegrator;
import dev.canonic.dynamics.Yoshida4;
import dev.canonic.io.AtomicFiles;
import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import dev.canonic.io.OrbitCsv;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code canonic generate}: a streams × stars orbit sample with its reference actions, angles and
 * frequencies, written as .npz (arrays phase [S·N, 2·dim], stream, time, reference [S·N, k],
 * rejected, energy_error; for 3D systems also observables [S·N, 6] = (d kpc, l deg, b deg, v_h km/s,
 * μ_l* mas/yr, μ_b mas/yr) seen from the Sun with {@link Astrometry#paper()}'s solar parameters) or
 * .csv (one row per star: stream, time, phase columns, reference columns, then d,l,b,vh,mul,mub in 3D).
 * With {@code --dt} it writes regular trajectories instead (model A; see {@link #writeTrajectories}).
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
    description = "Generate S orbits × N points at random times with reference actions, angles and frequencies (.npz or .csv).")
public final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--system", required = true, description = "harmonic, slab, poschl-teller, isochrone, plummer, hernquist or nfw")
    String system;

    @Option(names = "--param", description = "system parameter k=v (repeatable), e.g. --param b=5")
    List<String> params = new ArrayList<>();

    @Option(names = "--orbits", required = true, description = "number of orbits (streams) S")
    int orbits;

    @Option(names = "--points", required = true, description = "points (stars) per orbit N")
    int points;

    @Option(names = "--seed", defaultValue = "0", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--out", required = true, description = "output file: .npz or .csv")
    Path out;

    @Option(names = "--duration", description = "integration span (3D: Gyr, default 0.1; 1D: time units, default 50)")
    Double duration;

    @Option(names = "--step", description = "integrator step (3D: Gyr, default 1e-5; 1D default 1e-3); refined until energy holds")
    Double step;

    @Option(names = "--dt", description = "write regular trajectories instead: N points spaced dt along each orbit (model A); 3D in Gyr")
    Double dt;

    @Option(names = "--jmin", description = "1D: smallest action drawn (default 0.05; poschl-teller: 0.05 of the separatrix action)")
    Double jMin;

    @Option(names = "--jmax", description = "1D: largest action drawn (default 1.5; poschl-teller: 0.68 of the separatrix action, 0.96 for V0 = a = 1)")
    Double jMax;

    @Option(names = "--energy-tol", defaultValue = "1e-7", description = "max relative energy error (default ${DEFAULT-VALUE})")
    double energyTol;

    @Option(names = "--integrator", defaultValue = "leapfrog", description = "leapfrog or yoshida4 (default ${DEFAULT-VALUE})")
    String integrator;

    @Option(names = "--sampling", defaultValue = "halo", description = "3D initial conditions: halo or disc (default ${DEFAULT-VALUE})")
    String sampling;

    public static Map<String, Double> parseParams(List<String> kv) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String s : kv) {
            int eq = s.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("--param '" + s + "' is not of the form name=value");
            String v = s.substring(eq + 1).trim();
            try {
                m.put(s.substring(0, eq).trim(), Double.parseDouble(v));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--param " + s.substring(0, eq) + ": '" + v + "' is not a number");
            }
        }
        return m;
    }

    @Override
    public Integer call() throws Exception {
        try {
            ReferenceSystem sys = ReferenceSystem.of(system, parseParams(params));
            OrbitDatasets.Config d = OrbitDatasets.Config.defaults(sys);
            SymplecticIntegrator integ = switch (integrator.toLowerCase(Locale.ROOT)) {
                case "leapfrog" -> new Leapfrog();
                case "yoshida4" -> new Yoshida4();
                default -> throw new IllegalArgumentException("unknown integrator '" + integrator + "'; use leapfrog or yoshida4");
            };
            OrbitDatasets.Sampling samp = switch (sampling.toLowerCase(Locale.ROOT)) {
                case "halo" -> OrbitDatasets.Sampling.HALO;
                case "disc", "disk" -> OrbitDatasets.Sampling.DISC;
                default -> throw new IllegalArgumentException("unknown sampling '" + sampling + "'; use halo or disc");
            };
            OrbitDatasets.Config cfg = new OrbitDatasets.Config(duration == null ? d.duration() : duration, step == null ? d.step() : step,
                energyTol, integ, samp, jMin == null ? d.jMin() : jMin, jMax == null ? d.jMax() : jMax);
            if (dt != null) {
                OrbitDatasets.Trajectories t = OrbitDatasets.trajectories(sys, orbits, points, dt, seed, cfg);
                writeTrajectories(t, out);
                System.out.printf(Locale.ROOT, "%s: %d orbits × %d points spaced %g of %s, %d unbound initial conditions rejected, max energy error %.2e%n",
                    out, orbits, points, dt, sys, t.rejected(), t.energyError());
                return 0;
            }
            OrbitDatasets.StreamSample s = OrbitDatasets.streams(sys, orbits, points, seed, cfg);
            write(s, out);
            System.out.printf(Locale.ROOT, "%s: %d orbits × %d points of %s, %d initial conditions rejected and redrawn (unbound, or missing the energy tolerance), max energy error %.2e (step %.3g)%n",
                out, orbits, points, sys, s.rejected(), s.energyError(), s.step());
            return 0;
        } catch (IllegalArgumentException e) {
            System.err.println("canonic generate: " + e.getMessage());
            return 2;
        }
    }

    /**
     * Writes regular trajectories: .npz with phase [S, N, 2·dim], time [N], reference [S, N, k]; or .csv
     * with columns orbit, time, phase columns, reference columns.
     */
    public static void writeTrajectories(OrbitDatasets.Trajectories t, Path out) throws java.io.IOException {
        String fn = out.getFileName().toString().toLowerCase(Locale.ROOT);
        ReferenceSystem sys = t.system();
        int s = t.orbits(), n = t.points(), w = t.width(), k = sys.referenceColumns().length;
        double[] ref = OrbitDatasets.references(sys, t.phase(), s * n);
        double[] time = new double[n];
        for (int i = 0; i < n; i++) time[i] = i * t.dt();
        if (fn.endsWith(".npz")) {
            Map<String, NdArray> a = new LinkedHashMap<>();
            a.put("phase", new NdArray(t.phase(), new int[] {s, n, w}));
            a.put("time", new NdArray(time, new int[] {n}));
            a.put("reference", new NdArray(ref, new int[] {s, n, k}));
            a.put("rejected", new NdArray(new double[] {t.rejected()}, new int[] {}));
            a.put("energy_error", new NdArray(new double[] {t.energyError()}, new int[] {}));
            Npz.write(out, a);
        } else if (fn.endsWith(".csv")) {
            List<String> names = new ArrayList<>(List.of("orbit", "time"));
            names.addAll(List.of(sys.phaseColumns()));
            names.addAll(List.of(sys.referenceColumns()));
            int nc = names.size();
            double[] v = new double[s * n * nc];
            for (int r = 0; r < s * n; r++) {
                v[r * nc] = r / n;
                v[r * nc + 1] = time[r % n];
                System.arraycopy(t.phase(), r * w, v, r * nc + 2, w);
                System.arraycopy(ref, r * k, v, r * nc + 2 + w, k);
            }
            OrbitCsv.write(out, names, v, null);
        } else {
            throw new IllegalArgumentException("output file " + out + " must end in .npz or .csv");
        }
    }

    /** Writes a sample as .npz or .csv by the file's extension. */
    public static void write(OrbitDatasets.StreamSample s, Path out) throws java.io.IOException {
        String fn = out.getFileName().toString().toLowerCase(Locale.ROOT);
        ReferenceSystem sys = s.system();
        int m = s.streams() * s.stars(), w = 2 * sys.dim(), k = sys.referenceColumns().length;
        double[] obs = null;
        if (sys.dim() == 3) {
            Astrometry ast = Astrometry.paper();
            obs = new double[m * 6];
            for (int r = 0; r < m; r++) {
                double[] xv = Arrays.copyOfRange(s.phase(), r * 6, r * 6 + 6);
                double[] o;
                try {
                    o = ast.toObservables(xv);
                } catch (IllegalArgumentException ex) {
                    o = new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
                }
                System.arraycopy(o, 0, obs, r * 6, 6);
            }
        }
        if (fn.endsWith(".npz")) {
            Map<String, NdArray> a = new LinkedHashMap<>();
            a.put("phase", new NdArray(s.phase(), new int[] {m, w}));
            a.put("stream", new NdArray(Arrays.stream(s.stream()).asDoubleStream().toArray(), new int[] {m}));
            a.put("time", new NdArray(s.time(), new int[] {m}));
            a.put("reference", new NdArray(s.reference(), new int[] {m, k}));
            if (obs != null) a.put("observables", new NdArray(obs, new int[] {m, 6}));
            a.put("rejected", new NdArray(new double[] {s.rejected()}, new int[] {}));
            a.put("energy_error", new NdArray(new double[] {s.energyError()}, new int[] {}));
            Npz.write(out, a);
            StringBuilder meta = new StringBuilder("{\"system\": \"" + sys.name() + "\", \"params\": {");
            int i = 0;
            for (Map.Entry<String, Double> e : new java.util.TreeMap<>(sys.params()).entrySet()) {
                meta.append(i++ == 0 ? "" : ", ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
            }
            meta.append("}, \"phase_columns\": [\"").append(String.join("\", \"", sys.phaseColumns()))
                .append("\"], \"reference_columns\": [\"").append(String.join("\", \"", sys.referenceColumns()))
                .append("\"], \"time_unit\": \"").append(sys.dim() == 3 ? "Gyr" : "dimensionless")
                .append("\", \"streams\": ").append(s.streams()).append(", \"stars\": ").append(s.stars())
                .append(", \"rejected\": ").append(s.rejected()).append(", \"step\": ").append(s.step()).append("}\n");
            AtomicFiles.writeString(out.resolveSibling(out.getFileName() + ".json"), meta.toString());
        } else if (fn.endsWith(".csv")) {
            List<String> names = new ArrayList<>(List.of("stream", "time"));
            names.addAll(List.of(sys.phaseColumns()));
            names.addAll(List.of(sys.referenceColumns()));
            if (obs != null) names.addAll(List.of("d", "l", "b", "vh", "mul", "mub"));
            int nc = names.size();
            double[] v = new double[m * nc];
            for (int r = 0; r < m; r++) {
                v[r * nc] = s.stream()[r];
                v[r * nc + 1] = s.time()[r];
                System.arraycopy(s.phase(), r * w, v, r * nc + 2, w);
                System.arraycopy(s.reference(), r * k, v, r * nc + 2 + w, k);
                if (obs != null) System.arraycopy(obs, r * 6, v, r * nc + 2 + w + k, 6);
            }
            OrbitCsv.write(out, names, v, null);
        } else {
            throw new IllegalArgumentException("output file " + out + " must end in .npz or .csv");
        }
    }
}
