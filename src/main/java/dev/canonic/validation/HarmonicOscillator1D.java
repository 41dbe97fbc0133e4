package dev.canonic.validation;

import java.util.Random;

/**
 * The harmonic oscillator Φ = ω0² z²/2 with analytic action-angle coordinates (SPEC convention):
 * z = √(2J/ω0) sin θ, v = √(2Jω0) cos θ, Ω = ω0, θ(t) = θ0 + ω0 t.
 */
public final class HarmonicOscillator1D implements System1D {
    private final double omega0;
    private final double jMin;
    private final double jMax;

    /** ω0 and the range of actions of generated orbits. */
    public HarmonicOscillator1D(double omega0, double jMin, double jMax) {
        if (!(omega0 > 0) || !(jMin > 0) || !(jMax > jMin)) throw new IllegalArgumentException("need ω0 > 0 and 0 < jMin < jMax");
        this.omega0 = omega0;
        this.jMin = jMin;
        this.jMax = jMax;
    }

    @Override
    public String name() {
        return "oscillator";
    }

    @Override
    public String description() {
        return "harmonic oscillator Φ = ω0² z²/2, ω0 = " + omega0 + ", actions J in [" + jMin + ", " + jMax + "]";
    }

    @Override
    public boolean isochronous() {
        return true;
    }

    @Override
    public OrbitSet generate(int orbits, int samples, double dt, long seed) {
        Random rng = new Random(seed);
        double[][][] x = new double[orbits][samples][];
        double[][] j = new double[orbits][samples], th = new double[orbits][samples], om = new double[orbits][samples];
        for (int s = 0; s < orbits; s++) {
            double jj = jMin + (jMax - jMin) * (s + rng.nextDouble()) / orbits;
            double t0 = 2 * Math.PI * rng.nextDouble();
            for (int k = 0; k < samples; k++) {
                double a = t0 + omega0 * k * dt;
                x[s][k] = point(jj, a);
                j[s][k] = jj;
                th[s][k] = mod2pi(a);
                om[s][k] = omega0;
            }
        }
        shuffleOrbits(x, j, th, om, new Random(seed + 1));
        return new OrbitSet(x, j, th, om, dt);
    }

    private double[] point(double j, double a) {
        return new double[] {Math.sqrt(2 * j / omega0) * Math.sin(a), Math.sqrt(2 * j * omega0) * Math.cos(a)};
    }

    @Override
    public double[][] orbit(double j, double theta, double[] times) {
        double[][] o = new double[times.length][];
        for (int i = 0; i < times.length; i++) o[i] = point(j, theta + omega0 * times[i]);
        return o;
    }

    static double mod2pi(double a) {
        double r = a % (2 * Math.PI);
        return r < 0 ? r + 2 * Math.PI : r;
    }

    /** Shuffles orbits (same permutation for every array) so that any split samples all actions. */
    static void shuffleOrbits(double[][][] x, double[][] j, double[][] th, double[][] om, Random rng) {
        for (int i = x.length - 1; i > 0; i--) {
            int k = rng.nextInt(i + 1);
            double[][] tx = x[i]; x[i] = x[k]; x[k] = tx;
            double[] t = j[i]; j[i] = j[k]; j[k] = t;
            t = th[i]; th[i] = th[k]; th[k] = t;
            t = om[i]; om[i] = om[k]; om[k] = t;
        }
    }
}
