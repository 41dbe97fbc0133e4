package dev.canonic.validation;

import dev.canonic.models.koopman.KoopmanConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/** The validation suites that {@code canonic validate} runs, in order. */
public final class Suites {
    private Suites() {
    }

    /** Suite name → suite: the 1D suites of model A, then the stream suites of model B. */
    public static Map<String, Suite> all() {
        Map<String, Suite> m = new LinkedHashMap<>(koopman());
        m.put("isochrone", new ActionFinderSuite(ActionFinderSuite.Kind.ISOCHRONE));
        m.put("hernquist", new ActionFinderSuite(ActionFinderSuite.Kind.HERNQUIST));
        return m;
    }

    /** Model A's suites (1D systems). */
    public static Map<String, KoopmanSuite> koopman() {
        Map<String, KoopmanSuite> m = new LinkedHashMap<>();
        Map<String, Double> ho = new LinkedHashMap<>();
        ho.put("frequency_mse", 1e-10);
        ho.put("action_mse", 1e-8);
        ho.put("encode_decode_max_abs", 1e-12);
        ho.put("rollout_max_abs_residual", 1e-4);
        m.put("oscillator", new KoopmanSuite(new HarmonicOscillator1D(0.5, 0.2, 2.0), KoopmanConfig.seed1d(1), ho));
        Map<String, Double> slab = new LinkedHashMap<>();
        slab.put("max_abs_action_residual", 5e-4);
        slab.put("max_abs_frequency_residual", 5e-4);
        slab.put("max_abs_orbit_action_residual", 5e-4);
        slab.put("max_abs_orbit_frequency_residual", 5e-4);
        slab.put("encode_decode_max_abs", 1e-12);
        m.put("slab", new KoopmanSuite(new Numeric1D("slab", "isothermal slab Φ = 2σ² ln cosh(z/(2 z0)), σ = 1, z0 = 1",
            new dev.canonic.dynamics.IsothermalSlab(1.0, 1.0), 0.1, 2.0), KoopmanConfig.seed1d(1), slab));
        Map<String, Double> pt = new LinkedHashMap<>();
        pt.put("max_abs_action_residual", 5e-4);
        pt.put("max_abs_frequency_residual", 5e-4);
        pt.put("max_abs_orbit_action_residual", 5e-4);
        pt.put("max_abs_orbit_frequency_residual", 5e-4);
        pt.put("encode_decode_max_abs", 1e-12);
        dev.canonic.dynamics.PoschlTeller well = new dev.canonic.dynamics.PoschlTeller(1.0, 1.0);
        m.put("poschl-teller", new KoopmanSuite(new Numeric1D("poschl-teller", "Pöschl–Teller well Φ = −V0/cosh²(z/a), V0 = 1, a = 1 "
            + "(E in [−0.9, −0.1]; closed form Ω = √(2|E|)/a, J = a(√(2V0) − √(2|E|)), equal to the quadrature to 1e-10)",
            well, well.action(-0.9), well.action(-0.1)), KoopmanConfig.seed1d(1), pt).viaFile());
        return m;
    }
}
