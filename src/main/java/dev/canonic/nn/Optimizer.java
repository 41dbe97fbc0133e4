package dev.canonic.nn;

import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;

import java.util.List;
import java.util.Map;

/**
 * Updates a fixed list of parameters from their gradients. Updates run with graph recording off.
 * State (moments, step count, learning rate) can be saved and restored for a bitwise resume; per-
 * parameter entries are keyed {@code <kind>/<index>}, the index into {@link #parameters()}.
 */
public interface Optimizer {
    /** One update; grads[i] belongs to parameters().get(i) (null = no gradient, parameter skipped). */
    void step(Tensor[] grads);

    /** Forgets all state (moments, step count); the learning rate is kept. */
    void zeroState();

    /** Number of steps taken since construction or the last zeroState. */
    int steps();

    /** The state as host arrays. */
    Map<String, NdArray> state();

    /** Restores state from {@link #state()}; shapes and keys must match, else IllegalArgumentException naming the key. */
    void loadState(Map<String, NdArray> s);

    /** The current learning rate. */
    double learningRate();

    /** Changes the learning rate (schedules call this). */
    void setLearningRate(double lr);

    /** The parameters updated, in gradient order. */
    List<Parameter> parameters();
}
