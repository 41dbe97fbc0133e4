package dev.canonic.io;

import java.util.Arrays;

/** A named host array of float64 values with a shape, as stored in .npy files. */
public record NdArray(double[] data, int[] shape) {
    public NdArray {
        long n = 1;
        for (int s : shape) n *= s;
        if (n != data.length) throw new IllegalArgumentException(data.length + " values do not fill shape " + Arrays.toString(shape));
        shape = shape.clone();
    }

    /** A copy of the shape. */
    @Override
    public int[] shape() {
        return shape.clone();
    }
}
