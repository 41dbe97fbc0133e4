package dev.canonic.dynamics;

/**
 * Adaptive explicit Runge–Kutta integrator of order 8 with the embedded 5th- and 3rd-order error
 * estimates of Dormand &amp; Prince's DOP853 (Hairer, Nørsett &amp; Wanner 1993, Solving Ordinary
 * Differential Equations I, §II.10; coefficients from that reference). For reference orbits: it is
 * not symplectic, but with rtol = atol = 1e-14 energy is conserved to ~1e-13 over hundreds of
 * orbital periods.
 *
 * <p>Step control (as in DOP853): with scale_i = atol + rtol·max(|y_i|, |y_new,i|), e5 and e3 the
 * 5th- and 3rd-order error vectors, err = h‖e5‖² / √(N(‖e5‖² + 0.01‖e3‖²)) (RMS norms over the
 * scaled components); a step is accepted when err ≤ 1 and the next step is h·min(10, max(0.2,
 * 0.9 err^{−1/8})). Output times are hit exactly by shortening the last step before each.
 */
public final class Dop853 {
    // nodes c_i
    private static final double[] C = {
        0.0, 0.526001519587677318785587544488e-01, 0.789002279381515978178381316732e-01,
        0.118350341907227396726757197510, 0.281649658092772603273242802490,
        0.333333333333333333333333333333, 0.25, 0.307692307692307692307692307692,
        0.651282051282051282051282051282, 0.6, 0.857142857142857142857142857142, 1.0};
    // a_ij, rows 1..11 (row i has entries j < i)
    private static final double[][] A = new double[12][];
    // 8th-order weights b_i
    private static final double[] B = new double[12];
    // error weights (8th minus 5th, 8th minus 3rd)
    private static final double[] E5 = new double[12];
    private static final double[] E3 = new double[12];

    static {
        for (int i = 0; i < 12; i++) A[i] = new double[i];
        A[1][0] = 5.26001519587677318785587544488e-2;
        A[2][0] = 1.97250569845378994544595329183e-2;
        A[2][1] = 5.91751709536136983633785987549e-2;
        A[3][0] = 2.95875854768068491816892993775e-2;
        A[3][2] = 8.87627564304205475450678981324e-2;
        A[4][0] = 2.41365134159266685502369798665e-1;
        A[4][2] = -8.84549479328286085344864962717e-1;
        A[4][3] = 9.24834003261792003115737966543e-1;
        A[5][0] = 3.7037037037037037037037037037e-2;
        A[5][3] = 1.70828608729473871279604482173e-1;
        A[5][4] = 1.25467687566822425016691814123e-1;
        A[6][0] = 3.7109375e-2;
        A[6][3] = 1.70252211019544039314978060272e-1;
        A[6][4] = 6.02165389804559606850219397283e-2;
        A[6][5] = -1.7578125e-2;
        A[7][0] = 3.70920001185047927108779319836e-2;
        A[7][3] = 1.70383925712239993810214054705e-1;
        A[7][4] = 1.07262030446373284651809199168e-1;
        A[7][5] = -1.53194377486244017527936158236e-2;
        A[7][6] = 8.27378916381402288758473766002e-3;
        A[8][0] = 6.24110958716075717114429577812e-1;
        A[8][3] = -3.36089262944694129406857109825;
        A[8][4] = -8.68219346841726006818189891453e-1;
        A[8][5] = 2.75920996994467083049415600797e1;
        A[8][6] = 2.01540675504778934086186788979e1;
        A[8][7] = -4.34898841810699588477366255144e1;
        A[9][0] = 4.77662536438264365890433908527e-1;
        A[9][3] = -2.48811461997166764192642586468;
        A[9][4] = -5.90290826836842996371446475743e-1;
        A[9][5] = 2.12300514481811942347288949897e1;
        A[9][6] = 1.52792336328824235832596922938e1;
        A[9][7] = -3.32882109689848629194453265587e1;
        A[9][8] = -2.03312017085086261358222928593e-2;
        A[10][0] = -9.3714243008598732571704021658e-1;
        A[10][3] = 5.18637242884406370830023853209;
        A[10][4] = 1.09143734899672957818500254654;
        A[10][5] = -8.14978701074692612513997267357;
        A[10][6] = -1.85200656599969598641566180701e1;
        A[10][7] = 2.27394870993505042818970056734e1;
        A[10][8] = 2.49360555267965238987089396762;
        A[10][9] = -3.0467644718982195003823669022;
        A[11][0] = 2.27331014751653820792359768449;
        A[11][3] = -1.05344954667372501984066689879e1;
        A[11][4] = -2.00087205822486249909675718444;
        A[11][5] = -1.79589318631187989172765950534e1;
        A[11][6] = 2.79488845294199600508499808837e1;
        A[11][7] = -2.85899827713502369474065508674;
        A[11][8] = -8.87285693353062954433549289258;
        A[11][9] = 1.23605671757943030647266201528e1;
        A[11][10] = 6.43392746015763530355970484046e-1;
        B[0] = 5.42937341165687622380535766363e-2;
        B[5] = 4.45031289275240888144113950566;
        B[6] = 1.89151789931450038304281599044;
        B[7] = -5.8012039600105847814672114227;
        B[8] = 3.1116436695781989440891606237e-1;
        B[9] = -1.52160949662516078556178806805e-1;
        B[10] = 2.01365400804030348374776537501e-1;
        B[11] = 4.47106157277725905176885569043e-2;
        System.arraycopy(B, 0, E3, 0, 12);
        E3[0] -= 0.244094488188976377952755905512;
        E3[8] -= 0.733846688281611857341361741547;
        E3[11] -= 0.220588235294117647058823529412e-1;
        E5[0] = 0.1312004499419488073250102996e-1;
        E5[5] = -0.1225156446376204440720569753e1;
        E5[6] = -0.4957589496572501915214079952;
        E5[7] = 0.1664377182454986536961530415e1;
        E5[8] = -0.3503288487499736816886487290;
        E5[9] = 0.3341791187130174790297318841;
        E5[10] = 0.8192320648511571246570742613e-1;
        E5[11] = -0.2235530786388629525884427845e-1;
    }

