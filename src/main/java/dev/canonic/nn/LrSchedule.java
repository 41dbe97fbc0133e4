package dev.canonic.nn;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A learning-rate schedule driven by epochs: {@link #lrAt} gives the rate for an epoch before it
 * runs, {@link #observe} is told the monitored loss after it. Factories follow PyTorch's
 * StepLR, CosineAnnealingLR (closed form) and ReduceLROnPlateau (mode "min", relative threshold).
 */
public interface LrSchedule {
    /** The learning rate for epoch (0-based). */
    double lrAt(int epoch);

    /** Told the monitored loss after epoch; the default ignores it. */
    default void observe(int epoch, double metric) {
    }

    /** State needed to resume (empty for stateless schedules). */
    default Map<String, Double> state() {
        return Map.of();
    }

    /** Restores {@link #state()}. */
    default void loadState(Map<String, Double> s) {
    }

    /** base · gamma^⌊epoch / stepSize⌋. */
    static LrSchedule step(double base, int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("step schedule: step size must be positive, got " + stepSize);
        return epoch -> base * Math.pow(gamma, Math.floorDiv(epoch, stepSize));
    }

    /** min + (base − min)(1 + cos(π·e/epochs))/2 with e = min(epoch, epochs). */
    static LrSchedule cosine(double base, double min, int epochs) {
        if (epochs <= 0) throw new IllegalArgumentException("cosine schedule: epochs must be positive, got " + epochs);
        return epoch -> min + (base - min) * (1 + Math.cos(Math.PI * Math.min(epoch, epochs) / epochs)) / 2;
    }

    /**
     * Multiplies the rate by factor when the monitored loss has not improved (fallen below
     * best·(1 − threshold)) for more than patience epochs, never going below minLr.
     */
    static LrSchedule reduceOnPlateau(double initial, double factor, int patience, double threshold, double minLr) {
        return new ReduceOnPlateau(initial, factor, patience, threshold, minLr);
    }

    /** See {@link LrSchedule#reduceOnPlateau}. */
    final class ReduceOnPlateau implements LrSchedule {
        private final double factor, threshold, minLr;
        private final int patience;
        private double lr, best = Double.POSITIVE_INFINITY;
        private int bad;

        ReduceOnPlateau(double initial, double factor, int patience, double threshold, double minLr) {
            if (!(factor > 0 && factor < 1)) throw new IllegalArgumentException("plateau schedule: factor must lie in (0, 1), got " + factor);
            if (patience < 0) throw new IllegalArgumentException("plateau schedule: patience must be ≥ 0");
            this.lr = initial;
            this.factor = factor;
            this.patience = patience;
            this.threshold = threshold;
            this.minLr = minLr;
        }

        @Override
        public double lrAt(int epoch) {
            return lr;
        }

        @Override
        public void observe(int epoch, double metric) {
            if (metric < best * (1 - threshold)) {
                best = metric;
                bad = 0;
            } else {
                bad++;
            }
            if (bad > patience) {
                lr = Math.max(lr * factor, minLr);
                bad = 0;
            }
        }

        @Override
        public Map<String, Double> state() {
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("lr", lr);
            s.put("best", best);
            s.put("bad_epochs", (double) bad);
            return s;
        }

        @Override
        public void loadState(Map<String, Double> s) {
            for (String k : new String[] {"lr", "best", "bad_epochs"}) {
                if (!s.containsKey(k)) throw new IllegalArgumentException("plateau schedule state lacks '" + k + "'");
            }
            lr = s.get("lr");
            best = s.get("best");
            bad = (int) Math.round(s.get("bad_epochs"));
        }
    }
}
