package dev.canonic.models.actionfinder;

import dev.canonic.dynamics.OrbitDatasets;
import dev.canonic.dynamics.ReferenceSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActionFinderTrainerTest {
    static OrbitDatasets.StreamSample sample;

    /** The paper's isochrone (GM = 1.5e6 kpc³/Gyr² = 1.434e6 kpc (km/s)², b = 5 kpc), halo sampling, N = 8. */
    static synchronized OrbitDatasets.StreamSample isochroneStreams() {
        if (sample == null) {
            ReferenceSystem sys = ReferenceSystem.of("isochrone", Map.of());
            OrbitDatasets.Config cfg = OrbitDatasets.Config.defaults(sys);
            cfg = new OrbitDatasets.Config(cfg.duration(), 1e-4, 1e-6, cfg.integrator(), OrbitDatasets.Sampling.HALO, cfg.jMin(), cfg.jMax());
            sample = OrbitDatasets.streams(sys, 256, 8, 42, cfg);
        }
        return sample;
    }

    static long[] ids(OrbitDatasets.StreamSample s) {
        long[] ids = new long[s.stream().length];
        for (int i = 0; i < ids.length; i++) ids[i] = s.stream()[i];
        return ids;
    }

    /** Mean over streams and components of mean |J − ⟨J⟩_stream| (kpc km/s). */
    static double spread(double[] j, Streams st) {
        int[][] m = st.members();
        double tot = 0;
        int cnt = 0;
        for (int[] rows : m) {
            for (int k = 0; k < 3; k++) {
                double mean = 0;
                for (int r : rows) mean += j[3 * r + k];
                mean /= rows.length;
                for (int r : rows) {
                    tot += Math.abs(j[3 * r + k] - mean);
                    cnt++;
                }
            }
        }
        return tot / cnt;
    }

    @Test
    void learnsToReduceTheSpreadOfActionsWithinStreams() throws Exception {
        OrbitDatasets.StreamSample s = isochroneStreams();
        double gm = ReferenceSystem.PAPER_GM * 1.2, b = 6.0;   // toy 20 % off in both parameters, fixed
        ActionFinderModel m = new ActionFinderModel(ActionFinderConfig.cpu(), gm, b, true, 5);
        ActionFinderTrainer tr = new ActionFinderTrainer(m, s.phase(), ids(s), ActionFinderTrainer.Settings.defaults(30, 1).withLr(2e-3).withBatchStreams(16))
            .progress(System.out::println);
        ActionFinderTrainer.History h = tr.train();
        int[] test = tr.split().test();
        Streams all = Streams.of(ids(s), 2);
        int[] rows = all.rowsOf(test);
        double[] xv = new double[6 * rows.length];
        for (int i = 0; i < rows.length; i++) System.arraycopy(s.phase(), 6 * rows[i], xv, 6 * i, 6);
        Streams st = all.subset(rows);
        double toySpread = spread(m.toy().actionAngle(xv, rows.length)[0], st);
        double learned = spread(m.actionsAngles(xv, st)[0], st);
        System.out.printf("within-stream spread of J on test streams: toy %.3f, J'' %.3f kpc km/s (ratio %.3f); best epoch %d, %.1f s%n",
            toySpread, learned, learned / toySpread, h.bestEpoch() + 1, h.seconds());
        assertTrue(learned < 0.5 * toySpread, "spread of J'' " + learned + " not well below the toy's " + toySpread);
    }
}
