package dev.canonic.models.koopman;

import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import dev.canonic.io.OrbitCsv;
import dev.canonic.nn.Checkpoints;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user's files for model A: trajectories in (CSV or .npz) and trained models (one .npz).
 *
 * <p>CSV: a header with {@code orbit_id,t} (or {@code orbit,time}, as {@code canonic generate} writes) and the coordinates, {@code z,vz} for one degree of
 * freedom or {@code q1..qd,p1..pd} in general; rows grouped by orbit and sorted by time; one step
 * for the whole file. .npz: arrays {@code t} (S×T), {@code q} and {@code p} (S×T×d).
 */
public final class KoopmanFiles {
    /** Format version written into model files. */
    public static final double MODEL_FORMAT = 1;

    private KoopmanFiles() {
    }

    /** Trajectories: S×T×2d points a step dt apart, and the orbit ids and times they came with. */
    public record Trajectories(double[][][] x, double dt, double[] orbitIds, double[][] times, int dof) {
    }

    /** Coordinate column names for d degrees of freedom. */
    public static List<String> coordinateNames(int d) {
        List<String> n = new ArrayList<>();
        if (d == 1) {
            n.add("z");
            n.add("vz");
            return n;
        }
        for (int i = 1; i <= d; i++) n.add("q" + i);
        for (int i = 1; i <= d; i++) n.add("p" + i);
        return n;
    }

    /** Degrees of freedom implied by a CSV header: z,vz → 1; q1..qd with p1..pd → d. */
    public static int dofOf(Path file, List<String> header) throws IOException {
        if (header.contains("z") && header.contains("vz")) return 1;
        int d = 0;
        while (header.contains("q" + (d + 1)) && header.contains("p" + (d + 1))) d++;
        if (d == 0) throw new IOException(file + ": no coordinate columns: expected z,vz or q1..qd,p1..pd (header: " + String.join(",", header) + ")");
        return d;
    }

