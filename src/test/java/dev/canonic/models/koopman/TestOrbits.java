package dev.canonic.models.koopman;

/** Small harmonic-oscillator orbit sets (ω0 = 0.5, step 0.1) shared by the model A tests. */
final class TestOrbits {
    private TestOrbits() {
    }

    /** s orbits of t samples as [s][t][(z, vz)]; amplitudes 0.3 + 0.2·i + offset, phases 0.7·i. */
    static double[][][] oscillator(int s, int t, double offset) {
        double[][][] o = new double[s][t][2];
        for (int i = 0; i < s; i++) {
            double amp = 0.3 + 0.2 * i + offset, ph = 0.7 * i;
            for (int k = 0; k < t; k++) {
                double th = ph + 0.5 * 0.1 * k;
                o[i][k][0] = amp * Math.sin(th);
                o[i][k][1] = amp * 0.5 * Math.cos(th);
            }
        }
        return o;
    }
}
