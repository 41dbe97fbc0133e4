package dev.canonic.models.koopman;

import dev.canonic.nn.Parameter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Adam then L-BFGS training of model A gives bitwise the same losses and weights with and without buffer recycling. */
class KoopmanRecycleTest {
    /** Wide enough (32) that the activations are recycled (the pool skips arrays under 256 elements). */
    private static KoopmanConfig config() {
        KoopmanConfig b = KoopmanConfig.seed1d(3);
        return new KoopmanConfig(1, 3, 32, b.linearModules(), 32, 4, b.wOneStep(), b.wRollout(), b.wRecon(), b.wPhysics(),
            16, 2, 8, 3e-3, 1e-5, 3, 4, 256, 20);
    }

    private static double[][][] orbits(int s, int t, double offset) {
        return TestOrbits.oscillator(s, t, offset);
    }

    private static void same(double a, double b, String what) {
        assertEquals(Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b), what + ": " + a + " vs " + b);
    }

    @Test
    void adamAndLbfgsAreBitwiseIdenticalWithRecycling() {
        double[][][] train = orbits(6, 60, 0), val = orbits(3, 60, 0.05);
        KoopmanModel plain = new KoopmanModel(config()), pooled = new KoopmanModel(config());
        KoopmanTrainer.History h = new KoopmanTrainer(plain, train, val, 0.1).progress(false).recycleBuffers(false).train();
        KoopmanTrainer.History r = new KoopmanTrainer(pooled, train, val, 0.1).progress(false).recycleBuffers(true).train();
        assertTrue(h.steps() >= 4 && h.lbfgsIterations() >= 1, "steps " + h.steps() + ", L-BFGS iterations " + h.lbfgsIterations());
        assertEquals(h.train().size(), r.train().size());
        for (int e = 0; e < h.train().size(); e++) {
            for (int k = 0; k < h.train().get(e).length; k++) {
                same(h.train().get(e)[k], r.train().get(e)[k], "training loss " + k + " of epoch " + e);
                same(h.validation().get(e)[k], r.validation().get(e)[k], "validation loss " + k + " of epoch " + e);
            }
        }
        same(h.lbfgsBefore(), r.lbfgsBefore(), "validation loss before L-BFGS");
        same(h.lbfgsAfter(), r.lbfgsAfter(), "validation loss after L-BFGS");
        assertEquals(h.lbfgsIterations(), r.lbfgsIterations());
        same(h.calibrationRms(), r.calibrationRms(), "calibration");
        List<Parameter> a = plain.parameters(), b = pooled.parameters();
        for (int i = 0; i < a.size(); i++) {
            double[] x = a.get(i).value().toArray(), y = b.get(i).value().toArray();
            for (int k = 0; k < x.length; k++) same(x[k], y[k], "parameter " + i + "[" + k + "]");
        }
    }
}
