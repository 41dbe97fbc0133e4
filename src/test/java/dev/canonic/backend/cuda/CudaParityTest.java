package dev.canonic.backend.cuda;

import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.Buffer;
import dev.canonic.backend.ReduceKind;
import dev.canonic.backend.UnaryKind;
import dev.canonic.backend.cpu.CpuBackend;
import dev.canonic.check.BackendParity;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CPU operation tests' inputs on the CUDA backend, compared with CpuBackend (1e-12 relative,
 * second derivatives included). Runs only where a GPU is present; elsewhere every test is skipped
 * with the reason (no driver, no device) in the report.
 */
class CudaParityTest {
    static CudaBackend cuda;

    @BeforeEach
    void needsGpu() {
        String why = CudaBackend.unavailableReason();
        assumeTrue(why == null, "CUDA parity skipped, no usable GPU here: " + why);
        cuda = CudaBackend.instance();
    }

    @Test
    void everyParityCaseAgreesWithTheCpu() {
        List<BackendParity.Result> rs = BackendParity.run(cuda);
        StringBuilder bad = new StringBuilder();
        for (BackendParity.Result r : rs) if (!r.passed()) bad.append(r.name()).append(": ").append(r.detail()).append('\n');
        assertTrue(bad.length() == 0, "on " + cuda.deviceName() + " (" + cuda.gemmPath() + "):\n" + bad);
    }

    @Test
    void aChainOfDeviceOpsMakesNoHostTransfers() {
        Buffer x = cuda.fromHost(new double[] {1, 2, 3, 4, 5, 6});
        Buffer y = cuda.alloc(6), z = cuda.alloc(2), w = cuda.alloc(4);
        cuda.synchronize();
        cuda.resetTransferCounts();
        cuda.unary(UnaryKind.TANH, x, y, 6);
        cuda.binary(BinaryKind.MUL, x, new int[] {3, 1}, y, new int[] {3, 1}, y, new int[] {2, 3});
        cuda.reduce(ReduceKind.SUM, y, 2, 3, 1, z);
        cuda.gemm(1, 2, 2, 3, x, 0, false, x, 0, true, w);
        cuda.uniform(1, 0, y, 6);
        cuda.synchronize();
        assertEquals(0, cuda.transfers());
        cuda.toHost(w);
        assertEquals(1, cuda.deviceToHostCopies());
        cuda.resetTransferCounts();
        Buffer s = cuda.fromHost(new double[] {2.5});
        assertEquals(0, cuda.transfers(), "a scalar goes as a kernel parameter");
        assertArrayEquals(new double[] {2.5}, cuda.toHost(s), 0);
    }

    @Test
    void adamStepMatchesTheHostFormula() {
        Random g = new Random(3);
        int n = 257;
        double[] p = new double[n], m = new double[n], v = new double[n], gr = new double[n];
        for (int i = 0; i < n; i++) {
            p[i] = g.nextGaussian();
            m[i] = 0.1 * g.nextGaussian();
            v[i] = Math.abs(g.nextGaussian());
            gr[i] = g.nextGaussian();
        }
        Buffer pb = cuda.fromHost(p), mb = cuda.fromHost(m), vb = cuda.fromHost(v), gb = cuda.fromHost(gr);
        cuda.adamStep(pb, mb, vb, gb, n, 3, 1e-3, 0.9, 0.999, 1e-8, 0.01, true);
        double[] ep = p.clone(), em = m.clone(), ev = v.clone();
        AdamReference.step(ep, em, ev, gr, 3, 1e-3, 0.9, 0.999, 1e-8, 0.01, true);
        assertArrayEquals(ep, cuda.toHost(pb), 1e-15);
        assertArrayEquals(em, cuda.toHost(mb), 0);
        assertArrayEquals(ev, cuda.toHost(vb), 0);
    }

    @Test
    void dropoutMaskEqualsTheCpuUniforms() {
        int n = 1000;
        double[] x = new double[n];
        java.util.Arrays.fill(x, 2.0);
        Buffer out = cuda.alloc(n);
        cuda.dropout(9, 17, 0.25, cuda.fromHost(x), out, n);
        double[] got = cuda.toHost(out);
        for (int i = 0; i < n; i++) {
            double u = CpuBackend.uniformAt(9, 17 + i);
            assertEquals(u >= 0.25 ? 2.0 / 0.75 : 0.0, got[i], 0, "element " + i);
        }
    }

    @Test
    void closingABufferTwiceThrows() {
        CudaBuffer b = cuda.alloc(10);
        b.close();
        assertThrows(IllegalStateException.class, b::close);
    }

    @Test
    void largerThanEightIsRefusedByName() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
            () -> cuda.inverse(cuda.alloc(81), 1, 9, cuda.alloc(81)));
        assertTrue(e.getMessage().contains("inverse"), e.getMessage());
    }

    @Test
    void outOfMemoryNamesAskedAndFree() {
        // 1 PiB: more than any GPU has (alloc(int) tops out at 16 GiB, which an 80 GB card can give)
        CudaOutOfMemoryException e = assertThrows(CudaOutOfMemoryException.class, () -> cuda.rawAlloc(1L << 50, 1L << 47, "test"));
        assertTrue(e.getMessage().contains("asked for") && e.getMessage().contains("free"), e.getMessage());
    }
}
