package dev.canonic.core;

import dev.canonic.backend.cpu.CpuArena;

/**
 * Reuses the CPU buffers of a training step's intermediate results in the next step, instead of
 * allocating (and zero-filling) a fresh array for every operation: the buffers come back still in
 * cache, with no zeroing where the operation overwrites its whole output and no garbage for the
 * collector. Opt-in and explicit, like an arena:
 *
 * <pre>{@code
 * BufferPool pool = new BufferPool();                 // lives as long as the training loop
 * for (...) {
 *     Tensor[] g;
 *     try (BufferPool.Scope s = pool.open()) {
 *         Tensor loss = model.forward(x).sub(y).square().mean();
 *         g = s.keep(Autograd.grad(loss, leaves));   // the gradients outlive the scope
 *         lossValue = loss.item();                    // read values before the scope closes
 *     }
 *     adam.step(g);                                   // parameters and moments: allocated outside
 * }
 * }</pre>
 *
 * <p>While a scope is open on a thread, every CPU buffer that thread's operations allocate belongs
 * to the scope. Closing the scope returns them all to the pool, except those of tensors passed to
 * {@link Scope#keep} (kept buffers pass to the enclosing scope, if one is open, else to the garbage
 * collector). Safety: a released buffer loses its array, so any later use of a tensor that was not
 * kept — reading it, computing with it, differentiating through a graph whose intermediates were
 * released — throws {@link IllegalStateException}; it can never see another step's values. Tensors
 * made outside the scope (parameters, data, optimiser state) are never touched. Results are bitwise
 * those without a pool: operations whose kernels do not write every element (zeros, pad,
 * scatter-add, reductions that accumulate) still get zero-filled buffers.
 *
 * <p>Code that opens no scope behaves exactly as before. The system property {@code canonic.pool=false}
 * turns every scope into a no-op (for comparisons). Other backends ignore the pool. A pool and its
 * scopes are used by one thread at a time; scopes close innermost first, and closing twice throws.
 * The pool holds one step's worth of arrays between scopes; lengths unused for two scopes are dropped,
 * and {@link #clear} drops everything.
 */
public final class BufferPool {
    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("canonic.pool"));

    private final CpuArena arena;

    /** An empty pool. */
    public BufferPool() {
        this(false);
    }

    private BufferPool(CpuArena arena) {
        this.arena = arena;
    }

    private BufferPool(boolean poison) {
        this(new CpuArena(poison));
    }

    /** A pool whose scopes recycle nothing: every allocation is a fresh array, as without a pool. */
    public static BufferPool off() {
        return new BufferPool((CpuArena) null);
    }

    /**
     * A pool that fills every array it takes back with NaN, for tests: an operation that does not
     * write its whole output then shows NaN instead of a stale value.
     */
    public static BufferPool poisoning() {
        return new BufferPool(true);
    }

    /** True unless the system property canonic.pool=false turned recycling off. */
    public static boolean enabled() {
        return ENABLED;
    }

    /** Opens a scope on the calling thread, nested in any scope already open there. */
    public Scope open() {
        return new Scope(ENABLED && arena != null ? arena.open() : null);
    }

    /** Drops the free arrays held between scopes. */
    public void clear() {
        if (arena != null) arena.clear();
    }

    /** Bytes held for reuse between scopes. */
    public long heldBytes() {
        return arena == null ? 0 : arena.heldBytes();
    }

    /** One step's allocations; see {@link BufferPool}. */
    public static final class Scope implements AutoCloseable {
        private final CpuArena.Region region;
        private boolean closed;

        private Scope(CpuArena.Region region) {
            this.region = region;
        }

        /** Lets t's values outlive this scope (not its graph's intermediates); returns t. */
        public Tensor keep(Tensor t) {
            if (closed) throw new IllegalStateException("keep() on a closed BufferPool scope");
            if (t != null && region != null) region.keep(t.buffer());
            return t;
        }

        /** Keeps every non-null tensor of ts; returns ts. */
        public Tensor[] keep(Tensor... ts) {
            for (Tensor t : ts) keep(t);
            return ts;
        }

        /** Returns every buffer allocated in this scope and not kept to the pool. */
        @Override
        public void close() {
            if (closed) throw new IllegalStateException("BufferPool scope closed twice");
            if (region != null) region.close();
            closed = true;
        }
    }
}
