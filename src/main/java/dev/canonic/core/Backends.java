package dev.canonic.core;

import dev.canonic.backend.Backend;
import dev.canonic.backend.cpu.CpuBackend;

/** The backend new tensors go to unless one is named. */
public final class Backends {
    private static volatile Backend defaultBackend = CpuBackend.INSTANCE;

    private Backends() {
    }

    /** The default backend (the CPU unless changed). */
    public static Backend defaultBackend() {
        return defaultBackend;
    }

    /** Changes the default backend for new tensors. */
    public static void setDefault(Backend b) {
        if (b == null) throw new NullPointerException("backend");
        defaultBackend = b;
    }
}
