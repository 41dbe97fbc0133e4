package dev.canonic.backend.cpu;

import dev.canonic.backend.Backend;
import dev.canonic.backend.Buffer;

/**
 * A host buffer: a plain double array. A buffer allocated inside a {@link CpuArena} region belongs
 * to that region; when the region closes its array is taken away (for reuse) and every later access
 * through this buffer throws {@link IllegalStateException}, so a tensor that outlives its scope
 * without being kept fails loudly instead of reading values that have been overwritten.
 */
public final class CpuBuffer implements Buffer {
    /** The values; null once the owning region has released the array. */
    double[] a;
    private final int length;
    /** The open region that will recycle the array when it closes, or null (plain heap array). */
    CpuArena.Region owner;
    /** Position in the owner's allocation record. */
    int index;

    CpuBuffer(double[] a) {
        this.a = a;
        this.length = a.length;
    }

    /**
     * The backing array (not a copy); throws if the buffer was released by its scope. Inside a
     * BufferPool scope, do not hold the array beyond the scope: the pool reuses it.
     */
    public double[] array() {
        double[] v = a;
        if (v == null) throw released();
        return v;
    }

    /** True while the values can be read (always, unless a scope released the buffer). */
    public boolean isLive() {
        return a != null;
    }

    static IllegalStateException released() {
        return new IllegalStateException("this tensor's buffer was recycled when its BufferPool scope closed:"
            + " keep() a tensor that must outlive the scope");
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public Backend backend() {
        return CpuBackend.INSTANCE;
    }
}
