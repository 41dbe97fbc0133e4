package dev.canonic.cli;

import dev.canonic.io.OrbitCsv;
import dev.canonic.models.koopman.KoopmanFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The user's path: a trajectory CSV → train koopman → actions → orbit, and bad input named. */
class UserPathTest {
    static final double W0 = 0.5;

    /** Harmonic-oscillator trajectories as a user would write them (J uniform in [0.2, 2]). */
    static double[] jOf(int s) {
        return new double[] {0.2 + 1.8 * (s + 0.5) / 16};
    }

    static void writeOscillator(Path f, int orbits, int samples, double dt) throws IOException {
        StringBuilder b = new StringBuilder("orbit_id,t,z,vz,comment\n");
        Random g = new Random(5);
        for (int s = 0; s < orbits; s++) {
            double j = jOf(s)[0], t0 = 2 * Math.PI * g.nextDouble();
            for (int k = 0; k < samples; k++) {
                double a = t0 + W0 * k * dt;
                b.append(s).append(',').append(k * dt).append(',').append(Math.sqrt(2 * j / W0) * Math.sin(a)).append(',')
                    .append(Math.sqrt(2 * j * W0) * Math.cos(a)).append(",x\n");
            }
        }
        Files.writeString(f, b.toString());
    }

    @Test
    void trainActionsAndOrbitFromAFile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("ho.csv"), model = dir.resolve("ho-model.npz"), acts = dir.resolve("acts.csv"), orb = dir.resolve("orbit.csv");
        writeOscillator(data, 16, 100, 0.1);
        assertEquals(0, Main.execute("train", "koopman", "--data", data.toString(), "--out", model.toString(), "--epochs", "6",
            "--lbfgs", "200", "--no-progress"));
        assertEquals(0, Main.execute("actions", "--model", model.toString(), "--input", data.toString(), "--out", acts.toString()));
        OrbitCsv.Table t = OrbitCsv.read(acts, List.of("orbit_id", "J", "theta", "Omega"));
        double[] id = t.column("orbit_id"), j = t.column("J"), w = t.column("Omega");
        double err = 0, spread = 0, mean = 0;
        for (int i = 0; i < j.length; i++) mean += jOf((int) id[i])[0] / j.length;
        for (int i = 0; i < j.length; i++) {
            double tj = jOf((int) id[i])[0];
            err += (j[i] - tj) * (j[i] - tj) / j.length;
            spread += (tj - mean) * (tj - mean) / j.length;
            assertEquals(W0, w[i], 0.01);
        }
        assertTrue(Math.sqrt(err) < Math.sqrt(spread) / 100, "action rms error " + Math.sqrt(err) + " vs spread " + Math.sqrt(spread));
        // the orbit action: one value per orbit, closer to the truth than the pointwise J
        OrbitCsv.Table to = OrbitCsv.read(acts, List.of("orbit_id", "J_orbit", "Omega_orbit"));
        double[] jo = to.column("J_orbit"), wo = to.column("Omega_orbit");
        double errO = 0;
        for (int i = 0; i < jo.length; i++) {
            if (i > 0 && id[i] == id[i - 1]) assertEquals(jo[i - 1], jo[i], 0.0, "J_orbit is one value per orbit");
            double tj = jOf((int) id[i])[0];
            errO += (jo[i] - tj) * (jo[i] - tj) / jo.length;
            assertEquals(W0, wo[i], 0.01);
        }
        assertTrue(errO < err, "orbit action rms error " + Math.sqrt(errO) + " vs pointwise " + Math.sqrt(err));
        assertEquals(0, Main.execute("orbit", "--model", model.toString(), "--J", "1.0", "--theta", "0.3", "--times", "0:10:0.5", "--out", orb.toString()));
        OrbitCsv.Table o = OrbitCsv.read(orb, List.of("t", "z", "vz"));
        assertEquals(21, o.rows());
        double[] z = o.column("z"), v = o.column("vz");
        for (int k = 0; k < z.length; k++) {
            double e = (v[k] * v[k] + W0 * W0 * z[k] * z[k]) / (2 * W0);
            assertEquals(1.0, e, 0.02, "decoded orbit's oscillator action");
        }
    }

    @Test
    void twoDegreesOfFreedomGiveOrbitActionsPerComponent(@TempDir Path dir) throws Exception {
        // two uncoupled oscillators, ω = (0.5, 0.8): J_i = (p_i² + ω_i² q_i²) / (2 ω_i)
        double[] w = {0.5, 0.8};
        Path data = dir.resolve("ho2.csv"), model = dir.resolve("ho2.npz"), acts = dir.resolve("acts2.csv");
        StringBuilder b = new StringBuilder("orbit_id,t,q1,q2,p1,p2\n");
        Random g = new Random(9);
        int orbits = 12, samples = 160;
        for (int s = 0; s < orbits; s++) {
            double[] j = {0.3 + 1.2 * g.nextDouble(), 0.3 + 1.2 * g.nextDouble()}, ph = {6.3 * g.nextDouble(), 6.3 * g.nextDouble()};
            for (int k = 0; k < samples; k++) {
                double t = 0.2 * k;
                b.append(s).append(',').append(t);
                for (int i = 0; i < 2; i++) b.append(',').append(Math.sqrt(2 * j[i] / w[i]) * Math.sin(ph[i] + w[i] * t));
                for (int i = 0; i < 2; i++) b.append(',').append(Math.sqrt(2 * j[i] * w[i]) * Math.cos(ph[i] + w[i] * t));
                b.append('\n');
            }
        }
        Files.writeString(data, b.toString());
        assertEquals(0, Main.execute("train", "koopman", "--data", data.toString(), "--out", model.toString(), "--epochs", "3",
            "--lbfgs", "60", "--no-progress"));
        assertEquals(0, Main.execute("actions", "--model", model.toString(), "--input", data.toString(), "--out", acts.toString()));
        OrbitCsv.Table t = OrbitCsv.read(acts, List.of("orbit_id", "q1", "q2", "p1", "p2", "J1", "J2", "theta1", "theta2", "Omega1", "Omega2",
            "J1_orbit", "J2_orbit", "Omega1_orbit", "Omega2_orbit"));
        double[] id = t.column("orbit_id");
        for (int i = 0; i < 2; i++) {
            double[] jo = t.column("J" + (i + 1) + "_orbit"), wo = t.column("Omega" + (i + 1) + "_orbit");
            for (int r = 1; r < jo.length; r++) {
                assertTrue(Double.isFinite(jo[r]) && Double.isFinite(wo[r]), "finite orbit columns");
                if (id[r] == id[r - 1]) {
                    assertEquals(jo[r - 1], jo[r], 0.0, "J" + (i + 1) + "_orbit is one value per orbit");
                    assertEquals(wo[r - 1], wo[r], 0.0, "Omega" + (i + 1) + "_orbit is one value per orbit");
                }
            }
            // the orbit action is closer to the truth than the pointwise one (a short training leaves a visible ripple)
            double[] q = t.column("q" + (i + 1)), p = t.column("p" + (i + 1)), jp = t.column("J" + (i + 1));
            double ep = 0, eo = 0;
            for (int r = 0; r < jo.length; r++) {
                double tj = (p[r] * p[r] + w[i] * w[i] * q[r] * q[r]) / (2 * w[i]);
                ep += (jp[r] - tj) * (jp[r] - tj);
                eo += (jo[r] - tj) * (jo[r] - tj);
            }
            System.out.printf("2-dof J%d rms error: pointwise %.3e, orbit %.3e%n", i + 1, Math.sqrt(ep / jo.length), Math.sqrt(eo / jo.length));
            assertTrue(eo < ep, "J" + (i + 1) + ": orbit rms error " + Math.sqrt(eo / jo.length) + " vs pointwise " + Math.sqrt(ep / jo.length));
        }
        // the reference-free checks train koopman prints: halves of each orbit agree better on J_orbit than J varies along the orbit
        java.util.List<double[][]> orbs = new java.util.ArrayList<>();
        double[] q1 = t.column("q1"), q2 = t.column("q2"), p1 = t.column("p1"), p2 = t.column("p2");
        for (int o = 0; o < orbits; o++) {
            double[][] x = new double[samples][];
            for (int k = 0; k < samples; k++) {
                int r = o * samples + k;
                x[k] = new double[] {q1[r], q2[r], p1[r], p2[r]};
            }
            orbs.add(x);
        }
        dev.canonic.models.koopman.KoopmanModel km = KoopmanFiles.load(model);
        double[] halves = TrainCommand.halfSplitRatio(km, orbs, 2), along = TrainCommand.spreadRatio(km, orbs, 2);
        assertEquals(orbits, halves[2], 0.0, "every half covers more than a period of both oscillators");
        for (int i = 0; i < 2; i++) assertTrue(halves[i] < along[i], "J" + (i + 1) + ": halves " + halves[i] + " vs along-orbit spread " + along[i]);
    }

    @Test
    void resumeFromTheCommandLineGivesTheSameModelFile(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("ho.csv"), a = dir.resolve("a.npz"), b = dir.resolve("b.npz");
        writeOscillator(data, 8, 60, 0.1);
        String[] common = {"--data", data.toString(), "--epochs", "2", "--lbfgs", "5", "--no-progress"};
        assertEquals(0, Main.execute(concat(new String[] {"train", "koopman", "--out", a.toString()}, common)));
        assertTrue(Files.exists(dir.resolve("a.checkpoint.npz")), "checkpoint beside the model");
        // b: resumed from a's checkpoint after its last epoch; only L-BFGS and calibration run again
        Files.copy(dir.resolve("a.checkpoint.npz"), dir.resolve("b.checkpoint.npz"));
        assertEquals(0, Main.execute(concat(new String[] {"train", "koopman", "--out", b.toString(), "--resume"}, common)));
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), "resumed model file differs");
    }

    private static String[] concat(String[] x, String[] y) {
        String[] out = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, out, x.length, y.length);
        return out;
    }

    @Test
    void badFilesAreNamedWithTheirProblem(@TempDir Path dir) throws Exception {
        String[][] cases = {
            {"orbit_id,t,z\n0,0,1\n", "no coordinate columns"},
            {"orbit_id,t,z,vz\n", "no data rows"},
            {"orbit_id,t,z,vz\n0,0,1,0\n0,0.1,NaN,0\n0,0.2,1,0\n1,0,1,0\n1,0.1,1,0\n1,0.2,1,0\n", "row 2 column 'z'"},
            {"orbit_id,t,z,vz\n0,0,1,0\n0,0.1,1,0\n0,0.1,1,0\n1,0,1,0\n1,0.1,1,0\n1,0.2,1,0\n", "orbit 0: times not increasing"},
            {"orbit_id,t,z,vz\n0,0,1,0\n0,0.1,1,0\n0,0.2,1,0\n1,0,1,0\n1,0.2,1,0\n1,0.4,1,0\n", "orbit 1 has step 0.2"},
            {"orbit_id,t,z,vz\n0,0,1,0\n0,0.1,1,0\n0,0.2,1,0\n", "at least 2 orbits"},
            {"orbit_id,t,z,vz\n0,0,1,0\n0,0.1,1,0\n1,0,1,0\n1,0.1,1,0\n1,0.2,1,0\n", "orbit 0 has 2 samples"},
            {"orbit_id,t,z,vz\n0,0,1,0\n0,0.1,1,0\n0,0.2,1,0\n1,0,1,0\n1,0.1,1,0\n1,0.2,1,0\n0,0.3,1,0\n", "not grouped"},
        };
        for (String[] c : cases) {
            Path f = dir.resolve("bad.csv");
            Files.writeString(f, c[0]);
            IOException e = assertThrows(IOException.class, () -> KoopmanFiles.readTrajectories(f, 3));
            assertTrue(e.getMessage().contains(c[1]) && e.getMessage().contains("bad.csv"), "expected '" + c[1] + "' in: " + e.getMessage());
        }
        Path notModel = dir.resolve("x.npz");
        dev.canonic.io.Npz.write(notModel, java.util.Map.of("a", new dev.canonic.io.NdArray(new double[] {1}, new int[] {1})));
        IOException e = assertThrows(IOException.class, () -> KoopmanFiles.load(notModel));
        assertTrue(e.getMessage().contains("not a Canonic model-A"), e.getMessage());
    }
}
