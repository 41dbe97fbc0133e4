package dev.canonic.core;

/**
 * Whether operations record the graph that gradients need, per thread. {@link #noGrad()} opens a
 * scope with recording off:
 *
 * <pre>{@code
 * try (GradMode.Scope s = GradMode.noGrad()) {
 *     Tensor y = model.forward(x);   // no graph, no memory held for backward
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** True when new operations record their inputs for backward. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** A scope that restores the previous mode when closed; closing twice throws. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;
        private boolean closed;

        private Scope(boolean enabled) {
            boolean[] cell = ENABLED.get();
            previous = cell[0];
            cell[0] = enabled;
        }

        @Override
        public void close() {
            if (closed) throw new IllegalStateException("GradMode scope closed twice");
            closed = true;
            ENABLED.get()[0] = previous;
        }
    }

    /** Turns recording off until the returned scope is closed. */
    public static Scope noGrad() {
        return new Scope(false);
    }

    /** Sets recording on or off until the returned scope is closed. */
    public static Scope enabled(boolean on) {
        return new Scope(on);
    }
}
