package dev.canonic.models.actionfinder;

import dev.canonic.core.Autograd;
import dev.canonic.core.BufferPool;
import dev.canonic.core.Tensor;
import dev.canonic.dynamics.ForceField;
import dev.canonic.dynamics.Units;
import dev.canonic.nn.Adam;
import dev.canonic.nn.Parameter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The second phase (§4, Eq. 14–17): with the forward map (G, P, toy) frozen, train the acceleration
 * network so that dJ″/dt = ∂J″/∂x·v + ∂J″/∂v·a vanishes for every star (L_dJ″/dt, the mean |dJ″/dt| in
 * units of 4000 kpc km/s per (20 kpc / 200 km/s)), optionally with α2 × L_symmetry (1 + cosine between the
 * acceleration projected on the (x, y) plane and the cylindrical R vector) and α3 × L_Ω″,spread (mean |Ω″ − ⟨Ω″⟩_stream|, in units of
 * 200 km/s / 20 kpc). The paper sets α2 = α3 = 0. Since dJ″/dt is linear in a, the per-star derivatives
 * of J″ and θ″ are computed once ({@link ActionFinderModel#derivatives}) and the loss is then cheap.
 *
 * <p>{@link #check(ActionFinderModel, ForceField, double[], Streams)} is the fixed-potential variant of §7:
 * ẍ = −∇Φ from a known potential instead of a network, giving dJ″/dt and Ω″ directly.
 */
public final class AccelerationTrainer {
    private AccelerationTrainer() {
    }

    /** Epochs, rows per batch, Adam's rate, seed, and the optional weights α2 (symmetry) and α3 (Ω″ spread). */
    public record Settings(int epochs, int batchStreams, double lr, long seed, double alpha2, double alpha3) {
        public Settings {
            if (epochs < 0 || batchStreams < 1 || !(lr > 0) || !(alpha2 >= 0) || !(alpha3 >= 0)) {
                throw new IllegalArgumentException("acceleration settings: epochs ≥ 0, batchStreams ≥ 1, lr > 0, α2, α3 ≥ 0");
            }
        }

        public static Settings defaults(int epochs, long seed) {
            return new Settings(epochs, 64, 1e-3, seed, 0, 0);
        }
    }

    /** Per-epoch total loss on the training and test streams, the best test epoch (kept), seconds. */
    public record History(List<Double> train, List<Double> test, int bestEpoch, double bestTest, double seconds) {
    }

    private static final double TIME_SCALE = Units.POSITION_SCALE_KPC / Units.VELOCITY_SCALE_KMS;

    /**
     * Trains net on the model's training/test split of the streams; the best test epoch's weights are kept.
     *
     * @param xv  rows × 6 flat (kpc, km/s)
     * @param ids stream id per row
     */
    public static History train(ActionFinderModel model, AccelerationNet net, double[] xv, long[] ids, ActionFinderTrainer.Split split, Settings set,
                                Consumer<String> progress) {
        Streams st = Streams.of(ids, 1);
        ActionFinderModel.Derivatives d = model.derivatives(xv, st);
        int[][] members = st.members();
        List<Parameter> params = net.parameters();
        Adam opt = new Adam(params, set.lr());
        List<Double> trH = new ArrayList<>(), teH = new ArrayList<>();
        double best = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        double[][] bestW = null;
        long t0 = System.nanoTime();
        BufferPool pool = new BufferPool();   // each batch reuses the previous batch's buffers
        for (int epoch = 0; epoch < set.epochs(); epoch++) {
            net.train(true);
            int[] order = split.train().clone();
            Random r = new Random(set.seed() * 7_919L + epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            double sum = 0;
            int n = 0;
            for (int b0 = 0; b0 < order.length; b0 += set.batchStreams()) {
                int[] ss = Arrays.copyOfRange(order, b0, Math.min(order.length, b0 + set.batchStreams()));
                int[] rows = rowsOf(members, ss);
                double v;
                Tensor[] g;
                try (BufferPool.Scope sc = pool.open()) {
                    Tensor loss = loss(net, d, xv, rows, st, set);
                    v = loss.item();
                    if (!Double.isFinite(v)) throw new IllegalStateException("acceleration epoch " + (epoch + 1) + ": loss is " + v);
                    Tensor[] leaves = params.stream().map(Parameter::value).toArray(Tensor[]::new);
                    g = sc.keep(Autograd.grad(new Tensor[] {loss}, leaves, null, false));
                }
                opt.step(g);
                sum += v * rows.length;
                n += rows.length;
            }
            net.eval();
            int[] testRows = rowsOf(members, split.test());
            double te = loss(net, d, xv, testRows, st, set).item();
            trH.add(sum / n);
            teH.add(te);
            if (te < best) {
                best = te;
                bestEpoch = epoch;
                bestW = params.stream().map(p -> p.value().toArray()).toArray(double[][]::new);
            }
            if (progress != null) progress.accept(String.format("acceleration epoch %d/%d  train %.4e  test %.4e  best %d", epoch + 1, set.epochs(), sum / n, te, bestEpoch + 1));
        }
        if (bestW != null) for (int i = 0; i < params.size(); i++) params.get(i).set(Tensor.of(bestW[i], params.get(i).shape()));
        net.eval();
        return new History(trH, teH, bestEpoch, best, (System.nanoTime() - t0) * 1e-9);
    }

    static int[] rowsOf(int[][] members, int[] ss) {
        int n = 0;
        for (int s : ss) n += members[s].length;
        int[] out = new int[n];
        int k = 0;
        for (int s : ss) for (int r : members[s]) out[k++] = r;
        return out;
    }

    /** Eq. 17 on the given rows. */
    static Tensor loss(AccelerationNet net, ActionFinderModel.Derivatives d, double[] xv, int[] rows, Streams st, Settings set) {
        int n = rows.length;
        double[] x = new double[3 * n], bj = new double[3 * n], mj = new double[9 * n], bt = new double[3 * n], mt = new double[9 * n];
        long[] ids = new long[n];
        double js = Units.ACTION_SCALE;
        for (int q = 0; q < n; q++) {
            int r = rows[q];
            ids[q] = st.streamOf(r);
            for (int i = 0; i < 3; i++) {
                x[3 * q + i] = xv[6 * r + i];
                double sj = 0, stt = 0;
                for (int k = 0; k < 3; k++) {
                    sj += d.dJ()[18 * r + 6 * i + k] * xv[6 * r + 3 + k];
                    stt += d.dTheta()[18 * r + 6 * i + k] * xv[6 * r + 3 + k];
                    mj[9 * q + 3 * i + k] = d.dJ()[18 * r + 6 * i + 3 + k];
                    mt[9 * q + 3 * i + k] = d.dTheta()[18 * r + 6 * i + 3 + k];
                }
                bj[3 * q + i] = sj;
                bt[3 * q + i] = stt;
            }
        }
        Tensor a = net.forward(x, n);                                      // n×3
        Tensor djdt = Tensor.of(bj, n, 3).add(Tensor.of(mj, n, 3, 3).matmul(a.unsqueeze(2)).reshape(n, 3));
        Tensor loss = djdt.abs().mean().mul(TIME_SCALE / js);
        if (set.alpha3() > 0) {
            Tensor om = Tensor.of(bt, n, 3).add(Tensor.of(mt, n, 3, 3).matmul(a.unsqueeze(2)).reshape(n, 3)).mul(TIME_SCALE);
            Streams sub = Streams.of(ids, 1);
            loss = loss.add(ActionFinderCore.spread(om, sub).mul(set.alpha3()));
        }
        if (set.alpha2() > 0) {
            double[] rhat = new double[2 * n];
            for (int q = 0; q < n; q++) {
                double rr = Math.hypot(x[3 * q], x[3 * q + 1]);
                rhat[2 * q] = x[3 * q] / rr;
                rhat[2 * q + 1] = x[3 * q + 1] / rr;
            }
            Tensor rh = Tensor.of(rhat, n, 2);
            // cosine of the acceleration's projection on the (x, y) plane with the cylindrical R vector
            // (the cosine of a_R·R̂ alone would be ±1, with no gradient)
            Tensor axy = a.slice(1, 0, 2);
            Tensor cos = axy.mul(rh).sum(1, true).div(axy.square().sum(1, true).sqrt().add(1e-300));
            loss = loss.add(cos.add(1.0).mean().mul(set.alpha2()));
        }
        return loss;
    }

    /** dJ″/dt and Ω″ of the fixed-potential variant (§7): {dJ″/dt B×3, Ω″ B×3} with a = −∇Φ of field. */
    public static double[][] check(ActionFinderModel model, ForceField field, double[] xv, Streams st) {
        if (field.dim() != 3) throw new IllegalArgumentException("the fixed-potential variant needs a 3D potential, got dimension " + field.dim());
        int n = st.rows();
        double[] q = new double[3 * n], acc = new double[3 * n];
        for (int r = 0; r < n; r++) System.arraycopy(xv, 6 * r, q, 3 * r, 3);
        field.accelerations(q, acc, n);
        ActionFinderModel.Derivatives d = model.derivatives(xv, st);
        return new double[][] {d.dJdt(xv, acc), d.frequencies(xv, acc)};
    }
}
