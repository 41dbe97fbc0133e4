package dev.canonic.bench;

import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import dev.canonic.nn.Parameter;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes, per workload W2–W5 at a small batch, the engine's weights, inputs, loss and parameter
 * gradients to DIR/W?.npz, so that bench/pytorch/equivalence.py can load the same weights into the
 * PyTorch twin, run its step and compare the loss and every gradient:
 *
 * <pre>java --add-modules jdk.incubator.vector -cp CP dev.canonic.bench.Equivalence DIR [batch]</pre>
 *
 * Keys: "param:NAME" (engine path), "grad:NAME", "input:NAME", "loss".
 */
public final class Equivalence {
    private Equivalence() {
    }

    private static NdArray nd(Tensor t) {
        return new NdArray(t.toArray(), t.shape());
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        for (String id : new String[] {"W2", "W3", "W4", "W5"}) {
            Workloads.Step s = Workloads.of(id, batch);
            double loss = s.run();
            Map<String, NdArray> out = new LinkedHashMap<>();
            Map<String, Parameter> named = s.namedParameters();
            List<String> names = List.copyOf(named.keySet());
            Tensor[] g = s.grads();
            for (int i = 0; i < names.size(); i++) {
                out.put("param:" + names.get(i), nd(named.get(names.get(i)).value()));
                out.put("grad:" + names.get(i), nd(g[i]));
            }
            for (Map.Entry<String, Tensor> e : s.inputs().entrySet()) out.put("input:" + e.getKey(), nd(e.getValue()));
            out.put("loss", new NdArray(new double[] {loss}, new int[0]));
            Npz.write(dir.resolve(id + ".npz"), out);
            System.out.printf("%s batch %d: loss %.12e, %d parameter tensors%n", id, batch, loss, names.size());
        }
    }
}
