package dev.canonic.models.actionfinder;

import dev.canonic.check.GradCheck;
import dev.canonic.core.Tensor;
import dev.canonic.dynamics.IsochroneActionAngle;
import dev.canonic.dynamics.ReferenceSystem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsochroneToyTest {
    static final double GM = ReferenceSystem.PAPER_GM, B = 5.0;

    /** n bound halo-like points (r in 6–16 kpc, isotropic velocities ≤ 250 km/s). */
    static double[] points(int n, long seed) {
        Random rng = new Random(seed);
        double[] xv = new double[6 * n];
        for (int i = 0; i < n; ) {
            double r = 6 + 10 * rng.nextDouble();
            double[] u = unit(rng), w = unit(rng);
            double sp = 20 + 200 * rng.nextDouble();
            for (int k = 0; k < 3; k++) {
                xv[6 * i + k] = r * u[k];
                xv[6 * i + 3 + k] = sp * w[k];
            }
            if (IsochroneToy.problem(xv, i, GM, B) == null) i++;
        }
        return xv;
    }

    static double[] unit(Random rng) {
        double z = 2 * rng.nextDouble() - 1, ph = 2 * Math.PI * rng.nextDouble(), s = Math.sqrt(1 - z * z);
        return new double[] {s * Math.cos(ph), s * Math.sin(ph), z};
    }

    @Test
    void matchesAnalyticActionAngles() {
        int n = 200;
        double[] xv = points(n, 1);
        IsochroneToy toy = new IsochroneToy(GM, B, true);
        double[][] aa = toy.actionAngle(xv, n);
        IsochroneActionAngle ref = new IsochroneActionAngle(GM, B);
        double worstJ = 0, worstT = 0;
        for (int i = 0; i < n; i++) {
            double[] r = ref.actionAngle(new double[] {xv[6 * i], xv[6 * i + 1], xv[6 * i + 2]}, new double[] {xv[6 * i + 3], xv[6 * i + 4], xv[6 * i + 5]});
            for (int k = 0; k < 3; k++) {
                worstJ = Math.max(worstJ, Math.abs(aa[0][3 * i + k] - r[k]) / Math.max(1, Math.abs(r[k])));
                double d = Math.abs(aa[1][3 * i + k] - r[3 + k]);
                worstT = Math.max(worstT, Math.min(d, 2 * Math.PI - d));
            }
        }
        assertTrue(worstJ < 1e-10, "actions differ by " + worstJ);
        assertTrue(worstT < 1e-10, "angles differ by " + worstT);
    }

    @Test
    void inverseRoundTrips() {
        int n = 50;
        double[] xv = points(n, 2);
        IsochroneToy toy = new IsochroneToy(GM, B, true);
        double[][] aa = toy.actionAngle(xv, n);
        double[] back = toy.phaseSpace(aa[0], aa[1], n);
        for (int i = 0; i < 6 * n; i++) assertEquals(xv[i], back[i], 1e-9 * Math.max(1, Math.abs(xv[i])));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int n = 6;
        double[] xv = points(n, 3);
        Tensor x = Tensor.of(xv, n, 6);
        Tensor lg = Tensor.scalar(Math.log(GM)), lb = Tensor.scalar(Math.log(B));
        // actions scaled to O(1) so that the relative check is meaningful; angles as they are
        GradCheck.first(in -> {
            IsochroneToy.Result r = IsochroneToy.compute(in[0], in[1].exp(), in[2].exp());
            return Tensor.concat(1, r.actions().div(4000.0), r.angles());
        }, new Tensor[] {x, lg, lb}, 1e-6, 7).assertWithin("toy (θ, J) gradient", 1e-6);
    }

    @Test
    void unboundPointsAreReportedNotNaN() {
        double[] xv = points(3, 4);
        xv[6 + 3] = 2000; // star 1 far too fast
        IsochroneToy toy = new IsochroneToy(GM, B, true);
        List<String> bad = toy.invalidRows(xv, 3);
        assertEquals(1, bad.size());
        assertTrue(bad.get(0).startsWith("row 1: unbound"), bad.get(0));
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, () -> toy.forward(Tensor.of(xv, 3, 6)));
        assertTrue(ex.getMessage().contains("row 1"), ex.getMessage());
    }

    @Test
    void chosenToyBindsEveryPoint() {
        int n = 300;
        double[] xv = points(n, 5);
        for (int i = 0; i < n; i++) { xv[6 * i + 3] *= 3; xv[6 * i + 4] *= 3; }  // some now unbound in the true isochrone
        assertTrue(IsochroneToy.invalidIndices(xv, n, GM, B).length > 0);
        double[] gb = IsochroneToy.chooseFor(xv, n);
        assertEquals(0, IsochroneToy.invalidIndices(xv, n, gb[0], gb[1]).length);
    }

    @Test
    void toyChosenBySpreadRecoversTheTrueIsochroneFromItsStreams() {
        // streams integrated in an isochrone: the toy whose actions vary least along them is that isochrone
        dev.canonic.models.actionfinder.data.SuiteStreams.Suite d = dev.canonic.models.actionfinder.data.SuiteStreams.isochrone(48, 6, 3);
        double[] xv = d.set().phase();
        int n = d.set().stars();
        double[] gb = IsochroneToy.chooseBySpread(xv, n, d.set().stream());
        double gm = dev.canonic.models.actionfinder.data.SuiteStreams.ISOCHRONE_GM, b = dev.canonic.models.actionfinder.data.SuiteStreams.ISOCHRONE_B;
        assertEquals(gm, gb[0], 2e-3 * gm, "GM");
        assertEquals(b, gb[1], 2e-3 * b, "b");
        assertTrue(gb[2] < 1e-3 * gb[3], "spread at the choice " + gb[2] + " vs the binding toy's " + gb[3]);
        assertEquals(0, IsochroneToy.invalidIndices(xv, n, gb[0], gb[1]).length);
        assertThrows(IllegalArgumentException.class, () -> IsochroneToy.chooseBySpread(xv, n, new int[n - 1]));
    }

    @Test
    void toyChosenBySpreadOnAThinnedSampleStillBindsEveryPoint() {
        // 1030 streams of 2 points: the spread is measured on every third stream only; the fastest star sits in stream 1
        int streams = 1030, n = 2 * streams;
        double[] xv = points(n, 77);
        int[] stream = new int[n];
        for (int i = 0; i < n; i++) stream[i] = i / 2;
        for (int k = 3; k < 6; k++) xv[6 * 2 + k] *= 4;
        double[] gb = IsochroneToy.chooseBySpread(xv, n, stream);
        assertEquals(0, IsochroneToy.invalidIndices(xv, n, gb[0], gb[1]).length);
        assertTrue(gb[2] <= gb[3], "the choice spreads no more than the binding guess: " + gb[2] + " vs " + gb[3]);
    }
}