    /** Reads trajectories from a .csv or .npz file, checking everything a model needs; minSamples per orbit. */
    public static Trajectories readTrajectories(Path file, int minSamples) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such trajectory file");
        if (file.toString().endsWith(".npz")) return readNpz(file, minSamples);
        List<String> header = OrbitCsv.header(file);
        int d = dofOf(file, header);
        String idCol = header.contains("orbit_id") ? "orbit_id" : header.contains("orbit") ? "orbit" : "orbit_id";
        String tCol = header.contains("t") ? "t" : header.contains("time") ? "time" : "t";
        List<String> want = new ArrayList<>(List.of(idCol, tCol));
        want.addAll(coordinateNames(d));
        OrbitCsv.Table tab = OrbitCsv.read(file, want);
        int nc = want.size(), rows = tab.rows();
        if (rows == 0) throw new IOException(file + ": no data rows");
        double[] v = tab.values();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < nc; c++) {
                if (!Double.isFinite(v[r * nc + c])) {
                    throw new IOException(file + ": row " + (r + 1) + " column '" + want.get(c) + "' is " + (Double.isNaN(v[r * nc + c]) ? "NaN or empty" : "infinite"));
                }
            }
        }
        List<double[][]> orbits = new ArrayList<>();
        List<double[]> times = new ArrayList<>();
        List<Double> ids = new ArrayList<>();
        java.util.Set<Double> seen = new java.util.HashSet<>();
        int r = 0;
        while (r < rows) {
            double id = v[r * nc];
            if (!seen.add(id)) throw new IOException(file + ": rows of orbit " + fmt(id) + " are not grouped together (it reappears at row " + (r + 1) + ")");
            int e = r;
            while (e < rows && v[e * nc] == id) e++;
            double[][] pts = new double[e - r][2 * d];
            double[] t = new double[e - r];
            for (int k = r; k < e; k++) {
                t[k - r] = v[k * nc + 1];
                System.arraycopy(v, k * nc + 2, pts[k - r], 0, 2 * d);
            }
            orbits.add(pts);
            times.add(t);
            ids.add(id);
            r = e;
        }
        double[] idArr = new double[ids.size()];
        for (int i = 0; i < idArr.length; i++) idArr[i] = ids.get(i);
        return check(file, orbits.toArray(new double[0][][]), times.toArray(new double[0][]), idArr, d, minSamples);
    }

    private static Trajectories readNpz(Path file, int minSamples) throws IOException {
        Map<String, NdArray> a = Npz.read(file);
        for (String k : new String[] {"t", "q", "p"}) {
            if (!a.containsKey(k)) throw new IOException(file + ": missing array '" + k + "' (expected t S×T, q and p S×T×d)");
        }
        int[] ts = a.get("t").shape(), qs = a.get("q").shape(), ps = a.get("p").shape();
        if (ts.length != 2 || qs.length != 3 || !java.util.Arrays.equals(qs, ps) || qs[0] != ts[0] || qs[1] != ts[1]) {
            throw new IOException(file + ": shapes t " + java.util.Arrays.toString(ts) + ", q " + java.util.Arrays.toString(qs) + ", p "
                + java.util.Arrays.toString(ps) + " do not fit t S×T, q and p S×T×d");
        }
        int s = ts[0], t = ts[1], d = qs[2];
        double[] tv = a.get("t").data(), qv = a.get("q").data(), pv = a.get("p").data();
        double[][][] x = new double[s][t][2 * d];
        double[][] times = new double[s][t];
        double[] ids = new double[s];
        for (int o = 0; o < s; o++) {
            ids[o] = o;
            for (int k = 0; k < t; k++) {
                times[o][k] = tv[o * t + k];
                for (int j = 0; j < d; j++) {
                    x[o][k][j] = qv[(o * t + k) * d + j];
                    x[o][k][d + j] = pv[(o * t + k) * d + j];
                }
                for (double c : x[o][k]) if (!Double.isFinite(c)) throw new IOException(file + ": orbit " + o + " sample " + k + " holds a NaN or infinite coordinate");
                if (!Double.isFinite(times[o][k])) throw new IOException(file + ": orbit " + o + " sample " + k + " has a NaN or infinite time");
            }
        }
        return check(file, x, times, ids, d, minSamples);
    }

    /** An orbit id as the user wrote it: whole numbers without a decimal point. */
    public static String fmt(double id) {
        return id == Math.rint(id) ? Long.toString((long) id) : Double.toString(id);
    }

    private static Trajectories check(Path file, double[][][] x, double[][] t, double[] ids, int d, int minSamples) throws IOException {
        if (x.length < 2) throw new IOException(file + ": needs at least 2 orbits, found " + x.length);
        double dt = Double.NaN;
        for (int o = 0; o < x.length; o++) {
            if (x[o].length < Math.max(3, minSamples)) {
                throw new IOException(file + ": orbit " + fmt(ids[o]) + " has " + x[o].length + " samples, fewer than " + Math.max(3, minSamples)
                    + " (at least 3, and the rollout window + 1)");
            }
            for (int k = 1; k < t[o].length; k++) {
                double step = t[o][k] - t[o][k - 1];
                if (!(step > 0)) {
                    throw new IOException(file + ": orbit " + fmt(ids[o]) + ": times not increasing at sample " + k + " (t = " + t[o][k - 1] + " then " + t[o][k] + ")");
                }
                if (Double.isNaN(dt)) {
                    dt = step;
                } else if (Math.abs(step - dt) > 1e-9 * Math.max(Math.abs(dt), Math.abs(t[o][k]))) {
                    throw new IOException(file + ": orbit " + fmt(ids[o]) + " has step " + step + " at sample " + k + ", but the file's step is " + dt);
                }
            }
        }
        return new Trajectories(x, dt, ids, t, d);
    }

    /** Saves a trained model as one .npz: weights, scales, and the configuration as scalars. */
    public static void save(Path path, KoopmanModel m) throws IOException {
        KoopmanConfig c = m.config();
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("format", MODEL_FORMAT);
        extra.put("model_koopman", 1.0);
        extra.put("dof", (double) c.dof());
        extra.put("layers", (double) c.layers());
        extra.put("width", (double) c.width());
        extra.put("linear_modules", c.linearModules() ? 1.0 : 0.0);
        extra.put("net_width", (double) c.netWidth());
        extra.put("rollout", (double) c.rollout());
        extra.put("omega_ref", m.omegaRef());
        extra.put("dt", m.dt());
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        arrays.put("shift", new NdArray(m.shift(), new int[] {2 * c.dof()}));
        arrays.put("scale", new NdArray(m.scale(), new int[] {2 * c.dof()}));
        RippleCorrection r = m.ripple();
        if (r != null) {
            extra.put("ripple_lo", r.lo());
            extra.put("ripple_hi", r.hi());
            extra.put("ripple_harmonics", (double) r.harmonics());
            extra.put("ripple_terms", (double) r.terms());
            double[] cf = r.coef();
            arrays.put("ripple", new NdArray(cf, new int[] {cf.length}));
        }
        Checkpoints.save(path, m, null, extra, arrays);
    }

    /** Loads a model saved by {@link #save}; a file of another kind or version fails saying which. */
    public static KoopmanModel load(Path path) throws IOException {
        Map<String, NdArray> raw = Npz.read(path);
        NdArray kind = raw.get("extra/model_koopman"), fmt = raw.get("extra/format");
        if (kind == null || fmt == null) throw new IOException(path + ": not a Canonic model-A (Koopman) file");
        if (fmt.data()[0] != MODEL_FORMAT) {
            throw new IOException(path + ": model format " + fmt.data()[0] + ", this version reads format " + MODEL_FORMAT);
        }
        int d = (int) get(raw, path, "dof");
        KoopmanConfig c = new KoopmanConfig(d, (int) get(raw, path, "layers"), (int) get(raw, path, "width"), get(raw, path, "linear_modules") != 0,
            (int) get(raw, path, "net_width"), (int) get(raw, path, "rollout"), 1, 1, 1, 1, 32, 1, 1, 1e-3, 0, 0, 0, 1, 1);
        KoopmanModel m = new KoopmanModel(c);
        Checkpoints.Loaded l = Checkpoints.loadAll(path, m, null);
        NdArray sh = l.arrays().get("shift"), sc = l.arrays().get("scale");
        if (sh == null || sc == null) throw new IOException(path + ": model file lacks its coordinate scales");
        m.setNormalisation(sh.data(), sc.data(), get(raw, path, "omega_ref"), get(raw, path, "dt"));
        NdArray rp = l.arrays().get("ripple");
        if (rp != null) {
            try {
                m.setRipple(new RippleCorrection(get(raw, path, "ripple_lo"), get(raw, path, "ripple_hi"), (int) get(raw, path, "ripple_harmonics"),
                    (int) get(raw, path, "ripple_terms"), rp.data()));
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": " + e.getMessage(), e);
            }
        }
        return m;
    }

    private static double get(Map<String, NdArray> raw, Path path, String key) throws IOException {
        NdArray a = raw.get("extra/" + key);
        if (a == null) throw new IOException(path + ": model file lacks '" + key + "'");
        return a.data()[0];
    }
}
