package dev.canonic.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * numpy's .npy format (version 1.0): float64 little-endian C-order arrays are written; float64,
 * float32, int32 and int64 in either byte order are read (as doubles).
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=]?)([fiu])(\\d)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Writes one array in .npy format to a stream. */
    public static void write(OutputStream out, NdArray a) throws IOException {
        int[] shape = a.shape();
        StringBuilder sh = new StringBuilder();
        for (int i = 0; i < shape.length; i++) sh.append(i == 0 ? "" : ", ").append(shape[i]);
        if (shape.length == 1) sh.append(',');
        String header = "{'descr': '<f8', 'fortran_order': False, 'shape': (" + sh + "), }";
        int total = MAGIC.length + 2 + 2 + header.length() + 1;
        int pad = (64 - total % 64) % 64;
        StringBuilder h = new StringBuilder(header);
        for (int i = 0; i < pad; i++) h.append(' ');
        h.append('\n');
        byte[] hb = h.toString().getBytes(StandardCharsets.US_ASCII);
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(hb.length & 0xff);
        out.write((hb.length >> 8) & 0xff);
        out.write(hb);
        double[] d = a.data();
        ByteBuffer bb = ByteBuffer.allocate(8 * 4096).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < d.length; i++) {
            bb.putDouble(d[i]);
            if (!bb.hasRemaining()) {
                out.write(bb.array(), 0, bb.position());
                bb.clear();
            }
        }
        out.write(bb.array(), 0, bb.position());
    }

    /** Writes one array to a .npy file atomically. */
    public static void write(Path path, NdArray a) throws IOException {
        AtomicFiles.write(path, out -> write(out, a));
    }

    /** Reads one array from .npy bytes; what names the source in error messages. */
    public static NdArray read(InputStream in, String what) throws IOException {
        byte[] all = in.readAllBytes();
        return read(all, what);
    }

    /** Reads a .npy file. */
    public static NdArray read(Path path) throws IOException {
        return read(Files.readAllBytes(path), path.toString());
    }

    static NdArray read(byte[] all, String what) throws IOException {
        if (all.length < 10) throw new IOException(what + ": not a .npy array (too short)");
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) throw new IOException(what + ": not a .npy array (bad magic)");
        }
        int major = all[6];
        int hlen, hoff;
        if (major == 1) {
            hlen = (all[8] & 0xff) | (all[9] & 0xff) << 8;
            hoff = 10;
        } else if (major == 2 || major == 3) {
            hlen = (all[8] & 0xff) | (all[9] & 0xff) << 8 | (all[10] & 0xff) << 16 | (all[11] & 0xff) << 24;
            hoff = 12;
        } else {
            throw new IOException(what + ": unsupported .npy version " + major);
        }
        if (hoff + hlen > all.length) throw new IOException(what + ": truncated .npy header");
        String header = new String(all, hoff, hlen, StandardCharsets.US_ASCII);
        Matcher dm = DESCR.matcher(header), om = ORDER.matcher(header), sm = SHAPE.matcher(header);
        if (!dm.find() || !om.find() || !sm.find()) throw new IOException(what + ": unreadable .npy header: " + header.trim());
        ByteOrder order = ">".equals(dm.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        char kind = dm.group(2).charAt(0);
        int width = Integer.parseInt(dm.group(3));
        boolean fortran = om.group(1).equals("True");
        String[] parts = sm.group(1).trim().isEmpty() ? new String[0] : sm.group(1).split(",");
        int nd = 0;
        int[] shape = new int[parts.length];
        for (String p : parts) if (!p.isBlank()) shape[nd++] = Integer.parseInt(p.trim());
        shape = java.util.Arrays.copyOf(shape, nd);
        long n = 1;
        for (int s : shape) n *= s;
        int off = hoff + hlen;
        if (off + n * width > all.length) {
            throw new IOException(what + ": truncated .npy data (" + (all.length - off) + " bytes for " + n + " values of " + width + " bytes)");
        }
        ByteBuffer bb = ByteBuffer.wrap(all, off, all.length - off).order(order);
        double[] d = new double[(int) n];
        for (int i = 0; i < n; i++) {
            if (kind == 'f' && width == 8) d[i] = bb.getDouble();
            else if (kind == 'f' && width == 4) d[i] = bb.getFloat();
            else if ((kind == 'i' || kind == 'u') && width == 8) d[i] = bb.getLong();
            else if ((kind == 'i' || kind == 'u') && width == 4) d[i] = kind == 'u' ? Integer.toUnsignedLong(bb.getInt()) : bb.getInt();
            else throw new IOException(what + ": unsupported .npy dtype " + dm.group(0));
        }
        if (fortran && shape.length > 1) d = fromFortran(d, shape);
        return new NdArray(d, shape);
    }

    private static double[] fromFortran(double[] f, int[] shape) {
        double[] c = new double[f.length];
        int nd = shape.length;
        int[] idx = new int[nd];
        for (int lin = 0; lin < f.length; lin++) {
            int fo = 0, mul = 1;
            for (int d = 0; d < nd; d++) {
                fo += idx[d] * mul;
                mul *= shape[d];
            }
            c[lin] = f[fo];
            for (int d = nd - 1; d >= 0; d--) {
                if (++idx[d] < shape[d]) break;
                idx[d] = 0;
            }
        }
        return c;
    }

    /** The .npy bytes of an array. */
    public static byte[] bytes(NdArray a) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try {
            write(bo, a);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bo.toByteArray();
    }
}
