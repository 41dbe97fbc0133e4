package dev.canonic.models.actionfinder;

import dev.canonic.io.NdArray;
import dev.canonic.io.Npz;
import dev.canonic.nn.Checkpoints;
import dev.canonic.nn.Module;
import dev.canonic.nn.ResDenseBlock;
import dev.canonic.nn.ResDenseNet;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Trained model-B files: one .npz (written atomically) holding the configuration as scalars, the toy's
 * GM and b, the weights of G and P, and, when trained, the acceleration and inverse networks. Parameter
 * names are {@code model.toy.log_gm}, {@code model.netG.…}, {@code model.netP.…}, {@code accel.net.…},
 * {@code inverse.net.…}. Loading checks the kind, the format version and every array before building
 * anything, and fails with an IOException naming the file and the problem.
 */
public final class ActionFinderFiles {
    /** Format version written into model files. */
    public static final double MODEL_FORMAT = 1;

    private ActionFinderFiles() {
    }

    /** A forward model with its optional second-phase networks (null when not trained). */
    public record Saved(ActionFinderModel model, AccelerationNet acceleration, InverseNet inverse) {
    }

    private static final class Bundle extends Module {
        Bundle(ActionFinderModel m, AccelerationNet a, InverseNet i) {
            register("model", m);
            if (a != null) register("accel", a);
            if (i != null) register("inverse", i);
        }
    }

    /** Saves the model and whichever of the acceleration and inverse networks are non-null. */
    public static void save(Path path, ActionFinderModel m, AccelerationNet accel, InverseNet inverse) throws IOException {
        ActionFinderConfig c = m.config();
        Map<String, Double> x = new LinkedHashMap<>();
        x.put("format", MODEL_FORMAT);
        x.put("model_actionfinder", 1.0);
        net(x, "netG", c.netG());
        net(x, "netP", c.netP());
        x.put("point_form", (double) c.pointForm().ordinal());
        x.put("loss", (double) c.loss().ordinal());
        x.put("alpha1", c.alpha1());
        x.put("max_iterations", (double) c.maxIterations());
        x.put("tol_max", c.tolMax());
        x.put("tol_mean", c.tolMean());
        x.put("action_scale", c.actionScale());
        x.put("start_at_toy", c.startAtToy() ? 1.0 : 0.0);
        x.put("toy_fixed", m.toy().fixed() ? 1.0 : 0.0);
        x.put("toy_gm", m.toy().gm());
        x.put("toy_b", m.toy().b());
        x.put("has_accel", accel == null ? 0.0 : 1.0);
        if (accel != null) {
            net(x, "accel", accel.net().config());
            x.put("accel_toy_gm", accel.toyGm());
            x.put("accel_toy_b", accel.toyB());
        }
        x.put("has_inverse", inverse == null ? 0.0 : 1.0);
        if (inverse != null) {
            net(x, "inverse", inverse.net().config());
            x.put("inverse_scale", inverse.actionScale());
        }
        Checkpoints.save(path, new Bundle(m, accel, inverse), null, x, Map.of());
    }

    private static void net(Map<String, Double> x, String p, ResDenseNet.Config c) {
        x.put(p + "_in", (double) c.in());
        x.put(p + "_out", (double) c.out());
        x.put(p + "_base", (double) c.base());
        x.put(p + "_cap", (double) c.cap());
        x.put(p + "_blocks", (double) c.blocks());
        x.put(p + "_dropout_p", c.dropoutP());
        x.put(p + "_dropout_above", (double) c.dropoutAbove());
        x.put(p + "_form", (double) c.form().ordinal());
    }

    private static ResDenseNet.Config net(Map<String, NdArray> raw, Path path, String p) throws IOException {
        int form = (int) get(raw, path, p + "_form");
        if (form < 0 || form >= ResDenseBlock.Form.values().length) throw new IOException(path + ": unknown block form " + form + " for " + p);
        try {
            return new ResDenseNet.Config((int) get(raw, path, p + "_in"), (int) get(raw, path, p + "_out"), (int) get(raw, path, p + "_base"),
                (int) get(raw, path, p + "_cap"), (int) get(raw, path, p + "_blocks"), get(raw, path, p + "_dropout_p"), (int) get(raw, path, p + "_dropout_above"),
                ResDenseBlock.Form.values()[form]);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": invalid " + p + " network shape: " + e.getMessage(), e);
        }
    }

    /** Loads a file written by {@link #save}. */
    public static Saved load(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such model file");
        Map<String, NdArray> raw;
        try {
            raw = Npz.read(path);
        } catch (IOException | RuntimeException e) {
            throw new IOException(path + ": not a readable model file (" + e.getMessage() + ")", e);
        }
        if (!raw.containsKey("extra/model_actionfinder") || !raw.containsKey("extra/format")) {
            throw new IOException(path + ": not a Canonic model-B (ActionFinder) file" + (raw.containsKey("extra/model_koopman") ? " (it is a model-A Koopman file)" : ""));
        }
        double fmt = raw.get("extra/format").data()[0];
        if (fmt != MODEL_FORMAT) throw new IOException(path + ": model format " + fmt + ", this version reads format " + MODEL_FORMAT);
        ActionFinderConfig c;
        int pf = (int) get(raw, path, "point_form"), lk = (int) get(raw, path, "loss");
        if (pf < 0 || pf >= ActionFinderConfig.PointForm.values().length || lk < 0 || lk >= ActionFinderConfig.LossKind.values().length) {
            throw new IOException(path + ": unknown point form " + pf + " or loss kind " + lk);
        }
        try {
            c = new ActionFinderConfig(net(raw, path, "netG"), net(raw, path, "netP"), ActionFinderConfig.PointForm.values()[pf],
                ActionFinderConfig.LossKind.values()[lk], get(raw, path, "alpha1"), (int) get(raw, path, "max_iterations"), get(raw, path, "tol_max"),
                get(raw, path, "tol_mean"), get(raw, path, "action_scale"), get(raw, path, "start_at_toy") != 0);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": invalid configuration: " + e.getMessage(), e);
        }
        double gm = get(raw, path, "toy_gm"), b = get(raw, path, "toy_b");
        if (!(gm > 0) || !(b > 0) || !Double.isFinite(gm) || !Double.isFinite(b)) throw new IOException(path + ": invalid toy GM " + gm + " or b " + b);
        ActionFinderModel m = new ActionFinderModel(c, gm, b, get(raw, path, "toy_fixed") != 0, 0);
        AccelerationNet a = null;
        if (get(raw, path, "has_accel") != 0) a = new AccelerationNet(net(raw, path, "accel"), get(raw, path, "accel_toy_gm"), get(raw, path, "accel_toy_b"), 0);
        InverseNet inv = null;
        if (get(raw, path, "has_inverse") != 0) inv = new InverseNet(net(raw, path, "inverse"), get(raw, path, "inverse_scale"), 0);
        Checkpoints.loadAll(path, new Bundle(m, a, inv), null);
        m.eval();
        if (a != null) a.eval();
        if (inv != null) inv.eval();
        return new Saved(m, a, inv);
    }

    private static double get(Map<String, NdArray> raw, Path path, String key) throws IOException {
        NdArray a = raw.get("extra/" + key);
        if (a == null || a.data().length != 1) throw new IOException(path + ": model file lacks '" + key + "'");
        return a.data()[0];
    }
}
