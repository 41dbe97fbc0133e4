package dev.canonic.cli;

import dev.canonic.dynamics.Astrometry;
import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import dev.canonic.models.actionfinder.data.StreamFiles;
import dev.canonic.models.actionfinder.data.SuiteStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model B on the user's path: a stream file → train actionfinder → actions → train acceleration → acceleration, inverse; bad input named. */
class ActionFinderUserPathTest {
    static SuiteStreams.Suite streams;

    @BeforeAll
    static void data() {
        streams = SuiteStreams.isochrone(20, 6, 11);
    }

    /** Runs the program, returning {exit code, stderr}. */
    static Object[] run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true));
        try {
            int rc = Main.execute(args);
            return new Object[] {rc, err.toString()};
        } finally {
            System.setErr(old);
        }
    }

    static String[] train(Path data, Path model, String... more) {
        List<String> a = new java.util.ArrayList<>(List.of("train", "actionfinder", "--data", data.toString(), "--out", model.toString(), "--batch", "5", "--no-progress"));
        List<String> m = List.of(more);
        if (!m.contains("--epochs")) a.addAll(List.of("--epochs", "3"));
        if (!m.contains("--inverse-epochs")) a.addAll(List.of("--inverse-epochs", "3"));
        a.addAll(m);
        return a.toArray(new String[0]);
    }

    @Test
    void trainActionsAccelerationInverseFromAnObservablesFile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("streams.csv"), model = dir.resolve("m.npz"), acts = dir.resolve("acts.csv"), acc = dir.resolve("acc.csv"), inv = dir.resolve("xv.csv");
        SuiteStreams.writeStreams(data, streams, Astrometry.paper());
        assertEquals(0, run(train(data, model))[0]);
        assertTrue(Files.exists(model));
        assertEquals(0, run("actions", "--model", model.toString(), "--input", data.toString(), "--out", acts.toString())[0]);
        List<String> head = List.of(Files.readAllLines(acts).get(0).split(","));
        assertEquals(List.of("orbit_id", "t", "d", "l", "b", "vh", "mul", "mub", "JR", "Lz", "Jz", "thetaR", "thetaphi", "thetaz", "JR_stream", "Lz_stream", "Jz_stream"), head);
        StreamFiles.Rows r = StreamFiles.readColumns(acts, StreamFiles.ACTION_ANGLE, "test");
        // the *_stream columns hold each stream's mean of JR, Lz, Jz
        StreamFiles.Rows sm = StreamFiles.readColumns(acts, StreamFiles.STREAM_ACTIONS, "test");
        int[] st = streams.set().stream();
        for (int q = 0; q < streams.set().streams(); q++) {
            double[] mean = new double[3];
            int c = 0;
            for (int i = 0; i < r.rows(); i++) if (st[i] == q) { c++; for (int k = 0; k < 3; k++) mean[k] += r.values()[6 * i + k]; }
            for (int i = 0; i < r.rows(); i++) if (st[i] == q) for (int k = 0; k < 3; k++) assertEquals(mean[k] / c, sm.values()[3 * i + k], 1e-9 * (1 + Math.abs(mean[k] / c)));
        }
        assertEquals(streams.set().stars(), r.rows());
        for (int i = 0; i < r.rows(); i++) {
            for (int k = 3; k < 6; k++) assertTrue(r.values()[6 * i + k] >= 0 && r.values()[6 * i + k] < 2 * Math.PI);
            // with a few epochs from the toy's start, J″ stays within 5 % of the true L_z
            assertEquals(streams.reference()[9 * i + 1], r.values()[6 * i + 1], 0.05 * Math.abs(streams.reference()[9 * i + 1]) + 5);
        }
        // --mc needs dropout, which the cpu preset does not have
        Object[] mc = run("actions", "--model", model.toString(), "--input", data.toString(), "--out", acts.toString(), "--mc", "4");
        assertEquals(1, mc[0]);
        assertTrue(((String) mc[1]).contains("no dropout"), (String) mc[1]);
        // phase two, then frequencies appear
        assertEquals(0, run("train", "acceleration", "--model", model.toString(), "--data", data.toString(), "--epochs", "2", "--no-progress")[0]);
        assertEquals(0, run("actions", "--model", model.toString(), "--input", data.toString(), "--out", acts.toString())[0]);
        StreamFiles.Rows w = StreamFiles.readColumns(acts, StreamFiles.FREQUENCIES, "test");
        for (int i = 0; i < w.rows(); i++) {
            // two epochs from the toy's acceleration: only the sign and scale are checked here (the suites measure accuracy)
            double ref = streams.reference()[9 * i + 6];
            assertTrue(w.values()[3 * i] > 0.3 * ref && w.values()[3 * i] < 3 * ref, "Omega_R of star " + i + ": " + w.values()[3 * i] + " vs " + ref);
        }
        assertEquals(0, run("train", "acceleration", "--model", model.toString(), "--data", data.toString(), "--potential", "isochrone")[0]);
        Path pts = dir.resolve("pts.csv");
        Files.writeString(pts, "name,x,y,z\na,8,0,0\nb,0,10,5\n");
        assertEquals(0, run("acceleration", "--model", model.toString(), "--input", pts.toString(), "--out", acc.toString())[0]);
        StreamFiles.Rows a = StreamFiles.readColumns(acc, List.of("ax", "ay", "az"), "test");
        assertTrue(a.values()[0] < 0, "acceleration at (8,0,0) points inward: " + a.values()[0]);
        assertEquals(0, run("inverse", "--model", model.toString(), "--input", acts.toString(), "--out", inv.toString())[0]);
        assertEquals(streams.set().stars(), StreamFiles.readColumns(inv, StreamFiles.XV, "test").rows());
    }

    @Test
    void resumeIsBitwiseIdentical(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("s.csv"), a = dir.resolve("a.npz"), b = dir.resolve("b.npz");
        SuiteStreams.writeStreams(data, streams, null);
        assertEquals(0, run(train(data, a, "--epochs", "4", "--inverse-epochs", "0"))[0]);
        // a 4-epoch run interrupted after epoch 2 (same learning-rate schedule), then resumed
        assertEquals(0, run(train(data, b, "--epochs", "2", "--schedule-epochs", "4", "--inverse-epochs", "0"))[0]);
        assertEquals(0, run(train(data, b, "--epochs", "4", "--inverse-epochs", "0", "--resume"))[0]);
        Map<String, NdArray> x = Npz.read(a), y = Npz.read(b);
        assertEquals(x.keySet(), y.keySet());
        for (String k : x.keySet()) assertArrayEquals(x.get(k).data(), y.get(k).data(), 0.0, k);
    }

    @Test
    void badInputIsNamedAndNothingIsWritten(@TempDir Path dir) throws Exception {
        Path one = dir.resolve("one.csv"), model = dir.resolve("m.npz");
        Files.writeString(one, "orbit_id,x,y,z,vx,vy,vz\n1,8,0,1,0,200,10\n1,8,1,1,0,200,10\n2,9,0,1,0,180,10\n");
        Object[] r = run(train(one, model));
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("one.csv") && ((String) r[1]).contains("single star") && ((String) r[1]).contains("orbit_id 2"), (String) r[1]);
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "orbit_id,x,y,z,vx,vy,vz\n1,8,0,1,0,200,10\n1,8,1,NaN,0,200,10\n");
        r = run(train(nan, model));
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("nan.csv:3") && ((String) r[1]).contains("'z'"), (String) r[1]);
        assertTrue(!Files.exists(model), "no model written on bad input");
        // unbound stars in a given toy are reported with their stream and excluded, never NaN
        Path data = dir.resolve("s.csv");
        SuiteStreams.writeStreams(data, streams, null);
        r = run(train(data, model, "--toy-GM", "1", "--toy-b", "5", "--fix-toy"));
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("fewer than 2 streams left"), (String) r[1]);
        r = run(train(data, model, "--loss", "median"));
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("--loss must be paper, spread or relative") && ((String) r[1]).contains("median"), (String) r[1]);
        assertTrue(!Files.exists(model), "no model written on a bad option");
        // the scale-free variant of Eq. 12 trains too
        assertEquals(0, run(train(data, model, "--loss", "relative", "--inverse-epochs", "0"))[0]);
        assertTrue(Files.exists(model));
        Files.delete(model);
        // a model-B command on a model without its phase-two network says what to run
        assertEquals(0, run(train(data, model, "--inverse-epochs", "0"))[0]);
        r = run("acceleration", "--model", model.toString(), "--input", data.toString(), "--out", dir.resolve("a.csv").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("train acceleration"), (String) r[1]);
        r = run("inverse", "--model", model.toString(), "--input", data.toString(), "--out", dir.resolve("a.csv").toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("inverse"), (String) r[1]);
    }
}
