package dev.canonic.cli;

import dev.canonic.backend.Backend;
import dev.canonic.backend.cuda.CudaBackend;
import dev.canonic.check.BackendParity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code canonic selftest --backend cuda}: runs the parity suite (BackendParity: the CPU operation
 * tests' inputs, every primitive, a Hessian-vector product) on the chosen backend against the CPU
 * reference and reports every case that disagrees. Exit 0 when all agree, 1 when any does not or
 * the backend cannot run here (the message says why, e.g. no GPU).
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
    description = "Check a backend against the CPU reference on the parity suite (1e-12 relative; second derivatives included).")
public final class SelftestCommand implements Callable<Integer> {
    @Mixin
    BackendOption backend = new BackendOption();

    @Option(names = "--verbose", description = "list every case, not only failures")
    boolean verbose;

    @Override
    public Integer call() {
        Backend b;
        try {
            b = backend.resolve();
        } catch (IllegalArgumentException e) {
            System.err.println("canonic selftest: " + e.getMessage());
            System.err.println("canonic selftest: nothing was tested; run it on a machine with an NVIDIA GPU and driver.");
            return 1;
        } catch (IllegalStateException e) {
            System.err.println("canonic selftest: the CUDA backend failed to start: " + e.getMessage());
            return 1;
        }
        System.out.println("selftest: backend " + b.name() + describe(b) + " against the cpu reference");
        if (b.name().equals("cpu")) System.out.println("  (cpu against itself checks the harness only; use --backend cuda on a GPU machine)");
        long t0 = System.nanoTime();
        List<BackendParity.Result> rs = BackendParity.run(b);
        int failed = 0;
        double worst = 0;
        for (BackendParity.Result r : rs) {
            if (!r.passed()) failed++;
            if (r.passed() && r.worstRelError() > worst) worst = r.worstRelError();
            if (!r.passed() || verbose) {
                System.out.printf(Locale.ROOT, "  %-4s %-60s worst rel. error %.2e %s%n", r.passed() ? "ok" : "FAIL", r.name(),
                    r.worstRelError(), r.detail());
            }
        }
        System.out.printf(Locale.ROOT, "selftest: %d of %d cases agree with the cpu (largest relative difference among them %.2e) in %.1f s%n",
            rs.size() - failed, rs.size(), worst, (System.nanoTime() - t0) * 1e-9);
        return failed == 0 ? 0 : 1;
    }

    private static String describe(Backend b) {
        if (b instanceof CudaBackend) {
            CudaBackend c = (CudaBackend) b;
            return " (" + c.deviceName() + ", compute capability " + c.computeCapability() + ", PTX sm_" + c.ptxTarget() + ", GEMM: " + c.gemmPath() + ")";
        }
        return "";
    }
}