    private final double rtol;
    private final double atol;
    private final long maxSteps;
    private long lastSteps;

    /**
     * @param rtol relative tolerance per step (≥ 1e-15)
     * @param atol absolute tolerance per step (&gt; 0, in the units of y)
     */
    public Dop853(double rtol, double atol) {
        this(rtol, atol, 50_000_000L);
    }

    public Dop853(double rtol, double atol, long maxSteps) {
        if (!(rtol >= 1e-15) || !Double.isFinite(rtol)) throw new IllegalArgumentException("rtol must be finite and at least 1e-15, got " + rtol);
        Checks.positive("atol", atol);
        if (maxSteps < 1) throw new IllegalArgumentException("maxSteps must be positive, got " + maxSteps);
        this.rtol = rtol;
        this.atol = atol;
        this.maxSteps = maxSteps;
    }

    /** Accepted plus rejected steps of the last call (for tests and benchmarks). */
    public long lastSteps() {
        return lastSteps;
    }

    /**
     * Integrates from (t0, y0) and returns y at each requested time.
     *
     * @param sys   the system
     * @param t0    start time
     * @param y0    initial state (not modified)
     * @param times output times, non-decreasing, all ≥ t0 (or all ≤ t0 for backward integration)
     * @return y at each time: [times.length][size]
     */
    public double[][] integrate(OdeSystem sys, double t0, double[] y0, double[] times) {
        int n = sys.size();
        Checks.length("initial state", y0, n);
        Checks.finite("initial state", y0);
        Checks.finite("start time", t0);
        Checks.finite("output times", times);
        double dir = 0;
        for (int i = 0; i < times.length; i++) {
            double prev = i == 0 ? t0 : times[i - 1];
            double d = Math.signum(times[i] - prev);
            if (d != 0 && dir != 0 && d != dir) throw new IllegalArgumentException("output times must be monotonic away from t0; times[" + i + "] = " + times[i] + " breaks the order");
            if (d != 0) dir = d;
        }
        double[][] out = new double[times.length][];
        double[] y = y0.clone();
        double t = t0;
        double[][] k = new double[12][n];
        double[] tmp = new double[n], ynew = new double[n];
        sys.rhs(t, y, k[0]);
        double h = Double.NaN;
        lastSteps = 0;
        for (int oi = 0; oi < times.length; oi++) {
            double tEnd = times[oi];
            while (t != tEnd) {
                if (Double.isNaN(h)) h = initialStep(sys, t, y, k[0], dir, tmp, ynew);
                if (++lastSteps > maxSteps) throw new ArithmeticException("DOP853: more than " + maxSteps + " steps before t = " + tEnd);
                boolean last = false;
                double hs = h;
                if ((t + hs - tEnd) * dir >= 0) {
                    hs = tEnd - t;
                    last = true;
                }
                double err = attempt(sys, t, y, hs, k, tmp, ynew, n);
                if (!Double.isFinite(err)) {
                    h = 0.2 * hs;
                    if (Math.abs(h) < 1e-300) throw new ArithmeticException("DOP853: step size underflow at t = " + t + " (state not finite)");
                    continue;
                }
                if (err <= 1) {
                    t = last ? tEnd : t + hs;
                    System.arraycopy(ynew, 0, y, 0, n);
                    sys.rhs(t, y, k[0]);
                    double fac = err == 0 ? 10 : Math.min(10, Math.max(0.2, 0.9 * Math.pow(err, -1.0 / 8)));
                    if (!last || fac < 1) h = hs * fac;
                } else {
                    h = hs * Math.max(0.2, 0.9 * Math.pow(err, -1.0 / 8));
                    if (Math.abs(h) <= 10 * Math.ulp(t)) throw new ArithmeticException("DOP853: step size too small at t = " + t);
                }
            }
            out[oi] = y.clone();
        }
        return out;
    }

