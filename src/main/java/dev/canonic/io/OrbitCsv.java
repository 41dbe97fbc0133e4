package dev.canonic.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Comma-separated tables of float64 columns with a header line (what numpy.genfromtxt(names=True)
 * and pandas.read_csv read). Values are written with Double.toString, which round-trips exactly;
 * empty cells read as NaN.
 */
public final class OrbitCsv {
    private OrbitCsv() {
    }

    /** A table: column names and row-major values [rows][names.length]. */
    public record Table(List<String> names, double[] values) {
        public Table {
            names = List.copyOf(names);
            if (names.isEmpty() || values.length % names.size() != 0) {
                throw new IllegalArgumentException(values.length + " values do not fill rows of " + names.size() + " columns");
            }
        }

        public int rows() {
            return values.length / names.size();
        }

        /** One column by name; a missing column fails naming the ones present. */
        public double[] column(String name) {
            int c = names.indexOf(name);
            if (c < 0) throw new IllegalArgumentException("no column '" + name + "'; columns: " + String.join(",", names));
            double[] out = new double[rows()];
            for (int i = 0; i < out.length; i++) out[i] = values[i * names.size() + c];
            return out;
        }
    }

    /** Writes a table atomically. Extra string columns may be given per row in `text` (null for none). */
    public static void write(Path path, List<String> names, double[] values, Map<String, String[]> text) throws IOException {
        Table t = new Table(names, values);
        int nc = names.size(), rows = t.rows();
        Map<String, String[]> tx = text == null ? Map.of() : text;
        for (Map.Entry<String, String[]> e : tx.entrySet()) {
            if (e.getValue().length != rows) throw new IllegalArgumentException("text column " + e.getKey() + " has " + e.getValue().length + " rows, expected " + rows);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.join(",", names));
        for (String k : tx.keySet()) sb.append(',').append(k);
        sb.append('\n');
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < nc; c++) {
                if (c > 0) sb.append(',');
                double v = values[i * nc + c];
                if (!Double.isNaN(v)) sb.append(v);
            }
            for (String[] col : tx.values()) sb.append(',').append(quote(col[i] == null ? "" : col[i]));
            sb.append('\n');
        }
        AtomicFiles.writeString(path, sb.toString());
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }

    /** Reads the named numeric columns (others ignored); a missing column or a bad number fails naming file, line and column. */
    public static Table read(Path path, List<String> wanted) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such CSV file");
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String header = in.readLine();
            if (header == null) throw new IOException(path + ": empty file, expected a header line");
            List<String> cols = new ArrayList<>();
            for (String h : header.split(",", -1)) cols.add(h.trim());
            int[] at = new int[wanted.size()];
            for (int k = 0; k < at.length; k++) {
                at[k] = cols.indexOf(wanted.get(k));
                if (at[k] < 0) throw new IOException(path + ": missing column '" + wanted.get(k) + "' (header: " + header + ")");
            }
            List<double[]> rows = new ArrayList<>();
            String line;
            int ln = 1;
            while ((line = in.readLine()) != null) {
                ln++;
                if (line.isBlank()) continue;
                String[] cells = line.split(",", -1);
                double[] r = new double[at.length];
                for (int k = 0; k < at.length; k++) {
                    if (at[k] >= cells.length) throw new IOException(path + ":" + ln + ": row has " + cells.length + " cells, column '" + wanted.get(k) + "' is number " + (at[k] + 1));
                    String c = cells[at[k]].trim();
                    try {
                        r[k] = c.isEmpty() ? Double.NaN : Double.parseDouble(c);
                    } catch (NumberFormatException ex) {
                        throw new IOException(path + ":" + ln + ": column '" + wanted.get(k) + "' holds '" + c + "', not a number");
                    }
                }
                rows.add(r);
            }
            double[] v = new double[rows.size() * at.length];
            for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, v, i * at.length, at.length);
            return new Table(wanted, v);
        }
    }

    /** All column names of a CSV file's header. */
    public static List<String> header(Path path) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            String h = in.readLine();
            if (h == null) throw new IOException(path + ": empty file, expected a header line");
            return Arrays.stream(h.split(",", -1)).map(String::trim).toList();
        }
    }

    /** Keeps insertion order: a helper for callers building tables. */
    public static Map<String, double[]> columns() {
        return new LinkedHashMap<>();
    }
}
