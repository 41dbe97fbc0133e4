package dev.canonic.nn;

/** An ordered list of child modules named 0, 1, 2, … (a container; it has no forward of its own). */
public final class Sequence extends Module {
    private int count;

    /** Appends m under the next index and returns it. */
    public <T extends Module> T add(T m) {
        return register(Integer.toString(count++), m);
    }

    /** Number of children. */
    public int size() {
        return count;
    }
}
