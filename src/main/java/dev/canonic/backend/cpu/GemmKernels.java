package dev.canonic.backend.cpu;

/**
 * The blocked matrix product behind {@link CpuBackend#gemm} for all but tiny shapes, after Goto and
 * van de Geijn (BLIS): B is packed into KC × NR column panels and a transposed A into MR × KC row
 * panels (per thread, reused between calls; a row-major A is read in place, see {@link #DIRECT_A}),
 * and a register-blocked micro-kernel computes MR × NR tiles of C from them. Transposed operands
 * are read straight from their storage while packing.
 *
 * <p>The micro-kernel is {@link VectorMicroKernel} (the Vector API) when the JVM has the module
 * jdk.incubator.vector ({@code --add-modules jdk.incubator.vector}, which tools/canonic adds) and
 * the CPU has 256-bit or wider vectors; otherwise {@link ScalarMicroKernel}. The system property
 * {@code canonic.gemm.vector=false} forces the scalar one.
 */
final class GemmKernels {
    /** Computes one MR × NR tile of C from packed panels. */
    interface Micro {
        int mr();

        int nr();

        String describe();

        /**
         * C[co + r·ldc + j] (=|+=) Σ_{p &lt; kc} a[ao + p·aps + r·ars] · bp[bo + p·NR + j], r &lt; MR, j &lt; NR;
         * overwrites C when first, else adds to it. A packed panel has aps = MR, ars = 1; A read in
         * place from row-major storage has aps = 1, ars = its row length; from transposed storage
         * aps = its row length, ars = 1. The sum runs in the order of p either way.
         */
        void run(int kc, double[] a, int ao, int aps, int ars, double[] bp, int bo, double[] c, int co, int ldc, boolean first);
    }

    static final Micro MICRO = load();
    static final int MR = MICRO.mr();
    static final int NR = MICRO.nr();
    /** Depth of one packed block (k direction). */
    static final int KC = Integer.getInteger("canonic.gemm.kc", 256);
    /** Row panels of A packed at once: MC = MC_PANELS·MR rows (MC × KC doubles stay in L2). */
    static final int MC_PANELS = Integer.getInteger("canonic.gemm.mcPanels", 12);
    /**
     * Column panels of B packed at once: NC = NC_PANELS·NR columns. 16 keeps the packed B block
     * (KC × NC = 256 × 384 doubles, 768 KB with 512-bit vectors) inside a 2 MB L2 next to the A block;
     * the earlier 128 (3072 columns: 4 MB at n = 2048) read 20-39 GFLOP/s instead of 36-65 on one
     * thread at n = 2048 whenever the shared machine's caches were contended, and the same when not.
     * NC only splits the columns of C, so the results are bitwise the same for every value.
     */
    static final int NC_PANELS = Integer.getInteger("canonic.gemm.ncPanels", 16);
    /**
     * Whether full MR-row panels of a row-major (not transposed) A are read in place instead of
     * packed. Packing A costs one copy per 2·n flops, a large share of a product with few columns
     * (n = 64-128: the layers of W2 and W6); in place it was 3-22 % faster for m = 8192, n, k = 64
     * to 256 in the product alone, and whole training steps were 7 % (W2) and 4 % (W6) faster on one
     * thread (same-JVM A/B on the 2-core Xeon). The micro-kernel reads the same values in the same
     * order either way, so the results are bitwise the same. {@code canonic.gemm.directA=false}
     * packs every panel.
     */
    static final boolean DIRECT_A = !"false".equalsIgnoreCase(System.getProperty("canonic.gemm.directA", "true"));

    private GemmKernels() {
    }

    private static Micro load() {
        String p = System.getProperty("canonic.gemm.vector", "true");
        if (!"false".equalsIgnoreCase(p) && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
            try {
                Class<?> k = Class.forName("dev.canonic.backend.cpu.VectorMicroKernel");
                Micro m = (Micro) k.getDeclaredConstructor().newInstance();
                if (m.nr() >= 12) return m; // 256-bit vectors or wider; narrower ones do not pay
            } catch (ReflectiveOperationException | LinkageError e) {
                // fall back to the scalar kernel
            }
        }
        return new ScalarMicroKernel();
    }

