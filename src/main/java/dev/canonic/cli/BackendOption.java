package dev.canonic.cli;

import dev.canonic.backend.Backend;
import dev.canonic.backend.cpu.CpuBackend;
import dev.canonic.backend.cuda.CudaBackend;
import dev.canonic.core.Backends;
import picocli.CommandLine.Option;

/**
 * The {@code --backend cpu|cuda|auto} option, a picocli mixin any command can include
 * ({@code @Mixin BackendOption backend;}) and then call {@link #apply()} first thing. {@code auto}
 * picks CUDA only when it is usable here (driver, device, kernels), else the CPU; {@code cuda} fails
 * with the reason when it is not. The default stays {@code cpu} until the CUDA backend has been run
 * against the parity suite on a GPU.
 */
public final class BackendOption {
    /** The choices. */
    public enum Choice { cpu, cuda, auto }

    @Option(names = "--backend", defaultValue = "cpu", paramLabel = "cpu|cuda|auto",
        description = "compute backend: cpu, cuda, or auto (CUDA when usable, else CPU); default ${DEFAULT-VALUE}")
    Choice choice = Choice.cpu;

    /** The chosen value. */
    public Choice choice() {
        return choice;
    }

    /** Sets the choice (for programs that build the mixin themselves). */
    public BackendOption choose(Choice c) {
        choice = c;
        return this;
    }

    /**
     * The backend the choice names; throws IllegalArgumentException saying why for {@code cuda}
     * where CUDA is not usable.
     */
    public Backend resolve() {
        return resolve(choice);
    }

    /** The backend for a choice; see {@link #resolve()}. */
    public static Backend resolve(Choice c) {
        switch (c) {
            case cpu:
                return CpuBackend.INSTANCE;
            case cuda: {
                String why = CudaBackend.unavailableReason();
                if (why != null) throw new IllegalArgumentException("--backend cuda: no usable GPU here: " + why);
                return CudaBackend.instance();
            }
            case auto:
            default:
                return CudaBackend.unavailableReason() == null ? CudaBackend.instance() : CpuBackend.INSTANCE;
        }
    }

    /** Resolves the choice and makes it the default backend for new tensors; returns it. */
    public Backend apply() {
        Backend b = resolve();
        Backends.setDefault(b);
        return b;
    }

    /** One line saying what {@code auto} picks here and why. */
    public static String autoExplanation() {
        String why = CudaBackend.unavailableReason();
        return why == null ? "auto picks cuda (driver, device and kernels present)" : "auto picks cpu (cuda not usable: " + why + ")";
    }
}
