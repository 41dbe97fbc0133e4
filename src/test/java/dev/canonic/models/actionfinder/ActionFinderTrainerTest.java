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
    void recyclingBuffersGivesBitwiseTheSameTraining() throws Exception {
        OrbitDatasets.StreamSample s = isochroneStreams();
        java.util.List<double[]> plain = null;
        for (boolean recycle : new boolean[] {false, true}) {
            ActionFinderModel m = new ActionFinderModel(ActionFinderConfig.cpu(), ReferenceSystem.PAPER_GM * 1.2, 6.0, false, 5);
            ActionFinderTrainer.History h = new ActionFinderTrainer(m, s.phase(), ids(s), ActionFinderTrainer.Settings.defaults(3, 1).withLr(2e-3).withBatchStreams(16))
                .recycleBuffers(recycle).train();
            java.util.List<double[]> out = new java.util.ArrayList<>(h.train());
            out.addAll(h.test());
            for (dev.canonic.nn.Parameter p : m.parameters()) out.add(p.value().toArray());
            if (plain == null) {
                plain = out;
                continue;
            }
            assertEquals(plain.size(), out.size());
            for (int i = 0; i < out.size(); i++) {
                for (int k = 0; k < out.get(i).length; k++) {
                    assertEquals(Double.doubleToRawLongBits(plain.get(i)[k]), Double.doubleToRawLongBits(out.get(i)[k]), "entry " + i + "[" + k + "]");
                }
            }
        }
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
        SpreadSummary sum = SpreadSummary.of(m.actionsAngles(xv, st)[0], st), toySum = SpreadSummary.of(m.toy().actionAngle(xv, rows.length)[0], st);
        System.out.print("J'' on test streams:\n" + sum + "toy:\n" + toySum);
        double meanWithin = (sum.within()[0] + sum.within()[1] + sum.within()[2]) / 3;
        assertEquals(learned, meanWithin, 1e-9 * learned);
        for (int k = 0; k < 3; k++) assertTrue(sum.ratio()[k] < 0.05, SpreadSummary.NAMES[k] + " within/across " + sum.ratio()[k]);
    }

    /** The first s streams of the isochrone sample: {xv, ids}. */
    static Object[] firstStreams(int s) {
        OrbitDatasets.StreamSample all = isochroneStreams();
        int n = 8 * s;
        return new Object[] {java.util.Arrays.copyOf(all.phase(), 6 * n), java.util.Arrays.copyOf(ids(all), n)};
    }

    static ActionFinderConfig withDropout() {
        ActionFinderConfig c = ActionFinderConfig.cpu();
        // dropout in the 64-wide block, so the checkpoint must carry the dropout counters
        dev.canonic.nn.ResDenseNet.Config g = new dev.canonic.nn.ResDenseNet.Config(9, 1, 32, 64, 3, 0.5, 32, dev.canonic.nn.ResDenseBlock.Form.EQUATION_11);
        return c.withNets(g, c.netP());
    }

    @Test
    void resumedRunIsBitwiseIdentical(@TempDir Path dir) throws Exception {
        Object[] d = firstStreams(24);
        double[] xv = (double[]) d[0];
        long[] ids = (long[]) d[1];
        double gm = ReferenceSystem.PAPER_GM * 1.1, b = 5.5;
        ActionFinderTrainer.Settings set = ActionFinderTrainer.Settings.defaults(4, 9).withLr(1e-3).withBatchStreams(5);
        ActionFinderModel a = new ActionFinderModel(withDropout(), gm, b, false, 3);
        ActionFinderTrainer.History ha = new ActionFinderTrainer(a, xv, ids, set.withCheckpoint(dir.resolve("a.npz"), 1, true)).train();

        Path ck = dir.resolve("b.npz");
        ActionFinderModel b1 = new ActionFinderModel(withDropout(), gm, b, false, 3);
        new ActionFinderTrainer(b1, xv, ids, set.withEpochs(2).withCheckpoint(ck, 1, true)).train();
        ActionFinderModel b2 = new ActionFinderModel(withDropout(), gm, b, false, 3);
        ActionFinderTrainer.History hb = new ActionFinderTrainer(b2, xv, ids, set.withCheckpoint(ck, 1, true)).train();

        assertEquals(4, hb.train().size());
        for (int e = 0; e < 4; e++) {
            assertArrayEquals(ha.train().get(e), hb.train().get(e), 0.0, "train losses of epoch " + (e + 1));
            assertArrayEquals(ha.test().get(e), hb.test().get(e), 0.0, "test losses of epoch " + (e + 1));
        }
        assertEquals(ha.bestEpoch(), hb.bestEpoch());
        for (var e : a.namedParameters().entrySet()) {
            assertArrayEquals(e.getValue().value().toArray(), b2.namedParameters().get(e.getKey()).value().toArray(), 0.0, e.getKey());
        }
        assertTrue(a.toy().gm() != gm, "the learnable toy GM did not move");
    }

    @Test
    void unboundStreamsAreNamedAndExcluded() {
        Object[] d = firstStreams(6);
        double[] xv = ((double[]) d[0]).clone();
        long[] ids = (long[]) d[1];
        xv[6 * 17 + 3] = 3000;  // a star of stream 2 far beyond escape speed
        ActionFinderModel m = new ActionFinderModel(ActionFinderConfig.cpu(), ReferenceSystem.PAPER_GM, 5, true, 1);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new ActionFinderTrainer(m, xv, ids, ActionFinderTrainer.Settings.defaults(1, 1)));
        assertTrue(ex.getMessage().contains("1 stream(s) (8 stars) excluded") && ex.getMessage().contains("[2]"), ex.getMessage());
        ActionFinderTrainer.Exclusion e = ActionFinderTrainer.excludeInvalid(xv, ids, ReferenceSystem.PAPER_GM, 5);
        assertArrayEquals(new long[] {2}, e.excludedStreams());
        assertEquals(40, e.ids().length);
    }

    @Test
    void streamsWithOneStarAreRefused() {
        Object[] d = firstStreams(3);
        long[] ids = ((long[]) d[1]).clone();
        ids[23] = 99;
        ActionFinderModel m = new ActionFinderModel(ActionFinderConfig.cpu(), ReferenceSystem.PAPER_GM, 5, true, 1);
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> new ActionFinderTrainer(m, (double[]) d[0], ids, ActionFinderTrainer.Settings.defaults(1, 1)));
        assertTrue(ex.getMessage().contains("stream 99 has 1 star(s)"), ex.getMessage());
    }

    @Test
    void nonFiniteLossNamesItsTerm() {
        Object[] d = firstStreams(6);
        ActionFinderModel m = new ActionFinderModel(ActionFinderConfig.cpu(), ReferenceSystem.PAPER_GM, 5, true, 1);
        // a NaN bias in P's output layer makes θ″ and hence every term NaN; the innermost term is named
        var p = m.netP().parameters().get(m.netP().parameters().size() - 1);
        p.set(dev.canonic.core.Tensor.full(Double.NaN, p.shape()));
        IllegalStateException ex = assertThrows(IllegalStateException.class,
            () -> new ActionFinderTrainer(m, (double[]) d[0], (long[]) d[1], ActionFinderTrainer.Settings.defaults(1, 1)).train());
        assertTrue(ex.getMessage().contains("before training: test loss term 'zero_point' is NaN"), ex.getMessage());
    }

    @Test
    void exactToyIsKeptExact() throws Exception {
        // issue 13's "exact" case in small: toy GM, b fixed at the true values; the result must stay within 1e-5
        Object[] d = firstStreams(32);
        double[] xv = (double[]) d[0];
        long[] ids = (long[]) d[1];
        ActionFinderModel m = new ActionFinderModel(ActionFinderConfig.cpu(), ReferenceSystem.PAPER_GM, 5.0, true, 2);
        ActionFinderTrainer.History h = new ActionFinderTrainer(m, xv, ids, ActionFinderTrainer.Settings.defaults(3, 1).withLr(1e-3).withBatchStreams(8)).train();
        double[] j = m.actionsAngles(xv, Streams.of(ids, 2))[0];
        double[] ref = isochroneStreams().reference();
        int k = ref.length / (8 * 256);
        double num = 0, den = 0;
        for (int r = 0; r < ids.length; r++) {
            for (int c = 0; c < 3; c++) {
                num += Math.abs(j[3 * r + c] - ref[k * r + c]);
                den += Math.abs(ref[k * r + c]);
            }
        }
        System.out.printf("exact toy: action relative error %.2e (best epoch %d)%n", num / den, h.bestEpoch() + 1);
        assertTrue(num / den < 1e-5, "relative action error " + num / den);
    }
}