    /** One step of size h from (t, y) with k[0] = f(t, y); fills ynew and returns the error norm. */
    private double attempt(OdeSystem sys, double t, double[] y, double h, double[][] k, double[] tmp, double[] ynew, int n) {
        for (int s = 1; s < 12; s++) {
            double[] a = A[s];
            for (int i = 0; i < n; i++) {
                double acc = 0;
                for (int j = 0; j < s; j++) if (a[j] != 0) acc += a[j] * k[j][i];
                tmp[i] = y[i] + h * acc;
            }
            sys.rhs(t + C[s] * h, tmp, k[s]);
        }
        double e5 = 0, e3 = 0;
        for (int i = 0; i < n; i++) {
            double acc = 0, a5 = 0, a3 = 0;
            for (int j = 0; j < 12; j++) {
                acc += B[j] * k[j][i];
                a5 += E5[j] * k[j][i];
                a3 += E3[j] * k[j][i];
            }
            ynew[i] = y[i] + h * acc;
            double sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(ynew[i]));
            e5 += (a5 / sc) * (a5 / sc);
            e3 += (a3 / sc) * (a3 / sc);
        }
        if (e5 == 0 && e3 == 0) return 0;
        return Math.abs(h) * e5 / Math.sqrt(n * (e5 + 0.01 * e3));
    }

    /** Hairer's starting-step heuristic (HNW I, §II.4). */
    private double initialStep(OdeSystem sys, double t, double[] y, double[] f0, double dir, double[] y1, double[] f1) {
        int n = y.length;
        double d0 = 0, d1 = 0;
        for (int i = 0; i < n; i++) {
            double sc = atol + rtol * Math.abs(y[i]);
            d0 += (y[i] / sc) * (y[i] / sc);
            d1 += (f0[i] / sc) * (f0[i] / sc);
        }
        d0 = Math.sqrt(d0 / n);
        d1 = Math.sqrt(d1 / n);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        for (int i = 0; i < n; i++) y1[i] = y[i] + dir * h0 * f0[i];
        double[] f1v = new double[n];
        sys.rhs(t + dir * h0, y1, f1v);
        double d2 = 0;
        for (int i = 0; i < n; i++) {
            double sc = atol + rtol * Math.abs(y[i]);
            d2 += ((f1v[i] - f0[i]) / sc) * ((f1v[i] - f0[i]) / sc);
        }
        d2 = Math.sqrt(d2 / n) / h0;
        double h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1.0 / 8);
        return dir * Math.min(100 * h0, h1);
    }

    /**
     * Integrates n orbits in a force field, each with its own adaptive steps, and records them at
     * the given times (from t = 0). Layout as {@link Orbits#trajectory}: flat [times][n][2·dim],
     * rows (q…, p…).
     *
     * @param times output times (time unit of f; 3D: kpc/(km/s), see {@link Units}), non-decreasing, ≥ 0
     */
    public double[] orbits(ForceField f, double[] q0, double[] p0, int n, double[] times) {
        int d = f.dim();
        Checks.length("initial positions", q0, n * d);
        Checks.length("initial velocities", p0, n * d);
        double[] out = new double[times.length * n * 2 * d];
        for (int i = 0; i < n; i++) {
            double[] y = new double[2 * d];
            System.arraycopy(q0, i * d, y, 0, d);
            System.arraycopy(p0, i * d, y, d, d);
            double[][] ys;
            try {
                ys = integrate(OdeSystem.orbit(f), 0, y, times);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("orbit " + i + ": " + ex.getMessage(), ex);
            }
            for (int s = 0; s < times.length; s++) System.arraycopy(ys[s], 0, out, (s * n + i) * 2 * d, 2 * d);
        }
        return out;
    }
}
