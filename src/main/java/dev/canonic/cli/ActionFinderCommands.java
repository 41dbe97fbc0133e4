package dev.canonic.cli;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.dynamics.Astrometry;
import dev.canonic.dynamics.ReferenceSystem;
import dev.canonic.dynamics.cli.GenerateCommand;
import dev.canonic.io.Npz;
import dev.canonic.models.actionfinder.AccelerationNet;
import dev.canonic.models.actionfinder.AccelerationTrainer;
import dev.canonic.models.actionfinder.ActionFinderFiles;
import dev.canonic.models.actionfinder.ActionFinderModel;
import dev.canonic.models.actionfinder.ActionFinderTrainer;
import dev.canonic.models.actionfinder.Streams;
import dev.canonic.models.actionfinder.data.ActionFinderUserPath;
import dev.canonic.models.actionfinder.data.StreamFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** The model-B commands besides training: actions (dispatched from {@code actions}), {@code train acceleration}, {@code acceleration}, {@code inverse}. */
final class ActionFinderCommands {
    private ActionFinderCommands() {
    }

    /** Whether a file is a model-B file (false for model A or any other .npz). */
    static boolean isModelB(Path p) throws IOException {
        if (!Files.exists(p)) throw new NoSuchFileException(p.toString(), null, "no such model file");
        return Npz.read(p).containsKey("extra/model_actionfinder");
    }

