package dev.canonic.backend.cuda;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The committed PTX: present for every family and target, stamped with the lowest PTX ISA its target
 * needs, built from the current kernels/ sources (hashes always; a fresh nvcc build where nvcc
 * exists), assembled by ptxas where it exists, and declaring exactly the parameter lists the Java
 * launches pass (KernelSignatures).
 */
class KernelResourcesTest {
    static final Path ROOT = Paths.get("").toAbsolutePath();

    static String ptx(int target, String family) throws IOException {
        byte[] b = KernelResources.load(target, family);
        return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
    }

    static String tool(String name) {
        for (String dir : new String[] {"/usr/local/bin", "/usr/local/cuda/bin", "/usr/bin"}) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getPath();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                File f = new File(d, name);
                if (f.canExecute()) return f.getPath();
            }
        }
        return null;
    }

    @Test
    void everyFamilyIsStampedWithTheLowestIsaOfItsTarget() throws IOException {
        assertTrue(KernelResources.allPresent());
        for (int i = 0; i < KernelResources.TARGETS.length; i++) {
            int t = KernelResources.TARGETS[i];
            for (String f : KernelResources.FAMILIES) {
                String p = ptx(t, f);
                assertTrue(p.contains("\n.version " + KernelResources.ISA[i] + "\n"), f + " sm_" + t + " version stamp");
                assertTrue(p.contains("\n.target sm_" + t + "\n"), f + " sm_" + t + " target");
                assertTrue(p.contains(".address_size 64"), f);
            }
        }
        // GPU.md: CUDA 12 drivers take PTX ISA up to 8.x, so nothing may stay at nvcc 13's 9.0
        for (String isa : KernelResources.ISA) assertTrue(Double.parseDouble(isa) < 9.0, isa);
    }

    @Test
    void deviceTargetSelection() {
        assertEquals(90, KernelResources.targetFor(9, 0));
        assertEquals(90, KernelResources.targetFor(10, 0));
        assertEquals(80, KernelResources.targetFor(8, 6));
        assertEquals(80, KernelResources.targetFor(8, 0));
        assertEquals(75, KernelResources.targetFor(7, 5));
        org.junit.jupiter.api.Assertions.assertThrows(UnsupportedOperationException.class, () -> KernelResources.targetFor(7, 0));
        assertTrue(KernelResources.hasFp64TensorCores(8));
        assertFalse(KernelResources.hasFp64TensorCores(7));
    }

    @Test
    void tensorCoreInstructionOnlyWhereTheTargetHasIt() throws IOException {
        assertTrue(ptx(80, "gemm").contains("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64"));
        assertTrue(ptx(90, "gemm").contains("mma.sync.aligned.m8n8k4.row.col.f64.f64.f64.f64"));
        assertFalse(ptx(75, "gemm").contains("mma.sync"));
        assertTrue(ptx(90, "gemm").contains("mma.sync.aligned.m16n8k4.row.col.f64.f64.f64.f64"));
        assertFalse(ptx(80, "gemm").contains("m16n8k4"));
        assertEquals("gemm_tc_f64", KernelResources.gemmKernel(9, null));
        assertEquals("gemm_tc16_f64", KernelResources.gemmKernel(9, "m16n8k4"));
        assertEquals("gemm_tc_f64", KernelResources.gemmKernel(8, "m16n8k4"));
        assertEquals("gemm_simt_f64", KernelResources.gemmKernel(7, null));
    }

    @Test
    void committedHashesMatchTheKernelSources() throws Exception {
        Path kernels = ROOT.resolve("kernels");
        assumeTrue(Files.isDirectory(kernels), "kernels/ not found from " + ROOT);
        String recorded = new String(KernelResourcesTest.class.getClassLoader()
            .getResourceAsStream("dev/canonic/kernels/kernels.sha256").readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> want = new HashMap<>();
        for (String line : recorded.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] p = line.trim().split("\\s+");
            want.put(p[1], p[0]);
        }
        Set<String> seen = new HashSet<>();
        try (var s = Files.list(kernels)) {
            for (Path f : (Iterable<Path>) s::iterator) {
                String n = f.getFileName().toString();
                if (!n.endsWith(".cu") && !n.endsWith(".cuh")) continue;
                String key = "kernels/" + n;
                seen.add(key);
                String h = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
                assertEquals(want.get(key), h, key + " changed without its PTX being rebuilt: run tools/build-kernels");
            }
        }
        assertEquals(want.keySet(), seen, "kernel sources and kernels.sha256 list different files: run tools/build-kernels");
    }

    @Test
    void freshNvccBuildEqualsTheCommittedPtx() throws Exception {
        String nvcc = tool("nvcc");
        assumeTrue(nvcc != null, "nvcc not found: the PTX is not rebuilt here (hashes are still checked)");
        assumeTrue(Files.isExecutable(ROOT.resolve("tools/build-kernels")), "tools/build-kernels not found from " + ROOT);
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("tools/build-kernels").toString(), "--check").redirectErrorStream(true);
        pb.environment().put("NVCC", nvcc);
        String ptxas = tool("ptxas");
        if (ptxas != null) pb.environment().put("PTXAS", ptxas);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }

    @Test
    void ptxasAssemblesEveryFile() throws Exception {
        String ptxas = tool("ptxas");
        assumeTrue(ptxas != null, "ptxas not found: PTX not assembled here");
        for (int t : KernelResources.TARGETS) {
            for (String f : KernelResources.FAMILIES) {
                Path tmp = Files.createTempFile("canonic-" + f + "-sm" + t, ".ptx");
                try {
                    Files.writeString(tmp, ptx(t, f));
                    Process p = new ProcessBuilder(ptxas, "-arch=sm_" + t, "-o", "/dev/null", tmp.toString()).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
                    assertEquals(0, p.exitValue(), "ptxas sm_" + t + " " + f + ": " + out);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        }
    }

    /** Parameter letters of every .entry in a PTX text. */
    static Map<String, String> entries(String ptx) {
        Map<String, String> m = new HashMap<>();
        Matcher e = Pattern.compile("\\.entry\\s+(\\w+)\\s*\\(([^)]*)\\)").matcher(ptx);
        while (e.find()) {
            StringBuilder sig = new StringBuilder();
            for (String param : e.group(2).split(",")) {
                String p = param.trim();
                if (p.isEmpty()) continue;
                if (p.matches("\\.param\\s+\\.align\\s+4\\s+\\.b8\\s+\\w+\\[" + 4 * KernelDims.PACKED_INTS + "\\]")) sig.append('s');
                else if (p.matches("\\.param\\s+\\.[us]64\\b.*")) sig.append('L');
                else if (p.matches("\\.param\\s+\\.[us]32\\b.*")) sig.append('i');
                else if (p.matches("\\.param\\s+\\.f64\\b.*")) sig.append('d');
                else sig.append('?');
            }
            m.put(e.group(1), sig.toString());
        }
        return m;
    }

    @Test
    void launchSignaturesMatchThePtxEntries() throws IOException {
        for (int t : KernelResources.TARGETS) {
            List<String> inPtx = new ArrayList<>();
            for (String f : KernelResources.FAMILIES) {
                Map<String, String> es = entries(ptx(t, f));
                for (Map.Entry<String, String> e : es.entrySet()) {
                    inPtx.add(e.getKey());
                    assertEquals(f, KernelSignatures.family(e.getKey()), e.getKey());
                    String java = KernelSignatures.of(e.getKey()).replace('p', 'L').replace('l', 'L');
                    assertEquals(java, e.getValue(), "sm_" + t + " " + e.getKey());
                }
            }
            assertEquals(new HashSet<>(KernelSignatures.all().keySet()), new HashSet<>(inPtx), "sm_" + t + " kernels vs KernelSignatures");
        }
    }

    @Test
    void everyUnaryAndBinaryKindHasItsKernel() {
        for (dev.canonic.backend.UnaryKind k : dev.canonic.backend.UnaryKind.values()) KernelSignatures.of(CudaBackend.kernelName(k));
        for (dev.canonic.backend.BinaryKind k : dev.canonic.backend.BinaryKind.values()) KernelSignatures.of(CudaBackend.kernelName(k));
    }
}
