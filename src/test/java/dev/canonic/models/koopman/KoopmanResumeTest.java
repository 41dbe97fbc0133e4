package dev.canonic.models.koopman;

import dev.canonic.nn.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run killed after an epoch and resumed from its checkpoint ends bitwise equal to an uninterrupted run. */
class KoopmanResumeTest {
    private static KoopmanConfig config(int epochs, long seed) {
        KoopmanConfig b = KoopmanConfig.seed1d(seed);
        return new KoopmanConfig(1, 2, 8, b.linearModules(), 8, 4, b.wOneStep(), b.wRollout(), b.wRecon(), b.wPhysics(),
            8, epochs, 4, 3e-3, 1e-5, seed, 5, 64, 20);
    }

    private static double[][][] orbits(int s, int t, double offset) {
        return TestOrbits.oscillator(s, t, offset);
    }

    private static double[][] params(KoopmanModel m) {
        List<Parameter> p = m.parameters();
        double[][] out = new double[p.size()][];
        for (int i = 0; i < out.length; i++) out[i] = p.get(i).value().toArray();
        return out;
    }

    @Test
    void resumedRunIsBitwiseIdentical(@TempDir Path dir) {
        double[][][] train = orbits(4, 40, 0), val = orbits(2, 40, 0.05);
        KoopmanModel whole = new KoopmanModel(config(3, 5));
        KoopmanTrainer.History h = new KoopmanTrainer(whole, train, val, 0.1).progress(false).checkpoint(dir.resolve("a.npz"), false).train();

        Path ck = dir.resolve("b.npz");
        KoopmanModel first = new KoopmanModel(config(3, 5));
        assertNull(new KoopmanTrainer(first, train, val, 0.1).progress(false).checkpoint(ck, false).haltAfter(2).train());
        assertTrue(Files.exists(ck));
        KoopmanModel resumed = new KoopmanModel(config(3, 5));   // a fresh process: new model, weights from the checkpoint
        KoopmanTrainer.History r = new KoopmanTrainer(resumed, train, val, 0.1).progress(false).checkpoint(ck, true).train();

        assertEquals(h.train().size(), r.train().size());
        for (int e = 0; e < h.train().size(); e++) {
            assertArrayEquals(h.train().get(e), r.train().get(e), 0.0, "training losses of epoch " + e);
            assertArrayEquals(h.validation().get(e), r.validation().get(e), 0.0, "validation losses of epoch " + e);
        }
        assertEquals(h.bestEpoch(), r.bestEpoch());
        assertEquals(Double.doubleToLongBits(h.lbfgsAfter()), Double.doubleToLongBits(r.lbfgsAfter()));
        double[][] a = params(whole), b = params(resumed);
        for (int i = 0; i < a.length; i++) assertArrayEquals(a[i], b[i], 0.0, "parameter " + i);
    }

    @Test
    void checkpointOfOtherSettingsIsRefused(@TempDir Path dir) {
        double[][][] train = orbits(4, 40, 0), val = orbits(2, 40, 0.05);
        Path ck = dir.resolve("c.npz");
        new KoopmanTrainer(new KoopmanModel(config(2, 5)), train, val, 0.1).progress(false).checkpoint(ck, false).haltAfter(1).train();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new KoopmanTrainer(new KoopmanModel(config(2, 6)), train, val, 0.1).progress(false).checkpoint(ck, true).train());
        assertTrue(e.getMessage().contains("seed") && e.getMessage().contains(ck.toString()), e.getMessage());
        IllegalArgumentException d = assertThrows(IllegalArgumentException.class,
            () -> new KoopmanTrainer(new KoopmanModel(config(2, 5)), orbits(4, 40, 0.01), val, 0.1).progress(false).checkpoint(ck, true).train());
        assertTrue(d.getMessage().contains("data_sum"), d.getMessage());
    }
}
