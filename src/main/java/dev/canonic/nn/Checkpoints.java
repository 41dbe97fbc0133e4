package dev.canonic.nn;

import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model and optimiser checkpoints as numpy .npz files (a zip of float64 .npy arrays), written
 * atomically (temporary file, then rename), so {@code numpy.load(path)} reads them directly:
 * <ul>
 *   <li>{@code <parameter path>}: each parameter, e.g. {@code layers.1.wn1.weight_v};</li>
 *   <li>{@code state/<path>}: non-trainable module state (dropout counters);</li>
 *   <li>{@code optimizer/<kind>/<parameter path>} and {@code optimizer/step}, {@code optimizer/lr}:
 *       the optimiser state;</li>
 *   <li>{@code extra/<key>}: caller scalars (epoch, best loss, …); {@code array/<key>}: caller arrays;</li>
 *   <li>{@code meta/entries}: the number of arrays in the file, so a file cut short is detected.</li>
 * </ul>
 * Loading checks everything before changing anything: a missing, truncated or corrupt file, a
 * parameter that is missing, unexpected, of the wrong shape or not finite, fails with an
 * IOException whose message names the file and the parameter.
 */
public final class Checkpoints {
    private static final String META = "meta/entries";

    private Checkpoints() {
    }

    /** What {@link #load} returns besides restoring the model: the caller's scalars and arrays. */
    public record Loaded(Map<String, Double> extra, Map<String, NdArray> arrays) {
    }

    /** Saves parameters, module state, optimizer state (opt may be null) and extra scalars. */
    public static void save(Path path, Module model, Optimizer opt, Map<String, Double> extra) throws IOException {
        save(path, model, opt, extra, Map.of());
    }

