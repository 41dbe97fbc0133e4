package dev.canonic.docs;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

// README-EXAMPLE-BEGIN
import dev.canonic.core.Autograd;
import dev.canonic.core.Tensor;

class ReadmeExample {
    /** f(x) = x³·sin(x): returns (f'(x), f''(x)) by differentiating a gradient. */
    static double[] firstAndSecondDerivative(double x0) {
        Tensor x = Tensor.scalar(x0).requiresGrad(true);
        Tensor f = x.pow(3).mul(x.sin());
        Tensor df = Autograd.grad(new Tensor[] {f}, new Tensor[] {x}, null, true)[0];   // keep the graph
        Tensor d2f = Autograd.grad(new Tensor[] {df}, new Tensor[] {x}, null, false)[0];
        return new double[] {df.item(), d2f.item()};
    }
}
// README-EXAMPLE-END

/** The README's embedding example, compiled and checked so that it cannot rot. */
class ReadmeExampleTest {
    @Test
    void exampleComputesTheClosedFormDerivatives() {
        double x = 0.7;
        double[] d = ReadmeExample.firstAndSecondDerivative(x);
        assertEquals(3 * x * x * Math.sin(x) + x * x * x * Math.cos(x), d[0], 1e-14);
        assertEquals(6 * x * Math.sin(x) + 6 * x * x * Math.cos(x) - x * x * x * Math.sin(x), d[1], 1e-14);
    }

    @Test
    void readmeShowsThisExampleVerbatim() throws Exception {
        String src = Files.readString(Path.of("src/test/java/dev/canonic/docs/ReadmeExampleTest.java"));
        int a = src.indexOf("class ReadmeExample {"), b = src.indexOf("// README-EXAMPLE-END");
        String example = src.substring(a, b).strip();
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(example), "README.md must contain the example class from ReadmeExampleTest verbatim");
    }
}
