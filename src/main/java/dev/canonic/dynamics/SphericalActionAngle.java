package dev.canonic.dynamics;

import java.util.function.DoubleUnaryOperator;

/**
 * Actions, angles and frequencies in any spherical potential by quadrature (Binney &amp; Tremaine
 * 2008 §3.1 and §3.5.2): with E = v²/2 + Φ(r), L = |x × v| and peri-/apocentre r_p, r_a the roots
 * of v_r² = 2(E − Φ(r)) − L²/r²,
 * <pre>
 *   J_r = (1/π) ∫_{r_p}^{r_a} v_r dr,   T_r = 2 ∫ dr/v_r,   Ω_r = 2π/T_r,
 *   Δψ = 2 ∫ (L/r²) dr/v_r,   Ω_ψ = Ω_r Δψ/(2π),   J = (J_r, L_z, J_z = L − |L_z|),
 *   Ω_z = Ω_ψ,  Ω_φ = sgn(L_z) Ω_ψ,
 *   θ_r = Ω_r t,  θ_z = ψ − ∫_0^t (L/r² − Ω_ψ) dt′,  θ_φ = Ω_node + sgn(L_z) θ_z,
 * </pre>
 * t the time since the last pericentre passage and ψ the in-plane angle from the ascending node: the
 * same zero points as {@link IsochroneActionAngle}, which this reproduces on an isochrone. The
 * substitution r = m + d sin φ removes the turning-point singularities; near a turning point v_r is
 * computed as δ·[2⟨Φ′⟩ − L²(2r± − δ)/(r±² r²)], δ = r± − r, with ⟨Φ′⟩ the 16-point Gauss–Legendre
 * mean of dΦ/dr over [r, r±], free of cancellation. Period integrals use the geometrically
 * convergent midpoint rule, partial integrals an adaptive composite Gauss–Legendre rule.
 */
public final class SphericalActionAngle {
    private static final GaussLegendre G16 = GaussLegendre.G16;
    private static final double REL = 1e-14;
    private final SphericalPotential pot;

    public SphericalActionAngle(SphericalPotential pot) {
        if (pot == null) throw new IllegalArgumentException("potential is null");
        this.pot = pot;
    }

    public SphericalPotential potential() {
        return pot;
    }

    /** Radial orbit quantities of (E, L): peri- and apocentre, J_r, T_r, Ω_r, Ω_ψ. */
    public record RadialOrbit(double energy, double L, double rPeri, double rApo, double Jr, double periodR, double OmegaR, double OmegaPsi) {
    }

    private double fr(double e, double l, double r) {
        return 2 * (e - pot.phi(r)) - l * l / (r * r);
    }

    /** v_r at r = m + d sin φ, from the nearer turning point without cancellation. */
    private double vrAt(double ph, double e, double l, double rp, double ra) {
        double m = 0.5 * (ra + rp), d = 0.5 * (ra - rp);
        double s = Math.sin(ph), c = Math.cos(ph);
        double rt, delta;
        if (s >= 0) {
            rt = ra;
            delta = d * c * c / (1 + s);
        } else {
            rt = rp;
            delta = -d * c * c / (1 - s);
        }
        double r = rt - delta;
        double k;
        if (Math.abs(delta) <= 0.25 * rt) {
            double mean = 0;
            double lo = r, hi = rt;
            for (int i = 0; i < G16.x.length; i++) mean += G16.w[i] * pot.dphidr(0.5 * (lo + hi) + 0.5 * (hi - lo) * G16.x[i]);
            mean *= 0.5;
            k = delta * (2 * mean - l * l * (2 * rt - delta) / (rt * rt * r * r));
        } else {
            k = fr(e, l, m + d * s);
        }
        if (k > 0) return Math.sqrt(k);
        return Math.sqrt(Double.MIN_NORMAL);
    }

