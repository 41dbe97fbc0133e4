package dev.canonic.cli;

import dev.canonic.dynamics.Astrometry;
import dev.canonic.models.actionfinder.ActionFinderModel;
import dev.canonic.models.actionfinder.data.ActionFinderFiles;
import dev.canonic.models.actionfinder.data.ActionFinderUserPath;
import dev.canonic.models.actionfinder.data.StreamFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** The model-B halves of the user's commands. */
final class ActionFinderCommands {
    private ActionFinderCommands() {
    }

    /** {@code canonic actions} with a model-B file. */
    static int actions(Path modelFile, Path input, Path out, int mc, StreamFiles.Coordinates prefer) throws IOException {
        ActionFinderModel m = ActionFinderFiles.load(modelFile).model();
        StreamFiles.StreamSet s = StreamFiles.readPoints(input, Astrometry.paper(), prefer);
        java.util.List<String> bad = new java.util.ArrayList<>();
        for (int i = 0; i < s.stars(); i++) {
            java.util.List<String> r = m.toy().invalidRows(java.util.Arrays.copyOfRange(s.phase(), 6 * i, 6 * i + 6), 1);
            if (!r.isEmpty()) bad.add("line " + s.lines()[i] + " (stream " + s.idOf(i) + "): " + r.get(0).replaceFirst("^row 0: ", ""));
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException(input + ": " + bad.size() + " star(s) have no coordinates in the model's toy isochrone (GM = "
                + String.format(Locale.ROOT, "%.6g", m.toy().gm()) + ", b = " + String.format(Locale.ROOT, "%.4g", m.toy().b()) + "); first: "
                + String.join("; ", bad.subList(0, Math.min(5, bad.size()))));
        }
        if (mc > 0 && !ActionFinderFiles.hasDropout(m)) {
            throw new IllegalArgumentException("--mc: " + modelFile + " has no dropout layers (preset cpu has none), so Monte-Carlo passes would all agree; "
                + "train with --preset paper for --mc");
        }
        double[][] ja = ActionFinderUserPath.evaluate(m, s);
        double[] std = mc > 0 ? ActionFinderUserPath.monteCarloStd(m, s, mc, ja) : null;
        StreamFiles.writeActions(out, s.columns(), s.cells(), ja[0], ja[1], null, std);
        System.out.println(s.stars() + " stars in " + s.streams() + " stream(s) written to " + out + (mc > 0 ? " with " + mc + " Monte-Carlo passes" : ""));
        return 0;
    }
}
