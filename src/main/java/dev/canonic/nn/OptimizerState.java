package dev.canonic.nn;

import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Helpers shared by the optimisers for state save/restore and argument checks. */
final class OptimizerState {
    private OptimizerState() {
    }

    static NdArray scalar(double v) {
        return new NdArray(new double[] {v}, new int[0]);
    }

    static NdArray host(Tensor t) {
        return new NdArray(t.toArray(), t.shape());
    }

    static double readScalar(Map<String, NdArray> s, String key) {
        NdArray a = require(s, key);
        if (a.data().length != 1) throw new IllegalArgumentException("optimizer state '" + key + "' must hold one value, has " + a.data().length);
        return a.data()[0];
    }

    static NdArray require(Map<String, NdArray> s, String key) {
        NdArray a = s.get(key);
        if (a == null) throw new IllegalArgumentException("optimizer state has no entry '" + key + "'");
        return a;
    }

    /** Reads a per-parameter tensor (null when absent and allowed). */
    static Tensor readTensor(Map<String, NdArray> s, String key, Parameter p, boolean optional) {
        NdArray a = s.get(key);
        if (a == null) {
            if (optional) return null;
            throw new IllegalArgumentException("optimizer state has no entry '" + key + "' (parameter " + p.name() + ")");
        }
        if (!Arrays.equals(a.shape(), p.shape())) {
            throw new IllegalArgumentException("optimizer state '" + key + "' has shape " + Arrays.toString(a.shape())
                + " but parameter " + p.name() + " has shape " + Arrays.toString(p.shape()));
        }
        return Tensor.of(p.value().backend(), a.data(), a.shape());
    }

    static void checkGrads(List<Parameter> ps, Tensor[] grads) {
        if (grads.length != ps.size()) throw new IllegalArgumentException(grads.length + " gradients for " + ps.size() + " parameters");
        for (int i = 0; i < grads.length; i++) {
            if (grads[i] != null && !Arrays.equals(grads[i].shape(), ps.get(i).shape())) {
                throw new IllegalArgumentException("gradient " + i + " of shape " + Arrays.toString(grads[i].shape())
                    + " for parameter " + ps.get(i).name() + " of shape " + Arrays.toString(ps.get(i).shape()));
            }
        }
    }

    /**
     * Fails naming the optimiser and the entry when a state holds anything but step, lr and
     * per-parameter entries matching perParameter (e.g. {@code exp_avg(_sq)?}) followed by /index,
     * or an index beyond the parameter count.
     */
    static void checkEntries(String optimizer, Map<String, NdArray> s, String perParameter, int parameters) {
        for (String k : s.keySet()) {
            if (!k.equals("step") && !k.equals("lr") && !k.matches("(" + perParameter + ")/\\d+")) {
                throw new IllegalArgumentException(optimizer + ": unexpected optimizer state entry '" + k + "'");
            }
            if (k.contains("/") && Integer.parseInt(k.substring(k.indexOf('/') + 1)) >= parameters) {
                throw new IllegalArgumentException(optimizer + ": optimizer state entry '" + k + "' but only " + parameters + " parameters");
            }
        }
    }

    static void checkLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("learning rate must be finite and ≥ 0, got " + lr);
    }
}
