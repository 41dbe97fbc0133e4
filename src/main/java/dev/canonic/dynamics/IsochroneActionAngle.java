package dev.canonic.dynamics;

/**
 * Analytic actions, angles and frequencies of the isochrone Φ = −GM/(b + √(b² + r²)) and the inverse
 * map (Binney &amp; Tremaine 2008 §3.5.2; McGill &amp; Binney 1990, MNRAS 244, 634). Units: x in kpc, v in
 * km/s, GM in kpc (km/s)², actions in kpc km/s, frequencies in km/s/kpc, angles in radians [0, 2π).
 *
 * <p>Actions J = (J_r, L_z, J_z = L − |L_z|), with (B&amp;T eq. 3.226)
 * <pre>
 *   J_r = GM/√(−2E) − (L + √(L² + 4GMb))/2,
 *   Ω_r = (−2E)^{3/2}/GM,   Ω_ψ = (Ω_r/2)(1 + L/√(L² + 4GMb)),   Ω_z = Ω_ψ,   Ω_φ = sgn(L_z) Ω_ψ.
 * </pre>
 * Angles: with c = GM/(−2E) − b, e² = 1 − (L²/(GMc))(1 + b/c), s = 1 + √(1 + r²/b²) and the
 * eccentric anomaly η defined by s = 2 + (c/b)(1 − e cos η) (B&amp;T eqs. 3.228–3.232),
 * <pre>
 *   θ_r = η − (ec/(c + b)) sin η,
 *   θ_z = ψ + (Ω_ψ/Ω_r) θ_r − Λ(√((1+e)/(1−e)), η) − (L/√(L² + 4GMb)) Λ(√((1+e+2b/c)/(1−e+2b/c)), η),
 *   θ_φ = Ω_node + sgn(L_z) θ_z,
 * </pre>
 * where Λ(k, η) = atan2(k sin(η/2), cos(η/2)) (the branch of arctan(k tan(η/2)) continuous on
 * [0, 2π)), ψ is the angle in the orbital plane from the ascending node to the star, and Ω_node the
 * longitude of the ascending node (for an orbit in the z = 0 plane the node is put on the x axis).
 * e cos η is taken from the radius and e sin η from the radial velocity (dr/dη is known in closed
 * form), so η keeps full precision at peri- and apocentre and the inverse map round-trips to ~1e-13.
 * sgn(L_z) is +1 for L_z = 0.
 */
public final class IsochroneActionAngle {
    private final double gm;
    private final double b;

    public IsochroneActionAngle(double gm, double b) {
        Checks.positive("isochrone GM", gm);
        Checks.positive("isochrone b", b);
        this.gm = gm;
        this.b = b;
    }

    public IsochroneActionAngle(Isochrone iso) {
        this(iso.gm(), iso.b());
    }

    private double phi(double r) {
        return -gm / (b + Math.sqrt(b * b + r * r));
    }

    /** Λ(k, η) = atan2(k sin(η/2), cos(η/2)). */
    private static double lambda(double k, double eta) {
        return Math.atan2(k * Math.sin(0.5 * eta), Math.cos(0.5 * eta));
    }

