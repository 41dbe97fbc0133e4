package dev.canonic.models.actionfinder.data;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which stars and streams {@link ActionFinderUserPath#usable} keeps for a toy isochrone. */
class UsableStreamsTest {
    static StreamFiles.StreamSet set(double[][] rows, int[] stream, double[] ids) {
        int n = rows.length;
        double[] ph = new double[6 * n];
        String[][] cells = new String[n][];
        int[] lines = new int[n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(rows[i], 0, ph, 6 * i, 6);
            cells[i] = new String[0];
            lines[i] = i + 2;
        }
        return new StreamFiles.StreamSet(null, ids, stream, ph, null, StreamFiles.Coordinates.GALACTOCENTRIC, List.of(), cells, lines);
    }

    @Test
    void aStreamWithAStarUnboundInTheToyIsDroppedWholeOtherProblemsDropTheStarOnly() {
        double gm = 1.4e6, b = 5;
        double[] bound = {8, 0, 1, 0, 200, 10}, bound2 = {9, 1, 1, 10, 190, 20};
        double[] unbound = {8, 0, 1, 0, 600, 10};            // E > 0 in the toy
        double[] planar = {8, 0, 0, 0, 200, 0};               // exactly in z = 0: no node, star dropped
        double[][] rows = {bound, bound2, unbound, bound, bound2, planar, bound, bound2, bound};
        int[] stream = {0, 0, 0, 1, 1, 1, 2, 2, 2};
        List<String> why = new ArrayList<>();
        StreamFiles.StreamSet u = ActionFinderUserPath.usable(set(rows, stream, new double[] {10, 11, 12}), gm, b, why);
        // stream 10 (with the unbound star) is gone whole; stream 11 keeps its two good stars; 12 is whole
        assertArrayEquals(new double[] {11, 12}, u.ids(), 0);
        assertEquals(5, u.stars());
        assertArrayEquals(new int[] {5, 6, 8, 9, 10}, u.lines());
        String all = String.join("\n", why);
        assertTrue(all.contains("stream 10 excluded") && all.contains("not bound in the toy"), all);
        assertTrue(!all.contains("stream 11 excluded") && all.contains("(stream 11)"), all);
        // with every star bound nothing is excluded
        List<String> none = new ArrayList<>();
        StreamFiles.StreamSet all3 = set(new double[][] {bound, bound2, bound, bound2}, new int[] {0, 0, 1, 1}, new double[] {1, 2});
        assertEquals(all3, ActionFinderUserPath.usable(all3, gm, b, none));
        assertTrue(none.isEmpty());
    }

    @Test
    void streamsReachingBeyondTheOutermostStarAreNamed() {
        double gm = 1.4e6, b = 5;
        double vc = Math.sqrt(gm * 10 * 10 / Math.pow(b + Math.sqrt(b * b + 100), 2) / Math.sqrt(b * b + 100));  // circular speed at r = 10
        // stream 7: two stars on a circular orbit at r = 10 (apocentre 10); stream 9: a fast star at r = 8 (apocentre far out)
        double[][] rows = {{10, 0, 0, 0, vc, 1e-9}, {0, 10, 0, -vc, 0, 1e-9}, {8, 0, 0.5, 0, 1.3 * vc, 5}, {8, 0.5, 0.5, -5, 1.3 * vc, 5}};
        ActionFinderUserPath.Beyond far = ActionFinderUserPath.beyondData(set(rows, new int[] {0, 0, 1, 1}, new double[] {7, 9}), gm, b);
        assertEquals(10.0, far.rMax(), 1e-12);
        assertEquals(List.of("9"), far.ids());
        assertEquals(2, far.streams());
        assertTrue(far.apocentres()[0] > 12, "apocentre " + far.apocentres()[0]);
        assertTrue(far.report().contains(": 1 of 2,") && far.report().contains("streams 9"), far.report());
        assertArrayEquals(new double[] {2, 3, 4, 2, 3, 4, 7, 8, 9}, ActionFinderUserPath.streamMeans(new double[] {1, 2, 3, 3, 4, 5, 7, 8, 9}, new int[] {0, 0, 1}), 1e-15);
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> ActionFinderUserPath.streamMeans(new double[5], new int[2]));
        assertEquals("", ActionFinderUserPath.beyondData(set(new double[][] {rows[0], rows[1]}, new int[] {0, 0}, new double[] {7}), gm, b).report());
    }
}
