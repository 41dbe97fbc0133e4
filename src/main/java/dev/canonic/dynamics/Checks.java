package dev.canonic.dynamics;

/** Input checks shared by the dynamics layer: every failure names the problem. */
final class Checks {
    private Checks() {
    }

    static void finite(String what, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException(what + " is " + v + " (must be finite)");
    }

    static void positive(String what, double v) {
        if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException(what + " must be positive and finite, got " + v);
    }

    static void finite(String what, double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) throw new IllegalArgumentException(what + "[" + i + "] is " + a[i] + " (must be finite)");
        }
    }

    static void length(String what, double[] a, int n) {
        if (a == null) throw new IllegalArgumentException(what + " is null");
        if (a.length != n) throw new IllegalArgumentException(what + " has " + a.length + " values, expected " + n);
    }

    static void sameLength(String a, double[] x, String b, double[] y) {
        if (x == null || y == null) throw new IllegalArgumentException((x == null ? a : b) + " is null");
        if (x.length != y.length) throw new IllegalArgumentException(a + " has " + x.length + " values but " + b + " has " + y.length);
    }
}
