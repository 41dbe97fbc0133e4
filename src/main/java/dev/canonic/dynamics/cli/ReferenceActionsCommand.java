package dev.canonic.dynamics.cli;

import dev.canonic.dynamics.ReferenceSystem;
import dev.canonic.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code canonic reference-actions}: reference actions, angles and frequencies for every row of a
 * CSV file. Input columns z,vz (1D) or x,y,z,vx,vy,vz (3D, kpc and km/s); other columns are copied
 * through untouched. Output: each input line, then J,theta,Omega (1D) or
 * JR,Lz,Jz,thetaR,thetaphi,thetaz,OmegaR,Omegaphi,Omegaz (3D), then an error column. A row the
 * calculator refuses (unbound, NaN, unparsable) gets its reason in `error` and empty values; the
 * others go on. Cells are split on commas (no quoted commas in the input).
 */
@Command(name = "reference-actions", mixinStandardHelpOptions = true,
    description = "Reference actions, angles and frequencies for each row of a CSV of phase-space points.")
public final class ReferenceActionsCommand implements Callable<Integer> {
    @Option(names = "--system", required = true, description = "harmonic, slab, poschl-teller, isochrone, plummer, hernquist or nfw")
    String system;

    @Option(names = "--param", description = "system parameter k=v (repeatable): harmonic omega; slab sigma, z0; isochrone/plummer GM, b; hernquist GM, a; nfw GM, rs")
    List<String> params = new ArrayList<>();

    @Option(names = "--input", required = true, description = "input CSV with a header")
    Path input;

    @Option(names = "--out", required = true, description = "output CSV")
    Path out;

    @Override
    public Integer call() {
        try {
            ReferenceSystem sys = ReferenceSystem.of(system, GenerateCommand.parseParams(params));
            int bad = run(sys, input, out);
            System.out.println(out + ": reference values for " + sys + (bad > 0 ? " (" + bad + " rows refused, see column error)" : ""));
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("canonic reference-actions: " + e.getMessage());
            return 2;
        }
    }

    /** Double.parseDouble, also accepting numpy's nan, inf and -inf spellings. */
    static double parse(String c) {
        switch (c.toLowerCase(java.util.Locale.ROOT)) {
            case "nan": return Double.NaN;
            case "inf": case "+inf": case "infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            default: return Double.parseDouble(c);
        }
    }

    /** Computes the output file; returns the number of refused rows. */
    public static int run(ReferenceSystem sys, Path input, Path out) throws IOException {
        if (!Files.exists(input)) throw new NoSuchFileException(input.toString(), null, "no such input CSV");
        List<String> lines = Files.readAllLines(input, StandardCharsets.UTF_8);
        if (lines.isEmpty()) throw new IOException(input + ": empty file, expected a header line");
        String header = lines.get(0);
        List<String> cols = new ArrayList<>();
        for (String h : header.split(",", -1)) cols.add(h.trim());
        String[] need = sys.phaseColumns();
        int[] at = new int[need.length];
        for (int k = 0; k < need.length; k++) {
            at[k] = cols.indexOf(need[k]);
            if (at[k] < 0) throw new IOException(input + ": missing column '" + need[k] + "' (system " + sys.name() + " needs " + String.join(",", need) + ")");
        }
        int d = sys.dim(), nref = sys.referenceColumns().length;
        StringBuilder sb = new StringBuilder(header).append(',').append(String.join(",", sys.referenceColumns())).append(",error\n");
        int bad = 0;
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) continue;
            String[] cells = line.split(",", -1);
            String err = null;
            double[] ref = null;
            try {
                double[] q = new double[d], p = new double[d];
                for (int k = 0; k < need.length; k++) {
                    if (at[k] >= cells.length) throw new IllegalArgumentException("row has no cell for column " + need[k]);
                    String c = cells[at[k]].trim();
                    double v;
                    try {
                        v = parse(c);
                    } catch (NumberFormatException ex) {
                        throw new IllegalArgumentException("column " + need[k] + " holds '" + c + "', not a number");
                    }
                    if (k < d) q[k] = v; else p[k - d] = v;
                }
                ref = sys.reference(q, p);
            } catch (IllegalArgumentException | ArithmeticException ex) {
                err = ex.getMessage();
                bad++;
            }
            sb.append(line);
            for (int k = 0; k < nref; k++) sb.append(',').append(ref == null ? "" : Double.toString(ref[k]));
            sb.append(',');
            if (err != null) sb.append('"').append(err.replace("\"", "'").replace('\n', ' ')).append('"');
            sb.append('\n');
        }
        AtomicFiles.writeString(out, sb.toString());
        return bad;
    }

}
