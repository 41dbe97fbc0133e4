package dev.canonic.models.koopman;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pointwise ripple correction of model A's J. */
class RippleCorrectionTest {
    static double ripple(double j, double th) {
        return 1e-3 * (1 + j) * Math.cos(7 * th + j) + 4e-4 * j * j * Math.sin(13 * th);
    }

    @Test
    void aSmoothRippleIsFittedAndRemoved() {
        // 20 "orbits" at J_orbit in [0.1, 1], 300 samples each at irregular angles
        int orbits = 20, m = 300, n = orbits * m;
        double[] ata, aty;
        double[] j = new double[n], th = new double[n], y = new double[n];
        java.util.Random g = new java.util.Random(3);
        for (int o = 0; o < orbits; o++) {
            double jo = 0.1 + 0.9 * o / (orbits - 1);
            for (int k = 0; k < m; k++) {
                int i = o * m + k;
                th[i] = 2 * Math.PI * g.nextDouble();
                j[i] = jo + ripple(jo, th[i]);
                y[i] = j[i] - jo;
            }
        }
        int kMax = 20, mMax = 6, p = 2 * kMax * mMax;
        ata = new double[p * p];
        aty = new double[p];
        double[] r = new double[p];
        for (int i = 0; i < n; i++) {
            RippleCorrection.row(j[i], th[i], 0.1, 1.0, kMax, mMax, r);
            for (int a = 0; a < p; a++) {
                aty[a] += r[a] * y[i];
                for (int b = 0; b < p; b++) ata[a * p + b] += r[a] * r[b];
            }
        }
        int[] idx = new int[p];
        for (int a = 0; a < p; a++) idx[a] = a;
        RippleCorrection rc = new RippleCorrection(0.1, 1.0, kMax, mMax, RippleCorrection.solve(ata, aty, p, idx));
        // held-out actions between the fitted ones
        double worstBefore = 0, worstAfter = 0;
        for (int t = 0; t < 500; t++) {
            double jo = 0.12 + 0.85 * g.nextDouble(), a = 2 * Math.PI * g.nextDouble(), jj = jo + ripple(jo, a);
            double c = rc.apply(new double[] {jj}, new double[] {a})[0];
            worstBefore = Math.max(worstBefore, Math.abs(jj - jo));
            worstAfter = Math.max(worstAfter, Math.abs(c - jo));
        }
        assertTrue(worstBefore > 1e-3, "the test ripple is visible: " + worstBefore);
        assertTrue(worstAfter < worstBefore / 20, "corrected " + worstAfter + " vs uncorrected " + worstBefore);
    }

    @Test
    void badShapesAreNamedAndSeveralDegreesOfFreedomGetNone() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RippleCorrection(1, 0, 2, 2, new double[8]));
        assertTrue(e.getMessage().contains("lo < hi"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RippleCorrection(0, 1, 2, 2, new double[7]));
        assertTrue(e.getMessage().contains("7 coefficients"), e.getMessage());
        KoopmanModel two = new KoopmanModel(new KoopmanConfig(2, 2, 4, true, 4, 2, 1, 1, 1, 1, 8, 1, 1, 1e-3, 0, 1, 0, 1, 1));
        assertNull(RippleCorrection.fit(two, new double[0][][], new double[0][][]));
        assertThrows(IllegalArgumentException.class, () -> two.setRipple(new RippleCorrection(0, 1, 1, 1, new double[2])));
        RippleCorrection rc = new RippleCorrection(0, 1, 1, 1, new double[] {0.5, 0});
        assertEquals(1 - 0.5, rc.apply(new double[] {1}, new double[] {0})[0], 1e-15, "J − a cos θ at θ = 0");
    }

    @Test
    void theCorrectionTravelsInTheModelFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        KoopmanModel m = new KoopmanModel(KoopmanConfig.seed1d(4));
        m.setNormalisation(new double[] {0.1, -0.2}, new double[] {1.3, 0.7}, 0.9, 0.1);
        double[] cf = new double[2 * 3 * 2];
        for (int i = 0; i < cf.length; i++) cf[i] = 1e-3 * (i + 1);
        m.setRipple(new RippleCorrection(0.05, 2.0, 3, 2, cf));
        java.nio.file.Path f = dir.resolve("m.npz");
        KoopmanFiles.save(f, m);
        KoopmanModel back = KoopmanFiles.load(f);
        dev.canonic.core.Tensor x = dev.canonic.core.Tensor.of(new double[] {0.3, 0.1, -0.5, 0.4, 1.0, -0.2}, 3, 2);
        double[] a = m.pointActions(x), b = back.pointActions(x), raw = m.actions(x).toArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(a[i], b[i], 0.0, "corrected J after a round trip");
            assertTrue(a[i] != raw[i], "the correction changes J");
        }
        assertEquals(3, back.ripple().harmonics());
    }

    @Test
    void longDataAreThinnedBeforeTheFit() {
        KoopmanModel m = new KoopmanModel(KoopmanConfig.seed1d(5));
        m.setNormalisation(new double[] {0, 0}, new double[] {1, 1}, 1.0, 0.1);
        // 30 orbits × 2000 samples of a unit oscillator: 60 000 > MAX_ROWS rows
        double[][][] orbits = new double[30][2000][];
        for (int o = 0; o < 30; o++) {
            double r = 0.3 + 0.05 * o;
            for (int k = 0; k < 2000; k++) orbits[o][k] = new double[] {r * Math.sin(0.05 * k), r * Math.cos(0.05 * k)};
        }
        RippleCorrection.Samples s = RippleCorrection.samples(m, orbits);
        assertTrue(s.j().length <= RippleCorrection.MAX_ROWS && s.j().length >= RippleCorrection.MAX_ROWS / 2, "rows kept: " + s.j().length);
    }
}
