package dev.canonic.cli;

import dev.canonic.backend.cpu.Parallel;
import dev.canonic.validation.Suite;
import dev.canonic.validation.Suites;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code canonic validate [SUITE...] --out DIR}: runs validation suites and writes their reports. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Run validation suites (all when none is named): each generates its data, trains, compares with reference "
        + "values and writes DIR/NAME.json, DIR/NAME.md and PNG figures.")
public final class ValidateCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "SUITE", description = "suites to run: ${COMPLETION-CANDIDATES}", completionCandidates = SuiteNames.class)
    List<String> suites = new ArrayList<>();

    @Option(names = "--out", required = true, description = "output folder for the reports")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--threads", description = "CPU threads (default: all cores)")
    Integer threads;

    @Option(names = "--quick", description = "a reduced run (minutes → seconds); its figures do not meet the targets")
    boolean quick;

    @Option(names = "--no-progress", description = "no progress bar")
    boolean noProgress;

    @Mixin
    BackendOption backend = new BackendOption();

    static final class SuiteNames extends ArrayList<String> {
        SuiteNames() {
            super(Suites.all().keySet());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (threads != null) Parallel.setThreads(threads);
        backend.apply();
        Map<String, Suite> all = Suites.all();
        List<String> names = suites.isEmpty() ? new ArrayList<>(all.keySet()) : suites;
        for (String n : names) {
            if (!all.containsKey(n)) {
                System.err.println("canonic validate: no suite named '" + n + "'; known suites: " + String.join(", ", all.keySet()));
                return 2;
            }
        }
        boolean allMet = true;
        for (String n : names) {
            System.out.println("== " + n);
            Map<String, Object> m = all.get(n).run(out, quick, seed, !noProgress);
            @SuppressWarnings("unchecked")
            Map<String, Boolean> met = (Map<String, Boolean>) m.get("meets_target");
            for (Map.Entry<String, Boolean> e : met.entrySet()) {
                Object v = m.containsKey(e.getKey()) ? m.get(e.getKey()) : m.get("figures") instanceof Map<?, ?> f ? f.get(e.getKey()) : null;
                System.out.printf(Locale.ROOT, "  %-28s %.3e  %s%n", e.getKey(), v instanceof Number x ? x.doubleValue() : Double.NaN,
                    e.getValue() ? "meets target" : "MISSES target");
                allMet &= e.getValue();
            }
            System.out.printf(Locale.ROOT, "  trained in %.1f s; report: %s%n", (Double) m.get("train_seconds"), out.resolve(n + ".md"));
        }
        if (!allMet && !quick) System.out.println("some targets were missed (see the reports)");
        return 0;
    }
}
