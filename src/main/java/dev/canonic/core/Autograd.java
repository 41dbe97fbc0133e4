package dev.canonic.core;

import dev.canonic.backend.Buffer;
import dev.canonic.backend.cpu.CpuArena;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reverse-mode differentiation over the graph that operations record. Because every backward rule
 * is itself written in tensor operations, a gradient computed with {@code createGraph = true} can be
 * differentiated again (gradients of gradients, Hessian-vector products, per-sample Jacobians inside
 * a loss).
 */
public final class Autograd {
    private Autograd() {
    }

    /**
     * Gradients of outputs (weighted by cotangents) with respect to inputs.
     *
     * @param outputs     tensors to differentiate
     * @param inputs      tensors to differentiate with respect to (leaves or intermediates)
     * @param cotangents  one per output, same shape; null means ones (so a scalar output gives its gradient)
     * @param createGraph record the backward computation so that the result can be differentiated again
     * @return one gradient per input, same shape; zeros where an input does not influence the outputs
     *
     * <p>Inside a {@link BufferPool} scope and without createGraph, the backward pass hands its own
     * dead temporaries back to the pool as it goes (see {@link Recycler}), so the next operation
     * reuses them while they are still in cache.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] cotangents, boolean createGraph) {
        if (cotangents != null && cotangents.length != outputs.length) {
            throw new IllegalArgumentException("grad: " + outputs.length + " outputs but " + cotangents.length + " cotangents");
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Recycler rec = createGraph ? null : Recycler.open();
        for (int i = 0; i < outputs.length; i++) {
            Tensor o = outputs[i];
            Tensor c = cotangents == null || cotangents[i] == null ? null : cotangents[i];
            if (c == null) {
                c = Tensor.full(1.0, o.shape()).to(o.backend());
            } else if (!Arrays.equals(c.shape(), o.shape())) {
                throw new IllegalArgumentException("grad: cotangent of shape " + Shapes.str(c.shape())
                    + " for output of shape " + Shapes.str(o.shape()));
            }
            if (!o.requiresGrad()) continue;
            accumulate(grads, o, c, rec);
        }
        Set<Tensor> wanted = Collections.newSetFromMap(new IdentityHashMap<>());
        Collections.addAll(wanted, inputs);
        List<Tensor> order = topoOrder(outputs, wanted);
        try (GradMode.Scope s = GradMode.enabled(createGraph)) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.get(k);
                Tensor g = grads.get(t);
                if (g == null || t.node == null) continue;
                if (!wanted.contains(t)) {
                    grads.remove(t);
                    if (rec != null) rec.dropped(g);
                }
                Node n = t.node;
                boolean any = false;
                for (Tensor in : n.inputs) if (in.requiresGrad()) any = true;
                if (!any) {
                    if (rec != null) rec.flush();
                    continue;
                }
                int before = rec == null ? -1 : CpuArena.mark();
                Tensor[] gin = n.op.vjp(n.inputs, t, g);
                if (rec != null) rec.releaseTemporaries(before, gin, n.inputs);
                for (int i = 0; i < gin.length; i++) {
                    if (gin[i] != null && n.inputs[i].requiresGrad()) accumulate(grads, n.inputs[i], gin[i], rec);
                }
                if (rec != null) rec.flush();
            }
        }
        Tensor[] result = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads.get(inputs[i]);
            if (g == null) g = Tensor.zeros(inputs[i].backend(), inputs[i].shape());
            result[i] = createGraph ? g : g.detach();
        }
        return result;
    }

    private static void accumulate(Map<Tensor, Tensor> grads, Tensor t, Tensor g, Recycler rec) {
        if (!Arrays.equals(g.shape(), t.shape())) {
            throw new IllegalStateException("backward of " + (t.node == null ? "leaf" : t.node.op.name())
                + " produced a gradient of shape " + Shapes.str(g.shape()) + " for a tensor of shape " + Shapes.str(t.shape()));
        }
        Tensor prev = grads.get(t);
        Tensor sum = prev == null ? g : prev.add(g);
        grads.put(t, sum);
        if (rec != null) {
            rec.held(sum);
            if (prev != null) {
                rec.dropped(prev);
                rec.consumed(g);   // g may still be the value of another tensor (a rule may return it twice)
            }
        }
    }

    /**
     * Early recycling in a backward pass without createGraph, inside a {@link BufferPool} scope.
     * Only buffers allocated by this pass are ever released, and only when nothing can read them:
     * (1) what a backward rule allocated and did not return — rules are pure tensor code and record
     * no graph here, so nothing else can reach those buffers; (2) a cotangent (or partial sum of
     * cotangents) once it is out of the pass's map and no value left in the map shares its buffer.
     * Gradients returned to the caller stay in the map to the end, so they are never released.
     */
    private static final class Recycler {
        final int mark;
        final IdentityHashMap<Buffer, int[]> refs = new IdentityHashMap<>();
        final List<Tensor> candidates = new ArrayList<>();

        private Recycler(int mark) {
            this.mark = mark;
        }

        /** A recycler when a scope is open on this thread, else null. */
        static Recycler open() {
            int m = CpuArena.mark();
            return m < 0 ? null : new Recycler(m);
        }

        /** v became a value of the map. */
        void held(Tensor v) {
            int[] c = refs.get(v.buffer());
            if (c == null) refs.put(v.buffer(), new int[] {1});
            else c[0]++;
        }

        /** v stopped being a value of the map: released at the next flush unless another value shares its buffer. */
        void dropped(Tensor v) {
            int[] c = refs.get(v.buffer());
            if (c != null) c[0]--;
            candidates.add(v);
        }

        /** v, not a value of the map itself, was used up: released at the next flush unless a value shares its buffer. */
        void consumed(Tensor v) {
            candidates.add(v);
        }

