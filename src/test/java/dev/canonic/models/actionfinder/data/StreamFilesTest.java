package dev.canonic.models.actionfinder.data;

import dev.canonic.dynamics.Astrometry;
import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamFilesTest {
    static final String HEAD = "orbit_id,t,x,y,z,vx,vy,vz,name\n";

    static Path write(Path dir, String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    static String message(Path f) {
        return assertThrows(IOException.class, () -> StreamFiles.read(f)).getMessage();
    }

    @Test
    void readsGalactocentricStreamsOfDifferentSizesNotContiguous(@TempDir Path dir) throws IOException {
        Path f = write(dir, "s.csv", HEAD
            + "7,0.0,1,2,3,10,20,30,\"a,b\"\n"
            + "3,0.1,4,5,6,40,50,60,c\n"
            + "7,0.2,1.5,2,3,10,20,30,d\n"
            + "\n"
            + "3,0.3,4.5,5,6,40,50,60,e\n"
            + "7,0.4,1.7,2,3,10,20,30,f\n");
        StreamFiles.StreamSet s = StreamFiles.read(f);
        assertEquals(5, s.stars());
        assertEquals(2, s.streams());
        assertArrayEquals(new double[] {7, 3}, s.ids());
        assertArrayEquals(new int[] {0, 1, 0, 1, 0}, s.stream());
        assertArrayEquals(new int[] {2, 3, 4, 6, 7}, s.lines());
        assertArrayEquals(new double[] {4.5, 5, 6, 40, 50, 60}, java.util.Arrays.copyOfRange(s.phase(), 18, 24));
        assertArrayEquals(new double[] {0, 0.1, 0.2, 0.3, 0.4}, s.time());
        assertEquals("a,b", s.cells()[0][8]);
        assertArrayEquals(new int[] {0, 2, 4}, s.members()[0]);
        assertArrayEquals(new int[] {1, 3}, s.members()[1]);
        assertEquals(StreamFiles.Coordinates.GALACTOCENTRIC, s.coordinates());
        StreamFiles.StreamSet sub = s.subset(new int[] {1});
        assertEquals(2, sub.stars());
        assertArrayEquals(new double[] {3}, sub.ids());
    }

    @Test
    void observablesAreConvertedWithTheSolarParameters(@TempDir Path dir) throws IOException {
        Astrometry sun = Astrometry.paper();
        double[][] xv = {{-2, 3, 4, 50, -100, 20}, {-2.5, 3, 4, 40, -90, 25}, {10, -4, 1, 5, 200, -30}, {11, -4, 1, 0, 190, -20}};
        StringBuilder b = new StringBuilder("orbit_id,d,l,b,vh,mul,mub\n");
        for (int i = 0; i < xv.length; i++) {
            double[] o = sun.toObservables(xv[i]);
            b.append(i / 2);
            for (double v : o) b.append(',').append(v);
            b.append('\n');
        }
        StreamFiles.StreamSet s = StreamFiles.read(write(dir, "obs.csv", b.toString()));
        assertEquals(StreamFiles.Coordinates.OBSERVABLES, s.coordinates());
        assertNull(s.time());
        for (int i = 0; i < xv.length; i++) for (int k = 0; k < 6; k++) assertEquals(xv[i][k], s.phase()[6 * i + k], 1e-9);
    }

    @Test
    void npzStreams(@TempDir Path dir) throws IOException {
        Map<String, NdArray> a = new LinkedHashMap<>();
        a.put("stream", new NdArray(new double[] {0, 0, 1, 1, 1}, new int[] {5}));
        double[] xv = new double[30];
        for (int i = 0; i < 30; i++) xv[i] = i + 1;
        a.put("xv", new NdArray(xv, new int[] {5, 6}));
        Path f = dir.resolve("s.npz");
        Npz.write(f, a);
        StreamFiles.StreamSet s = StreamFiles.read(f);
        assertEquals(List.of("orbit_id", "x", "y", "z", "vx", "vy", "vz"), s.columns());
        assertArrayEquals(xv, s.phase());
        assertEquals(2, s.streams());
        a.put("xv", new NdArray(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, new int[] {2, 6}));
        Npz.write(f, a);
        assertTrue(message(f).contains("do not fit stream [n]"), message(f));
        a.put("xv", new NdArray(xv, new int[] {5, 6}));
        xv[13] = Double.NaN;
        Npz.write(f, a);
        assertTrue(message(f).contains("star 2") && message(f).contains("NaN"), message(f));
        a.remove("xv");
        Npz.write(f, a);
        assertTrue(message(f).contains("missing array 'xv'"), message(f));
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) throws IOException {
        String m = message(write(dir, "a.csv", "orbit_id,x,y,z,vx,vy\n1,1,2,3,4,5\n1,1,2,3,4,5\n"));
        assertTrue(m.contains("a.csv") && m.contains("missing column 'vz'"), m);
        m = message(write(dir, "b.csv", "x,y,z,vx,vy,vz\n1,1,2,3,4,5\n"));
        assertTrue(m.contains("missing column 'orbit_id'"), m);
        m = message(write(dir, "c.csv", HEAD + "1,0,1,2,3,4,5,6,a\n1,0,1,2,nan,4,5,6,a\n2,0,1,2,3,4,5,6,a\n2,0,1,2,3,4,5,6,a\n"));
        assertTrue(m.contains("c.csv:3") && m.contains("column 'z'") && m.contains("NaN"), m);
        m = message(write(dir, "d.csv", HEAD + "1,0,1,2,3,4,5,6,a\n1,0,1,2,3,4,5,inf,a\n2,0,1,2,3,4,5,6,a\n2,0,1,2,3,4,5,6,a\n"));
        assertTrue(m.contains("d.csv:3") && m.contains("column 'vz'") && m.contains("infinite"), m);
        m = message(write(dir, "e.csv", HEAD + "1,0,1,2,3,4,5,6,a\n1,0,1,2,3,4,5,6,a\n2,0,1,2,3,4,5,6,a\n"));
        assertTrue(m.contains("single star") && m.contains("orbit_id 2 (line 4)"), m);
        m = message(write(dir, "f.csv", ""));
        assertTrue(m.contains("empty file"), m);
        m = message(write(dir, "g.csv", HEAD));
        assertTrue(m.contains("no data rows"), m);
        m = message(write(dir, "h.csv", "orbit_id,x,y,z,vh,mul,mub\n1,1,2,3,4,5,6\n"));
        assertTrue(m.contains("mix") && m.contains("x,y,z") && m.contains("vh,mul,mub"), m);
        m = message(write(dir, "i.csv", "orbit_id,foo,bar\n1,1,2\n"));
        assertTrue(m.contains("no coordinate columns"), m);
        m = message(write(dir, "j.csv", HEAD + "1,0,1,2,3,4,5,6,a\n1,0,1,2,3,4,5,6\n"));
        assertTrue(m.contains("j.csv:3") && m.contains("8 cells"), m);
        m = message(write(dir, "k.csv", HEAD + "1,0,1,2,3,4,5,6,a\n1,0,1,2,3,4,5,6,a\n"));
        assertTrue(m.contains("at least 2 streams"), m);
        m = message(write(dir, "l.csv", "orbit_id,d,l,b,vh,mul,mub\n1,-1,2,3,4,5,6\n1,1,2,3,4,5,6\n"));
        assertTrue(m.contains("l.csv:2") && m.contains("distance"), m);
        m = message(write(dir, "m.csv", HEAD + "1,0,1,2,3,4,5,six,a\n"));
        assertTrue(m.contains("'six', not a number"), m);
        Path both = write(dir, "n.csv", "stream,time,x,y,z,vx,vy,vz,d,l,b,vh,mul,mub\n1,0,1,2,3,4,5,6,1,2,3,4,5,6\n1,0,1,2,3,4,5,6,1,2,3,4,5,6\n"
            + "2,0,1,2,3,4,5,6,1,2,3,4,5,6\n2,0,1,2,3,4,5,6,1,2,3,4,5,6\n");
        m = message(both);
        assertTrue(m.contains("both") && m.contains("--coordinates"), m);
        StreamFiles.StreamSet s = StreamFiles.read(both, Astrometry.paper(), StreamFiles.Coordinates.GALACTOCENTRIC);
        assertEquals(2, s.streams());
        assertEquals(6.0, s.phase()[5]);
        assertThrows(java.nio.file.NoSuchFileException.class, () -> StreamFiles.read(dir.resolve("none.csv")));
    }

    @Test
    void actionsOutputEchoesInputAndWrapsAngles(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("o.csv");
        StreamFiles.writeActions(out, List.of("orbit_id", "JR", "note"), new String[][] {{"1", "5", "a,b"}, {"2", "6", "c"}},
            new double[] {1, 2, 3, 4, 5, 6}, new double[] {-0.5, 7, 1, 2, 3, 4}, new double[] {9, 8, 7, 6, 5, 4}, null);
        List<String> lines = Files.readAllLines(out);
        assertEquals("orbit_id,input_JR,note,JR,Lz,Jz,thetaR,thetaphi,thetaz,OmegaR,Omegaphi,Omegaz", lines.get(0));
        String[] c = StreamFiles.split(lines.get(1), out, 2);
        assertEquals("a,b", c[2]);
        assertEquals(2 * Math.PI - 0.5, Double.parseDouble(c[6]), 1e-15);
        assertEquals(7 - 2 * Math.PI, Double.parseDouble(c[7]), 1e-15);
        StreamFiles.writeActions(out, List.of("orbit_id"), new String[][] {{"1"}}, new double[] {1, 2, 3}, new double[] {1, 2, 3}, null,
            new double[] {.1, .2, .3, .4, .5, .6});
        assertEquals("orbit_id,JR,Lz,Jz,thetaR,thetaphi,thetaz,JR_std,Lz_std,Jz_std,thetaR_std,thetaphi_std,thetaz_std", Files.readAllLines(out).get(0));
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        assertTrue(StreamFiles.wrap(-1e-20) < 2 * Math.PI);
    }
}
