package dev.canonic.docs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

// README-NN-EXAMPLE-BEGIN
import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;
import dev.canonic.nn.Activation;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Checkpoints;
import dev.canonic.nn.Mlp;
import dev.canonic.nn.Parameter;
import dev.canonic.nn.SymplecticNet;

import java.util.Map;
import java.util.Random;

class ReadmeNnExample {
    /** Fits y = x² on [−1, 1] with a tanh MLP and Adam, saves a checkpoint, returns the final MSE. */
    static double fitSquare(Path checkpoint) throws java.io.IOException {
        Tensor x = Tensor.rand(new Random(0), -1, 1, 64, 1), y = x.square();
        Mlp net = new Mlp(new int[] {1, 16, 16, 1}, Activation.TANH, new Random(1));
        Adam adam = new Adam(net.parameters(), 0.01);
        double mse = Double.NaN;
        for (int step = 0; step < 500; step++) {
            Tensor loss = net.forward(x).sub(y).square().mean();
            Tensor[] w = net.parameters().stream().map(Parameter::value).toArray(Tensor[]::new);
            adam.step(Autograd.grad(loss, w));
            mse = loss.item();
        }
        Checkpoints.save(checkpoint, net, adam, Map.of("mse", mse));   // numpy.load reads it
        return mse;
    }

    /** A SympNet for d = 2 degrees of freedom: rows (q1, q2, p1, p2), exactly invertible. */
    static double sympNetRoundTrip() {
        SymplecticNet f = new SymplecticNet(2, 4, 32, true, new Random(2));
        Tensor z = Tensor.randn(new Random(3), 8, 4);
        return f.inverse(f.forward(z)).sub(z).abs().max().item();
    }
}
// README-NN-EXAMPLE-END

/** The README's layer example, compiled and checked so that it cannot rot. */
class ReadmeNnExampleTest {
    @TempDir
    Path dir;

    @Test
    void exampleTrainsSavesAndInverts() throws Exception {
        Path ck = dir.resolve("square.npz");
        double mse = ReadmeNnExample.fitSquare(ck);
        assertTrue(mse < 1e-3, "MSE " + mse);
        assertTrue(Files.size(ck) > 0);
        assertTrue(ReadmeNnExample.sympNetRoundTrip() < 1e-13);
    }

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        String src = Files.readString(Path.of("src/test/java/dev/canonic/docs/ReadmeNnExampleTest.java"));
        int a = src.indexOf("// README-NN-EXAMPLE-BEGIN") + "// README-NN-EXAMPLE-BEGIN".length();
        int b = src.indexOf("// README-NN-EXAMPLE-END");
        String example = src.substring(a, b).strip();
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(example), "README.md must contain the layer example from ReadmeNnExampleTest verbatim");
    }
}
