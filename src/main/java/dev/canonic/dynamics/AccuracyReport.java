package dev.canonic.dynamics;

import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Long accuracy runs of the dynamics layer, kept out of the unit tests. Prints one line per measured
 * figure. Run: {@code java -cp target/classes dev.canonic.dynamics.AccuracyReport [points]}.
 */
public final class AccuracyReport {
    private AccuracyReport() {
    }

    private static void line(String what, double v) {
        System.out.printf(Locale.ROOT, "%-62s %.3e%n", what, v);
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10000;
        Random g = new Random(1);
        // 1. 1D quadrature against the analytic oscillator
        HarmonicOscillator ho = new HarmonicOscillator(0.5);
        ActionAngle1D qho = new ActionAngle1D(ho);
        HarmonicActionAngle aho = new HarmonicActionAngle(ho);
        double wj = 0, wo = 0, wt = 0, wr = 0;
        for (int i = 0; i < n; i++) {
            double z = 3 * g.nextGaussian(), v = g.nextGaussian();
            double[] a = aho.actionAngle(z, v), b = qho.actionAngle(z, v);
            wj = Math.max(wj, Math.abs(b[0] - a[0]) / a[0]);
            wo = Math.max(wo, Math.abs(b[2] - a[2]) / a[2]);
            wt = Math.max(wt, Math.abs(Angles.diff(b[1], a[1])));
            double[] back = aho.phaseSpace(a[0], a[1]);
            wr = Math.max(wr, Math.max(Math.abs(back[0] - z), Math.abs(back[1] - v)));
        }
        line("HO quadrature vs analytic: max rel J", wj);
        line("HO quadrature vs analytic: max rel Omega", wo);
        line("HO quadrature vs analytic: max abs theta (rad)", wt);
        line("HO analytic round trip (z,v)->(J,theta)->(z,v): max abs", wr);
        // 2. slab: conservation along DOP853 orbits, inverse round trip
        IsothermalSlab slab = new IsothermalSlab(1, 1);
        ActionAngle1D qs = new ActionAngle1D(slab);
        double cj = 0, co = 0, ct = 0, rt = 0;
        Dop853 dop = new Dop853(1e-15, 1e-15);
        double[] times = new double[50];
        for (int i = 0; i < times.length; i++) times[i] = 2.0 * (i + 1);
        int orbits = Math.max(10, n / 500);
        long t0 = System.nanoTime();
        int evals = 0;
        for (int o = 0; o < orbits; o++) {
            double z0 = 2 * g.nextGaussian(), v0 = 1.5 * g.nextGaussian();
            double[] a0 = qs.actionAngle(z0, v0);
            double[] tr = dop.orbits(slab, new double[] {z0}, new double[] {v0}, 1, times);
            for (int s = 0; s < times.length; s++) {
                double[] a = qs.actionAngle(tr[2 * s], tr[2 * s + 1]);
                evals++;
                cj = Math.max(cj, Math.abs(a[0] - a0[0]) / a0[0]);
                co = Math.max(co, Math.abs(a[2] - a0[2]) / a0[2]);
                ct = Math.max(ct, Math.abs(Angles.diff(a[1], a0[1] + a0[2] * times[s])));
                double[] back = qs.phaseSpace(a[0], a[1]);
                rt = Math.max(rt, Math.max(Math.abs(back[0] - tr[2 * s]), Math.abs(back[1] - tr[2 * s + 1])));
            }
        }
        double perPoint = (System.nanoTime() - t0) / 1e3 / evals;
        double[] zs = new double[n], vs = new double[n];
        for (int i = 0; i < n; i++) {
            zs[i] = 2 * g.nextGaussian();
            vs[i] = 1.5 * g.nextGaussian();
        }
        qs.actionAngle(zs, vs);
        t0 = System.nanoTime();
        qs.actionAngle(zs, vs);
        double fwd = (System.nanoTime() - t0) / 1e3 / n;
        line("slab quadrature along DOP853 orbits: max rel J drift", cj);
        line("slab quadrature along DOP853 orbits: max rel Omega drift", co);
        line("slab quadrature: max |theta - (theta0 + Omega t)| (rad)", ct);
        line("slab inverse (J,theta)->(z,v) round trip: max abs", rt);
        line("slab reference + inverse, microseconds per point", perPoint);
        line("slab reference (J, theta, Omega) only, microseconds per point", fwd);
        // 3. isochrone
        Isochrone iso = Isochrone.paper();
        IsochroneActionAngle ai = new IsochroneActionAngle(iso);
        SphericalActionAngle si = new SphericalActionAngle(iso);
        ReferenceSystem sys = ReferenceSystem.of("isochrone", Map.of());
        OrbitDatasets.Config cfg = OrbitDatasets.Config.defaults(sys);
        Object[] ic = OrbitDatasets.initialConditions(sys, cfg, Math.max(100, n / 10), new SplittableRandom(3));
        double[] q = (double[]) ic[0], p = (double[]) ic[1];
        int m = q.length / 3;
        double ix = 0, iv = 0, sj = 0, so = 0, st = 0;
        for (int i = 0; i < m; i++) {
            double[] x = {q[3 * i], q[3 * i + 1], q[3 * i + 2]}, v = {p[3 * i], p[3 * i + 1], p[3 * i + 2]};
            double[] a = ai.actionAngle(x, v);
            double[] back = ai.phaseSpace(new double[] {a[0], a[1], a[2]}, new double[] {a[3], a[4], a[5]});
            double r = Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]), vv = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
            for (int k = 0; k < 3; k++) {
                ix = Math.max(ix, Math.abs(back[k] - x[k]) / r);
                iv = Math.max(iv, Math.abs(back[3 + k] - v[k]) / vv);
            }
            double[] b = si.actionAngle(x, v);
            double js = Math.abs(a[0]) + Math.abs(a[1]) + Math.abs(a[2]);
            for (int k = 0; k < 3; k++) {
                sj = Math.max(sj, Math.abs(b[k] - a[k]) / js);
                so = Math.max(so, Math.abs(b[6 + k] - a[6 + k]) / a[6]);
                st = Math.max(st, Math.abs(Angles.diff(b[3 + k], a[3 + k])));
            }
        }
        line("isochrone round trip: max |dx|/r", ix);
        line("isochrone round trip: max |dv|/|v|", iv);
        line("spherical quadrature vs analytic isochrone: max rel J", sj);
        line("spherical quadrature vs analytic isochrone: max rel Omega", so);
        line("spherical quadrature vs analytic isochrone: max abs theta", st);
        // 4. energy: leapfrog 1e-5 Gyr over 0.1 Gyr on 1024 halo orbits; DOP853 1e-14
        Object[] ic2 = OrbitDatasets.initialConditions(sys, cfg, 1024, new SplittableRandom(4));
        double[] q2 = ((double[]) ic2[0]).clone(), p2 = ((double[]) ic2[1]).clone();
        double[] e0 = Orbits.energies(iso, q2, p2, 1024);
        t0 = System.nanoTime();
        new Leapfrog().advance(iso, q2, p2, 1024, Units.gyrToInternal(1e-5), 10000);
        double lfTime = (System.nanoTime() - t0) / 1e9;
        double[] e1 = Orbits.energies(iso, q2, p2, 1024);
        double le = 0;
        for (int i = 0; i < 1024; i++) le = Math.max(le, Math.abs(e1[i] - e0[i]) / Math.abs(e0[i]));
        line("leapfrog 1e-5 Gyr, 0.1 Gyr, 1024 halo orbits: max rel dE (end)", le);
        line("  (rejected unbound of 1024 drawn)", (Long) ic2[2]);
        line("  seconds", lfTime);
        double de = 0;
        Dop853 d14 = new Dop853(1e-14, 1e-14);
        double[] q3 = (double[]) ic2[0], p3 = (double[]) ic2[1];
        for (int i = 0; i < 64; i++) {
            double[] x = {q3[3 * i], q3[3 * i + 1], q3[3 * i + 2]}, v = {p3[3 * i], p3[3 * i + 1], p3[3 * i + 2]};
            double[] tr = d14.orbits(iso, x, v, 1, new double[] {Units.gyrToInternal(0.1)});
            double e = iso.energy(new double[] {tr[0], tr[1], tr[2]}, new double[] {tr[3], tr[4], tr[5]});
            de = Math.max(de, Math.abs(e - iso.energy(x, v)) / Math.abs(iso.energy(x, v)));
        }
        line("DOP853 rtol=atol=1e-14, 0.1 Gyr, 64 halo orbits: max rel dE", de);
        // 5. astrometry
        Astrometry ast = Astrometry.paper();
        double wa = 0;
        for (int i = 0; i < n; i++) {
            double[] xv = {15 * g.nextGaussian(), 15 * g.nextGaussian(), 8 * g.nextGaussian(), 150 * g.nextGaussian(), 150 * g.nextGaussian(), 150 * g.nextGaussian()};
            double[] back = ast.toGalactocentric(ast.toObservables(xv));
            for (int k = 0; k < 6; k++) wa = Math.max(wa, Math.abs(back[k] - xv[k]) / (k < 3 ? 15 : 150));
        }
        line("astrometry round trip: max scaled error", wa);
    }
}