    /** As {@link #save(Path, Module, Optimizer, Map)}, with caller arrays too. */
    public static void save(Path path, Module model, Optimizer opt, Map<String, Double> extra, Map<String, NdArray> arrays) throws IOException {
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        out.put(META, null);
        LinkedHashMap<String, Parameter> params = model.namedParameters();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            Tensor v = e.getValue().value();
            out.put(e.getKey(), new NdArray(v.toArray(), v.shape()));
        }
        for (Map.Entry<String, NdArray> e : model.namedState().entrySet()) out.put("state/" + e.getKey(), e.getValue());
        if (opt != null) {
            String[] names = optimizerNames(path, params, opt);
            for (Map.Entry<String, NdArray> e : opt.state().entrySet()) {
                out.put("optimizer/" + toPath(e.getKey(), names), e.getValue());
            }
        }
        if (extra != null) {
            for (Map.Entry<String, Double> e : extra.entrySet()) out.put("extra/" + e.getKey(), new NdArray(new double[] {e.getValue()}, new int[0]));
        }
        if (arrays != null) for (Map.Entry<String, NdArray> e : arrays.entrySet()) out.put("array/" + e.getKey(), e.getValue());
        out.put(META, new NdArray(new double[] {out.size()}, new int[0]));
        Npz.write(path, out);
    }

    /** Restores model (and opt unless null) from path; returns the extra scalars. */
    public static Map<String, Double> load(Path path, Module model, Optimizer opt) throws IOException {
        return loadAll(path, model, opt).extra();
    }

    /** Restores model (and opt unless null) from path; returns the extra scalars and arrays. */
    public static Loaded loadAll(Path path, Module model, Optimizer opt) throws IOException {
        Map<String, NdArray> file = Npz.read(path);
        checkComplete(path, file);
        Map<String, Tensor> values = parameterValues(path, file, model);
        LinkedHashMap<String, Parameter> params = model.namedParameters();

        Map<String, NdArray> state = new LinkedHashMap<>();
        Map<String, NdArray> optState = new LinkedHashMap<>();
        Map<String, Double> extra = new LinkedHashMap<>();
        Map<String, NdArray> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, NdArray> e : file.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("state/")) state.put(k.substring(6), e.getValue());
            else if (k.startsWith("optimizer/")) optState.put(k.substring(10), e.getValue());
            else if (k.startsWith("extra/")) extra.put(k.substring(6), scalar(path, k, e.getValue()));
            else if (k.startsWith("array/")) arrays.put(k.substring(6), e.getValue());
        }
        Map<String, NdArray> expectState = model.namedState();
        for (Map.Entry<String, NdArray> e : expectState.entrySet()) {
            NdArray got = state.get(e.getKey());
            if (got == null) throw new IOException(path + ": module state '" + e.getKey() + "' missing from the checkpoint");
            if (!Arrays.equals(got.shape(), e.getValue().shape())) {
                throw new IOException(path + ": module state '" + e.getKey() + "' has shape " + Arrays.toString(got.shape())
                    + " in the checkpoint but " + Arrays.toString(e.getValue().shape()) + " in the model");
            }
        }
        for (String k : state.keySet()) {
            if (!expectState.containsKey(k)) throw new IOException(path + ": checkpoint holds module state '" + k + "' that the model does not have");
        }
        if (opt != null) {
            if (optState.isEmpty()) throw new IOException(path + ": the checkpoint holds no optimizer state");
            String[] names = optimizerNames(path, params, opt);
            Map<String, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < names.length; i++) index.put(names[i], i);
            Map<String, NdArray> byIndex = new LinkedHashMap<>();
            for (Map.Entry<String, NdArray> e : optState.entrySet()) {
                String k = e.getKey();
                int slash = k.indexOf('/');
                if (slash < 0) {
                    byIndex.put(k, e.getValue());
                    continue;
                }
                String p = k.substring(slash + 1);
                Integer i = index.get(p);
                if (i == null) throw new IOException(path + ": optimizer state 'optimizer/" + k + "' names parameter '" + p + "' that the optimizer does not update");
                int[] want = params.get(p).shape();
                if (!Arrays.equals(want, e.getValue().shape())) {
                    throw new IOException(path + ": optimizer state 'optimizer/" + k + "' for parameter '" + p + "' has shape "
                        + Arrays.toString(e.getValue().shape()) + " but the parameter has shape " + Arrays.toString(want));
                }
                byIndex.put(k.substring(0, slash) + "/" + i, e.getValue());
            }
            try {
                opt.loadState(byIndex);
            } catch (IllegalArgumentException ex) {
                throw new IOException(path + ": optimizer state does not fit: " + ex.getMessage(), ex);
            }
        }
        for (Map.Entry<String, Tensor> e : values.entrySet()) params.get(e.getKey()).set(e.getValue());
        for (Map.Entry<String, NdArray> e : state.entrySet()) model.loadNamedState(e.getKey(), e.getValue());
        return new Loaded(extra, arrays);
    }

    /**
     * Reads and checks only the parameter values of a checkpoint for model (nothing is changed):
     * path → tensor, in the model's order.
     */
    public static Map<String, Tensor> readParameters(Path path, Module model) throws IOException {
        Map<String, NdArray> file = Npz.read(path);
        checkComplete(path, file);
        return parameterValues(path, file, model);
    }

    private static void checkComplete(Path path, Map<String, NdArray> file) throws IOException {
        NdArray meta = file.get(META);
        if (meta == null) throw new IOException(path + ": not a Canonic checkpoint (no '" + META + "' entry)");
        long want = Math.round(meta.data()[0]);
        if (want != file.size()) {
            throw new IOException(path + ": truncated or corrupt checkpoint: " + file.size() + " of " + want + " arrays present");
        }
    }

    private static Map<String, Tensor> parameterValues(Path path, Map<String, NdArray> file, Module model) throws IOException {
        LinkedHashMap<String, Parameter> params = model.namedParameters();
        Map<String, Tensor> values = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) {
            String name = e.getKey();
            NdArray a = file.get(name);
            if (a == null) throw new IOException(path + ": parameter '" + name + "' missing from the checkpoint");
            int[] want = e.getValue().shape();
            if (!Arrays.equals(a.shape(), want)) {
                throw new IOException(path + ": parameter '" + name + "' has shape " + Arrays.toString(a.shape())
                    + " in the checkpoint but " + Arrays.toString(want) + " in the model");
            }
            for (double d : a.data()) {
                if (!Double.isFinite(d)) throw new IOException(path + ": parameter '" + name + "' holds a non-finite value (" + d + ")");
            }
            values.put(name, Tensor.of(e.getValue().value().backend(), a.data(), want));
        }
        for (String k : file.keySet()) {
            if (!k.contains("/") && !params.containsKey(k)) {
                throw new IOException(path + ": checkpoint holds parameter '" + k + "' that the model does not have");
            }
        }
        return values;
    }

    private static double scalar(Path path, String key, NdArray a) throws IOException {
        if (a.data().length != 1) throw new IOException(path + ": entry '" + key + "' should hold one value, holds " + a.data().length);
        return a.data()[0];
    }

    private static String[] optimizerNames(Path path, Map<String, Parameter> params, Optimizer opt) throws IOException {
        IdentityHashMap<Parameter, String> byObj = new IdentityHashMap<>();
        for (Map.Entry<String, Parameter> e : params.entrySet()) byObj.put(e.getValue(), e.getKey());
        List<Parameter> ps = opt.parameters();
        String[] names = new String[ps.size()];
        for (int i = 0; i < names.length; i++) {
            names[i] = byObj.get(ps.get(i));
            if (names[i] == null) throw new IOException(path + ": the optimizer updates parameter '" + ps.get(i).name() + "' that is not part of the model");
        }
        return names;
    }

    private static String toPath(String key, String[] names) {
        int slash = key.indexOf('/');
        if (slash < 0) return key;
        return key.substring(0, slash) + "/" + names[Integer.parseInt(key.substring(slash + 1))];
    }
}
