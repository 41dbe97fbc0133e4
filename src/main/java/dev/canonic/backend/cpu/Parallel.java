package dev.canonic.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits loops over index ranges across a fixed pool of worker threads. Small loops run on the
 * calling thread: a hand-off costs microseconds, which small tensors cannot repay.
 */
public final class Parallel {
    /** A loop body over [from, to). */
    @FunctionalInterface
    public interface Range {
        void run(int from, int to);
    }

    private static volatile int threads = defaultThreads();
    private static ExecutorService pool;

    private Parallel() {
    }

    private static int defaultThreads() {
        String p = System.getProperty("canonic.threads");
        if (p == null) p = System.getenv("CANONIC_THREADS");
        if (p != null && !p.isBlank()) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) return t;
            } catch (NumberFormatException ignored) {
                // fall through to the machine's core count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * How long a worker (and a caller waiting for its workers) spins before it parks, in nanoseconds
     * (system property canonic.spinMicros, default 100 µs). Waking a parked thread costs tens to
     * hundreds of microseconds on a virtual machine, as much as a whole mid-sized operation; operations
     * that follow each other closely find the worker still spinning.
     */
    private static final long SPIN_NS = 1000L * Long.getLong("canonic.spinMicros", 100L);

    /** A work queue whose take() polls for a short while before it blocks. */
    private static final class SpinningQueue extends LinkedBlockingQueue<Runnable> {
        private static final long serialVersionUID = 1L;

        @Override
        public Runnable take() throws InterruptedException {
            if (SPIN_NS > 0) {
                long end = System.nanoTime() + SPIN_NS;
                do {
                    Runnable r = poll();
                    if (r != null) return r;
                    Thread.onSpinWait();
                } while (System.nanoTime() < end);
            }
            return super.take();
        }
    }

    private static void spinUntilDone(Future<?> f) {
        if (SPIN_NS <= 0 || f.isDone()) return;
        long end = System.nanoTime() + SPIN_NS;
        while (!f.isDone() && System.nanoTime() < end) Thread.onSpinWait();
    }

    /**
     * Least total work (indices × cost per index, rough flops) that a loop must have before it is
     * split across threads (system property canonic.parallel.minWork, default 2^20). Elementwise
     * operations are memory-bound and cost about a nanosecond per element, so below about half a
     * million elements a hand-off (tens of microseconds when the worker has to be woken, more on a
     * busy shared machine) costs more than the second core saves: W5 (1024 × 64 activations) ran
     * slower on 2 threads than on 1 with the earlier 2^16.
     */
    private static final long MIN_WORK = Long.getLong("canonic.parallel.minWork", 1L << 20);

    /** Worker threads used by large operations. */
    public static int threads() {
        return threads;
    }

    /** Sets the worker thread count (at least 1); takes effect for the next operation. */
    public static synchronized void setThreads(int t) {
        if (t < 1) throw new IllegalArgumentException("threads must be at least 1, got " + t);
        if (t != threads && pool != null) {
            pool.shutdown();
            pool = null;
        }
        threads = t;
    }

    private static synchronized ExecutorService pool() {
        if (pool == null) {
            int n = Math.max(1, threads - 1);
            pool = new ThreadPoolExecutor(n, n, 0L, TimeUnit.MILLISECONDS, new SpinningQueue(), r -> {
                Thread th = new Thread(r, "canonic-cpu");
                th.setDaemon(true);
                return th;
            });
        }
        return pool;
    }

    /**
     * Runs body over [0, n), split into at most threads() chunks when the total work (n × cost per
     * index, in rough flops) is large enough to pay for the hand-off.
     */
    public static void forRange(int n, long costPerIndex, Range body) {
        int t = threads;
        long work = (long) n * Math.max(1, costPerIndex);
        if (t <= 1 || n < 2 || work < MIN_WORK) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(t, n);
        ExecutorService ex = pool();
        List<Future<?>> fs = new ArrayList<>(chunks - 1);
        int step = (n + chunks - 1) / chunks;
        for (int c = 1; c < chunks; c++) {
            int from = c * step, to = Math.min(n, from + step);
            if (from >= to) break;
            fs.add(ex.submit(() -> body.run(from, to)));
        }
        body.run(0, Math.min(n, step));
        for (Future<?> f : fs) {
            spinUntilDone(f);
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) throw (RuntimeException) c;
                if (c instanceof Error) throw (Error) c;
                throw new IllegalStateException(c);
            }
        }
    }
}