    /** Which micro-kernel runs, e.g. "vector 512-bit, tile 8x24". */
    static String describe() {
        return MICRO.describe();
    }

    private static final class Work {
        double[] a = new double[0];
        double[] b = new double[0];
        double[] tile = new double[0];
    }

    private static final ThreadLocal<Work> WORK = ThreadLocal.withInitial(Work::new);

    /**
     * C[i0:i1, :] = A[i0:i1, :]·B for one matrix of the batch: A is m×k (stored k×m when transA),
     * B is k×n (stored n×k when transB), C is m×n row-major; k ≥ 1. Rows outside [i0, i1) are not
     * touched, so threads may split the rows.
     */
    static void gemm(double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB,
                     double[] c, int cOff, int m, int n, int k, int i0, int i1) {
        gemm(MICRO, a, aOff, transA, b, bOff, transB, c, cOff, m, n, k, i0, i1, DIRECT_A);
    }

    /** As above with a given micro-kernel, A's full panels read in place or packed (tests run every choice). */
    static void gemm(Micro micro, double[] a, int aOff, boolean transA, double[] b, int bOff, boolean transB,
                     double[] c, int cOff, int m, int n, int k, int i0, int i1, boolean directA) {
        if (i0 >= i1) return;
        final int MR = micro.mr(), NR = micro.nr(), MC = MR * MC_PANELS, NC = NR * NC_PANELS;
        Work w = WORK.get();
        int ncMax = Math.min(NC, roundUp(n, NR));
        int kcMax = Math.min(KC, k);
        if (w.b.length < kcMax * ncMax) w.b = new double[kcMax * ncMax];
        int mcMax = Math.min(MC, roundUp(i1 - i0, MR));
        if (w.a.length < kcMax * mcMax) w.a = new double[kcMax * mcMax];
        if (w.tile.length < MR * NR) w.tile = new double[MR * NR];
        final double[] ap = w.a, bp = w.b, tile = w.tile;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean first = pc == 0;
                packB(NR, b, bOff, transB, k, n, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    // Full MR-row panels of a row-major A are read in place when directA; the rest
                    // is packed. A transposed A is always packed: read in place it takes each
                    // step's MR values from another cache line (1.03-1.23x slower, same-JVM A/B).
                    int direct = directA && !transA ? mc / MR * MR : 0;
                    if (direct < mc) packA(MR, a, aOff, transA, m, k, ic + direct, mc - direct, pc, kc, ap);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        int bo = jr * kc;
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            double[] as;
                            int ao, aps, ars;
                            if (ir < direct) {
                                as = a;
                                ao = transA ? aOff + pc * m + ic + ir : aOff + (ic + ir) * k + pc;
                                aps = transA ? m : 1;
                                ars = transA ? 1 : k;
                            } else {
                                as = ap;
                                ao = (ir - direct) * kc;
                                aps = MR;
                                ars = 1;
                            }
                            int co = cOff + (ic + ir) * n + jc + jr;
                            if (mr == MR && nr == NR) {
                                micro.run(kc, as, ao, aps, ars, bp, bo, c, co, n, first);
                            } else {
                                micro.run(kc, as, ao, aps, ars, bp, bo, tile, 0, NR, true);
                                for (int r = 0; r < mr; r++) {
                                    int cr = co + r * n, tr = r * NR;
                                    if (first) {
                                        System.arraycopy(tile, tr, c, cr, nr);
                                    } else {
                                        for (int j = 0; j < nr; j++) c[cr + j] += tile[tr + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    static int roundUp(int x, int q) {
        return (x + q - 1) / q * q;
    }

    /**
     * Packs A[ic:ic+mc, pc:pc+kc] into MR-row panels: ap[(r0/MR)·MR·kc + p·MR + r] = A(ic + r0 + r, pc + p),
     * zero beyond row m.
     */
    private static void packA(int mr, double[] a, int aOff, boolean transA, int m, int k, int ic, int mc, int pc, int kc, double[] ap) {
        for (int r0 = 0; r0 < mc; r0 += mr) {
            int base = r0 * kc;
            int rows = Math.min(mr, mc - r0);
            if (!transA) {
                if (rows == 8 && mr == 8) {
                    // Eight row streams read together, the panel written in order.
                    int s0 = aOff + (ic + r0) * k + pc;
                    for (int p = 0; p < kc; p++) {
                        int dst = base + p * 8, s = s0 + p;
                        ap[dst] = a[s]; ap[dst + 1] = a[s + k]; ap[dst + 2] = a[s + 2 * k]; ap[dst + 3] = a[s + 3 * k];
                        ap[dst + 4] = a[s + 4 * k]; ap[dst + 5] = a[s + 5 * k]; ap[dst + 6] = a[s + 6 * k]; ap[dst + 7] = a[s + 7 * k];
                    }
                } else {
                    for (int r = 0; r < rows; r++) {
                        int src = aOff + (ic + r0 + r) * k + pc;
                        for (int p = 0; p < kc; p++) ap[base + p * mr + r] = a[src + p];
                    }
                }
            } else {
                // A stored k×m: row p of storage holds A(:, p) contiguously.
                if (rows == 8 && mr == 8) {
                    // Eight explicit copies: System.arraycopy's call overhead on 8 elements cost
                    // 10-15 % of the weight-gradient product gᵀ·x (k = 8192 rows).
                    for (int p = 0; p < kc; p++) {
                        int src = aOff + (pc + p) * m + ic + r0;
                        int dst = base + p * 8;
                        ap[dst] = a[src]; ap[dst + 1] = a[src + 1]; ap[dst + 2] = a[src + 2]; ap[dst + 3] = a[src + 3];
                        ap[dst + 4] = a[src + 4]; ap[dst + 5] = a[src + 5]; ap[dst + 6] = a[src + 6]; ap[dst + 7] = a[src + 7];
                    }
                } else {
                    for (int p = 0; p < kc; p++) {
                        int src = aOff + (pc + p) * m + ic + r0;
                        int dst = base + p * mr;
                        for (int r = 0; r < rows; r++) ap[dst + r] = a[src + r];
                    }
                }
            }
            if (rows < mr) {
                for (int p = 0; p < kc; p++) {
                    for (int r = rows; r < mr; r++) ap[base + p * mr + r] = 0.0;
                }
            }
        }
    }

    /**
     * Packs B[pc:pc+kc, jc:jc+nc] into NR-column panels: bp[(j0/NR)·NR·kc + p·NR + j] = B(pc + p, jc + j0 + j),
     * zero beyond column n.
     */
    private static void packB(int nr, double[] b, int bOff, boolean transB, int k, int n, int pc, int kc, int jc, int nc, double[] bp) {
        for (int j0 = 0; j0 < nc; j0 += nr) {
            int base = j0 * kc;
            int cols = Math.min(nr, nc - j0);
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    System.arraycopy(b, bOff + (pc + p) * n + jc + j0, bp, base + p * nr, cols);
                }
            } else {
                // B stored n×k: row j of storage holds B(:, j) contiguously.
                for (int j = 0; j < cols; j++) {
                    int src = bOff + (jc + j0 + j) * k + pc;
                    for (int p = 0; p < kc; p++) bp[base + p * nr + j] = b[src + p];
                }
            }
            if (cols < nr) {
                for (int p = 0; p < kc; p++) {
                    for (int j = cols; j < nr; j++) bp[base + p * nr + j] = 0.0;
                }
            }
        }
    }
}
