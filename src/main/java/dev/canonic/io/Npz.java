package dev.canonic.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** numpy's .npz: a zip of .npy arrays keyed by name (what np.savez writes and np.load reads). */
public final class Npz {
    private Npz() {
    }

    /** Entry time stamp: fixed (1980-01-01, as numpy writes), so equal arrays give byte-identical files. */
    private static final long ENTRY_TIME = java.time.LocalDateTime.of(1980, 1, 1, 0, 0).atZone(java.time.ZoneId.systemDefault()).toInstant().toEpochMilli();

    /** Writes named arrays to path atomically, in the map's order; the same arrays give the same bytes. */
    public static void write(Path path, Map<String, NdArray> arrays) throws IOException {
        AtomicFiles.write(path, out -> {
            ZipOutputStream z = new ZipOutputStream(out);
            for (Map.Entry<String, NdArray> e : arrays.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
                entry.setTime(ENTRY_TIME);
                z.putNextEntry(entry);
                Npy.write(z, e.getValue());
                z.closeEntry();
            }
            z.finish();
        });
    }

    /** Reads every array of a .npz file; a missing, truncated or corrupt file fails naming the file. */
    public static Map<String, NdArray> read(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such .npz file");
        Map<String, NdArray> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(path); ZipInputStream z = new ZipInputStream(new java.io.BufferedInputStream(in))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                String name = e.getName();
                if (!name.endsWith(".npy")) continue;
                String key = name.substring(0, name.length() - 4);
                out.put(key, Npy.read(z.readAllBytes(), path + ":" + name));
            }
        } catch (ZipException | java.io.EOFException ex) {
            throw new IOException(path + ": corrupt or truncated .npz file (" + ex.getMessage() + ")", ex);
        }
        if (out.isEmpty()) throw new IOException(path + ": not a .npz file or it holds no arrays");
        return out;
    }
}