    /** The radius of the circular orbit with angular momentum L: r³ dΦ/dr = L². */
    private double circularRadius(double l, double r0) {
        double lo = r0, hi = r0;
        while (lo * lo * lo * pot.dphidr(lo) > l * l) {
            lo *= 0.5;
            if (lo < 1e-300) throw new ArithmeticException("no circular orbit for L = " + l + " in " + pot);
        }
        while (hi * hi * hi * pot.dphidr(hi) < l * l) {
            hi *= 2;
            if (hi > 1e15) throw new IllegalArgumentException("L = " + l + " exceeds every circular orbit's angular momentum in " + pot);
        }
        for (int it = 0; it < 200 && hi - lo > 2 * Math.ulp(hi); it++) {
            double mid = 0.5 * (lo + hi);
            if (mid * mid * mid * pot.dphidr(mid) < l * l) lo = mid; else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** A root of fr between a (fr &lt; 0) and b (fr &gt; 0), by safeguarded Newton. */
    private double root(double e, double l, double neg, double pos) {
        double x = 0.5 * (neg + pos);
        for (int it = 0; it < 300; it++) {
            double f = fr(e, l, x);
            if (f == 0) return x;
            if (f < 0) neg = x; else pos = x;
            double df = -2 * pot.dphidr(x) + 2 * l * l / (x * x * x);
            double nx = x - f / df;
            double lo = Math.min(neg, pos), hi = Math.max(neg, pos);
            if (!(nx > lo && nx < hi)) nx = 0.5 * (lo + hi);
            if (Math.abs(nx - x) <= 2 * Math.ulp(x) || hi - lo <= 2 * Math.ulp(hi)) return nx;
            x = nx;
        }
        return x;
    }

    /** J_r, Ω_r and Ω_ψ of the orbit with energy E and angular momentum L &gt; 0, near radius r0. */
    public RadialOrbit radialOrbit(double e, double l, double r0) {
        Checks.finite("energy", e);
        Checks.positive("angular momentum L", l);
        double rc = circularRadius(l, r0);
        if (!(fr(e, l, rc) > 0)) {
            // circular: J_r = 0, Ω_r = κ, Ω_ψ = L/r²
            double h = 1e-4 * rc;
            double d2 = (pot.dphidr(rc + h) - pot.dphidr(rc - h)) / (2 * h);
            double kappa = Math.sqrt(d2 + 3 * pot.dphidr(rc) / rc);
            return new RadialOrbit(e, l, rc, rc, 0, 2 * Math.PI / kappa, kappa, l / (rc * rc));
        }
        double lo = rc;
        while (fr(e, l, lo) > 0) lo *= 0.5;
        double hi = rc;
        while (fr(e, l, hi) > 0) {
            hi *= 2;
            if (hi > 1e15) throw new IllegalArgumentException("orbit is unbound (E = " + e + " (km/s)²) in " + pot + "; a bound orbit is required");
        }
        double rp = root(e, l, lo, rc), ra = root(e, l, hi, rc);
        double m = 0.5 * (ra + rp), d = 0.5 * (ra - rp);
        double jPrev = Double.NaN, tPrev = Double.NaN, pPrev = Double.NaN;
        for (int n = 16; n <= (1 << 18); n *= 2) {
            double sj = 0, st = 0, sp = 0, h = Math.PI / n;
            for (int k = 0; k < n; k++) {
                double ph = -0.5 * Math.PI + (k + 0.5) * h;
                double c = Math.cos(ph);
                double r = m + d * Math.sin(ph);
                double vr = vrAt(ph, e, l, rp, ra);
                sj += vr * d * c;
                st += d * c / vr;
                sp += l / (r * r) * d * c / vr;
            }
            double j = sj * h / Math.PI, t = 2 * st * h, dpsi = 2 * sp * h;
            if (Math.abs(j - jPrev) <= REL * j && Math.abs(t - tPrev) <= REL * t && Math.abs(dpsi - pPrev) <= REL * dpsi) {
                double or = 2 * Math.PI / t;
                return new RadialOrbit(e, l, rp, ra, j, t, or, or * dpsi / (2 * Math.PI));
            }
            jPrev = j;
            tPrev = t;
            pPrev = dpsi;
        }
        throw new ArithmeticException("spherical action quadrature did not converge for E = " + e + ", L = " + l + " in " + pot);
    }

    /**
     * (J_r, L_z, J_z, θ_r, θ_φ, θ_z, Ω_r, Ω_φ, Ω_z) of one point (kpc, km/s).
     *
     * @throws IllegalArgumentException for non-finite input, r = 0, L = 0 or an unbound orbit
     */
    public double[] actionAngle(double[] x, double[] v) {
        Checks.length("position", x, 3);
        Checks.length("velocity", v, 3);
        Checks.finite("position", x);
        Checks.finite("velocity", v);
        double r = Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
        if (r == 0) throw new IllegalArgumentException("position is at r = 0, where the angles are undefined");
        double lx = x[1] * v[2] - x[2] * v[1], ly = x[2] * v[0] - x[0] * v[2], lz = x[0] * v[1] - x[1] * v[0];
        double l = Math.sqrt(lx * lx + ly * ly + lz * lz);
        if (l == 0) throw new IllegalArgumentException("orbit is radial (L = 0): the angles are undefined");
        double e = 0.5 * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) + pot.phi(r);
        if (!(e < 0)) throw new IllegalArgumentException("orbit is unbound (E = " + e + " (km/s)² ≥ 0) in " + pot + "; a bound orbit is required");
        RadialOrbit o = radialOrbit(e, l, r);
        double sgn = lz >= 0 ? 1 : -1;
        OrbitalPlane pl = new OrbitalPlane(x, lx, ly, lz);
        double thr, thz;
        if (o.Jr == 0) {
            thr = 0;
            thz = pl.psi;
        } else {
            double rp = o.rPeri, ra = o.rApo, m = 0.5 * (ra + rp), d = 0.5 * (ra - rp);
            double vr = (x[0] * v[0] + x[1] * v[1] + x[2] * v[2]) / r;
            double ph = Math.atan2(r - m, Math.sqrt(Math.max(0, (ra - r) * (r - rp))));
            if (Math.abs(Math.sin(ph)) > 0.5 && vr != 0) {
                for (int it = 0; it < 3; it++) {
                    double g = vrAt(ph, e, l, rp, ra) / (d * Math.cos(ph));
                    double c = Math.min(1.0, Math.abs(vr) / (d * g));
                    ph = Math.signum(ph) * (0.5 * Math.PI - Math.asin(c));
                }
            }
            double tol = 2e-15 * o.periodR;
            DoubleUnaryOperator f = p -> d * Math.cos(p) / vrAt(p, e, l, rp, ra);
            double t = GaussLegendre.G20.adaptive(f, -0.5 * Math.PI, ph, tol, "radial angle");
            double opsi = o.OmegaPsi;
            DoubleUnaryOperator g = p -> {
                double rr = m + d * Math.sin(p);
                return (l / (rr * rr) - opsi) * d * Math.cos(p) / vrAt(p, e, l, rp, ra);
            };
            double chi = GaussLegendre.G20.adaptive(g, -0.5 * Math.PI, ph, 2e-15 * Math.PI, "azimuthal angle");
            if (vr >= 0) {
                thr = o.OmegaR * t;
                thz = pl.psi - chi;
            } else {
                thr = 2 * Math.PI - o.OmegaR * t;
                thz = pl.psi + chi;
            }
        }
        double thphi = pl.node + sgn * thz;
        return new double[] {o.Jr, lz, l - Math.abs(lz), Angles.wrap(thr), Angles.wrap(thphi), Angles.wrap(thz),
            o.OmegaR, sgn * o.OmegaPsi, o.OmegaPsi};
    }

    /** Actions, angles and frequencies of n points (q, p flat n×3); the first bad point fails naming its index. */
    public AngleAction3D actionAngle(double[] q, double[] p, int n) {
        Checks.length("positions", q, 3 * n);
        Checks.length("velocities", p, 3 * n);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            try {
                rows[i] = actionAngle(new double[] {q[3 * i], q[3 * i + 1], q[3 * i + 2]}, new double[] {p[3 * i], p[3 * i + 1], p[3 * i + 2]});
            } catch (IllegalArgumentException | ArithmeticException ex) {
                throw new IllegalArgumentException("point " + i + ": " + ex.getMessage(), ex);
            }
        }
        return AngleAction3D.ofRows(rows);
    }
}
