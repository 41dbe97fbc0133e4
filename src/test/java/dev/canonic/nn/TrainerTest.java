package dev.canonic.nn;

import dev.canonic.core.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training loop: regression, determinism, bitwise resume, early stopping, NaN detection, progress. */
class TrainerTest {
    @TempDir
    Path dir;

    static Tensor[] sinData(int n, double offset) {
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 2 * Math.PI * (i + offset) / n;
            y[i] = Math.sin(x[i]);
        }
        return new Tensor[] {Tensor.of(x, n, 1), Tensor.of(y, n, 1)};
    }

    static Trainer.Objective mse(java.util.function.Function<Tensor, Tensor> f) {
        return b -> {
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            m.put("mse", f.apply(b[0]).sub(b[1]).square().mean());
            return m;
        };
    }

    @Test
    void fitsSineOnZeroToTwoPi() {
        Mlp net = new Mlp(new int[] {1, 32, 32, 1}, Activation.TANH, new Random(1));
        Adam adam = new Adam(net.parameters(), 0.01);
        Trainer.Config c = Trainer.Config.of(400, 16).withSeed(3).withProgress(false, null)
            .withSchedule(LrSchedule.cosine(0.01, 1e-4, 400)).withRestoreBest(true);
        Trainer.History h = new Trainer(net, adam, mse(net::forward), c).fit(sinData(64, 0), sinData(64, 0.5));
        double test = h.test().get("mse").get(h.bestEpoch());
        assertTrue(test < 1e-4, "test MSE of the sine fit " + test);
        assertEquals(400, h.epochs());
        assertEquals(Trainer.Stop.COMPLETED, h.stop());
        assertEquals(h.bestLoss(), test);
        // restoreBest put the best epoch's weights back
        Tensor[] t = sinData(64, 0.5);
        assertEquals(test, net.forward(t[0]).sub(t[1]).square().mean().item(), 1e-15);
    }

    static ResDenseNet dropoutNet(long seed) {
        return new ResDenseNet(new ResDenseNet.Config(1, 1, 4, 8, 3, 0.3, 4, ResDenseBlock.Form.EQUATION_11), new Random(seed));
    }

    static Trainer.Objective twoTerms(ResDenseNet net) {
        return b -> {
            Tensor y = net.forward(b[0]);
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            m.put("fit", y.sub(b[1]).square().mean());
            m.put("small", y.square().mean().mul(1e-3));
            return m;
        };
    }

    Trainer.History run(int epochs, Path ckpt, boolean resume, long initSeed) {
        ResDenseNet net = dropoutNet(initSeed);
        Adam adam = new Adam(net.parameters(), 3e-3, 0.9, 0.999, 1e-8, 1e-4, true);
        Trainer.Config c = Trainer.Config.of(epochs, 10).withSeed(5).withProgress(false, null).withClipNorm(1.0)
            .withSchedule(LrSchedule.reduceOnPlateau(3e-3, 0.5, 0, 0.3, 1e-5));
        if (ckpt != null) c = c.withCheckpoint(ckpt, resume);
        Trainer.History h = new Trainer(net, adam, twoTerms(net), c).fit(sinData(32, 0), sinData(16, 0.25));
        lastWeights = new ArrayList<>();
        for (Parameter p : net.parameters()) lastWeights.add(p.value().toArray());
        return h;
    }

    List<double[]> lastWeights;

    @Test
    void sameSeedSameLossesAndWeights() {
        Trainer.History a = run(3, null, false, 1);
        List<double[]> wa = lastWeights;
        Trainer.History b = run(3, null, false, 1);
        assertEquals(a.train(), b.train());
        assertEquals(a.test(), b.test());
        for (int i = 0; i < wa.size(); i++) assertArrayEquals(wa.get(i), lastWeights.get(i), 0.0);
        Trainer.History c = run(3, null, false, 2);
        assertTrue(!a.train().equals(c.train()), "a different initialisation gives different losses");
    }

    @Test
    void resumedTrainingIsBitwiseIdentical() throws Exception {
        Trainer.History full = run(6, dir.resolve("full.npz"), false, 1);
        List<double[]> wFull = lastWeights;
        Path ck = dir.resolve("part.npz");
        Trainer.History first = run(3, ck, true, 1);
        assertEquals(3, first.epochs());
        // a model built from another seed and a fresh optimiser: everything comes from the checkpoint
        Trainer.History resumed = run(6, ck, true, 99);
        assertEquals(6, resumed.epochs());
        for (String term : new String[] {"fit", "small", "total"}) {
            List<Double> a = full.train().get(term), b = resumed.train().get(term);
            for (int e = 0; e < 6; e++) {
                assertEquals(Double.doubleToRawLongBits(a.get(e)), Double.doubleToRawLongBits(b.get(e)), "train " + term + " epoch " + e);
                assertEquals(Double.doubleToRawLongBits(full.test().get(term).get(e)),
                    Double.doubleToRawLongBits(resumed.test().get(term).get(e)), "test " + term + " epoch " + e);
            }
        }
        assertEquals(full.learningRates(), resumed.learningRates());
        assertEquals(full.bestEpoch(), resumed.bestEpoch());
        for (int i = 0; i < wFull.size(); i++) assertArrayEquals(wFull.get(i), lastWeights.get(i), 0.0);
        assertTrue(Files.exists(dir.resolve("part.best.npz")));
        // the plateau schedule really changed the rate, so its state had to be carried over
        assertTrue(full.learningRates().stream().distinct().count() > 1, full.learningRates().toString());
    }

    @Test
    void earlyStoppingKeepsTheBestEpoch() {
        Mlp net = new Mlp(new int[] {1, 8, 1}, Activation.TANH, new Random(2));
        Tensor[] train = sinData(32, 0);
        Tensor[] test = {train[0], train[1].neg()};    // the better the fit, the worse the test loss
        Trainer.Config c = Trainer.Config.of(100, 32).withPatience(3).withProgress(false, null).withRestoreBest(true);
        Parameter first = net.parameters().get(0);
        Tensor initial = first.value();
        Trainer.History h = new Trainer(net, new Adam(net.parameters(), 0.05), mse(net::forward), c).fit(train, test);
        assertEquals(Trainer.Stop.EARLY_STOPPING, h.stop());
        assertEquals(h.bestEpoch() + 3 + 1, h.epochs());
        assertTrue(h.epochs() < 100);
        double best = h.test().get("total").get(h.bestEpoch());
        for (double v : h.test().get("total")) assertTrue(v >= best);
        assertTrue(first.value() != initial);
    }

    @Test
    void nonFiniteLossStopsNamingTheTermAndKeepsTheLastGoodCheckpoint() throws Exception {
        Mlp net = new Mlp(new int[] {1, 4, 1}, Activation.TANH, new Random(3));
        int[] calls = {0};
        Trainer.Objective obj = b -> {
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            m.put("fit", net.forward(b[0]).sub(b[1]).square().mean());
            calls[0]++;
            Tensor phys = net.forward(b[0]).mean();
            m.put("physics", calls[0] > 5 ? phys.log().mul(0.0).add(Double.NaN) : phys.mul(0.0));
            return m;
        };
        Path ck = dir.resolve("nan.npz");
        Adam adam = new Adam(net.parameters(), 0.01);
        Trainer.Config c = Trainer.Config.of(10, 8).withProgress(false, null).withCheckpoint(ck, false);
        Trainer.NonFiniteLossException e = assertThrows(Trainer.NonFiniteLossException.class,
            () -> new Trainer(net, adam, obj, c).fit(sinData(16, 0), null));
        assertEquals("physics", e.term());
        assertTrue(e.getMessage().startsWith("loss term 'physics' is NaN in train epoch 3, batch 2"), e.getMessage());
        assertTrue(e.getMessage().contains(ck + " (written after epoch 2)"), e.getMessage());
        assertEquals(2, e.history().train().get("fit").size());
        // the checkpoint is the state after epoch 2, which is also the model's state (the bad step was not taken)
        Mlp other = new Mlp(new int[] {1, 4, 1}, Activation.TANH, new Random(4));
        Map<String, Double> extra = Checkpoints.load(ck, other, new Adam(other.parameters(), 0.01));
        assertEquals(2.0, extra.get("epoch"));
        for (int i = 0; i < net.parameters().size(); i++) {
            double[] w = net.parameters().get(i).value().toArray();
            for (double v : w) assertTrue(Double.isFinite(v));
        }
        // one step after the checkpoint: epoch 3's first batch was fine and was applied
        assertEquals(5, adam.steps());
    }

    @Test
    void progressBarReportsToItsSink() {
        Mlp net = new Mlp(new int[] {1, 4, 1}, Activation.TANH, new Random(3));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Trainer.Config c = Trainer.Config.of(3, 8).withProgress(true, lines::add);
        new Trainer(net, new Adam(net.parameters(), 0.01), mse(net::forward), c).fit(sinData(16, 0), null);
        String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        assertTrue(last.contains("train") && last.contains("100%") && last.contains("6/6"), String.join("\n", lines));
    }
}
