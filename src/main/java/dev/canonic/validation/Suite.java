package dev.canonic.validation;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A validation suite: generates its data, trains, compares with reference values and writes
 * DIR/NAME.json, DIR/NAME.md and PNG figures. The returned metrics hold at least
 * {@code meets_target} (figure name → whether it meets the project's target; each figure's value
 * under that name at the top level or in {@code figures}) and {@code train_seconds}.
 */
public interface Suite {
    /**
     * Runs the suite.
     *
     * @param dir      output folder
     * @param quick    a reduced size for tests (seconds; its figures do not meet the targets)
     * @param seed     random seed of data and training
     * @param progress whether to draw progress bars
     */
    Map<String, Object> run(Path dir, boolean quick, long seed, boolean progress) throws IOException;
}
