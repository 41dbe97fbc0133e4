package dev.canonic.nn;

import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exact invertibility and symplecticity (MᵀΩM = Ω) of the SympNet layers. */
class SymplecticNetTest {
    static double symplecticError(SymplecticNet net, Tensor x, int d) {
        Tensor xi = x.detach().requiresGrad(true);
        Tensor jac = Autograd.jacobian(net::forward, xi, false);
        double[] omega = new double[4 * d * d];
        for (int i = 0; i < d; i++) {
            omega[i * 2 * d + d + i] = 1;
            omega[(d + i) * 2 * d + i] = -1;
        }
        Tensor om = Tensor.of(omega, 2 * d, 2 * d);
        Tensor lhs = jac.matmul(om, true, false).matmul(jac);
        return NnTesting.maxAbsDiff(lhs, om.unsqueeze(0).expand(x.dim(0), 2 * d, 2 * d));
    }

    static void checkNet(int d, boolean linear, long seed) {
        Random g = new Random(seed);
        SymplecticNet net = new SymplecticNet(d, 6, 16, linear, g);
        // a far-from-identity map: strengthen the nonlinear terms so the test means something
        for (var e : net.namedParameters().entrySet()) {
            if (e.getKey().endsWith(".a")) e.getValue().set(e.getValue().value().mul(40));
        }
        Tensor x = Tensor.randn(g, 32, 2 * d).mul(1.5);
        Tensor y = net.forward(x);
        double moved = NnTesting.maxAbsDiff(x, y);
        assertTrue(moved > 0.1, "the map should be far from the identity, moved only " + moved);
        double inv = NnTesting.maxAbsDiff(net.inverse(y), x);
        assertTrue(inv <= 1e-13, "d=" + d + " inverse(forward(x)) - x = " + inv);
        double inv2 = NnTesting.maxAbsDiff(net.forward(net.inverse(x)), x);
        assertTrue(inv2 <= 1e-13, "d=" + d + " forward(inverse(x)) - x = " + inv2);
        double sym = symplecticError(net, x, d);
        assertTrue(sym <= 1e-12, "d=" + d + " max |MᵀΩM − Ω| = " + sym);
    }

    @Test
    void oneDegreeOfFreedom() {
        checkNet(1, false, 21);
        checkNet(1, true, 22);
    }

    @Test
    void threeDegreesOfFreedom() {
        checkNet(3, false, 23);
        checkNet(3, true, 24);
    }

    @Test
    void aNonSymplecticMapFailsTheCheck() {
        // guards the test itself: scaling q alone by 1.1 is not symplectic and must be detected
        SymplecticNet net = new SymplecticNet(1, 1, 2, false, new Random(1));
        Tensor x = Tensor.randn(new Random(2), 4, 2).requiresGrad(true);
        Tensor jac = Autograd.jacobian(z -> net.forward(z).mul(Tensor.of(new double[] {1.1, 1.0}, 2)), x, false);
        Tensor om = Tensor.of(new double[] {0, 1, -1, 0}, 2, 2);
        double err = NnTesting.maxAbsDiff(jac.matmul(om, true, false).matmul(jac), om.unsqueeze(0).expand(4, 2, 2));
        assertTrue(err > 0.05, "a scaled map must violate MᵀΩM = Ω, error " + err);
    }

    @Test
    void startsNearButNotAtIdentity() {
        SymplecticNet net = new SymplecticNet(2, 8, 64, true, new Random(3));
        Tensor x = Tensor.randn(new Random(4), 64, 4);
        double moved = Math.sqrt(net.forward(x).sub(x).square().mean().item() / x.square().mean().item());
        assertTrue(moved > 0.01 && moved < 0.2, "initial map moves points by a relative rms of " + moved);
    }
}
