package dev.canonic.cli;

import dev.canonic.backend.cuda.CudaBackend;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** --backend cpu|cuda|auto and canonic selftest on a machine without a GPU. */
class BackendSelectionTest {
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        PrintStream o = System.out, e = System.err;
        ByteArrayOutputStream bo = new ByteArrayOutputStream(), be = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bo, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(be, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, bo.toString(StandardCharsets.UTF_8), be.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }

    @Test
    void withoutAGpuAutoPicksTheCpuAndCudaFailsWithTheReason() {
        String why = CudaBackend.unavailableReason();
        assumeTrue(why != null, "a GPU is present here");
        assertSame(dev.canonic.backend.cpu.CpuBackend.INSTANCE, BackendOption.resolve(BackendOption.Choice.auto));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BackendOption.resolve(BackendOption.Choice.cuda));
        assertTrue(e.getMessage().contains(why), e.getMessage());

        Run info = run("info", "--backend", "auto");
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("gemm:"), info.out());
        assertTrue(info.out().contains("auto picks cpu"), info.out());

        Run st = run("selftest", "--backend", "cuda");
        assertEquals(1, st.code());
        assertTrue(st.err().contains("no usable GPU here"), st.err());
        assertTrue(st.err().contains(why), st.err());
    }

    @Test
    void everyComputingCommandTakesTheOptionAndNamesTheMissingGpu() {
        assumeTrue(CudaBackend.unavailableReason() != null, "a GPU is present here");
        String[][] commands = {
            {"train", "koopman", "--data", "missing.csv", "--out", "m.npz"},
            {"train", "actionfinder", "--data", "missing.csv", "--out", "m.npz"},
            {"actions", "--model", "m.npz", "--input", "p.csv", "--out", "o.csv"},
            {"orbit", "--model", "m.npz", "--J", "1", "--theta", "0", "--times", "0:1:0.5", "--out", "o.csv"},
            {"acceleration", "--model", "m.npz", "--input", "p.csv", "--out", "o.csv"},
            {"inverse", "--model", "m.npz", "--input", "p.csv", "--out", "o.csv"},
        };
        for (String[] c : commands) {
            String[] args = java.util.Arrays.copyOf(c, c.length + 2);
            args[c.length] = "--backend";
            args[c.length + 1] = "cuda";
            Run r = run(args);
            assertTrue(r.code() != 0, String.join(" ", c));
            assertTrue(r.err().contains("no usable GPU here"), String.join(" ", c) + ": " + r.err());
        }
    }

    @Test
    void selftestOnTheCpuChecksTheHarness() {
        Run st = run("selftest", "--backend", "cpu");
        assertEquals(0, st.code(), st.out() + st.err());
        assertTrue(st.out().contains("cases agree with the cpu"), st.out());
    }
}
