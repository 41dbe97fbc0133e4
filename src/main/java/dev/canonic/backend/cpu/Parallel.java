package dev.canonic.backend.cpu;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
            pool = Executors.newFixedThreadPool(Math.max(1, threads - 1), r -> {
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
        if (t <= 1 || n < 2 || work < 1L << 16) {
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
