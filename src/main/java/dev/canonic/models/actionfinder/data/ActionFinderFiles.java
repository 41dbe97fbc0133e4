package dev.canonic.models.actionfinder.data;

import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import dev.canonic.models.actionfinder.ActionFinderConfig;
import dev.canonic.models.actionfinder.ActionFinderModel;
import dev.canonic.nn.Checkpoints;
import dev.canonic.nn.ResDenseBlock;
import dev.canonic.nn.ResDenseNet;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model B files: one .npz holding the weights of toy, netG and netP (the toy's log GM and log b
 * among them), the configuration as scalars under {@code extra/}, and the marker
 * {@code extra/model_actionfinder}. numpy opens it with {@code np.load}.
 *
 * <p>(An adapter on the user's side: it stores {@link ActionFinderModel} with
 * {@link Checkpoints}, the way model A's files are stored.)
 */
public final class ActionFinderFiles {
    /** Format version written into model files. */
    public static final double MODEL_FORMAT = 1;

    private ActionFinderFiles() {
    }

    /** Whether path is a model B file (false for model A or any other .npz). */
    public static boolean isModelB(Path path) throws IOException {
        return Npz.read(path).containsKey("extra/model_actionfinder");
    }

    private static void putNet(Map<String, Double> e, String p, ResDenseNet.Config c) {
        e.put(p + "in", (double) c.in());
        e.put(p + "out", (double) c.out());
        e.put(p + "base", (double) c.base());
        e.put(p + "cap", (double) c.cap());
        e.put(p + "blocks", (double) c.blocks());
        e.put(p + "dropout", c.dropoutP());
        e.put(p + "dropout_above", (double) c.dropoutAbove());
        e.put(p + "form", (double) c.form().ordinal());
    }

    private static ResDenseNet.Config getNet(Map<String, NdArray> raw, Path path, String p) throws IOException {
        return new ResDenseNet.Config((int) get(raw, path, p + "in"), (int) get(raw, path, p + "out"), (int) get(raw, path, p + "base"),
            (int) get(raw, path, p + "cap"), (int) get(raw, path, p + "blocks"), get(raw, path, p + "dropout"), (int) get(raw, path, p + "dropout_above"),
            ResDenseBlock.Form.values()[(int) get(raw, path, p + "form")]);
    }

    /**
     * Saves a model with extra scalars (training facts; any names not used by the format) and arrays.
     */
    public static void save(Path path, ActionFinderModel m, Map<String, Double> info, Map<String, NdArray> arrays) throws IOException {
        ActionFinderConfig c = m.config();
        Map<String, Double> e = new LinkedHashMap<>();
        e.put("format", MODEL_FORMAT);
        e.put("model_actionfinder", 1.0);
        putNet(e, "g_", c.netG());
        putNet(e, "p_", c.netP());
        e.put("point_form", (double) c.pointForm().ordinal());
        e.put("loss", (double) c.loss().ordinal());
        e.put("alpha1", c.alpha1());
        e.put("max_iterations", (double) c.maxIterations());
        e.put("tol_max", c.tolMax());
        e.put("tol_mean", c.tolMean());
        e.put("action_scale", c.actionScale());
        e.put("start_at_toy", c.startAtToy() ? 1.0 : 0.0);
        e.put("toy_fixed", m.toy().fixed() ? 1.0 : 0.0);
        e.put("toy_gm", m.toy().gm());
        e.put("toy_b", m.toy().b());
        if (info != null) {
            for (Map.Entry<String, Double> x : info.entrySet()) {
                if (e.containsKey(x.getKey())) throw new IllegalArgumentException("extra key '" + x.getKey() + "' is part of the format");
                e.put(x.getKey(), x.getValue());
            }
        }
        Checkpoints.save(path, m, null, e, arrays == null ? Map.of() : arrays);
    }

    /** A loaded model with its extra scalars and arrays. */
    public record Loaded(ActionFinderModel model, Map<String, Double> extra, Map<String, NdArray> arrays) {
    }

    /** Loads a model saved by {@link #save}; a file of another kind or version fails saying which. */
    public static Loaded load(Path path) throws IOException {
        Map<String, NdArray> raw = Npz.read(path);
        NdArray kind = raw.get("extra/model_actionfinder"), fmt = raw.get("extra/format");
        if (kind == null || fmt == null) {
            throw new IOException(path + ": not a Canonic model-B (ActionFinder) file" + (raw.containsKey("extra/model_koopman") ? " (it is a model-A file)" : ""));
        }
        if (fmt.data()[0] != MODEL_FORMAT) throw new IOException(path + ": model format " + fmt.data()[0] + ", this version reads format " + MODEL_FORMAT);
        ActionFinderConfig c;
        try {
            c = new ActionFinderConfig(getNet(raw, path, "g_"), getNet(raw, path, "p_"),
                ActionFinderConfig.PointForm.values()[(int) get(raw, path, "point_form")], ActionFinderConfig.LossKind.values()[(int) get(raw, path, "loss")],
                get(raw, path, "alpha1"), (int) get(raw, path, "max_iterations"), get(raw, path, "tol_max"), get(raw, path, "tol_mean"), get(raw, path, "action_scale"),
                get(raw, path, "start_at_toy") != 0);
        } catch (IllegalArgumentException | ArrayIndexOutOfBoundsException ex) {
            throw new IOException(path + ": corrupt model configuration (" + ex.getMessage() + ")", ex);
        }
        ActionFinderModel m = new ActionFinderModel(c, get(raw, path, "toy_gm"), get(raw, path, "toy_b"), get(raw, path, "toy_fixed") != 0, 0);
        Checkpoints.Loaded l = Checkpoints.loadAll(path, m, null);
        return new Loaded(m, l.extra(), l.arrays());
    }

    private static double get(Map<String, NdArray> raw, Path path, String key) throws IOException {
        NdArray a = raw.get("extra/" + key);
        if (a == null) throw new IOException(path + ": model file lacks '" + key + "'");
        return a.data()[0];
    }

    /** Whether any block of the model's networks has dropout (needed for Monte-Carlo spreads). */
    public static boolean hasDropout(ActionFinderModel m) {
        for (ResDenseNet.Config c : new ResDenseNet.Config[] {m.config().netG(), m.config().netP()}) {
            if (c.dropoutP() <= 0) continue;
            for (int w : ResDenseNet.widths(c.base(), c.cap(), c.blocks())) if (w > c.dropoutAbove()) return true;
        }
        return false;
    }
}
