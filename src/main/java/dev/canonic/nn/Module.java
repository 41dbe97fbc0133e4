package dev.canonic.nn;

import dev.canonic.core.Tensor;
import dev.canonic.io.NdArray;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A layer or network: its own parameters plus registered child modules. Parameter paths join the
 * names with dots ({@code blocks.0.wn1.weight_v}), own parameters first, then children in the order
 * they were registered, so the order is deterministic and the same on every run.
 *
 * <p>Modules may also hold non-trainable state that a checkpoint must restore for a bitwise resume
 * (e.g. the random-number counter of {@link Dropout}); they expose it through {@link #localState()}
 * and {@link #loadLocalState(String, NdArray)}.
 */
public abstract class Module {
    private final LinkedHashMap<String, Parameter> params = new LinkedHashMap<>();
    private final LinkedHashMap<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    /** Registers a child module under name and returns it. */
    protected <T extends Module> T register(String name, T child) {
        checkName(name);
        if (child == null) throw new NullPointerException("child module " + name);
        children.put(name, child);
        return child;
    }

    /** Creates and registers a parameter with the given initial value. */
    protected Parameter param(String name, Tensor initial) {
        checkName(name);
        Parameter p = new Parameter(name, initial);
        params.put(name, p);
        return p;
    }

    /** Registers an existing parameter object under a (possibly different) local name. */
    protected Parameter adopt(String name, Parameter p) {
        checkName(name);
        params.put(name, p);
        return p;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".") || name.contains("/")) {
            throw new IllegalArgumentException("module/parameter name '" + name + "' must be non-empty without '.' or '/'");
        }
        if (params.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "' registered twice in " + getClass().getSimpleName());
        }
    }

    /** Every parameter of this module and its descendants, keyed by full dotted path. */
    public LinkedHashMap<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, LinkedHashMap<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : params.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        for (Map.Entry<String, Module> e : children.entrySet()) e.getValue().collect(prefix + e.getKey() + ".", out);
    }

    /** The parameters in the order of {@link #namedParameters()}. */
    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** Every descendant module (this one first, with path ""), keyed by dotted path. */
    public LinkedHashMap<String, Module> namedModules() {
        LinkedHashMap<String, Module> out = new LinkedHashMap<>();
        collectModules("", out);
        return out;
    }

    private void collectModules(String path, LinkedHashMap<String, Module> out) {
        out.put(path, this);
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectModules(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
        }
    }

    /** Switches training mode (dropout active) on or off, for this module and every descendant. */
    public void train(boolean on) {
        training = on;
        for (Module m : children.values()) m.train(on);
    }

    /** Shorthand for train(false). */
    public void eval() {
        train(false);
    }

    /** True in training mode (the default). */
    public boolean isTraining() {
        return training;
    }

    /** Number of scalar parameters. */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.value().size();
        return n;
    }

    /** Non-trainable state of this module only (not its children), by local name; empty by default. */
    protected Map<String, NdArray> localState() {
        return Map.of();
    }

    /** Restores one entry of {@link #localState()}; modules without state reject every key. */
    protected void loadLocalState(String key, NdArray value) {
        throw new IllegalArgumentException(getClass().getSimpleName() + " has no state named '" + key + "'");
    }

    /** The non-trainable state of this module and its descendants, keyed by dotted path. */
    public LinkedHashMap<String, NdArray> namedState() {
        LinkedHashMap<String, NdArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Module> e : namedModules().entrySet()) {
            String prefix = e.getKey().isEmpty() ? "" : e.getKey() + ".";
            for (Map.Entry<String, NdArray> s : e.getValue().localState().entrySet()) out.put(prefix + s.getKey(), s.getValue());
        }
        return out;
    }

    /** Restores state saved by {@link #namedState()}; the key must be a path that namedState lists. */
    public void loadNamedState(String path, NdArray value) {
        int dot = path.lastIndexOf('.');
        String modPath = dot < 0 ? "" : path.substring(0, dot);
        Module m = namedModules().get(modPath);
        if (m == null) throw new IllegalArgumentException("no module at path '" + modPath + "' for state '" + path + "'");
        m.loadLocalState(dot < 0 ? path : path.substring(dot + 1), value);
    }
}
