package dev.canonic.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpzTest {
    @Test
    void sameArraysWrittenAtDifferentTimesGiveIdenticalBytes(@TempDir Path dir) throws Exception {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("w", new NdArray(new double[] {1.5, -2.0, 3.25}, new int[] {3}));
        Path a = dir.resolve("a.npz"), b = dir.resolve("b.npz");
        Npz.write(a, m);
        Thread.sleep(2100);   // zip time stamps have 2-second resolution
        Npz.write(b, m);
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void roundTripKeepsValuesShapesAndNames(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("net/layer0/weight", new NdArray(new double[] {1, 2.5, -3, Math.PI, 1e-300, Double.MAX_VALUE}, new int[] {2, 3}));
        m.put("scalar", new NdArray(new double[] {7}, new int[] {}));
        m.put("vec", new NdArray(new double[] {1, 2}, new int[] {2}));
        Path p = dir.resolve("a.npz");
        Npz.write(p, m);
        Map<String, NdArray> r = Npz.read(p);
        assertArrayEquals(m.keySet().toArray(), r.keySet().toArray());
        for (String k : m.keySet()) {
            assertArrayEquals(m.get(k).data(), r.get(k).data(), 0);
            assertArrayEquals(m.get(k).shape(), r.get(k).shape());
        }
        String header = new String(Npy.bytes(m.get("vec")), 10, 60);
        assertTrue(header.contains("'shape': (2,)"), header);
        try (var s = Files.list(dir)) {
            assertTrue(s.allMatch(f -> f.getFileName().toString().equals("a.npz")), "no temporary files left behind");
        }
    }

    @Test
    void truncatedOrMissingFilesFailNamingTheFile(@TempDir Path dir) throws IOException {
        Map<String, NdArray> m = new LinkedHashMap<>();
        m.put("w", new NdArray(new double[1000], new int[] {10, 100}));
        Path p = dir.resolve("t.npz");
        Npz.write(p, m);
        byte[] all = Files.readAllBytes(p);
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        IOException e = assertThrows(IOException.class, () -> Npz.read(cut));
        assertTrue(e.getMessage().contains("cut.npz"), e.getMessage());
        e = assertThrows(IOException.class, () -> Npz.read(dir.resolve("none.npz")));
        assertTrue(e.getMessage().contains("none.npz"), e.getMessage());
    }
}
