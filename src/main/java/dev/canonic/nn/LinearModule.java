package dev.canonic.nn;

import dev.canonic.core.Tensor;

import java.util.Arrays;
import java.util.Random;

/**
 * SympNet linear module (Jin et al. 2020): a product of symplectic linear shears followed by a
 * translation, acting on rows (q, p) of a B×2d tensor. Sub-layer i is "up" (p ← p + S_i q) or "low"
 * (q ← q + S_i p), alternating and starting with the kind given; S_i = A_i + A_iᵀ is symmetric, so
 * each shear is symplectic. The optional bias then adds (b_q, b_p). The inverse undoes the steps in
 * reverse order, exactly.
 *
 * <p>Initialisation (seeded): A_i ~ N(0, 0.02²/d), bias zero, so the module starts near the identity.
 * Parameters are named {@code A0, A1, …, bq, bp}.
 */
public final class LinearModule extends Module implements Invertible {
    private final int d;
    private final boolean up;
    private final Parameter[] as;
    private final Parameter bq, bp;

    /** A linear module with a bias. */
    public LinearModule(int d, boolean up, int sublayers, Random rng) {
        this(d, up, sublayers, true, rng);
    }

    /** A linear module for d degrees of freedom, sublayers ≥ 1 alternating shears, with or without bias. */
    public LinearModule(int d, boolean up, int sublayers, boolean bias, Random rng) {
        if (d <= 0 || sublayers <= 0) throw new IllegalArgumentException("LinearModule: d and sublayers must be positive, got " + d + ", " + sublayers);
        this.d = d;
        this.up = up;
        as = new Parameter[sublayers];
        for (int i = 0; i < sublayers; i++) as[i] = param("A" + i, Tensor.randn(rng, d, d).mul(0.02 / Math.sqrt(d)));
        bq = bias ? param("bq", Tensor.zeros(d)) : null;
        bp = bias ? param("bp", Tensor.zeros(d)) : null;
    }

    private Tensor sym(int i) {
        Tensor a = as[i].value();
        return a.add(a.t());
    }

    private boolean isUp(int i) {
        return (i % 2 == 0) == up;
    }

    private void check(Tensor x) {
        if (x.rank() != 2 || x.dim(1) != 2 * d) {
            throw new IllegalArgumentException("LinearModule: input of shape " + Arrays.toString(x.shape()) + ", expected B×" + (2 * d));
        }
    }

    /** x (B×2d) → the transformed rows. */
    @Override
    public Tensor forward(Tensor x) {
        check(x);
        Tensor q = x.slice(1, 0, d), p = x.slice(1, d, 2 * d);
        for (int i = 0; i < as.length; i++) {
            if (isUp(i)) p = p.add(q.matmul(sym(i)));
            else q = q.add(p.matmul(sym(i)));
        }
        if (bq != null) {
            q = q.add(bq.value());
            p = p.add(bp.value());
        }
        return Tensor.concat(1, q, p);
    }

    /** The exact inverse of {@link #forward}. */
    @Override
    public Tensor inverse(Tensor y) {
        check(y);
        Tensor q = y.slice(1, 0, d), p = y.slice(1, d, 2 * d);
        if (bq != null) {
            q = q.sub(bq.value());
            p = p.sub(bp.value());
        }
        for (int i = as.length - 1; i >= 0; i--) {
            if (isUp(i)) p = p.sub(q.matmul(sym(i)));
            else q = q.sub(p.matmul(sym(i)));
        }
        return Tensor.concat(1, q, p);
    }
}
