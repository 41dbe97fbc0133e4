package dev.canonic.validation;

import dev.canonic.models.koopman.KoopmanConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** The validation suites that {@code canonic validate} runs, in order. */
public final class Suites {
    private Suites() {
    }

    /** Suite name → suite. */
    public static Map<String, KoopmanSuite> all() {
        Map<String, KoopmanSuite> m = new LinkedHashMap<>();
        Map<String, Double> ho = new LinkedHashMap<>();
        ho.put("frequency_mse", 1e-10);
        ho.put("action_mse", 1e-8);
        ho.put("encode_decode_max_abs", 1e-12);
        ho.put("rollout_max_abs_residual", 1e-4);
        m.put("oscillator", new KoopmanSuite(new HarmonicOscillator1D(0.5, 0.2, 2.0), KoopmanConfig.seed1d(1), ho));
        return m;
    }
}
