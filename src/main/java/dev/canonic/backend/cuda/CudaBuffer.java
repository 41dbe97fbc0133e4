package dev.canonic.backend.cuda;

import dev.canonic.backend.Backend;
import dev.canonic.backend.Buffer;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;
import jcuda.driver.JCudaDriver;

import java.lang.ref.Cleaner;

/**
 * float64 device memory owned by the {@link CudaBackend}, from the stream-ordered allocator
 * (cuMemAllocAsync on the backend's stream; cuMemAlloc on devices without memory pools). Closing
 * frees it (closing twice throws); a buffer nobody closed is freed by a Cleaner once unreachable, as
 * tensors let their buffers go without closing them. Either way the free is cuMemFreeAsync on the
 * same stream (or, without pools, cuMemFree after a context synchronise), so kernels queued before
 * it still read valid memory. No finalizer.
 */
public final class CudaBuffer implements Buffer, AutoCloseable {
    private final CudaBackend backend;
    private final int length;
    private final Freer freer;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;

    /** Frees the device pointer; holds no reference to the buffer, so the buffer can become unreachable. */
    static final class Freer implements Runnable {
        final CUdeviceptr ptr;
        private final CUcontext ctx;
        private final CUstream stream;
        private boolean done;

        Freer(CUdeviceptr ptr, CUcontext ctx, CUstream stream) {
            this.ptr = ptr;
            this.ctx = ctx;
            this.stream = stream;
        }

        @Override
        public synchronized void run() {
            if (done || ptr == null) return;
            done = true;
            JCudaDriver.cuCtxSetCurrent(ctx);
            if (stream != null) {
                JCudaDriver.cuMemFreeAsync(ptr, stream);  // stream-ordered: queued kernels finish first
            } else {
                JCudaDriver.cuCtxSynchronize();  // no memory pools on this device: wait, then free
                JCudaDriver.cuMemFree(ptr);
            }
        }
    }

    CudaBuffer(CudaBackend backend, int length, CUdeviceptr ptr, CUcontext ctx, CUstream stream, Cleaner cleaner) {
        this.backend = backend;
        this.length = length;
        this.freer = new Freer(ptr, ctx, stream);
        this.cleanable = cleaner.register(this, freer);
    }

    /** The device pointer; throws if the buffer was closed. */
    public CUdeviceptr pointer() {
        if (closed) throw new IllegalStateException("CUDA buffer of " + length + " values used after close()");
        return freer.ptr;
    }

    @Override
    public int length() {
        return length;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** Frees the device memory, stream-ordered (kernels already queued on it still see it). */
    @Override
    public void close() {
        if (closed) throw new IllegalStateException("CUDA buffer closed twice");
        closed = true;
        cleanable.clean();
    }
}
