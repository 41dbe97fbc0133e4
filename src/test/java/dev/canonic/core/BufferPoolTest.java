package dev.canonic.core;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.nn.Activation;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Mlp;
import dev.canonic.nn.Module;
import dev.canonic.nn.Parameter;
import dev.canonic.nn.ResDenseNet;
import dev.canonic.nn.SymplecticNet;
import dev.canonic.nn.Trainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Buffer recycling: what escapes a scope survives, what does not fails loudly, and results are bitwise unchanged. */
class BufferPoolTest {
    private static final int N = 1024;   // above the pool's minimum length

    @Test
    void keptTensorKeepsItsValuesAfterLaterSteps() {
        BufferPool pool = BufferPool.poisoning();
        Tensor a = Tensor.randn(new Random(1), N);
        Tensor kept, dropped;
        try (BufferPool.Scope s = pool.open()) {
            kept = s.keep(a.mul(2.0).add(1.0).exp());
            dropped = a.sin();
        }
        double[] expect = a.mul(2.0).add(1.0).exp().toArray();
        for (int step = 0; step < 4; step++) {
            try (BufferPool.Scope s = pool.open()) {
                Tensor t = a.mul(3.0).add(2.0).exp().sin().cos();   // same lengths: reuses the recycled arrays
                assertEquals(N, t.size());
            }
            assertArrayEquals(expect, kept.toArray(), 0.0);
        }
        assertTrue(pool.heldBytes() > 0);
        IllegalStateException e = assertThrows(IllegalStateException.class, dropped::toArray);
        assertTrue(e.getMessage().contains("keep()"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> dropped.add(a));
        assertThrows(IllegalStateException.class, () -> dropped.reshape(32, 32).toArray());   // views share the buffer
        assertArrayEquals(a.toArray(), a.toArray(), 0.0);   // tensors made outside the scope are untouched
    }

    @Test
    void keptInInnerScopeBelongsToOuterScope() {
        BufferPool pool = new BufferPool();
        Tensor a = Tensor.randn(new Random(2), N);
        Tensor inner, outer;
        try (BufferPool.Scope s = pool.open()) {
            try (BufferPool.Scope t = pool.open()) {
                inner = t.keep(a.exp());
                outer = t.keep(a.cos());
            }
            assertEquals(Math.exp(a.toArray()[0]), inner.toArray()[0], 0.0);
            s.keep(outer);
        }
        assertThrows(IllegalStateException.class, inner::toArray);   // kept only by the inner scope
        assertEquals(Math.cos(a.toArray()[5]), outer.toArray()[5], 0.0);
    }

    @Test
    void keepFromTheOuterScopeWhileAnInnerOneIsOpen() {
        BufferPool pool = new BufferPool();
        Tensor a = Tensor.randn(new Random(3), N), r;
        try (BufferPool.Scope s = pool.open()) {
            try (BufferPool.Scope t = pool.open()) {
                r = s.keep(a.exp());
            }
            assertEquals(Math.exp(a.toArray()[1]), r.toArray()[1], 0.0);
        }
        assertEquals(Math.exp(a.toArray()[1]), r.toArray()[1], 0.0);
    }

    @Test
    void misuseThrows() {
        BufferPool pool = new BufferPool();
        BufferPool.Scope s = pool.open();
        BufferPool.Scope t = pool.open();
        assertThrows(IllegalStateException.class, s::close);   // innermost first
        t.close();
        assertThrows(IllegalStateException.class, t::close);
        s.close();
        assertThrows(IllegalStateException.class, s::close);
        assertThrows(IllegalStateException.class, () -> s.keep(Tensor.zeros(4)));
    }

    @Test
    void aPoolServesOneThreadAtATime() throws Exception {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope s = pool.open()) {
            Throwable[] seen = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    pool.open().close();
                } catch (Throwable e) {
                    seen[0] = e;
                }
            });
            t.start();
            t.join();
            assertTrue(seen[0] instanceof IllegalStateException, String.valueOf(seen[0]));
            assertThrows(IllegalStateException.class, pool::clear);
        }
        Thread t = new Thread(() -> pool.open().close());   // once closed, another thread may use it
        t.start();
        t.join();
    }

    @Test
    void withoutAScopeNothingIsRecycled() {
        BufferPool pool = new BufferPool();
        try (BufferPool.Scope s = pool.open()) {
            Tensor.randn(new Random(4), N).exp();
        }
        Tensor x = Tensor.randn(new Random(5), N).exp();   // outside: a plain array, live for good
        try (BufferPool.Scope s = pool.open()) {
            Tensor.randn(new Random(6), N).exp();
        }
        assertEquals(N, x.toArray().length);
        try (BufferPool.Scope s = BufferPool.off().open()) {
            x = Tensor.randn(new Random(7), N).exp();
        }
        assertEquals(N, x.toArray().length);   // a pool that is off recycles nothing
    }

    /** Many operations, differentiated twice; returns every value computed, flattened. */
    private static List<double[]> battery() {
        Random rng = new Random(11);
        Tensor a = Tensor.randn(rng, 32, 48).requiresGrad(true);
        Tensor b = Tensor.randn(rng, 32, 48);
        Tensor row = Tensor.randn(rng, 48), col = Tensor.randn(rng, 32, 1);
        Tensor w = Tensor.randn(rng, 48, 40).requiresGrad(true);
        Tensor m3 = Tensor.randn(rng, 64, 3, 3).add(Tensor.of(new double[] {4, 0, 0, 0, 4, 0, 0, 0, 4}, 3, 3));
        List<Tensor> out = new ArrayList<>();
        Tensor pos = a.square().add(0.5);
        out.add(a.neg()); out.add(a.exp()); out.add(pos.log()); out.add(a.sin()); out.add(a.cos()); out.add(a.tan());
        out.add(a.tanh()); out.add(pos.sqrt()); out.add(a.abs()); out.add(a.sign()); out.add(a.step()); out.add(a.relu());
        out.add(a.sigmoid()); out.add(a.softplus()); out.add(a.square()); out.add(pos.reciprocal()); out.add(a.silu());
        out.add(a.add(b)); out.add(a.sub(row)); out.add(a.mul(col)); out.add(a.div(pos)); out.add(pos.pow(b));
        out.add(a.atan2(b)); out.add(a.maximum(b)); out.add(a.minimum(row)); out.add(a.gt(b)); out.add(a.le(row));
        out.add(a.add(2.0)); out.add(a.rsub(1.0)); out.add(a.pow(3)); out.add(a.clamp(-0.5, 0.5));
        out.add(col.add(row)); out.add(col.t().mul(a.t()));
        out.add(Tensor.where(a.gt(b), a, row));
        out.add(a.sum()); out.add(a.sum(0, false)); out.add(a.sum(1, true)); out.add(a.reshape(8, 4, 48).sum(new int[] {0, 2}, false));
        out.add(a.max(0, false)); out.add(a.max(1, true)); out.add(a.mean(0, true)); out.add(a.groupMean(8));
        out.add(row.expand(32, 48)); out.add(a.reshape(48, 32)); out.add(a.t()); out.add(a.reshape(4, 8, 48).permute(2, 0, 1));
        out.add(a.slice(1, 5, 40)); out.add(a.select(0, 3)); out.add(a.pad(1, 7, 60)); out.add(a.pad(0, 2, 40));
        out.add(Tensor.concat(1, a, b)); out.add(Tensor.concat(0, a, b, a)); out.add(Tensor.stack(0, a, b));
        out.add(a.indexSelect(0, new int[] {3, 1, 3, 31, 0, 7, 7, 7, 9, 10})); out.add(a.indexAdd(0, perm(32, 40), 40));
        out.add(a.matmul(w)); out.add(a.matmul(b, true, false)); out.add(a.matmul(b, false, true)); out.add(w.matmul(a, true, true));
        out.add(a.matmul(row.reshape(48, 1))); out.add(row.reshape(1, 48).matmul(w)); out.add(col.matmul(row.reshape(1, 48)));
        out.add(a.reshape(4, 8, 48).matmul(w)); out.add(a.reshape(4, 8, 48).matmul(b.reshape(4, 8, 48), false, true));
        out.add(Tensor.randn(rng, 256, 128).matmul(Tensor.randn(rng, 128, 64)));   // the blocked kernel
        out.add(m3.inverse()); out.add(m3.det()); out.add(m3.solve(Tensor.randn(rng, 64, 3, 5)));
        out.add(Tensor.zeros(32, 48)); out.add(Tensor.full(2.5, 32, 48)); out.add(Tensor.uniform(a.backend(), 9, 3, 32, 48));
        Tensor loss = a.tanh().matmul(w).relu().square().mean().add(a.sin().mul(b).sum());
        Tensor[] g = Autograd.grad(new Tensor[] {loss}, new Tensor[] {a, w}, null, true);
        Tensor gg = Autograd.grad(new Tensor[] {g[0].square().sum().add(g[1].abs().sum())}, new Tensor[] {a, w}, null, false)[1];
        out.add(g[0]); out.add(g[1]); out.add(gg);
        out.add(Autograd.jacobian(x -> x.tanh().matmul(w.detach().slice(0, 0, 48).slice(1, 0, 6)), Tensor.randn(rng, 40, 48), false));
        // every backward rule once more, without createGraph: the pass recycles its temporaries as it goes
        Tensor all = a.add(a).mul(a.add(a)).sum();   // a rule returning one cotangent for both inputs
        for (int i = 0; i < out.size(); i++) {
            Tensor t = out.get(i);
            if (t.requiresGrad()) all = all.add(t.mul(t.add(1.0)).sum().mul(1.0 / (i + 1)));
        }
        Tensor[] ga = Autograd.grad(new Tensor[] {all}, new Tensor[] {a, w, out.get(3)}, null, false);
        out.add(ga[0]); out.add(ga[1]); out.add(ga[2]);
        List<double[]> v = new ArrayList<>();
        for (Tensor t : out) v.add(t.toArray());
        return v;
    }

    private static int[] perm(int n, int len) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = (i * 7 + 3) % len;
        return p;
    }

    @Test
    void everyOperationGivesBitwiseTheSameResultsInRecycledBuffers() {
        List<double[]> plain = battery();
        BufferPool pool = BufferPool.poisoning();   // recycled arrays arrive full of NaN
        for (int round = 0; round < 3; round++) {
            List<double[]> pooled;
            try (BufferPool.Scope s = pool.open()) {
                pooled = battery();
            }
            assertEquals(plain.size(), pooled.size());
            for (int i = 0; i < plain.size(); i++) assertArrayEquals(plain.get(i), pooled.get(i), 0.0, "result " + i + " round " + round);
        }
        assertTrue(pool.heldBytes() > 0);
    }

    // ------------------------------------------------------------------ training, with and without recycling

    /** The W5 model at a smaller batch. */
    private static final class Koopman extends Module {
        final SymplecticNet enc;
        final Mlp omega, energy;

        Koopman(Random rng) {
            enc = register("enc", new SymplecticNet(1, 4, 64, false, rng));
            omega = register("omega", new Mlp(new int[] {1, 64, 64, 1}, Activation.TANH, rng));
            energy = register("energy", new Mlp(new int[] {1, 64, 64, 1}, Activation.TANH, rng));
        }

        /** The W5 loss (latent, reconstruction through the inverse, physics with dH/dJ by autodiff). */
        Tensor loss(Tensor xk, Tensor xk1) {
            Tensor y = enc.forward(xk), y1 = enc.forward(xk1);
            Tensor u = y.slice(1, 0, 1), v = y.slice(1, 1, 2), u1 = y1.slice(1, 0, 1), v1 = y1.slice(1, 1, 2);
            Tensor j = u.mul(u).add(v.mul(v)).div(2.0);
            Tensor om = omega.forward(j), h = energy.forward(j);
            Tensor dhdj = Autograd.grad(new Tensor[] {h}, new Tensor[] {j}, null, true)[0];
            Tensor ang = om.mul(0.1);
            Tensor ca = ang.cos(), sa = ang.sin();
            Tensor ur = ca.mul(u).sub(sa.mul(v)), vr = sa.mul(u).add(ca.mul(v));
            Tensor latent = ur.sub(u1).square().add(vr.sub(v1).square()).mean();
            Tensor recon = enc.inverse(Tensor.concat(1, ur, vr)).sub(xk1).square().sum(1, false).mean();
            return latent.add(recon).add(dhdj.sub(om).square().mean()).add(v.atan2(u).sum().mul(0.0));
        }
    }

    /** Adam steps on the W5 loss; returns every loss then every final parameter value. */
    private static List<double[]> w5Training(BufferPool pool, int steps) {
        Koopman m = new Koopman(new Random(0));
        Tensor xk = Tensor.randn(new Random(1), 256, 2), xk1 = xk.mul(0.99).add(0.01);
        List<Parameter> ps = m.parameters();
        Adam adam = new Adam(ps, 1e-3);
        List<double[]> out = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            Tensor[] leaves = ps.stream().map(Parameter::value).toArray(Tensor[]::new);
            Tensor[] g;
            try (BufferPool.Scope sc = pool.open()) {
                Tensor loss = m.loss(xk, xk1);
                g = sc.keep(Autograd.grad(new Tensor[] {loss}, leaves, null, false));
                out.add(new double[] {loss.item()});
            }
            adam.step(g);
        }
        for (Parameter p : ps) out.add(p.value().toArray());
        return out;
    }

    private static void assertBitwise(List<double[]> a, List<double[]> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            double[] x = a.get(i), y = b.get(i);
            assertEquals(x.length, y.length);
            for (int k = 0; k < x.length; k++) {
                assertEquals(Double.doubleToRawLongBits(x[k]), Double.doubleToRawLongBits(y[k]), "entry " + i + "[" + k + "]: " + x[k] + " vs " + y[k]);
            }
        }
    }

    @Test
    void w5StepTrainsBitwiseIdentically() {
        List<double[]> plain = w5Training(BufferPool.off(), 4);
        assertBitwise(plain, w5Training(new BufferPool(), 4));
        assertBitwise(plain, w5Training(BufferPool.poisoning(), 4));
    }

    /** The W2 network (cap 256, evaluation mode) trained by the generic Trainer. */
    private static List<double[]> w2Training(boolean recycle) {
        ResDenseNet net = ResDenseNet.cap256(6, 1, new Random(0));
        net.eval();
        Tensor x = Tensor.randn(new Random(1), 128, 6), y = x.slice(1, 0, 1).sin();
        Adam adam = new Adam(net.parameters(), 1e-3);
        Trainer.Objective obj = batch -> {
            LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
            t.put("mse", net.forward(batch[0]).sub(batch[1]).square().mean());
            t.put("mean", net.forward(batch[0]).mean().mul(1e-3));
            return t;
        };
        Trainer.Config cfg = Trainer.Config.of(2, 32).withSeed(3).withClipNorm(1.0).withProgress(false, null);
        Trainer.History h = new Trainer(net, adam, obj, cfg).recycleBuffers(recycle).fit(new Tensor[] {x, y}, new Tensor[] {x.slice(0, 0, 64), y.slice(0, 0, 64)});
        List<double[]> out = new ArrayList<>();
        for (List<Double> l : h.train().values()) out.add(l.stream().mapToDouble(Double::doubleValue).toArray());
        for (List<Double> l : h.test().values()) out.add(l.stream().mapToDouble(Double::doubleValue).toArray());
        for (Parameter p : net.parameters()) out.add(p.value().toArray());
        return out;
    }

    @Test
    void w2TrainerRunsBitwiseIdentically() {
        assertBitwise(w2Training(false), w2Training(true));
    }

    @Test
    void resultsDoNotDependOnThreadsAndPoolTogether() {
        int t = Parallel.threads();
        try {
            Parallel.setThreads(2);
            Supplier<List<double[]>> run = () -> w5Training(new BufferPool(), 2);
            assertBitwise(w5Training(BufferPool.off(), 2), run.get());
        } finally {
            Parallel.setThreads(t);
        }
    }
}
