package dev.canonic.cli;

import dev.canonic.backend.Backend;
import dev.canonic.backend.cpu.Parallel;
import dev.canonic.backend.cuda.CudaBackend;
import dev.canonic.backend.cuda.CudaProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code canonic info}: version, Java, cores and which backends are usable. */
@Command(name = "info", description = "Show the version, the Java runtime, and which backends and devices are usable.")
public final class InfoCommand implements Runnable {
    @Mixin
    BackendOption backend = new BackendOption();

    @Override
    public void run() {
        System.out.println("canonic " + Main.version());
        System.out.println("java    " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ", "
            + System.getProperty("java.home") + ")");
        System.out.println("cores   " + Runtime.getRuntime().availableProcessors() + " (engine threads: " + Parallel.threads() + ")");
        System.out.println("backends:");
        System.out.println("  cpu:  usable (pure Java, " + Parallel.threads() + " threads) [default]");
        CudaProbe.Status s = CudaProbe.status();
        String dev = s.devices() > 0 ? " — " + s.devices() + " device(s), first: " + s.deviceName() : "";
        System.out.println("  cuda: " + (s.usable() ? "usable" : "not usable") + ": " + s.detail() + dev);
        if (s.devices() > 0) System.out.println("        cublas: " + s.cublasDetail());
        System.out.println("        gemm:   " + gemmPath(s));
        System.out.println("        status: kernels compiled to PTX and checked by ptxas; not yet run on a GPU by this project");
        System.out.println("selected: --backend " + backend.choice() + (backend.choice() == BackendOption.Choice.auto
            ? " (" + BackendOption.autoExplanation() + ")" : ""));
        Backend b = backend.resolve();
        System.out.println("  using " + b.name());
    }

    /** Which matrix-product path the CUDA backend uses here, and why. */
    static String gemmPath(CudaProbe.Status s) {
        if (!s.usable()) {
            return "none active (CUDA not usable); on a GPU: cuBLAS DGEMM when JCublas loads (needs libcublas.so.12), "
                + "else own kernels (FP64 tensor cores on compute capability >= 8.0, plain FMA tiles below)";
        }
        try {
            return CudaBackend.instance().gemmPath();
        } catch (RuntimeException e) {
            return "unknown: the CUDA backend failed to start: " + e.getMessage();
        }
    }
}