    static void checkToy(ActionFinderModel m, StreamFiles.StreamSet s, Path input) {
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < s.stars(); i++) {
            List<String> r = m.toy().invalidRows(Arrays.copyOfRange(s.phase(), 6 * i, 6 * i + 6), 1);
            if (!r.isEmpty()) bad.add("line " + s.lines()[i] + " (stream " + s.idOf(i) + "): " + r.get(0).replaceFirst("^row 0: ", ""));
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(input + ": " + bad.size() + " star(s) have no coordinates in the model's toy isochrone (GM = "
                + String.format(Locale.ROOT, "%.6g", m.toy().gm()) + ", b = " + String.format(Locale.ROOT, "%.4g", m.toy().b()) + "); first: "
                + String.join("; ", bad.subList(0, Math.min(5, bad.size()))));
        }
    }

    static double[] positions(double[] xv, int n) {
        double[] x = new double[3 * n];
        for (int i = 0; i < n; i++) System.arraycopy(xv, 6 * i, x, 3 * i, 3);
        return x;
    }

    /** {@code canonic actions} with a model-B file. */
    static int actions(Path modelFile, Path input, Path out, int mc, StreamFiles.Coordinates prefer) throws IOException {
        ActionFinderFiles.Saved saved = ActionFinderFiles.load(modelFile);
        ActionFinderModel m = saved.model();
        StreamFiles.StreamSet s = StreamFiles.readPoints(input, Astrometry.paper(), prefer);
        checkToy(m, s, input);
        if (mc > 0 && !ActionFinderUserPath.hasDropout(m)) {
            throw new IllegalArgumentException("--mc: " + modelFile + " has no dropout layers (preset cpu has none), so Monte-Carlo passes would all agree; "
                + "train with --preset paper for --mc");
        }
        double[][] ja;
        double[] freq = null;
        if (saved.acceleration() != null) {
            ActionFinderModel.Derivatives d = m.derivatives(s.phase(), ActionFinderUserPath.streamsOf(s));
            ja = new double[][] {d.actions(), d.angles()};
            freq = d.frequencies(s.phase(), saved.acceleration().accelerations(positions(s.phase(), s.stars()), s.stars()));
        } else {
            ja = ActionFinderUserPath.evaluate(m, s);
        }
        double[] std = mc > 0 ? ActionFinderUserPath.monteCarloStd(m, s, mc, ja) : null;
        if (std != null && freq != null) {
            double[] wide = new double[9 * s.stars()];
            for (int i = 0; i < s.stars(); i++) {
                System.arraycopy(std, 6 * i, wide, 9 * i, 6);
                Arrays.fill(wide, 9 * i + 6, 9 * i + 9, Double.NaN);
            }
            std = wide;
        }
        StreamFiles.writeActions(out, s.columns(), s.cells(), ja[0], ja[1], freq, ActionFinderUserPath.streamMeans(ja[0], s.stream()), std);
        System.out.println(s.stars() + " stars in " + s.streams() + " stream(s) written to " + out + (mc > 0 ? " with " + mc + " Monte-Carlo passes" : "")
            + (freq == null ? " (no frequencies: run canonic train acceleration first)" : ""));
        return 0;
    }

    /** {@code canonic train acceleration}: the second phase, or the fixed-potential check. */
    @Command(name = "acceleration", mixinStandardHelpOptions = true,
        description = "Phase two of model B: train the acceleration network a = net_a(x, a_iso) + a_iso so that dJ''/dt = 0 along the streams (Eq. 14-17) "
            + "and store it in the model file (then actions adds OmegaR,Omegaphi,Omegaz). With --potential, the fixed-potential variant: report dJ''/dt "
            + "and the spread of Omega'' within streams under a = -grad Phi of that potential (the model file is not changed).")
    static final class TrainAcceleration implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model file written by canonic train actionfinder (updated in place, atomically)")
        Path model;

        @Option(names = "--data", required = true, description = "the stream file the model was trained on (same format)")
        Path data;

        @Option(names = "--epochs", defaultValue = "100", description = "Adam epochs (default ${DEFAULT-VALUE})")
        int epochs;

        @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE})")
        double lr;

        @Option(names = "--seed", defaultValue = "1", description = "seed of weights and the 50/50 stream split (use the training seed) (default ${DEFAULT-VALUE})")
        long seed;

        @Option(names = "--symmetry", defaultValue = "0", description = "weight alpha2 of the axisymmetry term (the paper: 0)")
        double alpha2;

        @Option(names = "--frequency-spread", defaultValue = "0", description = "weight alpha3 of the Omega'' spread term (the paper: 0)")
        double alpha3;

        @Option(names = "--potential", description = "fixed-potential variant: isochrone, plummer, hernquist, nfw (see canonic generate)")
        String potential;

        @Option(names = "--param", description = "potential parameter k=v (repeatable), e.g. --param GM=4.3e6 --param a=20")
        List<String> params = new ArrayList<>();

        @Option(names = "--coordinates", description = "galactocentric or observables, when the file holds both sets")
        String coordinates;

        @Option(names = "--threads", description = "CPU threads (default: all cores)")
        Integer threads;

        @Option(names = "--no-progress", description = "no progress lines")
        boolean noProgress;

        @picocli.CommandLine.Mixin
        BackendOption backend = new BackendOption();

        @Override
        public Integer call() throws Exception {
            backend.apply();
            if (threads != null) Parallel.setThreads(threads);
            ActionFinderFiles.Saved saved = ActionFinderFiles.load(model);
            ActionFinderModel m = saved.model();
            StreamFiles.StreamSet set = StreamFiles.read(data, Astrometry.paper(), TrainActionFinder.coordinates(coordinates));
            checkToy(m, set, data);
            Streams st = ActionFinderUserPath.streamsOf(set);
            String[] names = {"JR", "Lz", "Jz"};
            if (potential != null) {
                ReferenceSystem sys = ReferenceSystem.of(potential, GenerateCommand.parseParams(params));
                if (sys.dim() != 3) throw new IllegalArgumentException("--potential must be a 3D potential, got " + potential);
                double[][] r = AccelerationTrainer.check(m, sys.field(), set.phase(), st);
                double[][] sw = ActionFinderUserPath.spreads(r[1], set.stream());
                System.out.println("fixed potential " + sys + ": mean |dJ''/dt| (kpc km/s per Gyr) and Omega'' spread within streams / across (km/s/kpc):");
                for (int k = 0; k < 3; k++) {
                    double mean = 0;
                    for (int i = 0; i < set.stars(); i++) mean += Math.abs(r[0][3 * i + k]) / set.stars();
                    System.out.printf(Locale.ROOT, "  %-3s |dJ/dt| %.3e   Omega within %.3e across %.3e%n", names[k], mean / dev.canonic.dynamics.Units.GYR_PER_KPC_KMS,
                        sw[0][k], sw[1][k]);
                }
                return 0;
            }
            int[][] sp = ActionFinderUserPath.splitOf(set.streams(), seed);
            AccelerationNet net = new AccelerationNet(m.config().netG().cap() > 256 ? AccelerationNet.paperConfig() : AccelerationNet.cpuConfig(), m.toy().gm(), m.toy().b(), seed);
            long[] ids = new long[set.stars()];
            for (int i = 0; i < ids.length; i++) ids[i] = set.stream()[i];
            AccelerationTrainer.History h = AccelerationTrainer.train(m, net, set.phase(), ids, new ActionFinderTrainer.Split(sp[0], sp[1]),
                new AccelerationTrainer.Settings(epochs, 32, lr, seed, alpha2, alpha3), noProgress ? null : System.out::println);
            ActionFinderFiles.save(model, m, net, saved.inverse());
            System.out.printf(Locale.ROOT, "acceleration network: best test epoch %d of %d, test loss %.4e; %.1f s; stored in %s%n", h.bestEpoch() + 1, epochs,
                h.bestTest(), h.seconds(), model);
            return 0;
        }
    }

    /** {@code canonic acceleration}. */
    @Command(name = "acceleration", mixinStandardHelpOptions = true,
        description = "Accelerations from a model B trained with canonic train acceleration: input CSV with x,y,z (kpc; other columns echoed); "
            + "output adds ax,ay,az in (km/s)^2/kpc.")
    static final class Acceleration implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model file")
        Path model;

        @Option(names = "--input", required = true, description = "CSV with x,y,z in kpc")
        Path input;

        @Option(names = "--out", required = true, description = "CSV to write")
        Path out;

        @picocli.CommandLine.Mixin
        BackendOption backend = new BackendOption();

        @Override
        public Integer call() throws Exception {
            backend.apply();
            ActionFinderFiles.Saved saved = ActionFinderFiles.load(model);
            if (saved.acceleration() == null) throw new IllegalArgumentException(model + " has no acceleration network; run canonic train acceleration first");
            StreamFiles.Rows r = StreamFiles.readColumns(input, List.of("x", "y", "z"), "acceleration");
            double[] a = saved.acceleration().accelerations(r.values(), r.rows());
            StreamFiles.writeTable(out, r.columns(), r.cells(), List.of("ax", "ay", "az"), a);
            System.out.println(r.rows() + " accelerations written to " + out);
            return 0;
        }
    }

    /** {@code canonic inverse}. */
    @Command(name = "inverse", mixinStandardHelpOptions = true,
        description = "Phase-space points from actions and angles through model B's inverse network (Eq. 18) and the toy's analytic inverse: input CSV "
            + "with JR,Lz,Jz (kpc km/s) and thetaR,thetaphi,thetaz (radians), other columns echoed; output adds x,y,z,vx,vy,vz (kpc, km/s).")
    static final class Inverse implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "model file")
        Path model;

        @Option(names = "--input", required = true, description = "CSV with JR,Lz,Jz,thetaR,thetaphi,thetaz")
        Path input;

        @Option(names = "--out", required = true, description = "CSV to write")
        Path out;

        @picocli.CommandLine.Mixin
        BackendOption backend = new BackendOption();

        @Override
        public Integer call() throws Exception {
            backend.apply();
            ActionFinderFiles.Saved saved = ActionFinderFiles.load(model);
            if (saved.inverse() == null) throw new IllegalArgumentException(model + " has no inverse network; train with --inverse-epochs > 0");
            StreamFiles.Rows r = StreamFiles.readColumns(input, StreamFiles.ACTION_ANGLE, "inverse");
            int n = r.rows();
            double[] j = new double[3 * n], th = new double[3 * n];
            for (int i = 0; i < n; i++) {
                System.arraycopy(r.values(), 6 * i, j, 3 * i, 3);
                System.arraycopy(r.values(), 6 * i + 3, th, 3 * i, 3);
            }
            double[] xv = saved.inverse().phaseSpace(saved.model().toy(), j, th, n);
            List<String> cols = new ArrayList<>(r.columns());
            StreamFiles.writeTable(out, cols, r.cells(), StreamFiles.XV, xv);
            System.out.println(n + " phase-space points written to " + out);
            return 0;
        }
    }
}
