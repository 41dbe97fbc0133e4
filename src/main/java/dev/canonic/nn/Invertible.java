package dev.canonic.nn;

import dev.canonic.core.Tensor;

/** A map of B×n rows with an exact inverse: inverse(forward(x)) = x up to rounding. */
public interface Invertible {
    /** The map. */
    Tensor forward(Tensor x);

    /** Its exact inverse. */
    Tensor inverse(Tensor y);
}
