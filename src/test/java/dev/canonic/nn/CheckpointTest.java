package dev.canonic.nn;

import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint round trips and the messages of bad checkpoints. */
class CheckpointTest {
    @TempDir
    Path dir;

    static ResDenseNet net(long seed) {
        return new ResDenseNet(new ResDenseNet.Config(2, 1, 2, 4, 3, 0.5, 2, ResDenseBlock.Form.EQUATION_11), new Random(seed));
    }

    static void trainSteps(ResDenseNet m, Optimizer o, int steps) {
        Tensor x = Tensor.randn(new Random(5), 6, 2);
        for (int s = 0; s < steps; s++) {
            Tensor loss = m.forward(x).square().mean();
            Tensor[] leaves = m.parameters().stream().map(Parameter::value).toArray(Tensor[]::new);
            o.step(Autograd.grad(new Tensor[] {loss}, leaves, null, false));
        }
    }

    @Test
    void roundTripRestoresEverythingAndNumpyNamesAreParameterPaths() throws IOException {
        ResDenseNet a = net(1);
        Adam oa = new Adam(a.parameters(), 0.01);
        trainSteps(a, oa, 3);
        Path f = dir.resolve("ck.npz");
        Checkpoints.save(f, a, oa, Map.of("epoch", 3.0, "best_loss", 0.125));

        Map<String, NdArray> raw = Npz.read(f);
        assertTrue(raw.containsKey("layers.1.wn1.weight_v"), raw.keySet().toString());
        assertTrue(raw.containsKey("optimizer/exp_avg/layers.1.wn1.weight_v"), raw.keySet().toString());
        assertTrue(raw.containsKey("state/layers.3.drop1.counter"), raw.keySet().toString());
        assertEquals(3.0, raw.get("optimizer/step").data()[0]);
        assertTrue(raw.containsKey("state/layers.3.drop1.seed"), raw.keySet().toString());

        ResDenseNet b = net(2);
        Adam ob = new Adam(b.parameters(), 0.5);
        Map<String, Double> extra = Checkpoints.load(f, b, ob);
        assertEquals(Map.of("epoch", 3.0, "best_loss", 0.125), extra);
        assertEquals(3, ob.steps());
        assertEquals(0.01, ob.learningRate());
        var pa = a.namedParameters();
        for (var e : b.namedParameters().entrySet()) {
            assertArrayEquals(pa.get(e.getKey()).value().toArray(), e.getValue().value().toArray(), 0.0, e.getKey());
        }
        // continuing both gives the same weights bit for bit (dropout counters restored too)
        trainSteps(a, oa, 2);
        trainSteps(b, ob, 2);
        for (var e : b.namedParameters().entrySet()) {
            assertArrayEquals(pa.get(e.getKey()).value().toArray(), e.getValue().value().toArray(), 0.0, e.getKey());
        }
    }

    @Test
    void corruptAndTruncatedFilesNameTheFile() throws IOException {
        ResDenseNet a = net(1);
        Adam oa = new Adam(a.parameters(), 0.01);
        trainSteps(a, oa, 1);
        Path f = dir.resolve("good.npz");
        Checkpoints.save(f, a, oa, Map.of());
        byte[] all = Files.readAllBytes(f);

        Path junk = dir.resolve("junk.npz");
        byte[] noise = new byte[4000];
        new Random(3).nextBytes(noise);
        Files.write(junk, noise);
        IOException e1 = assertThrows(IOException.class, () -> Checkpoints.load(junk, net(1), null));
        assertTrue(e1.getMessage().contains(junk.toString()), e1.getMessage());

        for (int cut : new int[] {all.length / 3, all.length / 2, all.length - 30}) {
            Path t = dir.resolve("cut" + cut + ".npz");
            Files.write(t, java.util.Arrays.copyOf(all, cut));
            IOException e = assertThrows(IOException.class, () -> Checkpoints.load(t, net(1), new Adam(net(1).parameters(), 0.1)));
            assertTrue(e.getMessage().contains(t.toString()), e.getMessage());
        }
        IOException missing = assertThrows(IOException.class, () -> Checkpoints.load(dir.resolve("none.npz"), net(1), null));
        assertTrue(missing.getMessage().contains("none.npz"), missing.getMessage());
    }

    @Test
    void mismatchedModelsNameTheFileAndTheParameter() throws IOException {
        ResDenseNet a = net(1);
        Path f = dir.resolve("a.npz");
        Checkpoints.save(f, a, null, Map.of());

        ResDenseNet wider = new ResDenseNet(new ResDenseNet.Config(3, 1, 2, 4, 3, 0.5, 2, ResDenseBlock.Form.EQUATION_11), new Random(1));
        IOException e = assertThrows(IOException.class, () -> Checkpoints.load(f, wider, null));
        assertEquals(f + ": parameter 'layers.0.weight' has shape [2, 2] in the checkpoint but [2, 3] in the model", e.getMessage());

        ResDenseNet deeper = new ResDenseNet(new ResDenseNet.Config(2, 1, 2, 4, 4, 0.5, 2, ResDenseBlock.Form.EQUATION_11), new Random(1));
        IOException e2 = assertThrows(IOException.class, () -> Checkpoints.load(f, deeper, null));
        assertTrue(e2.getMessage().startsWith(f + ": parameter 'layers.4") && e2.getMessage().contains("missing"), e2.getMessage());

        Mlp other = new Mlp(new int[] {2, 2}, Activation.TANH, new Random(0));
        IOException e3 = assertThrows(IOException.class, () -> Checkpoints.load(f, other, null));
        assertEquals(f + ": checkpoint holds parameter 'layers.1.wn1.weight_g' that the model does not have", e3.getMessage());

        // a non-finite value, and a file without optimizer state when one is asked for
        Map<String, NdArray> raw = new LinkedHashMap<>(Npz.read(f));
        double[] bad = raw.get("layers.1.wn2.bias").data();
        bad[0] = Double.NaN;
        raw.put("layers.1.wn2.bias", new NdArray(bad, raw.get("layers.1.wn2.bias").shape()));
        Path g = dir.resolve("nan.npz");
        Npz.write(g, raw);
        IOException e4 = assertThrows(IOException.class, () -> Checkpoints.load(g, net(1), null));
        assertEquals(g + ": parameter 'layers.1.wn2.bias' holds a non-finite value (NaN)", e4.getMessage());
        IOException e5 = assertThrows(IOException.class, () -> Checkpoints.load(f, net(1), new Adam(net(1).parameters(), 0.1)));
        assertTrue(e5.getMessage().contains("no optimizer state"), e5.getMessage());
        // a failed load changes nothing
        ResDenseNet c = net(7);
        double[] before = c.parameters().get(0).value().toArray();
        assertThrows(IOException.class, () -> Checkpoints.load(g, c, null));
        assertArrayEquals(before, c.parameters().get(0).value().toArray(), 0.0);
    }

    @Test
    void optimizerOverForeignParametersIsRejected() throws IOException {
        ResDenseNet a = net(1);
        Adam foreign = new Adam(List.of(new Parameter("stray", Tensor.zeros(2))), 0.1);
        IOException e = assertThrows(IOException.class, () -> Checkpoints.save(dir.resolve("x.npz"), a, foreign, Map.of()));
        assertTrue(e.getMessage().contains("'stray'"), e.getMessage());
    }
}
