package dev.canonic.dynamics;

/**
 * Kick-drift-kick leapfrog (Störmer–Verlet; Binney &amp; Tremaine 2008 §3.4.1):
 * p ← p + (h/2) a(q); q ← q + h p; p ← p + (h/2) a(q). Second order, symplectic, time-reversible.
 */
public final class Leapfrog extends SymplecticIntegrator {
    public Leapfrog() {
        super(1.0);
    }

    @Override
    public int order() {
        return 2;
    }

    @Override
    public String name() {
        return "leapfrog";
    }
}
