package dev.canonic.check;

import dev.canonic.backend.cpu.CpuBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parity harness itself, run CPU against CPU: every case must run and agree exactly. */
class BackendParityTest {
    @Test
    void cpuAgainstItselfPassesEveryCaseExactly() {
        List<BackendParity.Result> rs = BackendParity.run(CpuBackend.INSTANCE);
        assertTrue(rs.size() > 150, "cases: " + rs.size());
        for (BackendParity.Result r : rs) {
            assertTrue(r.passed(), r.name() + ": " + r.detail());
            assertEquals(0.0, r.worstRelError(), 0.0, r.name());
        }
    }
}
