package dev.canonic.backend.cpu;

import dev.canonic.backend.Backend;
import dev.canonic.backend.Buffer;

/** A host buffer: a plain double array. */
public final class CpuBuffer implements Buffer {
    final double[] a;

    CpuBuffer(double[] a) {
        this.a = a;
    }

    /** The backing array (not a copy). */
    public double[] array() {
        return a;
    }

    @Override
    public int length() {
        return a.length;
    }

    @Override
    public Backend backend() {
        return CpuBackend.INSTANCE;
    }
}
