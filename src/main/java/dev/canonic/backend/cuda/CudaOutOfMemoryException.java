package dev.canonic.backend.cuda;

/** Device memory ran out; the message names what was asked for and what the device had free. */
public final class CudaOutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CudaOutOfMemoryException(String message) {
        super(message);
    }

    /** The message for a failed allocation of elements float64 values (bytes), with cuMemGetInfo's figures. */
    public static String message(String device, long elements, long bytes, long free, long total) {
        return String.format("CUDA out of memory on %s: asked for %s (%d float64 values), %s free of %s",
            device, human(bytes), elements, human(free), human(total));
    }

    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        double v = bytes;
        String[] u = {"KiB", "MiB", "GiB", "TiB"};
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return String.format("%.2f %s", v, u[i]);
    }
}
