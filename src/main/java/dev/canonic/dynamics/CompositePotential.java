package dev.canonic.dynamics;

import dev.canonic.core.Tensor;

import java.util.List;

/** The sum Φ = Σ Φ_i of potentials. */
public final class CompositePotential implements Potential {
    private final Potential[] parts;

    public CompositePotential(Potential... parts) {
        if (parts == null || parts.length == 0) throw new IllegalArgumentException("a composite potential needs at least one part");
        for (int i = 0; i < parts.length; i++) {
            if (parts[i] == null) throw new IllegalArgumentException("composite potential part " + i + " is null");
        }
        this.parts = parts.clone();
    }

    public List<Potential> parts() {
        return List.of(parts);
    }

    @Override
    public double value(double x, double y, double z) {
        double s = 0;
        for (Potential p : parts) s += p.value(x, y, z);
        return s;
    }

    @Override
    public void force(double x, double y, double z, double[] out, int off) {
        double fx = 0, fy = 0, fz = 0;
        for (Potential p : parts) {
            p.force(x, y, z, out, off);
            fx += out[off];
            fy += out[off + 1];
            fz += out[off + 2];
        }
        out[off] = fx;
        out[off + 1] = fy;
        out[off + 2] = fz;
    }

    @Override
    public Tensor value(Tensor x) {
        Tensor s = parts[0].value(x);
        for (int i = 1; i < parts.length; i++) s = s.add(parts[i].value(x));
        return s;
    }

    @Override
    public String name() {
        StringBuilder b = new StringBuilder();
        for (Potential p : parts) b.append(b.length() == 0 ? "" : "+").append(p.name());
        return b.toString();
    }

    @Override
    public String toString() {
        return "CompositePotential" + List.of(parts);
    }
}
