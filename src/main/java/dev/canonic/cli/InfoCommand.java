package dev.canonic.cli;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.backend.cuda.CudaProbe;
import picocli.CommandLine.Command;

/** {@code canonic info}: version, Java, cores and which backends are usable. */
@Command(name = "info", description = "Show the version, the Java runtime, and which backends and devices are usable.")
public final class InfoCommand implements Runnable {
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
    }
}