    /**
     * (J_r, L_z, J_z, θ_r, θ_φ, θ_z, Ω_r, Ω_φ, Ω_z) of one point.
     *
     * @throws IllegalArgumentException for non-finite input, r = 0, L = 0 (radial orbit) or E ≥ 0
     */
    public double[] actionAngle(double[] x, double[] v) {
        Checks.length("position", x, 3);
        Checks.length("velocity", v, 3);
        Checks.finite("position", x);
        Checks.finite("velocity", v);
        double r = Math.sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
        if (r == 0) throw new IllegalArgumentException("position is at r = 0, where the isochrone angles are undefined");
        double lx = x[1] * v[2] - x[2] * v[1], ly = x[2] * v[0] - x[0] * v[2], lz = x[0] * v[1] - x[1] * v[0];
        double l2 = lx * lx + ly * ly + lz * lz, l = Math.sqrt(l2);
        double e = 0.5 * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) + phi(r);
        if (!(e < 0)) throw new IllegalArgumentException("orbit is unbound in the isochrone (E = " + e + " (km/s)² ≥ 0); a bound orbit is required");
        if (l == 0) throw new IllegalArgumentException("orbit is radial (L = 0): the isochrone angles are undefined");
        double sq = Math.sqrt(l2 + 4 * gm * b);
        double jr = gm / Math.sqrt(-2 * e) - 0.5 * (l + sq);
        double or = Math.pow(-2 * e, 1.5) / gm;
        double opsi = 0.5 * or * (1 + l / sq);
        double sgn = lz >= 0 ? 1 : -1;
        // eccentric anomaly
        double c = -gm / (2 * e) - b;
        double ecc = Math.sqrt(Math.max(0, 1 - l2 / (gm * c) * (1 + b / c)));
        double rb = r / b;
        double sm2 = rb * rb / (Math.sqrt(1 + rb * rb) + 1);          // s − 2
        double s = 2 + sm2;
        double ecos = 1 - (b / c) * sm2;
        double vr = (x[0] * v[0] + x[1] * v[1] + x[2] * v[2]) / r;
        double kk = c / (c + b);
        double esin = vr * r * (1 - kk * ecos) / (or * b * c * (s - 1));
        double eta = Math.atan2(esin, ecos);
        if (eta < 0) eta += Angles.TWO_PI;
        double thr = eta - kk * esin;
        // in-plane angle ψ from the ascending node
        double nxy = Math.sqrt(lx * lx + ly * ly);
        double nx, ny, node;
        if (nxy > 0) {
            nx = -ly / nxy;
            ny = lx / nxy;
            node = Math.atan2(lx, -ly);
        } else {
            nx = 1;
            ny = 0;
            node = 0;
        }
        // m = L̂ × n̂
        double mx = -lz * ny / l, my = lz * nx / l, mz = (lx * ny - ly * nx) / l;
        double psi = Math.atan2(mx * x[0] + my * x[1] + mz * x[2], nx * x[0] + ny * x[1]);
        double thz = psi + (opsi / or) * thr
            - lambda(Math.sqrt((1 + ecc) / (1 - ecc)), eta)
            - (l / sq) * lambda(Math.sqrt((1 + ecc + 2 * b / c) / (1 - ecc + 2 * b / c)), eta);
        double thphi = node + sgn * thz;
        return new double[] {jr, lz, l - Math.abs(lz), Angles.wrap(thr), Angles.wrap(thphi), Angles.wrap(thz), or, sgn * opsi, opsi};
    }

    /** Actions, angles and frequencies of n points (q, p flat n×3); the first bad point fails naming its index. */
    public AngleAction3D actionAngle(double[] q, double[] p, int n) {
        Checks.length("positions", q, 3 * n);
        Checks.length("velocities", p, 3 * n);
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) {
            try {
                rows[i] = actionAngle(new double[] {q[3 * i], q[3 * i + 1], q[3 * i + 2]}, new double[] {p[3 * i], p[3 * i + 1], p[3 * i + 2]});
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("point " + i + ": " + ex.getMessage(), ex);
            }
        }
        return AngleAction3D.ofRows(rows);
    }

    /** Energy in (km/s)² of the orbit with actions J_r and L = J_z + |L_z|. */
    public double energy(double jr, double l) {
        double d = jr + 0.5 * (l + Math.sqrt(l * l + 4 * gm * b));
        double w = gm / d;
        return -0.5 * w * w;
    }

    /**
     * The inverse map: (x, v) = {x, y, z, vx, vy, vz} of the point with actions (J_r, L_z, J_z) and
     * angles (θ_r, θ_φ, θ_z).
     *
     * @throws IllegalArgumentException for non-finite input, J_r &lt; 0, J_z &lt; 0 or L = 0
     */
    public double[] phaseSpace(double[] j, double[] theta) {
        Checks.length("actions", j, 3);
        Checks.length("angles", theta, 3);
        Checks.finite("actions", j);
        Checks.finite("angles", theta);
        double jr = j[0], lz = j[1], jz = j[2];
        if (jr < 0) throw new IllegalArgumentException("J_r must be non-negative, got " + jr);
        if (jz < 0) throw new IllegalArgumentException("J_z must be non-negative, got " + jz);
        double l = jz + Math.abs(lz);
        if (l == 0) throw new IllegalArgumentException("L = J_z + |L_z| = 0 (radial orbit): the inverse map is undefined");
        double sgn = lz >= 0 ? 1 : -1;
        double e = energy(jr, l);
        double l2 = l * l, sq = Math.sqrt(l2 + 4 * gm * b);
        double or = Math.pow(-2 * e, 1.5) / gm;
        double opsi = 0.5 * or * (1 + l / sq);
        double c = -gm / (2 * e) - b;
        double ecc = Math.sqrt(Math.max(0, 1 - l2 / (gm * c) * (1 + b / c)));
        double kk = ecc * c / (c + b);
        // Kepler-like equation θ_r = η − kk sin η (kk < 1)
        double thr = Angles.wrap(theta[0]);
        double eta = thr + kk * Math.sin(thr);
        for (int it = 0; it < 100; it++) {
            double f = eta - kk * Math.sin(eta) - thr;
            double d = f / (1 - kk * Math.cos(eta));
            eta -= d;
            if (Math.abs(d) < 1e-16) break;
        }
        double s = 2 + (c / b) * (1 - ecc * Math.cos(eta));
        double r = b * Math.sqrt(s * (s - 2));
        double vr = or * b * c * ecc * (s - 1) * Math.sin(eta) / (r * (1 - kk * Math.cos(eta)));
        double vt = l / r;
        double psi = theta[2] - (opsi / or) * thr
            + lambda(Math.sqrt((1 + ecc) / (1 - ecc)), eta)
            + (l / sq) * lambda(Math.sqrt((1 + ecc + 2 * b / c) / (1 - ecc + 2 * b / c)), eta);
        double node = theta[1] - sgn * theta[2];
        double cosi = Math.max(-1, Math.min(1, lz / l)), sini = Math.sqrt(Math.max(0, 1 - cosi * cosi));
        if (jz == 0) {
            cosi = sgn;
            sini = 0;
        }
        double nx = Math.cos(node), ny = Math.sin(node);
        double lhx = sini * ny, lhy = -sini * nx, lhz = cosi;
        double mx = lhy * 0 - lhz * ny, my = lhz * nx - lhx * 0, mz = lhx * ny - lhy * nx;
        double cp = Math.cos(psi), sp = Math.sin(psi);
        double ux = cp * nx + sp * mx, uy = cp * ny + sp * my, uz = sp * mz;    // radial unit vector
        double tx = -sp * nx + cp * mx, ty = -sp * ny + cp * my, tz = cp * mz;  // direction of motion
        return new double[] {r * ux, r * uy, r * uz, vr * ux + vt * tx, vr * uy + vt * ty, vr * uz + vt * tz};
    }
}
