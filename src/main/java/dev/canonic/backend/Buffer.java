package dev.canonic.backend;

/**
 * Storage of float64 values owned by one {@link Backend}. A buffer knows its length; the shape
 * lives in the tensor that wraps it.
 */
public interface Buffer {
    /** Number of float64 elements. */
    int length();

    /** The backend that owns this buffer. */
    Backend backend();
}
