package dev.canonic.models.actionfinder.data;

import dev.canonic.dynamics.Astrometry;
import dev.canonic.io.AtomicFiles;
import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The user's stream files for model B (the ACTIONFINDER): stars grouped into streams in, actions and
 * angles out.
 *
 * <h2>Input: CSV</h2>
 * A header line, then one row per star:
 * <ul>
 *   <li>{@code orbit_id} — the stream the star belongs to (any number; integers are usual);</li>
 *   <li>{@code t} — optional, the star's time (any unit; carried through, not used in training);</li>
 *   <li>either {@code x,y,z,vx,vy,vz} — Galactocentric Cartesian, kpc and km/s (the frame of
 *       {@link Astrometry}: +x from the Sun towards the centre, the Sun at x ≈ −8.122 kpc);</li>
 *   <li>or {@code d,l,b,vh,mul,mub} — heliocentric distance (kpc), Galactic longitude and latitude
 *       (degrees), heliocentric radial velocity (km/s), proper motions μ_l* = μ_l cos b and μ_b
 *       (mas/yr), converted with {@link Astrometry#toGalactocentric} and the solar parameters given
 *       (by default {@link Astrometry#paper()}: R⊙ = 8.122 kpc, z⊙ = 0.0208 kpc,
 *       v⊙ = (12.9, 245.6, 7.78) km/s).</li>
 * </ul>
 * Any other columns are kept as text and echoed in the output. A file holding both complete sets,
 * or parts of both and neither complete, fails rather than guess; with one complete set, stray
 * columns of the other (e.g. a {@code d} beside x..vz) are only echoed. Cells may be quoted ("a,b"); {@code nan}, {@code inf}
 * and empty cells in the numeric columns fail naming the line and column.
 *
 * <p>Rows of one stream need not be contiguous: stars are grouped by {@code orbit_id}, streams are
 * numbered in order of first appearance, and every output keeps the input's row order. Each stream
 * must hold at least 2 stars (the ACTIONFINDER's losses are spreads within a stream); streams of
 * different sizes are used whole, no star is dropped. At least 2 streams are required.
 *
 * <p>{@code stream} or {@code orbit} may stand for {@code orbit_id}, and {@code time} for {@code t},
 * so the output of {@code canonic generate} reads as it is (it holds both coordinate sets: choose one).
 *
 * <h2>Input: .npz</h2>
 * Arrays {@code stream} [n] (stream id of each star) and either {@code xv} [n,6] (x, y, z, vx, vy,
 * vz in kpc and km/s) or {@code obs} [n,6] (d, l, b, vh, mul, mub as above); optionally {@code t}
 * [n]. {@code phase}, {@code observables} and {@code time} (the names {@code canonic generate}
 * writes) are accepted for {@code xv}, {@code obs} and {@code t}. Output echoes the arrays as
 * columns orbit_id, t, x..vz or d..mub.
 *
 * <h2>Output of {@code actions}</h2>
 * The input columns (text as read), then {@code JR,Lz,Jz,thetaR,thetaphi,thetaz} (kpc km/s; radians
 * in [0, 2π)), then {@code OmegaR,Omegaphi,Omegaz} (km/s/kpc) when the model has frequencies, then
 * {@code <name>_std} for each of those when Monte-Carlo spreads are given — the names and units of
 * {@code canonic reference-actions}. An input column with one of these names is echoed as
 * {@code input_<name>}. Files are written atomically.
 */
public final class StreamFiles {
    /** Galactocentric phase-space column names, kpc and km/s. */
    public static final List<String> XV = List.of("x", "y", "z", "vx", "vy", "vz");
    /** Heliocentric observable column names: kpc, deg, deg, km/s, mas/yr, mas/yr. */
    public static final List<String> OBS = List.of("d", "l", "b", "vh", "mul", "mub");
    /** Action and angle output columns. */
    public static final List<String> ACTION_ANGLE = List.of("JR", "Lz", "Jz", "thetaR", "thetaphi", "thetaz");
    /** Frequency output columns. */
    public static final List<String> FREQUENCIES = List.of("OmegaR", "Omegaphi", "Omegaz");
    /** Columns {@code actions} adds after those: each stream's mean J″, the action of its orbit when its stars share one. */
    public static final List<String> STREAM_ACTIONS = List.of("JR_stream", "Lz_stream", "Jz_stream");

    private StreamFiles() {
    }

    /** Which coordinates the file gave. */
    public enum Coordinates { GALACTOCENTRIC, OBSERVABLES }

    /**
     * Stars grouped into streams.
     *
     * @param source      the file read
     * @param ids         the stream ids, in order of first appearance
     * @param stream      per star, its stream's index into ids
     * @param phase       per star (x, y, z, vx, vy, vz), kpc and km/s, flat [n·6]
     * @param time        per star t, or null when the file has none
     * @param coordinates what the file gave
     * @param columns     the input's column names, for echoing
     * @param cells       per star the input's cells as text, [n][columns.size()]
     * @param lines       per star its line number in the file (1 = header; for .npz the array index + 1)
     */
    public record StreamSet(Path source, double[] ids, int[] stream, double[] phase, double[] time, Coordinates coordinates,
                            List<String> columns, String[][] cells, int[] lines) {
        public StreamSet {
            int n = stream.length;
            if (phase.length != 6 * n) throw new IllegalArgumentException(phase.length + " phase values for " + n + " stars");
            if (time != null && time.length != n) throw new IllegalArgumentException(time.length + " times for " + n + " stars");
            if (cells.length != n || lines.length != n) throw new IllegalArgumentException("echo rows do not match " + n + " stars");
            columns = List.copyOf(columns);
        }

        /** Number of stars. */
        public int stars() {
            return stream.length;
        }

        /** Number of streams. */
        public int streams() {
            return ids.length;
        }

        /** Star indices of each stream, in input order: [streams][its stars]. */
        public int[][] members() {
            int[] count = new int[ids.length];
            for (int s : stream) count[s]++;
            int[][] m = new int[ids.length][];
            for (int k = 0; k < m.length; k++) m[k] = new int[count[k]];
            int[] at = new int[ids.length];
            for (int i = 0; i < stream.length; i++) m[stream[i]][at[stream[i]]++] = i;
            return m;
        }

        /** The stream id of star i as the file wrote it (integers without a decimal point). */
        public String idOf(int i) {
            return formatId(ids[stream[i]]);
        }

        /** A copy holding only the given streams (by index), stars in input order; ids renumbered in that order. */
        public StreamSet subset(int[] streamIndices) {
            int[] remap = new int[ids.length];
            Arrays.fill(remap, -1);
            double[] nid = new double[streamIndices.length];
            for (int k = 0; k < streamIndices.length; k++) {
                if (remap[streamIndices[k]] >= 0) throw new IllegalArgumentException("stream index " + streamIndices[k] + " given twice");
                remap[streamIndices[k]] = k;
                nid[k] = ids[streamIndices[k]];
            }
            int n = 0;
            for (int s : stream) if (remap[s] >= 0) n++;
            int[] st = new int[n], ln = new int[n];
            double[] ph = new double[6 * n], t = time == null ? null : new double[n];
            String[][] c = new String[n][];
            int j = 0;
            for (int i = 0; i < stream.length; i++) {
                if (remap[stream[i]] < 0) continue;
                st[j] = remap[stream[i]];
                System.arraycopy(phase, 6 * i, ph, 6 * j, 6);
                if (t != null) t[j] = time[i];
                c[j] = cells[i];
                ln[j] = lines[i];
                j++;
            }
            return new StreamSet(source, nid, st, ph, t, coordinates, columns, c, ln);
        }
    }

    /** Formats a stream id: integers without a decimal point. */
    public static String formatId(double id) {
        return id == Math.rint(id) && Math.abs(id) < 1e15 ? Long.toString((long) id) : Double.toString(id);
    }

    /** Reads a stream file (.csv or .npz) with the default solar parameters {@link Astrometry#paper()}. */
    public static StreamSet read(Path file) throws IOException {
        return read(file, Astrometry.paper());
    }

    /**
     * Reads a stream file (.csv or .npz), converting observables with the given solar parameters.
     *
     * @throws IOException naming the file, line (or star) and column of the first problem
     */
    public static StreamSet read(Path file, Astrometry sun) throws IOException {
        return read(file, sun, null);
    }

    /**
     * Reads a stream file; when it holds both complete coordinate sets (as {@code canonic generate}
     * writes), {@code prefer} says which to use (null: fail, naming both).
     */
    public static StreamSet read(Path file, Astrometry sun, Coordinates prefer) throws IOException {
        return read(file, sun, prefer, true);
    }

    /**
     * Reads points to evaluate (the input of {@code canonic actions}): as {@link #read}, but
     * {@code orbit_id} is optional (without it every star is its own stream) and streams may hold a
     * single star. The model solves for J′ per stream, so stars of one orbit should share an id.
     */
    public static StreamSet readPoints(Path file, Astrometry sun, Coordinates prefer) throws IOException {
        return read(file, sun, prefer, false);
    }

    private static StreamSet read(Path file, Astrometry sun, Coordinates prefer, boolean strict) throws IOException {
        if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such stream file");
        if (file.toString().toLowerCase(Locale.ROOT).endsWith(".npz")) return readNpz(file, sun, prefer, strict);
        Table tab = Table.read(file);
        List<String> h = tab.columns;
        Coordinates kind = coordinatesOf(file, h, prefer);
        String idCol = first(h, ID_NAMES);
        if (idCol == null && strict) throw new IOException(file + ": missing column 'orbit_id' (the stream of each star; header: " + String.join(",", h) + ")");
        List<String> coords = kind == Coordinates.GALACTOCENTRIC ? XV : OBS;
        int n = tab.cells.length;
        if (n == 0) throw new IOException(file + ": no data rows after the header");
        double[] id;
        if (idCol != null) {
            id = tab.numbers(idCol);
        } else {
            id = new double[n];
            for (int i = 0; i < n; i++) id[i] = i;
        }
        String tCol = first(h, List.of("t", "time"));
        double[] t = tCol != null ? tab.numbers(tCol) : null;
        double[][] c = new double[6][];
        for (int k = 0; k < 6; k++) c[k] = tab.numbers(coords.get(k));
        double[] phase = new double[6 * n];
        for (int i = 0; i < n; i++) {
            double[] row = {c[0][i], c[1][i], c[2][i], c[3][i], c[4][i], c[5][i]};
            if (kind == Coordinates.OBSERVABLES) row = convert(sun, row, file + ":" + tab.lines[i]);
            System.arraycopy(row, 0, phase, 6 * i, 6);
        }
        return group(file, id, t, phase, kind, h, tab.cells, tab.lines, "line", strict);
    }

    private static double[] convert(Astrometry sun, double[] obs, String where) throws IOException {
        try {
            return sun.toGalactocentric(obs);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage());
        }
    }

    /** Accepted names of the stream column, in order of preference ({@code canonic generate} writes {@code stream}). */
    public static final List<String> ID_NAMES = List.of("orbit_id", "stream", "orbit");

    private static String first(List<String> h, List<String> names) {
        for (String c : names) if (h.contains(c)) return c;
        return null;
    }

    /** Which coordinate set a header holds; fails on none, a mix, or an incomplete set. */
    static Coordinates coordinatesOf(Path file, List<String> h, Coordinates prefer) throws IOException {
        List<String> gx = XV.stream().filter(h::contains).toList(), ob = OBS.stream().filter(h::contains).toList();
        // "z" is shared by nothing in OBS, "b" by nothing in XV, so the two sets are disjoint.
        boolean fullX = gx.size() == 6, fullO = ob.size() == 6;
        if (fullX && fullO) {
            if (prefer != null) return prefer;
            throw new IOException(file + ": both x,y,z,vx,vy,vz and d,l,b,vh,mul,mub are present; give one set, or choose one (--coordinates galactocentric|observables)");
        }
        if (fullX) return Coordinates.GALACTOCENTRIC;
        if (fullO) return Coordinates.OBSERVABLES;
        if (!gx.isEmpty() && !ob.isEmpty()) {
            throw new IOException(file + ": columns mix Galactocentric (" + String.join(",", gx) + ") and observable (" + String.join(",", ob)
                + ") coordinates; give either x,y,z,vx,vy,vz (kpc, km/s) or d,l,b,vh,mul,mub (kpc, deg, km/s, mas/yr)");
        }
        if (!gx.isEmpty()) {
            throw new IOException(file + ": missing column" + missing(XV, h) + " (Galactocentric coordinates need x,y,z,vx,vy,vz; header: " + String.join(",", h) + ")");
        }
        if (!ob.isEmpty()) {
            throw new IOException(file + ": missing column" + missing(OBS, h) + " (observables need d,l,b,vh,mul,mub; header: " + String.join(",", h) + ")");
        }
        throw new IOException(file + ": no coordinate columns: expected x,y,z,vx,vy,vz (kpc, km/s) or d,l,b,vh,mul,mub (kpc, deg, km/s, mas/yr); header: "
            + String.join(",", h));
    }

    private static String missing(List<String> want, List<String> h) {
        List<String> m = want.stream().filter(c -> !h.contains(c)).map(c -> "'" + c + "'").toList();
        return (m.size() > 1 ? "s " : " ") + String.join(", ", m);
    }

    private static StreamSet readNpz(Path file, Astrometry sun, Coordinates prefer, boolean strict) throws IOException {
        Map<String, NdArray> a = Npz.read(file);
        NdArray st = a.get("stream");
        if (st == null && !strict) {
            NdArray any = a.containsKey("xv") ? a.get("xv") : a.containsKey("phase") ? a.get("phase") : a.containsKey("obs") ? a.get("obs") : a.get("observables");
            if (any != null && any.shape().length == 2) {
                double[] ids = new double[any.shape()[0]];
                for (int i = 0; i < ids.length; i++) ids[i] = i;
                st = new NdArray(ids, new int[] {ids.length});
            }
        }
        if (st == null) throw new IOException(file + ": missing array 'stream' (stream id of each star, shape [n])");
        String xvName = a.containsKey("xv") ? "xv" : a.containsKey("phase") ? "phase" : null;
        String obsName = a.containsKey("obs") ? "obs" : a.containsKey("observables") ? "observables" : null;
        boolean hasXv = xvName != null, hasObs = obsName != null;
        if (hasXv && hasObs && prefer != null) {
            hasXv = prefer == Coordinates.GALACTOCENTRIC;
            hasObs = !hasXv;
        }
        if (hasXv == hasObs) {
            throw new IOException(file + ": " + (hasXv ? "both arrays '" + xvName + "' and '" + obsName + "' are present; give one, or choose one (--coordinates galactocentric|observables)"
                : "missing array 'xv' [n,6] (x,y,z,vx,vy,vz; kpc, km/s) or 'obs' [n,6] (d,l,b,vh,mul,mub)"));
        }
        String name = hasXv ? xvName : obsName;
        NdArray c = a.get(name);
        int[] ss = st.shape(), cs = c.shape();
        int n = ss.length == 1 ? ss[0] : -1;
        if (n < 0 || cs.length != 2 || cs[0] != n || cs[1] != 6) {
            throw new IOException(file + ": shapes stream " + Arrays.toString(ss) + ", " + name + " " + Arrays.toString(cs) + " do not fit stream [n] and " + name + " [n,6]");
        }
        if (n == 0) throw new IOException(file + ": no stars (n = 0)");
        NdArray ta = a.containsKey("t") ? a.get("t") : a.get("time");
        if (ta != null && (ta.shape().length != 1 || ta.shape()[0] != n)) {
            throw new IOException(file + ": array t has shape " + Arrays.toString(ta.shape()) + ", expected [" + n + "]");
        }
        List<String> coords = hasXv ? XV : OBS;
        List<String> cols = new ArrayList<>(List.of("orbit_id"));
        if (ta != null) cols.add("t");
        cols.addAll(coords);
        double[] id = st.data(), t = ta == null ? null : ta.data(), cv = c.data();
        double[] phase = new double[6 * n];
        String[][] cells = new String[n][];
        int[] lines = new int[n];
        for (int i = 0; i < n; i++) {
            lines[i] = i + 1;
            checkFinite(file + ": star " + i, "stream", id[i]);
            if (t != null) checkFinite(file + ": star " + i, "t", t[i]);
            double[] row = Arrays.copyOfRange(cv, 6 * i, 6 * i + 6);
            for (int k = 0; k < 6; k++) checkFinite(file + ": star " + i, name + "[" + i + "," + k + "] (" + coords.get(k) + ")", row[k]);
            List<String> cl = new ArrayList<>();
            cl.add(formatId(id[i]));
            if (t != null) cl.add(Double.toString(t[i]));
            for (double v : row) cl.add(Double.toString(v));
            cells[i] = cl.toArray(new String[0]);
            if (!hasXv) row = convert(sun, row, file + ": star " + i);
            System.arraycopy(row, 0, phase, 6 * i, 6);
        }
        return group(file, id, t, phase, hasXv ? Coordinates.GALACTOCENTRIC : Coordinates.OBSERVABLES, cols, cells, lines, "star index", strict);
    }

    private static void checkFinite(String where, String col, double v) throws IOException {
        if (!Double.isFinite(v)) throw new IOException(where + ": " + col + " is " + (Double.isNaN(v) ? "NaN" : "infinite"));
    }

    private static StreamSet group(Path file, double[] id, double[] t, double[] phase, Coordinates kind, List<String> cols, String[][] cells,
                                   int[] lines, String lineWord, boolean strict) throws IOException {
        int n = id.length;
        Map<Double, Integer> index = new LinkedHashMap<>();
        int[] stream = new int[n];
        List<Integer> counts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Integer k = index.get(id[i] + 0.0);
            if (k == null) {
                k = index.size();
                index.put(id[i] + 0.0, k);
                counts.add(0);
            }
            stream[i] = k;
            counts.set(k, counts.get(k) + 1);
        }
        double[] ids = new double[index.size()];
        int q = 0;
        for (double d : index.keySet()) ids[q++] = d;
        if (!strict) return new StreamSet(file, ids, stream, phase, t, kind, cols, cells, lines);
        List<String> single = new ArrayList<>();
        for (int k = 0; k < ids.length; k++) {
            if (counts.get(k) < 2) {
                int at = 0;
                while (stream[at] != k) at++;
                single.add(formatId(ids[k]) + " (" + lineWord + " " + lines[at] + ")");
            }
        }
        if (!single.isEmpty()) {
            throw new IOException(file + ": " + single.size() + " stream(s) hold a single star, but each stream needs at least 2: orbit_id "
                + String.join(", ", single.subList(0, Math.min(10, single.size()))) + (single.size() > 10 ? ", ..." : ""));
        }
        if (ids.length < 2) throw new IOException(file + ": needs at least 2 streams (distinct orbit_id values), found " + ids.length);
        return new StreamSet(file, ids, stream, phase, t, kind, cols, cells, lines);
    }

    // ---------------------------------------------------------------- generic tables

    /**
     * A CSV read as text with a header: cells kept for echoing, numbers parsed on demand with
     * messages naming file, line and column.
     */
    public static final class Table {
        final Path file;
        /** Column names from the header. */
        public final List<String> columns;
        /** Cells per data row. */
        public final String[][] cells;
        /** Line number of each data row (header = 1). */
        public final int[] lines;

        private Table(Path file, List<String> columns, String[][] cells, int[] lines) {
            this.file = file;
            this.columns = List.copyOf(columns);
            this.cells = cells;
            this.lines = lines;
        }

        /** Reads a CSV file: header, then rows; blank lines skipped; every row must have the header's cell count. */
        public static Table read(Path file) throws IOException {
            if (!Files.exists(file)) throw new NoSuchFileException(file.toString(), null, "no such CSV file");
            List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
            int first = 0;
            while (first < text.size() && text.get(first).isBlank()) first++;
            if (first == text.size()) throw new IOException(file + ": empty file, expected a header line");
            List<String> cols = new ArrayList<>();
            for (String c : split(text.get(first), file, first + 1)) cols.add(c.trim());
            Set<String> seen = new HashSet<>();
            for (String c : cols) {
                if (c.isEmpty()) throw new IOException(file + ":" + (first + 1) + ": the header has an empty column name");
                if (!seen.add(c)) throw new IOException(file + ":" + (first + 1) + ": column '" + c + "' appears twice in the header");
            }
            List<String[]> rows = new ArrayList<>();
            List<Integer> ln = new ArrayList<>();
            for (int i = first + 1; i < text.size(); i++) {
                if (text.get(i).isBlank()) continue;
                String[] c = split(text.get(i), file, i + 1);
                if (c.length != cols.size()) throw new IOException(file + ":" + (i + 1) + ": row has " + c.length + " cells, the header has " + cols.size());
                rows.add(c);
                ln.add(i + 1);
            }
            int[] lines = new int[ln.size()];
            for (int i = 0; i < lines.length; i++) lines[i] = ln.get(i);
            return new Table(file, cols, rows.toArray(new String[0][]), lines);
        }

        /** A numeric column; a missing column, a non-number, NaN or an infinity fails naming file, line and column. */
        public double[] numbers(String col) throws IOException {
            int c = columns.indexOf(col);
            if (c < 0) throw new IOException(file + ": missing column '" + col + "' (header: " + String.join(",", columns) + ")");
            double[] out = new double[cells.length];
            for (int i = 0; i < out.length; i++) {
                String s = cells[i][c].trim();
                String where = file + ":" + lines[i] + ": column '" + col + "'";
                if (s.isEmpty()) throw new IOException(where + " is empty");
                double v;
                try {
                    v = parse(s);
                } catch (NumberFormatException e) {
                    throw new IOException(where + " holds '" + s + "', not a number");
                }
                if (Double.isNaN(v)) throw new IOException(where + " is NaN");
                if (Double.isInfinite(v)) throw new IOException(where + " is infinite");
                out[i] = v;
            }
            return out;
        }

        private static double parse(String c) {
            return switch (c.toLowerCase(Locale.ROOT)) {
                case "nan" -> Double.NaN;
                case "inf", "+inf", "infinity", "+infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(c);
            };
        }
    }

    /** Splits one CSV line on commas, honouring double quotes ("" inside quotes is a quote). */
    static String[] split(String line, Path file, int ln) throws IOException {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) throw new IOException(file + ":" + ln + ": unterminated quote");
        out.add(cur.toString());
        return out.toArray(new String[0]);
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    // ---------------------------------------------------------------- output

    /**
     * Writes a table atomically: the echoed input columns (an input name that clashes with an output
     * name gets the prefix {@code input_}), then the numeric columns.
     *
     * @param inColumns  input column names
     * @param inCells    input cells per row (text)
     * @param outColumns numeric column names
     * @param values     numeric values, row-major [rows][outColumns.size()]; NaN is written as an empty cell
     */
    public static void writeTable(Path out, List<String> inColumns, String[][] inCells, List<String> outColumns, double[] values) throws IOException {
        int rows = inCells.length, oc = outColumns.size();
        if (values.length != rows * oc) throw new IllegalArgumentException(values.length + " values do not fill " + rows + " rows × " + oc + " columns");
        Set<String> taken = new HashSet<>(outColumns);
        StringBuilder sb = new StringBuilder();
        List<String> head = new ArrayList<>();
        for (String c : inColumns) head.add(quote(taken.contains(c) ? "input_" + c : c));
        head.addAll(outColumns);
        sb.append(String.join(",", head)).append('\n');
        for (int r = 0; r < rows; r++) {
            boolean first = true;
            for (String c : inCells[r]) {
                if (!first) sb.append(',');
                sb.append(quote(c));
                first = false;
            }
            for (int k = 0; k < oc; k++) {
                if (!first) sb.append(',');
                double v = values[r * oc + k];
                if (!Double.isNaN(v)) sb.append(v);
                first = false;
            }
            sb.append('\n');
        }
        AtomicFiles.writeString(out, sb.toString());
    }

    /**
     * Writes the {@code actions} output for a stream set.
     *
     * @param actions     [n·3] (J_R, L_z, J_z), kpc km/s
     * @param angles      [n·3] (θ_R, θ_φ, θ_z), radians; wrapped into [0, 2π) here
     * @param frequencies [n·3] (Ω_R, Ω_φ, Ω_z) km/s/kpc, or null when the model has none
     * @param std         [n·k] Monte-Carlo standard deviations of the k = 6 or 9 columns above, or null
     */
    public static void writeActions(Path out, List<String> inColumns, String[][] inCells, double[] actions, double[] angles, double[] frequencies,
                                    double[] std) throws IOException {
        writeActions(out, inColumns, inCells, actions, angles, frequencies, null, std);
    }

    /**
     * As above, with {@link #STREAM_ACTIONS} columns (streamActions: n·3 values, each star's stream mean
     * of J″; null for none) after the action-angle and frequency columns and before the *_std ones.
     */
    public static void writeActions(Path out, List<String> inColumns, String[][] inCells, double[] actions, double[] angles, double[] frequencies,
                                    double[] streamActions, double[] std) throws IOException {
        int n = inCells.length;
        if (streamActions != null && streamActions.length != 3 * n) throw new IllegalArgumentException("stream actions do not hold 3 values for each of " + n + " rows");
        if (actions.length != 3 * n || angles.length != 3 * n) throw new IllegalArgumentException("actions/angles do not hold 3 values for each of " + n + " rows");
        if (frequencies != null && frequencies.length != 3 * n) throw new IllegalArgumentException("frequencies do not hold 3 values for each of " + n + " rows");
        List<String> cols = new ArrayList<>(ACTION_ANGLE);
        if (frequencies != null) cols.addAll(FREQUENCIES);
        int base = cols.size();
        if (streamActions != null) cols.addAll(STREAM_ACTIONS);
        int at = cols.size();
        if (std != null) {
            if (std.length != base * n) throw new IllegalArgumentException("std holds " + std.length + " values, expected " + base + " per row");
            for (int k = 0; k < base; k++) cols.add(cols.get(k) + "_std");
        }
        int oc = cols.size();
        double[] v = new double[n * oc];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < 3; k++) {
                v[r * oc + k] = actions[3 * r + k];
                v[r * oc + 3 + k] = wrap(angles[3 * r + k]);
                if (frequencies != null) v[r * oc + 6 + k] = frequencies[3 * r + k];
                if (streamActions != null) v[r * oc + base + k] = streamActions[3 * r + k];
            }
            if (std != null) System.arraycopy(std, r * base, v, r * oc + at, base);
        }
        writeTable(out, inColumns, inCells, cols, v);
    }

    /** An angle in [0, 2π). */
    public static double wrap(double a) {
        double t = 2 * Math.PI;
        double w = a - t * Math.floor(a / t);
        return w >= t ? 0 : w;
    }

    // ---------------------------------------------------------------- other inputs of the CLI

    /** Rows of a CSV with required numeric columns and the whole row kept for echoing. */
    public record Rows(Path source, List<String> columns, String[][] cells, double[] values, int width) {
        public int rows() {
            return cells.length;
        }
    }

    /**
     * Reads the named numeric columns of a CSV, keeping every row's cells; a missing column, NaN,
     * infinity or non-number fails naming file, line and column; an empty file fails.
     */
    public static Rows readColumns(Path file, List<String> wanted, String what) throws IOException {
        Table t = Table.read(file);
        List<String> miss = wanted.stream().filter(c -> !t.columns.contains(c)).toList();
        if (!miss.isEmpty()) {
            throw new IOException(file + ": missing column" + (miss.size() > 1 ? "s " : " ") + String.join(", ", miss.stream().map(c -> "'" + c + "'").toList())
                + " (" + what + " needs " + String.join(",", wanted) + "; header: " + String.join(",", t.columns) + ")");
        }
        if (t.cells.length == 0) throw new IOException(file + ": no data rows after the header");
        int w = wanted.size(), n = t.cells.length;
        double[] v = new double[n * w];
        for (int k = 0; k < w; k++) {
            double[] c = t.numbers(wanted.get(k));
            for (int i = 0; i < n; i++) v[i * w + k] = c[i];
        }
        return new Rows(file, t.columns, t.cells, v, w);
    }
}
