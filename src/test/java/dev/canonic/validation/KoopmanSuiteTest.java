package dev.canonic.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validation suites at a reduced size: far from the targets, but they still fail if nothing is
 * learned (the action error must be at least 100× below the spread of the true actions) or if the
 * report is incomplete.
 */
class KoopmanSuiteTest {
    static double num(Map<String, Object> m, String k) {
        return ((Number) m.get(k)).doubleValue();
    }

    void check(String suite, Path dir) throws Exception {
        check(suite, dir, 100, 5e-3, 0.05);
    }

    /** factor: how far below the spread of true actions the action rms error must be. */
    void check(String suite, Path dir, double factor, double freqTol, double angleTol) throws Exception {
        Map<String, Object> m = Suites.koopman().get(suite).run(dir, KoopmanSuite.Size.quick(), 3, false);
        double spread = num(m, "reference_action_std");
        double rms = Math.sqrt(num(m, "action_mse"));
        assertTrue(rms < spread / factor, suite + ": action rms error " + rms + " not " + factor + "× below the action spread " + spread);
        assertTrue(num(m, "encode_decode_max_abs") < 1e-12, suite + ": encode-decode " + num(m, "encode_decode_max_abs"));
        assertTrue(Math.sqrt(num(m, "frequency_mse")) < freqTol, suite + ": frequency rms error " + Math.sqrt(num(m, "frequency_mse")));
        assertTrue(num(m, "angle_rms_residual") < angleTol, suite + ": angle rms error " + num(m, "angle_rms_residual"));
        assertTrue(num(m, "max_abs_orbit_action_residual") < num(m, "max_abs_action_residual") / 3, suite + ": orbit action error "
            + num(m, "max_abs_orbit_action_residual") + " not well below the pointwise one " + num(m, "max_abs_action_residual"));
        for (String k : new String[] {"frequency_mse", "action_mse", "max_abs_action_residual", "max_abs_frequency_residual",
            "max_abs_orbit_action_residual", "max_abs_orbit_frequency_residual", "encode_decode_max_abs", "rollout_max_abs_residual", "train_seconds", "threads", "backend", "seed"}) {
            assertTrue(m.containsKey(k), suite + ": metric " + k + " missing");
        }
        String json = Files.readString(dir.resolve(suite + ".json"));
        assertTrue(json.contains("\"rollout_max_abs_residual\""), json);
        String md = Files.readString(dir.resolve(suite + ".md"));
        for (String png : new String[] {"training", "phase-J", "phase-theta", "orbit-theta", "orbit-J", "J-Omega", "residuals", "orbit-residuals", "encode-decode", "rollout"}) {
            Path f = dir.resolve(suite + "-" + png + ".png");
            assertTrue(Files.size(f) > 1000, "figure " + f + " missing or empty");
            assertTrue(md.contains(suite + "-" + png + ".png"), "report does not show " + png);
        }
    }

    @Test
    void oscillatorLearnsActionsAnglesAndFrequency(@TempDir Path dir) throws Exception {
        check("oscillator", dir);
    }

    @Test
    void slabLearnsActionsAnglesAndFrequencies(@TempDir Path dir) throws Exception {
        check("slab", dir);
    }

    @Test
    void poschlTellerTrainsThroughAFile(@TempDir Path dir) throws Exception {
        // the frequency falls steeply towards the well's edge, which the reduced run resolves less well:
        // 20× (not 100×) below the action spread, frequencies (0.45–1.34) to 2e-2, angles to 0.2 rad rms
        check("poschl-teller", dir, 20, 2e-2, 0.2);
        assertTrue(Files.size(dir.resolve("poschl-teller-trajectories.csv")) > 1000);
    }
}
