package dev.canonic.dynamics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named system with its parameters, its potential and its reference action-angle calculator —
 * the names used by {@code canonic generate} and {@code reference-actions}:
 * <ul>
 *   <li>{@code harmonic} (omega = 0.5): analytic, 1D, dimensionless;</li>
 *   <li>{@code slab} (sigma = 1, z0 = 1): 1D quadrature, dimensionless;</li>
 *   <li>{@code poschl-teller} (V0 = 1, a = 1): Φ = −V0/cosh²(z/a), 1D quadrature (equal to the closed
 *       form J = a(√(2V0) − √(2|E|))), dimensionless; bound orbits need J below a√(2V0);</li>
 *   <li>{@code isochrone} (GM = G·3.334e11 M☉ in kpc (km/s)², b = 5 kpc): analytic, 3D;</li>
 *   <li>{@code plummer} (GM, b = 5), {@code hernquist} (GM, a = 5), {@code nfw} (GM = 5e6, rs = 16):
 *       spherical quadrature, 3D.</li>
 * </ul>
 * Reference rows are (J, θ, Ω) in 1D and (J_r, L_z, J_z, θ_r, θ_φ, θ_z, Ω_r, Ω_φ, Ω_z) in 3D.
 */
public final class ReferenceSystem {
    /** GM of the paper's isochrone, kpc (km/s)². */
    public static final double PAPER_GM = Units.G * 3.334e11;

    private final String name;
    private final Map<String, Double> params;
    private final Potential1D pot1;
    private final Potential pot3;
    private final HarmonicActionAngle ho;
    private final ActionAngle1D quad1;
    private final IsochroneActionAngle iso;
    private final SphericalActionAngle sph;

    private ReferenceSystem(String name, Map<String, Double> params, Potential1D pot1, Potential pot3) {
        this.name = name;
        this.params = Map.copyOf(params);
        this.pot1 = pot1;
        this.pot3 = pot3;
        this.ho = pot1 instanceof HarmonicOscillator h ? new HarmonicActionAngle(h) : null;
        this.quad1 = pot1 != null && ho == null ? new ActionAngle1D(pot1) : null;
        this.iso = pot3 instanceof Isochrone i ? new IsochroneActionAngle(i) : null;
        this.sph = pot3 instanceof SphericalPotential s && iso == null ? new SphericalActionAngle(s) : null;
    }

    /** The known system names. */
    public static final String[] NAMES = {"harmonic", "slab", "poschl-teller", "isochrone", "plummer", "hernquist", "nfw"};

    private static Map<String, Double> defaults(String name) {
        Map<String, Double> d = new LinkedHashMap<>();
        switch (name) {
            case "harmonic" -> d.put("omega", 0.5);
            case "slab" -> {
                d.put("sigma", 1.0);
                d.put("z0", 1.0);
            }
            case "poschl-teller" -> {
                d.put("V0", 1.0);
                d.put("a", 1.0);
            }
            case "isochrone", "plummer" -> {
                d.put("GM", PAPER_GM);
                d.put("b", 5.0);
            }
            case "hernquist" -> {
                d.put("GM", PAPER_GM);
                d.put("a", 5.0);
            }
            case "nfw" -> {
                d.put("GM", 5e6);
                d.put("rs", 16.0);
            }
            default -> throw new IllegalArgumentException("unknown system '" + name + "'; known: " + String.join(", ", NAMES));
        }
        return d;
    }

    /** The system with defaults overridden by params (unknown parameter names fail, naming the allowed ones). */
    public static ReferenceSystem of(String name, Map<String, Double> overrides) {
        if (name == null) throw new IllegalArgumentException("system name is null");
        Map<String, Double> p = defaults(name);
        if (overrides != null) {
            for (Map.Entry<String, Double> e : overrides.entrySet()) {
                if (!p.containsKey(e.getKey())) {
                    throw new IllegalArgumentException("system '" + name + "' has no parameter '" + e.getKey() + "'; its parameters: " + String.join(", ", p.keySet()));
                }
                Checks.finite(name + " parameter " + e.getKey(), e.getValue());
                p.put(e.getKey(), e.getValue());
            }
        }
        return switch (name) {
            case "harmonic" -> new ReferenceSystem(name, p, new HarmonicOscillator(p.get("omega")), null);
            case "slab" -> new ReferenceSystem(name, p, new IsothermalSlab(p.get("sigma"), p.get("z0")), null);
            case "poschl-teller" -> new ReferenceSystem(name, p, new PoschlTeller(p.get("V0"), p.get("a")), null);
            case "isochrone" -> new ReferenceSystem(name, p, null, new Isochrone(p.get("GM"), p.get("b")));
            case "plummer" -> new ReferenceSystem(name, p, null, new Plummer(p.get("GM"), p.get("b")));
            case "hernquist" -> new ReferenceSystem(name, p, null, new Hernquist(p.get("GM"), p.get("a")));
            default -> new ReferenceSystem(name, p, null, new Nfw(p.get("GM"), p.get("rs")));
        };
    }

    public String name() {
        return name;
    }

    public Map<String, Double> params() {
        return params;
    }

    /** 1 or 3. */
    public int dim() {
        return pot1 != null ? 1 : 3;
    }

    /** The force field (a {@link Potential1D} or a {@link Potential}). */
    public ForceField field() {
        return pot1 != null ? pot1 : pot3;
    }

    /** The 1D potential, or null. */
    public Potential1D potential1D() {
        return pot1;
    }

    /** The 3D potential, or null. */
    public Potential potential3D() {
        return pot3;
    }

    /** Column names of the reference rows. */
    public String[] referenceColumns() {
        return dim() == 1 ? new String[] {"J", "theta", "Omega"}
            : new String[] {"JR", "Lz", "Jz", "thetaR", "thetaphi", "thetaz", "OmegaR", "Omegaphi", "Omegaz"};
    }

    /** Phase-space column names. */
    public String[] phaseColumns() {
        return dim() == 1 ? new String[] {"z", "vz"} : new String[] {"x", "y", "z", "vx", "vy", "vz"};
    }

    /** The reference row of one point (q, p of length dim). Throws IllegalArgumentException for bad or unbound points. */
    public double[] reference(double[] q, double[] p) {
        if (ho != null) return ho.actionAngle(q[0], p[0]);
        if (quad1 != null) return quad1.actionAngle(q[0], p[0]);
        if (iso != null) return iso.actionAngle(q, p);
        return sph.actionAngle(q, p);
    }

    /** Energy per unit mass of one point. */
    public double energy(double[] q, double[] p) {
        if (pot1 != null) return pot1.energy(q[0], p[0]);
        return pot3.energy(q, p);
    }

    @Override
    public String toString() {
        return name + params;
    }
}
