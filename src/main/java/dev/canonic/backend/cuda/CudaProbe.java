package dev.canonic.backend.cuda;

import java.io.File;

/**
 * Finds out, without failing, whether the CUDA path can run here: an NVIDIA driver (libcuda.so.1),
 * JCuda's native driver binding, a device; and whether JCublas's native library loads (it needs
 * CUDA 12's libcublas.so.12; on CUDA-13-only machines every operation must use our own kernels).
 */
public final class CudaProbe {
    /** What was found. */
    public record Status(boolean usable, String detail, int devices, String deviceName, boolean cublas, String cublasDetail) {
    }

    private static volatile Status cached;

    private CudaProbe() {
    }

    /** Probes once and caches the answer. */
    public static Status status() {
        Status s = cached;
        if (s == null) {
            s = probe();
            cached = s;
        }
        return s;
    }

    private static boolean driverLibraryPresent() {
        String[] dirs = {"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/usr/local/nvidia/lib64",
            "/usr/lib/wsl/lib", "/usr/local/cuda/compat"};
        String ld = System.getenv("LD_LIBRARY_PATH");
        java.util.List<String> all = new java.util.ArrayList<>(java.util.Arrays.asList(dirs));
        if (ld != null) all.addAll(java.util.Arrays.asList(ld.split(":")));
        for (String d : all) {
            if (!d.isEmpty() && new File(d, "libcuda.so.1").exists()) return true;
        }
        return false;
    }

    private static Status probe() {
        String os = System.getProperty("os.name", "").toLowerCase();
        if (os.contains("linux") && !driverLibraryPresent()) {
            return new Status(false, "no NVIDIA driver (libcuda.so.1 not found)", 0, null, false, "not tried: no driver");
        }
        int count;
        String name = null;
        try {
            jcuda.driver.JCudaDriver.setExceptionsEnabled(true);
            jcuda.driver.JCudaDriver.cuInit(0);
            int[] c = new int[1];
            jcuda.driver.JCudaDriver.cuDeviceGetCount(c);
            count = c[0];
            if (count > 0) {
                jcuda.driver.CUdevice dev = new jcuda.driver.CUdevice();
                jcuda.driver.JCudaDriver.cuDeviceGet(dev, 0);
                byte[] nm = new byte[256];
                jcuda.driver.JCudaDriver.cuDeviceGetName(nm, nm.length, dev);
                name = new String(nm).trim().replace("\0", "");
            }
        } catch (Throwable t) {
            return new Status(false, "JCuda driver binding failed: " + oneLine(t), 0, null, false, "not tried: no driver binding");
        }
        if (count == 0) return new Status(false, "driver present but no CUDA device", 0, null, false, "not tried: no device");
        boolean cublas;
        String cd;
        try {
            jcuda.jcublas.JCublas2.setExceptionsEnabled(true);
            jcuda.jcublas.cublasHandle h = new jcuda.jcublas.cublasHandle();
            jcuda.jcublas.JCublas2.cublasCreate(h);
            jcuda.jcublas.JCublas2.cublasDestroy(h);
            cublas = true;
            cd = "JCublas loaded (cuBLAS DGEMM available)";
        } catch (Throwable t) {
            cublas = false;
            cd = "JCublas did not load (" + oneLine(t) + "); own kernels carry every operation";
        }
        if (!KernelResources.allPresent()) {
            return new Status(false, "device found, but the kernel PTX resources are missing from the jar (run tools/build-kernels)", count, name, cublas, cd);
        }
        return new Status(true, "driver and device found; kernels from the jar's PTX (not yet verified on a GPU by this project)", count, name, cublas, cd);
    }

    private static String oneLine(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null) r = r.getCause();
        String m = r.getMessage() == null ? r.getClass().getSimpleName() : r.getMessage();
        return m.replace('\n', ' ');
    }
}
