package dev.canonic.backend.cuda;

import dev.canonic.backend.Backend;
import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.Buffer;
import dev.canonic.backend.ReduceKind;
import dev.canonic.backend.UnaryKind;
import jcuda.Pointer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdevice_attribute;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.CUresult;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;
import jcuda.driver.JCudaDriver;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The GPU backend: the {@link Backend} primitives on float64 device memory through JCuda's driver
 * API. One device (ordinal 0), its primary context, one blocking stream that every kernel, copy,
 * allocation and free is ordered on. Kernels come from the PTX the jar carries (kernels/*.cu, built
 * by tools/build-kernels), for the newest target not above the device's compute capability. The
 * matrix product uses cuBLAS DGEMM through JCublas when its native library loads (it needs CUDA 12's
 * libcublas.so.12), else our own kernel: FP64 tensor cores (mma.sync m8n8k4) on compute capability
 * 8.0 and newer, plain FMA tiles below. Semantics follow CpuBackend; see kernels/README.md for where
 * results are bitwise equal and where they agree to rounding.
 *
 * <p>Host↔device copies are counted ({@link #hostToDeviceCopies()}, {@link #deviceToHostCopies()})
 * so tests can assert that a training step makes none it should not: fromHost/toHost, the index
 * upload of indexSelect/indexAdd, and the singular-matrix flag read by inverse/solve are the only ones.
 * fromHost of a single value (scalar constants) is not a copy: it goes as a kernel parameter.
 *
 * <p>Status: compiled, host logic unit-tested on a machine without a GPU; not yet run on a GPU.
 */
public final class CudaBackend implements Backend {
    private static volatile CudaBackend instance;

    private final CUdevice device = new CUdevice();
    private final CUcontext context = new CUcontext();
    private final CUstream stream = new CUstream();
    private final String deviceName;
    private final int major, minor, sms, target;
    /** Whether the device has the stream-ordered allocator (cuMemAllocAsync); else plain cuMemAlloc. */
    private final boolean pools;
    private final Map<String, CUmodule> modules = new HashMap<>();
    private final Map<String, CUfunction> functions = new ConcurrentHashMap<>();
    private final Cleaner cleaner = Cleaner.create();
    private final ThreadLocal<Boolean> current = ThreadLocal.withInitial(() -> false);
    private final AtomicLong h2d = new AtomicLong(), d2h = new AtomicLong();
    private final cublasHandle cublas;
    private final String gemmPath;
    private final String gemmKernel;

    /** The backend on device 0, created on first use; throws IllegalStateException saying why when CUDA is not usable here. */
    public static CudaBackend instance() {
        CudaBackend b = instance;
        if (b == null) {
            synchronized (CudaBackend.class) {
                b = instance;
                if (b == null) {
                    b = new CudaBackend();
                    instance = b;
                }
            }
        }
        return b;
    }

    /** Null when the CUDA backend can be created here, else the reason it cannot (no driver, no device, …). */
    public static String unavailableReason() {
        CudaProbe.Status s = CudaProbe.status();
        return s.usable() ? null : s.detail();
    }

    private CudaBackend() {
        CudaProbe.Status s = CudaProbe.status();
        if (!s.usable()) throw new IllegalStateException("CUDA backend unavailable: " + s.detail());
        JCudaDriver.setExceptionsEnabled(false);
        check(JCudaDriver.cuInit(0), "cuInit");
        check(JCudaDriver.cuDeviceGet(device, 0), "cuDeviceGet(0)");
        check(JCudaDriver.cuDevicePrimaryCtxRetain(context, device), "cuDevicePrimaryCtxRetain");
        check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        current.set(true);
        major = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        minor = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        sms = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        pools = attribute(CUdevice_attribute.CU_DEVICE_ATTRIBUTE_MEMORY_POOLS_SUPPORTED) != 0;
        byte[] nm = new byte[256];
        check(JCudaDriver.cuDeviceGetName(nm, nm.length, device), "cuDeviceGetName");
        deviceName = new String(nm).replace("\0", "").trim();
        target = KernelResources.targetFor(major, minor);
        for (String f : KernelResources.FAMILIES) {
            CUmodule m = new CUmodule();
            check(JCudaDriver.cuModuleLoadData(m, KernelResources.load(target, f)), "loading " + KernelResources.path(target, f));
            modules.put(f, m);
        }
        check(JCudaDriver.cuStreamCreate(stream, CUstream_flags.CU_STREAM_DEFAULT), "cuStreamCreate");
        gemmKernel = KernelResources.gemmKernel(major, System.getProperty("canonic.cuda.gemm"));
        cublasHandle h = null;
        String path;
        boolean own = Boolean.getBoolean("canonic.cuda.ownGemm");
        if (s.cublas() && !own) {
            try {
                h = new cublasHandle();
                JCublas2.cublasCreate(h);
                JCublas2.cublasSetStream(h, new cudaStream_t(stream));
                path = "cuBLAS DGEMM through JCublas (" + s.cublasDetail() + ")";
            } catch (Throwable t) {
                h = null;
                path = ownGemmPath() + "; cuBLAS handle creation failed: " + t.getMessage();
            }
        } else {
            path = ownGemmPath() + (own ? " (forced by -Dcanonic.cuda.ownGemm=true)" : "; " + s.cublasDetail());
        }
        cublas = h;
        gemmPath = path;
    }

    private String ownGemmPath() {
        switch (gemmKernel) {
            case "gemm_tc16_f64":
                return "own kernel gemm_tc16_f64 (FP64 tensor cores, mma.sync m16n8k4, compute capability " + major + "." + minor
                    + ", chosen by -Dcanonic.cuda.gemm=m16n8k4)";
            case "gemm_tc_f64":
                return "own kernel gemm_tc_f64 (FP64 tensor cores, mma.sync m8n8k4, compute capability " + major + "." + minor + ")";
            default:
                return "own kernel gemm_simt_f64 (plain FP64 FMA tiles; compute capability " + major + "." + minor
                    + " has no FP64 tensor cores)";
        }
    }

    private int attribute(int a) {
        int[] v = new int[1];
        check(JCudaDriver.cuDeviceGetAttribute(v, a, device), "cuDeviceGetAttribute(" + a + ")");
        return v[0];
    }

    static void check(int rc, String what) {
        if (rc != CUresult.CUDA_SUCCESS) throw new IllegalStateException("CUDA: " + what + " failed: " + CUresult.stringFor(rc));
    }

    private void bind() {
        if (!current.get()) {
            check(JCudaDriver.cuCtxSetCurrent(context), "cuCtxSetCurrent");
            current.set(true);
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    /** Device name, e.g. "NVIDIA H100 80GB HBM3". */
    public String deviceName() {
        return deviceName;
    }

    /** Compute capability as "major.minor". */
    public String computeCapability() {
        return major + "." + minor;
    }

    /** The PTX target loaded (75, 80 or 90). */
    public int ptxTarget() {
        return target;
    }

    /** Which matrix-product path is active and why. */
    public String gemmPath() {
        return gemmPath;
    }

    /** True when DGEMM goes through cuBLAS (JCublas loaded). */
    public boolean usesCublas() {
        return cublas != null;
    }

    /** Host→device copies since start (or the last reset). */
    public long hostToDeviceCopies() {
        return h2d.get();
    }

    /** Device→host copies since start (or the last reset). */
    public long deviceToHostCopies() {
        return d2h.get();
    }

    /** Both directions. */
    public long transfers() {
        return h2d.get() + d2h.get();
    }

    /** Sets both transfer counters to zero. */
    public void resetTransferCounts() {
        h2d.set(0);
        d2h.set(0);
    }

    /** Waits until everything queued on the backend's stream has run, and reports a failed kernel. */
    public void synchronize() {
        bind();
        check(JCudaDriver.cuStreamSynchronize(stream), "a kernel on the stream (cuStreamSynchronize)");
    }

    // ---- memory ----

    CUdeviceptr rawAlloc(long bytes, long elements, String what) {
        CUdeviceptr p = new CUdeviceptr();
        int rc = pools ? JCudaDriver.cuMemAllocAsync(p, Math.max(bytes, 8), stream) : JCudaDriver.cuMemAlloc(p, Math.max(bytes, 8));
        if (rc == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
            long[] free = new long[1], total = new long[1];
            JCudaDriver.cuMemGetInfo(free, total);
            throw new CudaOutOfMemoryException(CudaOutOfMemoryException.message(deviceName, elements, bytes, free[0], total[0])
                + " (" + what + ")");
        }
        check(rc, (pools ? "cuMemAllocAsync(" : "cuMemAlloc(") + bytes + " bytes) for " + what);
        return p;
    }

    private static CudaBuffer buf(Buffer b) {
        if (!(b instanceof CudaBuffer)) throw new IllegalArgumentException("cuda backend given a buffer of backend " + b.backend().name());
        return (CudaBuffer) b;
    }

    /** A zero-filled buffer; AutoCloseable, else freed by a Cleaner when unreachable. */
    @Override
    public CudaBuffer alloc(int n) {
        bind();
        CUdeviceptr p = rawAlloc(8L * n, n, "alloc");
        if (n > 0) check(JCudaDriver.cuMemsetD32Async(p, 0, 2L * n, stream), "cuMemsetD32Async");
        return new CudaBuffer(this, n, p, context, pools ? stream : null, cleaner);
    }

    @Override
    public CudaBuffer fromHost(double[] values) {
        bind();
        int n = values.length;
        CUdeviceptr p = rawAlloc(8L * n, n, "fromHost");
        CudaBuffer b = new CudaBuffer(this, n, p, context, pools ? stream : null, cleaner);
        if (n == 1) {
            // scalar constants (Tensor.scalar, x.mul(2.0), …) travel as a kernel parameter: stream-ordered,
            // no copy and no synchronisation inside a training step
            launch("fill_value_f64", LaunchShape.linear(1, sms), 1L, b, values[0]);
        } else if (n > 0) {
            // the allocation is stream-ordered: wait for it before the (legacy-stream) pageable copy
            synchronize();
            check(JCudaDriver.cuMemcpyHtoD(p, Pointer.to(values), 8L * n), "cuMemcpyHtoD");
            h2d.incrementAndGet();
        }
        return b;
    }

    @Override
    public double[] toHost(Buffer b) {
        CudaBuffer c = buf(b);
        double[] out = new double[c.length()];
        synchronize();
        if (out.length > 0) {
            check(JCudaDriver.cuMemcpyDtoH(Pointer.to(out), c.pointer(), 8L * out.length), "cuMemcpyDtoH");
            d2h.incrementAndGet();
        }
        return out;
    }

    private CUdeviceptr uploadInts(int[] v) {
        CUdeviceptr p = rawAlloc(4L * v.length, v.length, "index upload");
        if (v.length > 0) {
            synchronize();
            check(JCudaDriver.cuMemcpyHtoD(p, Pointer.to(v), 4L * v.length), "cuMemcpyHtoD (indices)");
            h2d.incrementAndGet();
        }
        return p;
    }

    void freeAsync(CUdeviceptr p) {
        if (pools) {
            check(JCudaDriver.cuMemFreeAsync(p, stream), "cuMemFreeAsync");
        } else {
            synchronize();
            check(JCudaDriver.cuMemFree(p), "cuMemFree");
        }
    }

    /** Whether buffers come from the stream-ordered allocator. */
    boolean streamOrderedAllocator() {
        return pools;
    }

    // ---- launches ----

    private CUfunction function(String kernel) {
        return functions.computeIfAbsent(kernel, k -> {
            CUfunction f = new CUfunction();
            check(JCudaDriver.cuModuleGetFunction(f, modules.get(KernelSignatures.family(k)), k), "cuModuleGetFunction(" + k + ")");
            return f;
        });
    }

    private void launch(String kernel, LaunchShape s, Object... args) {
        KernelSignatures.check(kernel, args);
        bind();
        Pointer[] ps = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Long) ps[i] = Pointer.to(new long[] {(Long) a});
            else if (a instanceof Integer) ps[i] = Pointer.to(new int[] {(Integer) a});
            else if (a instanceof Double) ps[i] = Pointer.to(new double[] {(Double) a});
            else if (a instanceof CudaBuffer) ps[i] = Pointer.to(((CudaBuffer) a).pointer());
            else if (a instanceof CUdeviceptr) ps[i] = Pointer.to((CUdeviceptr) a);
            else ps[i] = Pointer.to((int[]) a);
        }
        check(JCudaDriver.cuLaunchKernel(function(kernel), s.gridX(), s.gridY(), s.gridZ(), s.block(), 1, 1, 0, stream,
            Pointer.to(ps), null), "launching " + kernel);
    }

    private static long size(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    // ---- Backend primitives ----

    @Override
    public void fill(Buffer out, double value) {
        CudaBuffer o = buf(out);
        if (o.length() == 0) return;
        launch("fill_value_f64", LaunchShape.linear(o.length(), sms), (long) o.length(), o, value);
    }

    /** The kernel name of a unary kind: unary_&lt;kind&gt;_f64. */
    public static String kernelName(UnaryKind k) {
        return "unary_" + k.name().toLowerCase(java.util.Locale.ROOT) + "_f64";
    }

    /** The kernel name of a binary kind: binary_&lt;kind&gt;_f64. */
    public static String kernelName(BinaryKind k) {
        return "binary_" + k.name().toLowerCase(java.util.Locale.ROOT) + "_f64";
    }

    @Override
    public void unary(UnaryKind kind, Buffer x, Buffer out, int n) {
        if (n == 0) return;
        launch(kernelName(kind), LaunchShape.linear(n, sms), (long) n, buf(out), buf(x));
    }

    @Override
    public void binary(BinaryKind kind, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape) {
        long n = size(outShape);
        if (n == 0) return;
        KernelDims d = KernelDims.of("binary " + kind, outShape, aStrides, bStrides);
        launch(kernelName(kind), LaunchShape.linear(n, sms), n, buf(out), buf(a), buf(b), d.pack());
    }

    @Override
    public void where(Buffer c, int[] cStrides, Buffer a, int[] aStrides, Buffer b, int[] bStrides, Buffer out, int[] outShape) {
        long n = size(outShape);
        if (n == 0) return;
        KernelDims d = KernelDims.of("where", outShape, cStrides, aStrides, bStrides);
        launch("where_select_f64", LaunchShape.linear(n, sms), n, buf(out), buf(c), buf(a), buf(b), d.pack());
    }

    @Override
    public void reduce(ReduceKind kind, Buffer x, int outer, int len, int inner, Buffer out) {
        long n = (long) outer * inner;
        if (n == 0) return;
        String k = kind == ReduceKind.SUM ? "sum" : "max";
        if (LaunchShape.reduceByRows(outer, len, inner, sms)) {
            launch("reduce_" + k + "_rows_f64", new LaunchShape(Math.min(outer, 65535), 1, 1, 256), (long) outer, buf(out), buf(x), len);
        } else {
            launch("reduce_" + k + "_f64", LaunchShape.linear(n, sms), n, buf(out), buf(x), len, inner);
        }
    }

    @Override
    public void copy(Buffer src, int srcOff, int[] srcStrides, int[] shape, Buffer dst, int dstOff, int[] dstStrides) {
        long n = size(shape);
        if (n == 0) return;
        KernelDims d = KernelDims.of("copy", shape, dstStrides, srcStrides);
        launch("copy_strided_f64", LaunchShape.linear(n, sms), n, buf(dst), buf(src), (long) dstOff, (long) srcOff, d.pack());
    }

    @Override
    public void gemm(int batch, int m, int n, int k, Buffer a, int aBatchStride, boolean transA,
                     Buffer b, int bBatchStride, boolean transB, Buffer c) {
        if (batch == 0 || m == 0 || n == 0) return;
        CudaBuffer cb = buf(c);
        if (k == 0) {
            long cnt = (long) batch * m * n;
            launch("fill_value_f64", LaunchShape.linear(cnt, sms), cnt, cb, 0.0);
            return;
        }
        if (cublas != null) {
            bind();
            int opA = transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
            int opB = transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N;
            // row-major C = op(A)·op(B) is column-major Cᵀ = op(B)ᵀ·op(A)ᵀ
            int rc = JCublas2.cublasDgemmStridedBatched(cublas, opB, opA, n, m, k, Pointer.to(new double[] {1.0}),
                buf(b).pointer(), transB ? k : n, bBatchStride, buf(a).pointer(), transA ? m : k, aBatchStride,
                Pointer.to(new double[] {0.0}), cb.pointer(), n, (long) m * n, batch);
            if (rc != 0) throw new IllegalStateException("CUDA: cublasDgemmStridedBatched failed with status " + rc);
            return;
        }
        boolean tc = !gemmKernel.equals("gemm_simt_f64");
        launch(gemmKernel, LaunchShape.gemm(batch, m, n, tc), m, n, k, cb, buf(a), (long) aBatchStride,
            transA ? 1 : 0, buf(b), (long) bBatchStride, transB ? 1 : 0);
    }

    @Override
    public void indexSelect(Buffer x, int outer, int len, int inner, int[] idx, Buffer out) {
        IndexPlan.checkRange(idx, len);
        long n = (long) outer * idx.length * inner;
        if (n == 0) return;
        CUdeviceptr ip = uploadInts(idx);
        launch("index_select_f64", LaunchShape.linear(n, sms), n, buf(out), buf(x), ip, len, inner, idx.length);
        freeAsync(ip);
    }

    @Override
    public void indexAdd(Buffer g, int outer, int outLen, int inner, int[] idx, Buffer out) {
        long n = (long) outer * outLen * inner;
        int[] plan = IndexPlan.csr(idx, outLen);
        if (n == 0) return;
        CUdeviceptr pp = uploadInts(plan);
        launch("index_add_f64", LaunchShape.linear(n, sms), n, buf(out), buf(g), pp, outLen, inner, idx.length);
        freeAsync(pp);
    }

    private static void checkSmall(String op, int n) {
        if (n > 8) {
            throw new UnsupportedOperationException(op + " on the CUDA backend: n = " + n + " > 8 (the batched kernels keep one matrix per thread in registers)");
        }
    }

    /** Runs a linalg kernel that reports singular matrices, and throws the CPU's ArithmeticException for the first. */
    private void linalgChecked(String op, String kernel, long batch, Object... args) {
        CUdeviceptr flag = rawAlloc(4, 1, op + " flag");
        check(JCudaDriver.cuMemsetD32Async(flag, Integer.MAX_VALUE, 1, stream), "cuMemsetD32Async");
        Object[] full = new Object[args.length + 1];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = flag;
        launch(kernel, LaunchShape.perMatrix(batch, sms), full);
        int[] v = new int[1];
        synchronize();
        check(JCudaDriver.cuMemcpyDtoH(Pointer.to(v), flag, 4), "cuMemcpyDtoH (singular flag)");
        d2h.incrementAndGet();
        freeAsync(flag);
        if (v[0] != Integer.MAX_VALUE) throw new ArithmeticException(op + ": matrix " + v[0] + " of the batch is singular");
    }

    @Override
    public void inverse(Buffer a, int batch, int n, Buffer out) {
        checkSmall("inverse", n);
        if (batch == 0 || n == 0) return;
        linalgChecked("inverse", "linalg_inverse_f64", batch, (long) batch, buf(out), buf(a), n);
    }

    @Override
    public void det(Buffer a, int batch, int n, Buffer out) {
        checkSmall("det", n);
        if (batch == 0) return;
        launch("linalg_det_f64", LaunchShape.perMatrix(batch, sms), (long) batch, buf(out), buf(a), n);
    }

    @Override
    public void solve(Buffer a, Buffer b, int batch, int n, int nrhs, Buffer out) {
        checkSmall("solve", n);
        if (batch == 0 || n == 0) return;
        linalgChecked("solve", "linalg_solve_f64", batch, (long) batch, buf(out), buf(a), buf(b), n, nrhs);
    }

    @Override
    public void uniform(long seed, long offset, Buffer out, int n) {
        if (n == 0) return;
        launch("rng_uniform_f64", LaunchShape.linear(n, sms), (long) n, buf(out), seed, offset);
    }

    /**
     * Inverted dropout on the device: out[i] = u(seed, offset + i) ≥ p ? x[i]/(1 − p) : 0, with u the
     * same counter-based uniform as {@link #uniform} (so the mask equals the CPU's for the same seed).
     */
    public void dropout(long seed, long offset, double p, Buffer x, Buffer out, int n) {
        if (!(p >= 0 && p < 1)) throw new IllegalArgumentException("dropout: p must lie in [0, 1), got " + p);
        if (n == 0) return;
        launch("rng_dropout_f64", LaunchShape.linear(n, sms), (long) n, buf(out), buf(x), seed, offset, p, 1.0 / (1.0 - p));
    }

    /**
     * One Adam step in place on n parameters, the formula of dev.canonic.nn.Adam at step t (1-based):
     * decoupled weight decay scales θ by 1 − lr·wd, coupled adds wd·θ to g.
     */
    public void adamStep(Buffer param, Buffer m, Buffer v, Buffer grad, int n, int t, double lr, double beta1, double beta2,
                         double eps, double weightDecay, boolean decoupled) {
        if (n == 0) return;
        double bc1 = 1 - Math.pow(beta1, t);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, t));
        double stepSize = lr / bc1;
        int mode = weightDecay == 0 ? 0 : (decoupled ? 2 : 1);
        double decay = mode == 2 ? 1 - lr * weightDecay : weightDecay;
        launch("optim_adam_f64", LaunchShape.linear(n, sms), (long) n, buf(param), buf(m), buf(v), buf(grad), 1 - beta1, beta2,
            stepSize, bc2Sqrt, eps, decay, mode);
    }
}
