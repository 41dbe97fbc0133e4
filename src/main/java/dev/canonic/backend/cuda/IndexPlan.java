package dev.canonic.backend.cuda;

/**
 * Host side of the atomic-free segment sum (index_add_f64 in kernels/reduce.cu): idx (values in
 * [0, outLen)) in CSR form. {@code start[t]..start[t+1]} indexes {@code rows}, which lists, in
 * increasing j, every position with idx[j] = t. Packed as one int array [start (outLen+1), rows (m)]
 * so it goes to the device in a single copy.
 */
public final class IndexPlan {
    private IndexPlan() {
    }

    /** [start[0..outLen], rows[0..m-1]]; throws IndexOutOfBoundsException for an index out of range. */
    public static int[] csr(int[] idx, int outLen) {
        int m = idx.length;
        int[] p = new int[outLen + 1 + m];
        for (int j = 0; j < m; j++) {
            int t = idx[j];
            if (t < 0 || t >= outLen) throw new IndexOutOfBoundsException("index " + t + " out of range [0, " + outLen + ")");
            p[t + 1]++;
        }
        for (int t = 0; t < outLen; t++) p[t + 1] += p[t];
        int[] fill = new int[outLen];
        for (int j = 0; j < m; j++) {
            int t = idx[j];
            p[outLen + 1 + p[t] + fill[t]++] = j;
        }
        return p;
    }

    /** Checks gather indices on the host (the kernel does not). */
    public static void checkRange(int[] idx, int len) {
        for (int v : idx) {
            if (v < 0 || v >= len) throw new IndexOutOfBoundsException("index " + v + " out of range [0, " + len + ")");
        }
    }
}
