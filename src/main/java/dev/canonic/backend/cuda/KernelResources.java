package dev.canonic.backend.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The PTX the jar carries (built by tools/build-kernels from kernels/*.cu): one file per kernel
 * family per target, under dev/canonic/kernels/sm_XX/. The driver JIT-compiles PTX for newer GPUs,
 * so a device picks the newest target not above its compute capability.
 */
public final class KernelResources {
    /** Kernel families, one .cu file each. */
    public static final String[] FAMILIES = {"elementwise", "reduce", "linalg", "gemm", "optim", "rng"};
    /** Targets the PTX is built for, ascending. */
    public static final int[] TARGETS = {75, 80, 90};
    /** PTX ISA version stamped in each target's files (the lowest the target accepts). */
    public static final String[] ISA = {"6.3", "7.0", "7.8"};

    private KernelResources() {
    }

    /** The target for a device of compute capability major.minor; throws if the device is too old. */
    public static int targetFor(int major, int minor) {
        int cc = major * 10 + minor;
        int best = -1;
        for (int t : TARGETS) if (t <= cc) best = t;
        if (best < 0) {
            throw new UnsupportedOperationException("CUDA backend: compute capability " + major + "." + minor
                + " is below the oldest PTX target sm_" + TARGETS[0] + " (CUDA 13's nvcc builds none older)");
        }
        return best;
    }

    /** True when the matrix product can use FP64 tensor cores (mma.sync m8n8k4 f64, sm_80 and newer). */
    public static boolean hasFp64TensorCores(int major) {
        return major >= 8;
    }

    /**
     * The own DGEMM kernel for a device: gemm_tc_f64 (mma m8n8k4) from compute capability 8.0,
     * gemm_simt_f64 below; gemm_tc16_f64 (Hopper's m16n8k4 shape) on 9.0+ only when shape is
     * "m16n8k4" (system property canonic.cuda.gemm), until it has been measured on a GPU.
     */
    public static String gemmKernel(int major, String shape) {
        if (major >= 9 && "m16n8k4".equals(shape)) return "gemm_tc16_f64";
        return hasFp64TensorCores(major) ? "gemm_tc_f64" : "gemm_simt_f64";
    }

    /** Resource path of one family's PTX for a target. */
    public static String path(int target, String family) {
        return "dev/canonic/kernels/sm_" + target + "/" + family + ".ptx";
    }

    /** The PTX text, NUL-terminated as cuModuleLoadData wants it. */
    public static byte[] load(int target, String family) {
        String p = path(target, family);
        try (InputStream in = KernelResources.class.getClassLoader().getResourceAsStream(p)) {
            if (in == null) throw new IllegalStateException("CUDA backend: kernel resource " + p + " is missing from the jar (run tools/build-kernels)");
            byte[] b = in.readAllBytes();
            byte[] z = new byte[b.length + 1];
            System.arraycopy(b, 0, z, 0, b.length);
            return z;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True when every family's PTX is present for every target. */
    public static boolean allPresent() {
        for (int t : TARGETS) {
            for (String f : FAMILIES) {
                if (KernelResources.class.getClassLoader().getResource(path(t, f)) == null) return false;
            }
        }
        return true;
    }
}
