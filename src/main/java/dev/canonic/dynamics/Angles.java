package dev.canonic.dynamics;

/** Angle helpers. */
public final class Angles {
    /** 2π. */
    public static final double TWO_PI = 2 * Math.PI;

    private Angles() {
    }

    /** a reduced into [0, 2π). */
    public static double wrap(double a) {
        double r = a % TWO_PI;
        if (r < 0) r += TWO_PI;
        if (r >= TWO_PI) r = 0;   // -tiny % 2π + 2π rounds up to 2π
        return r;
    }

    /** The signed difference a − b reduced into [−π, π). */
    public static double diff(double a, double b) {
        double d = wrap(a - b + Math.PI) - Math.PI;
        return d;
    }
}
