package dev.canonic.validation;

import dev.canonic.dynamics.ActionAngle1D;
import dev.canonic.dynamics.Dop853;
import dev.canonic.dynamics.Potential1D;

import java.util.Random;

/**
 * A 1-D system with any confining potential: orbits are integrated with the adaptive DOP853
 * integrator (relative tolerance 1e-13) from the point of action J and angle θ0 that the 1-D
 * quadrature reference ({@link ActionAngle1D}) gives; the reference values along each orbit are
 * J, Ω = 2π/T from the quadrature and θ = θ0 + Ω t (zero at the upward crossing of z = 0).
 */
public final class Numeric1D implements System1D {
    private final String name;
    private final String description;
    private final ActionAngle1D reference;
    private final double jMin;
    private final double jMax;

    /** A named system with the potential and the action range of generated orbits. */
    public Numeric1D(String name, String description, Potential1D potential, double jMin, double jMax) {
        if (!(jMin > 0) || !(jMax > jMin)) throw new IllegalArgumentException("need 0 < jMin < jMax");
        this.name = name;
        this.description = description;
        this.reference = new ActionAngle1D(potential);
        this.jMin = jMin;
        this.jMax = jMax;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description + ", actions J in [" + jMin + ", " + jMax + "], reference by 1-D quadrature";
    }

    @Override
    public OrbitSet generate(int orbits, int samples, double dt, long seed) {
        Random rng = new Random(seed);
        double[] js = new double[orbits], t0 = new double[orbits], om = new double[orbits];
        double[] z0 = new double[orbits], v0 = new double[orbits];
        for (int s = 0; s < orbits; s++) {
            js[s] = jMin + (jMax - jMin) * (s + rng.nextDouble()) / orbits;
            t0[s] = 2 * Math.PI * rng.nextDouble();
            om[s] = reference.orbit(reference.energyOf(js[s])).Omega();
            double[] p = reference.phaseSpace(js[s], t0[s]);
            z0[s] = p[0];
            v0[s] = p[1];
        }
        double[] times = new double[samples];
        for (int k = 0; k < samples; k++) times[k] = k * dt;
        double[] flat = new Dop853(1e-13, 1e-13).orbits(reference.potential(), z0, v0, orbits, times);
        double[][][] x = new double[orbits][samples][];
        double[][] j = new double[orbits][samples], th = new double[orbits][samples], w = new double[orbits][samples];
        for (int s = 0; s < orbits; s++) {
            for (int k = 0; k < samples; k++) {
                int o = (k * orbits + s) * 2;
                x[s][k] = new double[] {flat[o], flat[o + 1]};
                j[s][k] = js[s];
                th[s][k] = HarmonicOscillator1D.mod2pi(t0[s] + om[s] * times[k]);
                w[s][k] = om[s];
            }
        }
        HarmonicOscillator1D.shuffleOrbits(x, j, th, w, new Random(seed + 1));
        return new OrbitSet(x, j, th, w, dt);
    }

    @Override
    public double[][] orbit(double j, double theta, double[] times) {
        double[] p = reference.phaseSpace(j, theta);
        double[] flat = new Dop853(1e-13, 1e-13).orbits(reference.potential(), new double[] {p[0]}, new double[] {p[1]}, 1, times);
        double[][] o = new double[times.length][];
        for (int k = 0; k < times.length; k++) o[k] = new double[] {flat[2 * k], flat[2 * k + 1]};
        return o;
    }
}
