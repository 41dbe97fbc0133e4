package dev.canonic.models.actionfinder;

import dev.canonic.core.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which stream ("orbit") each row (star) belongs to, for streams of any sizes in any row order.
 * Streams are numbered 0..S−1 in order of first appearance; {@link #label(int)} gives back the
 * caller's id. Group means are segment sums (IndexAdd) divided by the counts, so they are
 * differentiable and work for variable stream sizes.
 */
public final class Streams {
    private final int[] row;
    private final long[] labels;
    private final int[] counts;

    private Streams(int[] row, long[] labels, int[] counts) {
        this.row = row;
        this.labels = labels;
        this.counts = counts;
    }

    /** From one id per row (any integers); every stream must have at least minStars rows. */
    public static Streams of(long[] ids, int minStars) {
        if (ids.length == 0) throw new IllegalArgumentException("no rows");
        Map<Long, Integer> dense = new LinkedHashMap<>();
        int[] row = new int[ids.length];
        for (int i = 0; i < ids.length; i++) row[i] = dense.computeIfAbsent(ids[i], k -> dense.size());
        long[] labels = new long[dense.size()];
        int[] counts = new int[dense.size()];
        for (Map.Entry<Long, Integer> e : dense.entrySet()) labels[e.getValue()] = e.getKey();
        for (int r : row) counts[r]++;
        for (int s = 0; s < counts.length; s++) {
            if (counts[s] < minStars) {
                throw new IllegalArgumentException("stream " + labels[s] + " has " + counts[s] + " star(s); at least " + minStars + " needed");
            }
        }
        return new Streams(row, labels, counts);
    }

    /** From int ids, at least minStars per stream. */
    public static Streams of(int[] ids, int minStars) {
        long[] l = new long[ids.length];
        for (int i = 0; i < l.length; i++) l[i] = ids[i];
        return of(l, minStars);
    }

    /** S streams of n consecutive rows each. */
    public static Streams uniform(int s, int n) {
        int[] ids = new int[s * n];
        for (int i = 0; i < ids.length; i++) ids[i] = i / n;
        return of(ids, 1);
    }

    /** Number of rows (stars). */
    public int rows() {
        return row.length;
    }

    /** Number of streams S. */
    public int count() {
        return labels.length;
    }

    /** Dense stream index (0..S−1) of each row (a copy). */
    public int[] index() {
        return row.clone();
    }

    /** Dense stream index of one row. */
    public int streamOf(int r) {
        return row[r];
    }

    /** The caller's id of dense stream s. */
    public long label(int s) {
        return labels[s];
    }

    /** Stars in dense stream s. */
    public int size(int s) {
        return counts[s];
    }

    /** The rows of the given dense streams, in stream order then row order, with their new Streams. */
    public int[] rowsOf(int[] streams) {
        int[][] members = members();
        int n = 0;
        for (int s : streams) n += counts[s];
        int[] out = new int[n];
        int k = 0;
        for (int s : streams) for (int r : members[s]) out[k++] = r;
        return out;
    }

    /** Rows of each dense stream. */
    public int[][] members() {
        int[][] m = new int[counts.length][];
        int[] fill = new int[counts.length];
        for (int s = 0; s < counts.length; s++) m[s] = new int[counts[s]];
        for (int r = 0; r < row.length; r++) m[row[r]][fill[row[r]]++] = r;
        return m;
    }

    /** The streams of a subset of rows (labels kept). */
    public Streams subset(int[] rows) {
        long[] ids = new long[rows.length];
        for (int i = 0; i < rows.length; i++) ids[i] = labels[row[rows[i]]];
        return of(ids, 1);
    }

    /** Per-stream mean of x (rows × k) → S × k, differentiable. */
    public Tensor mean(Tensor x) {
        check(x);
        double[] inv = new double[counts.length];
        for (int s = 0; s < inv.length; s++) inv[s] = 1.0 / counts[s];
        return x.indexAdd(0, row, counts.length).mul(Tensor.of(x.backend(), inv, counts.length, 1));
    }

    /** Per-stream values (S × k) copied to every row → rows × k, differentiable. */
    public Tensor fill(Tensor perStream) {
        if (perStream.rank() != 2 || perStream.dim(0) != counts.length) {
            throw new IllegalArgumentException("expected " + counts.length + "×k per-stream values, got " + Arrays.toString(perStream.shape()));
        }
        return perStream.indexSelect(0, row);
    }

    /** The stream mean of x copied back to every row. */
    public Tensor meanFilled(Tensor x) {
        return fill(mean(x));
    }

    private void check(Tensor x) {
        if (x.rank() != 2 || x.dim(0) != row.length) {
            throw new IllegalArgumentException("expected " + row.length + "×k rows, got " + Arrays.toString(x.shape()));
        }
    }

    /**
     * For plain arrays: each row's stream mean of its 3 values (n·3), rows grouped by a dense stream
     * index per row (0..streams−1).
     */
    public static double[] rowMeans3(double[] v, int[] stream) {
        int n = stream.length;
        if (v.length != 3 * n) throw new IllegalArgumentException("need 3 values per row: " + v.length + " values for " + n + " rows");
        int s = 0;
        for (int q : stream) s = Math.max(s, q + 1);
        double[] sum = new double[3 * s];
        int[] cnt = new int[s];
        for (int i = 0; i < n; i++) {
            cnt[stream[i]]++;
            for (int k = 0; k < 3; k++) sum[3 * stream[i] + k] += v[3 * i + k];
        }
        double[] out = new double[3 * n];
        for (int i = 0; i < n; i++) for (int k = 0; k < 3; k++) out[3 * i + k] = sum[3 * stream[i] + k] / cnt[stream[i]];
        return out;
    }
}
