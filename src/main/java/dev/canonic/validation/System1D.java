package dev.canonic.validation;

/** A one-degree-of-freedom test system: it generates orbits with reference action-angle values. */
public interface System1D {
    /** Suite name (also the metrics file name). */
    String name();

    /** One line describing the potential and its parameters. */
    String description();

    /**
     * S orbits of T samples a step dt apart, with actions drawn from the system's range and
     * random starting angles, seeded.
     */
    OrbitSet generate(int orbits, int samples, double dt, long seed);

    /** The phase-space point (z, v) of action j and angle θ at time 0, and its orbit at later times. */
    double[][] orbit(double j, double theta, double[] times);

    /** True when the frequency does not depend on the action (then only its value is compared). */
    default boolean isochronous() {
        return false;
    }
}
