package dev.canonic.dynamics;

/**
 * Orientation of a 3D orbit: the ascending node n̂ = ẑ × L / |ẑ × L| (on the x axis for an orbit in
 * the z = 0 plane), its longitude Ω_node = atan2(L_x, −L_y), and the in-plane angle ψ from n̂ to the
 * star measured in the sense of motion: x = r(cos ψ n̂ + sin ψ (L̂ × n̂)).
 */
final class OrbitalPlane {
    final double node;
    final double psi;

    OrbitalPlane(double[] x, double lx, double ly, double lz) {
        double l = Math.sqrt(lx * lx + ly * ly + lz * lz);
        double nxy = Math.sqrt(lx * lx + ly * ly);
        double nx, ny;
        if (nxy > 0) {
            nx = -ly / nxy;
            ny = lx / nxy;
            node = Math.atan2(lx, -ly);
        } else {
            nx = 1;
            ny = 0;
            node = 0;
        }
        double mx = -lz * ny / l, my = lz * nx / l, mz = (lx * ny - ly * nx) / l;
        psi = Math.atan2(mx * x[0] + my * x[1] + mz * x[2], nx * x[0] + ny * x[1]);
    }
}
