package dev.canonic.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model B's suites at their quick size (seconds): far from the targets, but they fail if nothing is
 * learned — the within-stream spread of J_R″ must fall well below the toy's, and the action error
 * below the toy's own — or if a report is incomplete.
 */
class ActionFinderSuiteTest {
    static double num(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    @SuppressWarnings("unchecked")
    void isochroneQuick(@TempDir Path dir) throws Exception {
        Map<String, Object> m = Suites.all().get("isochrone").run(dir, true, 1, false);
        for (String k : new String[] {"backend", "preset", "seed", "cases", "train_seconds", "meets_target"}) assertTrue(m.containsKey(k), k);
        Map<String, Object> cases = (Map<String, Object>) m.get("cases");
        assertTrue(cases.keySet().containsAll(List.of("exact", "low10", "high10", "high20")), cases.keySet().toString());
        for (Map.Entry<String, Object> e : cases.entrySet()) {
            Map<String, Object> c = (Map<String, Object>) e.getValue();
            for (String k : new String[] {"action_mad", "action_rel_error", "angle_mad_deg", "accel_rel_error", "inverse_dx_kpc", "inverse_dv_kms", "orbits",
                "train_seconds"}) {
                assertTrue(c.containsKey(k), e.getKey() + ": " + k);
            }
            assertTrue(num(c.get("accel_rel_error")) < 0.2, e.getKey() + ": acceleration error " + c.get("accel_rel_error"));
            if (e.getKey().equals("exact")) {
                assertTrue(num(c.get("action_rel_error")) < 1e-3, "exact toy: action error " + c.get("action_rel_error"));
                continue;
            }
            double ratio = num(((List<Object>) c.get("spread_within_over_toy")).get(0));
            assertTrue(ratio < 0.7, e.getKey() + ": within-stream spread of J_R'' / the toy's = " + ratio);
            assertTrue(num(c.get("action_mad")) < 0.85 * num(c.get("toy_action_mad")), e.getKey() + ": action MAD " + c.get("action_mad") + " vs toy " + c.get("toy_action_mad"));
        }
        String md = Files.readString(dir.resolve("isochrone.md"));
        for (String f : new String[] {"isochrone-loss.png", "isochrone-high10-actions.png", "isochrone-high10-angles.png", "isochrone-high10-acceleration.png",
            "isochrone-high10-inverse.png"}) {
            assertTrue(Files.size(dir.resolve(f)) > 1000, f);
            assertTrue(md.contains(f), f);
        }
        assertTrue(Files.readString(dir.resolve("isochrone.json")).contains("\"high20\""));
    }

    @Test
    @SuppressWarnings("unchecked")
    void hernquistQuickThroughTheUsersFiles(@TempDir Path dir) throws Exception {
        Map<String, Object> m = Suites.all().get("hernquist").run(dir, true, 1, false);
        for (String k : new String[] {"action_rel_mad", "JR_rel_mad", "Lz_rel_mad", "Jz_rel_mad", "angle_mad_deg", "streams", "train_seconds", "backend", "preset", "seed"}) {
            assertTrue(m.containsKey(k), k);
        }
        double ratio = num(((List<Object>) m.get("spread_within_over_toy")).get(0));
        assertTrue(ratio < 0.97, "within-stream spread of J_R'' / the toy's = " + ratio);
        // the toy chosen from the data (least action spread along the streams) is already within ~6 % in J_R; on 32 training
        // streams the networks flatten J_R'' within streams (above) but need not beat that toy on independent streams
        assertTrue(num(m.get("action_rel_mad")) < 0.1, "action_rel_mad " + m.get("action_rel_mad"));
        assertTrue(num(m.get("action_rel_mad")) < 1.1 * num(m.get("toy_action_rel_mad")), m.get("action_rel_mad") + " vs toy " + m.get("toy_action_rel_mad"));
        assertTrue(m.containsKey("action_mad_within_data") && m.containsKey("streams_beyond_data"));
        for (String f : new String[] {"hernquist-streams.csv", "hernquist-evaluation.csv", "hernquist-actions.csv", "hernquist-loss.png", "hernquist-actions.png",
            "hernquist-angles.png", "hernquist.md", "hernquist.json"}) {
            assertTrue(Files.size(dir.resolve(f)) > 100, f);
        }
    }
}
