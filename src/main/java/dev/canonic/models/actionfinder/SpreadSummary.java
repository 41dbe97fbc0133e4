package dev.canonic.models.actionfinder;

/**
 * How constant actions are along streams, a summary a user can trust without any reference: per
 * component (J_R, L_z, J_z), the mean absolute deviation of the stars' actions from their stream mean
 * ("within") against the mean absolute deviation of the stream means from their overall mean
 * ("across"). A good fit has within ≪ across.
 *
 * @param within  per component, mean over stars of |J − ⟨J⟩_stream| (kpc km/s)
 * @param across  per component, mean over streams of |⟨J⟩_stream − mean of the stream means| (kpc km/s)
 * @param streams number of streams
 * @param stars   number of stars
 */
public record SpreadSummary(double[] within, double[] across, int streams, int stars) {
    /** Component names in order. */
    public static final String[] NAMES = {"JR", "Lz", "Jz"};

    /** The summary of actions (flat B×3) grouped by st. */
    public static SpreadSummary of(double[] actions, Streams st) {
        if (actions.length != 3 * st.rows()) throw new IllegalArgumentException("need 3 actions per row, got " + actions.length + " values for " + st.rows() + " rows");
        int s = st.count();
        double[] mean = new double[3 * s];
        for (int r = 0; r < st.rows(); r++) for (int k = 0; k < 3; k++) mean[3 * st.streamOf(r) + k] += actions[3 * r + k];
        for (int i = 0; i < s; i++) for (int k = 0; k < 3; k++) mean[3 * i + k] /= st.size(i);
        double[] within = new double[3], across = new double[3], grand = new double[3];
        for (int r = 0; r < st.rows(); r++) for (int k = 0; k < 3; k++) within[k] += Math.abs(actions[3 * r + k] - mean[3 * st.streamOf(r) + k]);
        for (int i = 0; i < s; i++) for (int k = 0; k < 3; k++) grand[k] += mean[3 * i + k] / s;
        for (int i = 0; i < s; i++) for (int k = 0; k < 3; k++) across[k] += Math.abs(mean[3 * i + k] - grand[k]) / s;
        for (int k = 0; k < 3; k++) within[k] /= st.rows();
        return new SpreadSummary(within, across, s, st.rows());
    }

    /** within / across per component. */
    public double[] ratio() {
        double[] r = new double[3];
        for (int k = 0; k < 3; k++) r[k] = within[k] / across[k];
        return r;
    }

    /** Lines like "JR: within-stream 0.52 kpc km/s, across streams 310 (ratio 1.7e-03)". */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int k = 0; k < 3; k++) {
            b.append(String.format("%s: within-stream %.4g kpc km/s, across streams %.4g (ratio %.2e)%n", NAMES[k], within[k], across[k], within[k] / across[k]));
        }
        return b.toString();
    }
}
