package dev.canonic.cli;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.dynamics.Astrometry;
import dev.canonic.models.actionfinder.ActionFinderConfig;
import dev.canonic.models.actionfinder.data.ActionFinderUserPath;
import dev.canonic.models.actionfinder.data.StreamFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code canonic train actionfinder --data FILE --out MODEL}: model B on the user's own streams. */
@Command(name = "actionfinder", mixinStandardHelpOptions = true,
    description = "Train the ACTIONFINDER (model B) on streams: CSV with orbit_id, optional t, and x,y,z,vx,vy,vz (kpc, km/s) or "
        + "d,l,b,vh,mul,mub (kpc, deg, km/s, mas/yr), one row per star, at least 2 stars per stream; or .npz with stream [n] and xv or obs [n,6]. "
        + "Streams are split 50/50 into training and test sets; the epoch of best test loss is kept.")
public final class TrainActionFinder implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "stream file (.csv or .npz)")
    Path data;

    @Option(names = "--out", required = true, description = "model file to write (.npz); its checkpoint goes beside it as MODEL.checkpoint.npz")
    Path out;

    @Option(names = "--preset", defaultValue = "cpu", description = "network sizes: cpu (both nets [32,64,32], no dropout) or paper "
        + "(netG 15 blocks, netP 11 blocks, cap 1024, dropout 0.5; needs a GPU-sized budget) (default ${DEFAULT-VALUE})")
    String preset;

    @Option(names = "--epochs", defaultValue = "200", description = "Adam epochs (default ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "seed of weights, split and batch order (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--toy-GM", description = "toy isochrone GM in kpc (km/s)^2 (default: with b, chosen from the data: the toy whose actions vary least along the streams, every star bound)")
    Double toyGm;

    @Option(names = "--toy-b", description = "toy isochrone b in kpc (default: chosen from the data with GM)")
    Double toyB;

    @Option(names = "--fix-toy", description = "hold the toy's GM and b fixed (default: learned)")
    boolean fixToy;

    @Option(names = "--loss", defaultValue = "paper", description = "paper (Eq. 12: spread + positivity + 0.1 × angle zero point), spread (Eq. 19) or relative (Eq. 12 with each stream's spread relative to its mean actions) (default ${DEFAULT-VALUE})")
    String loss;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate (default ${DEFAULT-VALUE}; the paper's 1e-4 needs many more epochs)")
    double lr;

    @Option(names = "--batch", defaultValue = "32", description = "streams per batch (default ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--patience", defaultValue = "0", description = "stop after this many epochs without a better test loss (0 = never; default ${DEFAULT-VALUE})")
    int patience;

    @Option(names = "--random-start", description = "keep the random output layers of G and P (default: zeroed, so training starts from the toy's actions and angles)")
    boolean randomStart;

    @Option(names = "--inverse-epochs", defaultValue = "100", description = "epochs of the supervised inverse network (Eq. 18) after training; 0 = none (default ${DEFAULT-VALUE})")
    int inverseEpochs;

    @Option(names = "--schedule-epochs", defaultValue = "0", description = "length in epochs of the cosine learning-rate decay (default: --epochs); "
        + "keep it fixed when a run is split into parts with --resume")
    int scheduleEpochs;

    @Option(names = "--coordinates", description = "galactocentric or observables, when the file holds both sets")
    String coordinates;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--resume", description = "continue from MODEL.checkpoint.npz (bitwise the same result as an uninterrupted run)")
    boolean resume;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    static StreamFiles.Coordinates coordinates(String c) {
        if (c == null) return null;
        return switch (c.toLowerCase(Locale.ROOT)) {
            case "galactocentric", "xv" -> StreamFiles.Coordinates.GALACTOCENTRIC;
            case "observables", "obs" -> StreamFiles.Coordinates.OBSERVABLES;
            default -> throw new IllegalArgumentException("--coordinates must be galactocentric or observables, got '" + c + "'");
        };
    }

    static ActionFinderConfig.LossKind loss(String l) {
        return switch (l.toLowerCase(Locale.ROOT)) {
            case "paper" -> ActionFinderConfig.LossKind.PAPER;
            case "spread" -> ActionFinderConfig.LossKind.SPREAD;
            case "relative" -> ActionFinderConfig.LossKind.RELATIVE;
            default -> throw new IllegalArgumentException("--loss must be paper, spread or relative, got '" + l + "'");
        };
    }

    @picocli.CommandLine.Mixin
    BackendOption backend = new BackendOption();

    @Override
    public Integer call() throws Exception {
        backend.apply();
        if (threads != null) Parallel.setThreads(threads);
        ActionFinderUserPath.Options o = new ActionFinderUserPath.Options(preset, epochs, seed, toyGm, toyB, fixToy, loss(loss), lr, batch, resume,
            !noProgress, patience, !randomStart, inverseEpochs, scheduleEpochs);
        StreamFiles.StreamSet set = StreamFiles.read(data, Astrometry.paper(), coordinates(coordinates));
        System.out.printf(Locale.ROOT, "%s: %d stars in %d streams (%s coordinates%s)%n", data, set.stars(), set.streams(),
            set.coordinates() == StreamFiles.Coordinates.GALACTOCENTRIC ? "Galactocentric" : "observable",
            set.coordinates() == StreamFiles.Coordinates.OBSERVABLES ? ", converted with R_sun = 8.122 kpc, z_sun = 0.0208 kpc, v_sun = (12.9, 245.6, 7.78) km/s" : "");
        ActionFinderUserPath.Trained t = ActionFinderUserPath.train(set, o, out, System.out);
        summary(t, epochs, out);
        return 0;
    }

    /** The closing summary: best epoch, loss terms there, toy parameters, and the spreads of J″ against the toy's. */
    static void summary(ActionFinderUserPath.Trained t, int epochs, Path out) {
        int best = t.history().bestEpoch();
        if (t.keptInitial()) {
            System.out.printf(Locale.ROOT, "no epoch of %d beat the initial weights (the toy's coordinates): test loss %.4e; they are kept%n", t.history().epochs(),
                t.initialTestLoss());
        } else {
            System.out.printf(Locale.ROOT, "best test epoch %d of %d (%s; initial test loss %.4e); test loss terms at that epoch:%n", best + 1, t.history().epochs(),
                t.history().stop(), t.initialTestLoss());
            for (Map.Entry<String, List<Double>> e : t.history().test().entrySet()) {
                System.out.printf(Locale.ROOT, "  %-12s %.4e%n", e.getKey(), e.getValue().get(Math.max(0, best)));
            }
        }
        System.out.printf(Locale.ROOT, "toy isochrone: GM = %.6g kpc (km/s)^2, b = %.4g kpc (started at %.6g, %.4g)%n", t.model().toy().gm(), t.model().toy().b(),
            t.toyInitial()[0], t.toyInitial()[1]);
        String[] names = {"JR", "Lz", "Jz"};
        System.out.println("on the test streams (kpc km/s): spread of J'' within streams (rms of per-stream std) vs across streams (std of stream means):");
        for (int k = 0; k < 3; k++) {
            double w = t.spreadJ()[0][k], a = t.spreadJ()[1][k], wt = t.spreadToy()[0][k];
            System.out.printf(Locale.ROOT, "  %-3s within %.3e  across %.3e  ratio %.2e   (toy J: within %.3e, ratio %.2e)%n", names[k], w, a, w / a, wt,
                wt / t.spreadToy()[1][k]);
        }
        String beyond = ActionFinderUserPath.beyondData(t.used(), t.model().toy().gm(), t.model().toy().b()).report();
        if (!beyond.isEmpty()) System.out.println(beyond);
        System.out.printf(Locale.ROOT, "trained in %.1f s; model written to %s%n", t.seconds(), out);
    }
}