        void flush() {
            for (Tensor v : candidates) {
                Buffer b = v.buffer();
                int[] c = refs.get(b);
                if (c != null && c[0] > 0) continue;
                refs.remove(b);
                CpuArena.releaseIfSince(b, mark);
            }
            candidates.clear();
        }

        /** Releases what a backward rule allocated since before, except the buffers of its results. */
        void releaseTemporaries(int before, Tensor[] gin, Tensor[] inputs) {
            Set<Buffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
            for (int i = 0; i < gin.length; i++) {
                if (gin[i] != null && inputs[i].requiresGrad()) live.add(gin[i].buffer());
            }
            CpuArena.releaseSince(before, live);
        }
    }

    /**
     * Tensors reachable from outputs that lie on a path to a wanted tensor, in topological order
     * (inputs before the tensors computed from them). Iterative, so deep graphs cannot overflow the stack.
     */
    private static List<Tensor> topoOrder(Tensor[] outputs, Set<Tensor> wanted) {
        Map<Tensor, Boolean> reaches = new IdentityHashMap<>();
        List<Tensor> order = new ArrayList<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        for (Tensor o : outputs) {
            if (reaches.containsKey(o)) continue;
            stack.push(new Object[] {o, 0});
            reaches.put(o, Boolean.FALSE);
            while (!stack.isEmpty()) {
                Object[] top = stack.peek();
                Tensor t = (Tensor) top[0];
                int i = (Integer) top[1];
                Tensor[] ins = t.node == null ? new Tensor[0] : t.node.inputs;
                if (i < ins.length) {
                    top[1] = i + 1;
                    Tensor c = ins[i];
                    if (c.requiresGrad() && !reaches.containsKey(c)) {
                        reaches.put(c, Boolean.FALSE);
                        stack.push(new Object[] {c, 0});
                    }
                } else {
                    stack.pop();
                    boolean r = wanted.contains(t);
                    for (Tensor c : ins) if (Boolean.TRUE.equals(reaches.get(c))) r = true;
                    reaches.put(t, r);
                    if (r) order.add(t);
                }
            }
        }
        return order;
    }

    /** Gradient of a scalar output with respect to inputs, no graph kept. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(new Tensor[] {output}, inputs, null, false);
    }

    /** Vector-Jacobian product vᵀ·∂f/∂x of f at x. */
    public static Tensor vjp(Function<Tensor, Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        Tensor xi = x.requiresGrad() ? x : x.detach().requiresGrad(true);
        Tensor y = f.apply(xi);
        return grad(new Tensor[] {y}, new Tensor[] {xi}, new Tensor[] {v}, createGraph)[0];
    }

    /**
     * Jacobian-vector product ∂f/∂x·v, by differentiating the (linear in u) vector-Jacobian product
     * uᵀ·∂f/∂x with respect to u.
     */
    public static Tensor jvp(Function<Tensor, Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        Tensor xi = x.requiresGrad() ? x : x.detach().requiresGrad(true);
        Tensor y = f.apply(xi);
        Tensor u = Tensor.zeros(y.backend(), y.shape()).requiresGrad(true);
        Tensor g = grad(new Tensor[] {y}, new Tensor[] {xi}, new Tensor[] {u}, true)[0];
        if (!g.requiresGrad()) return Tensor.zeros(y.backend(), y.shape());
        return grad(new Tensor[] {g}, new Tensor[] {u}, new Tensor[] {v}, createGraph)[0];
    }

    /**
     * Per-sample Jacobian of a batched function: y = f(x) with x of shape B×n and y of shape B×m,
     * where sample b of y depends only on sample b of x. Returns B×m×n with J[b, i, j] = ∂y[b,i]/∂x[b,j].
     * With createGraph the Jacobian can sit inside a loss.
     */
    public static Tensor jacobian(Function<Tensor, Tensor> f, Tensor x, boolean createGraph) {
        if (x.rank() != 2) throw new IllegalArgumentException("jacobian: inputs must be B×n, got " + Shapes.str(x.shape()));
        Tensor y = f.apply(x);
        return jacobianOf(y, x, createGraph);
    }

    /** Per-sample Jacobian of an already computed y (B×m) with respect to x (B×n). */
    public static Tensor jacobianOf(Tensor y, Tensor x, boolean createGraph) {
        if (y.rank() != 2 || x.rank() != 2 || y.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("jacobian: expects y B×m and x B×n, got " + Shapes.str(y.shape()) + " and " + Shapes.str(x.shape()));
        }
        int b = y.dim(0), m = y.dim(1);
        Tensor[] rows = new Tensor[m];
        for (int i = 0; i < m; i++) {
            double[] e = new double[b * m];
            for (int s = 0; s < b; s++) e[s * m + i] = 1.0;
            Tensor c = Tensor.of(y.backend(), e, b, m);
            rows[i] = grad(new Tensor[] {y}, new Tensor[] {x}, new Tensor[] {c}, createGraph)[0];
        }
        return Tensor.stack(1, rows);
    }

    /** Hessian-vector product H·v of a scalar function f at x. */
    public static Tensor hvp(Function<Tensor, Tensor> f, Tensor x, Tensor v, boolean createGraph) {
        Tensor xi = x.requiresGrad() ? x : x.detach().requiresGrad(true);
        Tensor y = f.apply(xi);
        if (y.size() != 1) throw new IllegalArgumentException("hvp: f must be scalar, got shape " + Shapes.str(y.shape()));
        Tensor g = grad(new Tensor[] {y}, new Tensor[] {xi}, null, true)[0];
        if (!g.requiresGrad()) return Tensor.zeros(x.backend(), x.shape());
        return grad(new Tensor[] {g.mul(v).sum()}, new Tensor[] {xi}, null, createGraph)[0];
    }
}
