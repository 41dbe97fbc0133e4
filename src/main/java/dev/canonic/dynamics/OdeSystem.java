package dev.canonic.dynamics;

/** A first-order system dy/dt = f(t, y) of fixed size. */
public interface OdeSystem {
    /** Number of components of y. */
    int size();

    /** Writes f(t, y) into dydt (y not modified). */
    void rhs(double t, double[] y, double[] dydt);

    /** The Hamiltonian system dq/dt = p, dp/dt = −∇Φ(q) of ONE orbit in a force field, y = (q, p). */
    static OdeSystem orbit(ForceField f) {
        int d = f.dim();
        return new OdeSystem() {
            private final double[] q = new double[d];
            private final double[] a = new double[d];

            @Override
            public int size() {
                return 2 * d;
            }

            @Override
            public void rhs(double t, double[] y, double[] dydt) {
                System.arraycopy(y, 0, q, 0, d);
                f.accelerations(q, a, 1);
                System.arraycopy(y, d, dydt, 0, d);
                System.arraycopy(a, 0, dydt, d, d);
            }
        };
    }
}
