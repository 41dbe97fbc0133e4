package dev.canonic.backend.cuda;

/**
 * Grid and block sizes. Elementwise kernels use grid-stride loops (kernels/common.cuh), so any grid
 * gives the same result; the grid is capped at a few waves per SM to keep launch cost flat.
 */
public record LaunchShape(int gridX, int gridY, int gridZ, int block) {
    /** Threads per block for the elementwise kernels. */
    public static final int BLOCK = 256;

    /** A 1-D grid-stride launch over n elements on a device with sms multiprocessors. */
    public static LaunchShape linear(long n, int sms) {
        long want = (n + BLOCK - 1) / BLOCK;
        long cap = Math.max(1, (long) sms * 32);
        return new LaunchShape((int) Math.max(1, Math.min(want, cap)), 1, 1, BLOCK);
    }

    /** One thread per small matrix (linalg kernels): 64-thread blocks, they use many registers. */
    public static LaunchShape perMatrix(long batch, int sms) {
        long want = (batch + 63) / 64;
        long cap = Math.max(1, (long) sms * 64);
        return new LaunchShape((int) Math.max(1, Math.min(want, cap)), 1, 1, 64);
    }

    /** The matrix-product grid: 64×64 output tiles in x (columns) and y (rows), the batch in z. */
    public static LaunchShape gemm(int batch, int m, int n, boolean tensorCores) {
        if (batch > 65535) throw new UnsupportedOperationException("gemm on the CUDA backend: batch " + batch + " > 65535");
        return new LaunchShape((n + 63) / 64, (m + 63) / 64, batch, tensorCores ? 128 : 256);
    }

    /** True when reduce should use one block per row (few long rows) rather than one thread per output. */
    public static boolean reduceByRows(int outer, int len, int inner, int sms) {
        return inner == 1 && len >= 2048 && (long) outer < 4L * sms * BLOCK / 8;
    }
}
