package dev.canonic.core;

import java.util.Arrays;

/** Shape arithmetic: sizes, strides, broadcasting. */
public final class Shapes {
    private Shapes() {
    }

    /** Number of elements of a shape. */
    public static int size(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= s;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has too many elements");
        return (int) n;
    }

    /** Row-major strides. */
    public static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }

    /** The numpy broadcast of two shapes, or an error naming the operation and both shapes. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                    + " cannot be broadcast together (axis " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Strides that read a tensor of shape {@code from} as if it had the (broadcast) shape {@code to}. */
    public static int[] broadcastStrides(int[] from, int[] to) {
        int[] st = strides(from);
        int[] out = new int[to.length];
        int off = to.length - from.length;
        for (int i = 0; i < to.length; i++) {
            if (i < off) {
                out[i] = 0;
            } else {
                int d = from[i - off];
                out[i] = d == 1 && to[i] != 1 ? 0 : st[i - off];
                if (d == 1) out[i] = 0;
            }
        }
        return out;
    }

    /** Normalises a possibly negative axis against a rank, with an error naming the operation. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        }
        return a;
    }

    /** Text form of a shape. */
    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }
}
