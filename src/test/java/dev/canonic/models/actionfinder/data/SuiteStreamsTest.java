package dev.canonic.models.actionfinder.data;

import dev.canonic.dynamics.Astrometry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuiteStreamsTest {
    @Test
    void paperIsochroneMass() {
        assertEquals(3.334e11, SuiteStreams.ISOCHRONE_GM / 4.300917e-6, 0.001e11);
    }

    static void actionsConstantAlongStreams(SuiteStreams.Suite s, double tol) {
        int[][] m = s.set().members();
        double worst = 0;
        for (int[] st : m) {
            for (int k = 0; k < 3; k++) {
                double j0 = s.reference()[9 * st[0] + k];
                for (int i : st) worst = Math.max(worst, Math.abs(s.reference()[9 * i + k] - j0) / Math.max(1, Math.abs(j0)));
            }
        }
        assertTrue(worst < tol, "reference actions vary along a stream by " + worst);
    }

    @Test
    void isochroneStreamsRoundTripThroughTheUserFormat(@TempDir Path dir) throws IOException {
        SuiteStreams.Suite s = SuiteStreams.isochrone(6, 8, 3);
        assertEquals(48, s.set().stars());
        assertTrue(s.energyError() <= 1e-7);
        actionsConstantAlongStreams(s, 1e-5);
        Path f = dir.resolve("iso.csv"), g = dir.resolve("iso-obs.csv"), r = dir.resolve("ref.csv");
        SuiteStreams.writeStreams(f, s, null);
        StreamFiles.StreamSet back = StreamFiles.read(f);
        assertArrayEquals(s.set().phase(), back.phase());
        assertArrayEquals(s.set().stream(), back.stream());
        assertArrayEquals(s.set().time(), back.time());
        SuiteStreams.writeStreams(g, s, Astrometry.paper());
        StreamFiles.StreamSet obs = StreamFiles.read(g);
        assertEquals(StreamFiles.Coordinates.OBSERVABLES, obs.coordinates());
        for (int i = 0; i < s.set().phase().length; i++) assertEquals(s.set().phase()[i], obs.phase()[i], 1e-9 * (1 + Math.abs(s.set().phase()[i])));
        SuiteStreams.writeReference(r, s);
        StreamFiles.Rows rows = StreamFiles.readColumns(r, SuiteStreams.REFERENCE, "reference");
        assertArrayEquals(s.reference(), rows.values());
    }

    @Test
    void hernquistStreamsHaveQuadratureReferences() {
        SuiteStreams.Suite s = SuiteStreams.hernquist(4, 8, 5);
        actionsConstantAlongStreams(s, 1e-5);
        for (int i = 0; i < s.set().stars(); i++) {
            assertTrue(s.reference()[9 * i] > 0 && s.reference()[9 * i + 6] > 0);
            for (int k = 3; k < 6; k++) assertTrue(s.reference()[9 * i + k] >= 0 && s.reference()[9 * i + k] < 2 * Math.PI);
        }
        assertEquals(List.of("orbit_id", "t", "x", "y", "z", "vx", "vy", "vz"), s.set().columns());
    }
}
