package dev.canonic.dynamics;

/**
 * Heliocentric observables (d, l, b, v_h, μ_l*, μ_b) ↔ Galactocentric Cartesian (x, v).
 *
 * <p>Frames (right-handed, as astropy's Galactocentric frame): the Galactic centre at the origin,
 * +x from the Sun towards the centre, +y towards l = 90°, +z towards the north Galactic pole; the
 * Sun at (−√(R⊙² − z⊙²), 0, z⊙). A heliocentric Galactic vector u is mapped as
 * x = M (u − (R⊙, 0, 0)) with M the rotation by θ = asin(z⊙/R⊙) about y that lifts the Sun to height
 * z⊙; velocities as v = M u̇ + v⊙.
 *
 * <p>Units: d in kpc, l and b in degrees (l in [0, 360), b in [−90, 90]), v_h (heliocentric radial
 * velocity) in km/s, μ_l* = μ_l cos b and μ_b in mas/yr (the Gaia convention), x in kpc, v in km/s.
 * 1 mas/yr at 1 kpc is {@link #K} = 4.740470463533348 km/s.
 *
 * <p>Defaults ({@link #paper()}): R⊙ = 8.122 kpc (GRAVITY Collaboration 2018, as in the
 * ACTIONFINDER paper), z⊙ = 20.8 pc (Bennett &amp; Bovy 2019), v⊙ = (12.9, 245.6, 7.78) km/s
 * (Drimmel &amp; Poggio 2018) — astropy's v4.0 Galactocentric defaults.
 *
 * @param rSun  Sun–Galactic-centre distance R⊙, kpc
 * @param zSun  Sun's height above the plane z⊙, kpc
 * @param vSun  the Sun's Galactocentric velocity (v_x, v_y, v_z), km/s
 */
public record Astrometry(double rSun, double zSun, double[] vSun) {
    /** km/s per (mas/yr × kpc): 1 au / 1 yr (Julian) in km/s. */
    public static final double K = 4.740470463533348;

    public Astrometry {
        Checks.positive("R_sun", rSun);
        Checks.finite("z_sun", zSun);
        if (Math.abs(zSun) >= rSun) throw new IllegalArgumentException("|z_sun| = " + Math.abs(zSun) + " must be below R_sun = " + rSun);
        Checks.length("v_sun", vSun, 3);
        Checks.finite("v_sun", vSun);
        vSun = vSun.clone();
    }

    /** The documented defaults: R⊙ = 8.122 kpc, z⊙ = 0.0208 kpc, v⊙ = (12.9, 245.6, 7.78) km/s. */
    public static Astrometry paper() {
        return new Astrometry(8.122, 0.0208, new double[] {12.9, 245.6, 7.78});
    }

    @Override
    public double[] vSun() {
        return vSun.clone();
    }

    /**
     * Observables → Galactocentric: {d, l, b, v_h, μ_l*, μ_b} → {x, y, z, vx, vy, vz}.
     *
     * @throws IllegalArgumentException for non-finite values, d ≤ 0 or |b| &gt; 90°
     */
    public double[] toGalactocentric(double[] obs) {
        Checks.length("observables (d, l, b, v_h, mu_l*, mu_b)", obs, 6);
        Checks.finite("observables", obs);
        double d = obs[0];
        if (!(d > 0)) throw new IllegalArgumentException("distance d must be positive, got " + d);
        if (Math.abs(obs[2]) > 90) throw new IllegalArgumentException("latitude b must be within [-90, 90] degrees, got " + obs[2]);
        double l = Math.toRadians(obs[1]), b = Math.toRadians(obs[2]);
        double cl = Math.cos(l), sl = Math.sin(l), cb = Math.cos(b), sb = Math.sin(b);
        double[] rh = {cb * cl, cb * sl, sb}, lh = {-sl, cl, 0}, bh = {-sb * cl, -sb * sl, cb};
        double vl = K * d * obs[4], vb = K * d * obs[5], vr = obs[3];
        double[] u = new double[3], ud = new double[3];
        for (int k = 0; k < 3; k++) {
            u[k] = d * rh[k];
            ud[k] = vr * rh[k] + vl * lh[k] + vb * bh[k];
        }
        u[0] -= rSun;
        double st = zSun / rSun, ct = Math.sqrt((1 - st) * (1 + st));
        return new double[] {
            ct * u[0] + st * u[2], u[1], -st * u[0] + ct * u[2],
            ct * ud[0] + st * ud[2] + vSun[0], ud[1] + vSun[1], -st * ud[0] + ct * ud[2] + vSun[2]};
    }

    /**
     * Galactocentric → observables: {x, y, z, vx, vy, vz} → {d, l, b, v_h, μ_l*, μ_b}.
     *
     * @throws IllegalArgumentException for non-finite values or a point at the Sun's position
     */
    public double[] toObservables(double[] xv) {
        Checks.length("Galactocentric (x, y, z, vx, vy, vz)", xv, 6);
        Checks.finite("Galactocentric coordinates", xv);
        double st = zSun / rSun, ct = Math.sqrt((1 - st) * (1 + st));
        double[] u = {ct * xv[0] - st * xv[2] + rSun, xv[1], st * xv[0] + ct * xv[2]};
        double vx = xv[3] - vSun[0], vy = xv[4] - vSun[1], vz = xv[5] - vSun[2];
        double[] ud = {ct * vx - st * vz, vy, st * vx + ct * vz};
        double rxy = Math.sqrt(u[0] * u[0] + u[1] * u[1]);
        double d = Math.sqrt(rxy * rxy + u[2] * u[2]);
        if (!(d > 0)) throw new IllegalArgumentException("the point is at the Sun's position: distance and direction undefined");
        double l = Math.atan2(u[1], u[0]), b = Math.atan2(u[2], rxy);
        double cl = Math.cos(l), sl = Math.sin(l), cb = Math.cos(b), sb = Math.sin(b);
        double vr = ud[0] * cb * cl + ud[1] * cb * sl + ud[2] * sb;
        double vl = -ud[0] * sl + ud[1] * cl;
        double vb = -ud[0] * sb * cl - ud[1] * sb * sl + ud[2] * cb;
        double ldeg = Math.toDegrees(Angles.wrap(l));
        if (ldeg >= 360) ldeg = 0;
        return new double[] {d, ldeg, Math.toDegrees(b), vr, vl / (K * d), vb / (K * d)};
    }
}
