package dev.canonic.backend.cpu;

import dev.canonic.backend.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Recycles the arrays of host buffers between scopes (the engine's face is
 * {@code dev.canonic.core.BufferPool}). While a {@link Region} is open on a thread, the CPU
 * backend's allocations on that thread take arrays of the exact length from this arena's free
 * lists (most recently freed first: still in cache) and the region records the buffers; when the
 * region closes, every buffer it still owns loses its array (later reads throw) and the array goes
 * back to the free lists. A buffer passed to {@link Region#keep} is handed to the enclosing region,
 * or to the garbage collector when there is none, and keeps its array.
 *
 * <p>Arrays for outputs that the kernel writes completely ({@link CpuBackend#allocOutput}) are
 * handed out as they are; {@link CpuBackend#alloc} zero-fills a recycled array, as a new one would be.
 * Arrays shorter than {@link #MIN_ELEMENTS} are not recycled (a fresh one costs less than the book-keeping).
 * Not thread-safe: a region and its arena are used by the thread that opened the region.
 */
public final class CpuArena {
    /** Arrays below this length (system property canonic.pool.minElements, default 256) are plain heap arrays. */
    static final int MIN_ELEMENTS = Integer.getInteger("canonic.pool.minElements", 256);

    private static final ThreadLocal<Region> CURRENT = new ThreadLocal<>();

    /** Free arrays of one length. */
    private static final class Bin {
        final ArrayDeque<double[]> arrays = new ArrayDeque<>();
        long lastUse;
    }

    private final Map<Integer, Bin> bins = new HashMap<>();
    private final boolean poison;
    private long generation;
    private long heldElements;
    /** Regions of this arena now open, and the thread they are open on. */
    private int openRegions;
    private Thread user;

    /**
     * An arena; with poison on, released arrays are filled with NaN (for tests: an output a kernel
     * fails to write completely then shows up as NaN).
     */
    public CpuArena(boolean poison) {
        this.poison = poison;
    }

    /** Opens a region on the calling thread, nested in the region already open there (if any). */
    public Region open() {
        Thread t = Thread.currentThread();
        if (openRegions > 0 && user != t) {
            throw new IllegalStateException("this BufferPool has a scope open on thread " + user.getName()
                + ": a pool serves one thread at a time (give each thread its own)");
        }
        Region r = new Region(CURRENT.get());
        CURRENT.set(r);
        openRegions++;
        user = t;
        return r;
    }

    /** Drops every free array (the garbage collector takes them). */
    public void clear() {
        if (openRegions > 0) throw new IllegalStateException("BufferPool.clear() while a scope is open");
        bins.clear();
        heldElements = 0;
    }

    /** Bytes held in the free lists. */
    public long heldBytes() {
        return 8 * heldElements;
    }

    /** A buffer of n elements: recycled when a region is open on this thread, else a new array. */
    static CpuBuffer alloc(int n, boolean zero) {
        Region r = n < MIN_ELEMENTS ? null : CURRENT.get();
        if (r == null) return new CpuBuffer(new double[n]);
        return r.alloc(n, zero);
    }

    /**
     * A position in the allocation record of the region open on this thread (-1 when none), for
     * {@link #releaseSince} and {@link #releaseIfSince}.
     */
    public static int mark() {
        Region r = CURRENT.get();
        return r == null ? -1 : r.owned.size();
    }

    /**
     * Early release, for code that knows which of its own temporaries are dead (the backward pass):
     * every buffer the current region allocated since mark, except those in live, goes back to the
     * free lists now (its tensors become unusable, as at the region's close).
     */
    public static void releaseSince(int mark, java.util.Set<Buffer> live) {
        Region r = CURRENT.get();
        if (r == null || mark < 0) return;
        for (int i = mark; i < r.owned.size(); i++) {
            CpuBuffer b = r.owned.get(i);
            if (b.owner == r && b.a != null && !live.contains(b)) r.release(b);
        }
    }

    /**
     * Releases b now if the current region allocated it since mark (and has not released it);
     * returns whether it did. The caller must know that nothing can read b any more.
     */
    public static boolean releaseIfSince(Buffer b, int mark) {
        Region r = CURRENT.get();
        if (r == null || mark < 0 || !(b instanceof CpuBuffer)) return false;
        CpuBuffer c = (CpuBuffer) b;
        if (c.owner != r || c.a == null || c.index < mark) return false;
        r.release(c);
        return true;
    }

    private double[] take(int n) {
        Bin b = bins.get(n);
        if (b == null) {
            b = new Bin();
            bins.put(n, b);
        }
        b.lastUse = generation;
        double[] a = b.arrays.pollLast();
        if (a != null) heldElements -= n;
        return a;
    }

    private void give(double[] a) {
        if (poison) Arrays.fill(a, Double.NaN);
        Bin b = bins.get(a.length);
        if (b == null) {
            b = new Bin();
            b.lastUse = generation;
            bins.put(a.length, b);
        }
        b.arrays.addLast(a);
        heldElements += a.length;
    }

    /** Drops the free arrays of lengths nobody asked for during the last two regions. */
    private void trim() {
        generation++;
        for (Iterator<Bin> it = bins.values().iterator(); it.hasNext(); ) {
            Bin b = it.next();
            if (b.lastUse < generation - 2) {
                for (double[] a : b.arrays) heldElements -= a.length;
                it.remove();
            }
        }
    }

    /** A scope of allocations on one thread; closing it recycles what it still owns. Closing twice throws. */
    public final class Region implements AutoCloseable {
        private final Region parent;
        private final Thread thread = Thread.currentThread();
        private final ArrayList<CpuBuffer> owned = new ArrayList<>();
        private boolean closed;

        private Region(Region parent) {
            this.parent = parent;
        }

        CpuBuffer alloc(int n, boolean zero) {
            double[] a = take(n);
            if (a == null) a = new double[n];
            else if (zero) Arrays.fill(a, 0.0);
            CpuBuffer b = new CpuBuffer(a);
            b.owner = this;
            b.index = owned.size();
            owned.add(b);
            return b;
        }

        void release(CpuBuffer b) {
            double[] a = b.a;
            b.a = null;
            b.owner = null;
            give(a);
        }

        /**
         * Lets b outlive this region: it passes to the enclosing region (released when that one
         * closes, unless kept there too) or, with none, to the garbage collector. Buffers of other
         * backends, and buffers that already outlive this region, are left as they are.
         */
        public void keep(Buffer b) {
            if (closed) throw new IllegalStateException("keep() on a closed BufferPool scope");
            if (!(b instanceof CpuBuffer)) return;
            CpuBuffer c = (CpuBuffer) b;
            if (c.a == null) throw CpuBuffer.released();
            for (Region r = c.owner; r != null; r = r.parent) {
                if (r == this) {
                    c.owner = parent;
                    if (parent != null) {
                        c.index = parent.owned.size();
                        parent.owned.add(c);
                    }
                    return;
                }
            }
        }

        /** Releases every buffer this region still owns into the arena's free lists. */
        @Override
        public void close() {
            if (closed) throw new IllegalStateException("BufferPool scope closed twice");
            if (Thread.currentThread() != thread || CURRENT.get() != this) {
                throw new IllegalStateException("BufferPool scopes must be closed on their thread, innermost first");
            }
            closed = true;
            openRegions--;
            if (parent == null) CURRENT.remove();
            else CURRENT.set(parent);
            for (CpuBuffer b : owned) {
                if (b.owner == this) release(b);
            }
            owned.clear();
            trim();
        }
    }
}
