package dev.canonic.core;

import dev.canonic.backend.Backend;
import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.Buffer;
import dev.canonic.backend.UnaryKind;
import dev.canonic.backend.cpu.CpuBackend;
import dev.canonic.ops.Op;
import dev.canonic.ops.Ops;

import java.util.Arrays;
import java.util.Random;

/**
 * A dense row-major float64 tensor on one backend. Tensors are immutable values; every operation
 * returns a new tensor and, when gradients are recorded ({@link GradMode}) and an input requires a
 * gradient, remembers how it was made so that {@link Autograd} can differentiate through it, to any
 * order.
 */
public final class Tensor {
    private final int[] shape;
    private final Buffer buffer;
    private boolean requiresGrad;
    Node node;

    private Tensor(Buffer buffer, int[] shape) {
        this.buffer = buffer;
        this.shape = shape;
    }

    // ------------------------------------------------------------------ construction

    /** Wraps an existing buffer (no copy, no graph). For backends and ops. */
    public static Tensor wrap(Buffer buffer, int[] shape) {
        int n = Shapes.size(shape);
        if (buffer.length() < n) {
            throw new IllegalArgumentException("buffer of " + buffer.length() + " elements too small for shape " + Shapes.str(shape));
        }
        return new Tensor(buffer, shape.clone());
    }

    /** A tensor holding a copy of values, on the default backend. */
    public static Tensor of(double[] values, int... shape) {
        return of(Backends.defaultBackend(), values, shape);
    }

    /** A tensor holding a copy of values, on the given backend. */
    public static Tensor of(Backend backend, double[] values, int... shape) {
        if (Shapes.size(shape) != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + Shapes.str(shape));
        }
        return new Tensor(backend.fromHost(values), shape.clone());
    }

    /** A 2-D tensor from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        double[] v = new double[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) throw new IllegalArgumentException("row " + i + " has " + rows[i].length + " values, expected " + c);
            System.arraycopy(rows[i], 0, v, i * c, c);
        }
        return of(v, r, c);
    }

    /** A 0-d tensor. */
    public static Tensor scalar(double v) {
        return scalar(v, Backends.defaultBackend());
    }

    /** A 0-d tensor on a backend. */
    public static Tensor scalar(double v, Backend backend) {
        return new Tensor(backend.fromHost(new double[] {v}), new int[0]);
    }

    /** Zeros. */
    public static Tensor zeros(int... shape) {
        return new Tensor(Backends.defaultBackend().alloc(Shapes.size(shape)), shape.clone());
    }

    /** Zeros on a backend. */
    public static Tensor zeros(Backend backend, int... shape) {
        return new Tensor(backend.alloc(Shapes.size(shape)), shape.clone());
    }

    /** Every element equal to v. */
    public static Tensor full(double v, int... shape) {
        Backend be = Backends.defaultBackend();
        Buffer b = be.allocOutput(Shapes.size(shape));
        be.fill(b, v);
        return new Tensor(b, shape.clone());
    }

    /** Ones. */
    public static Tensor ones(int... shape) {
        return full(1.0, shape);
    }

    /** Uniform in [lo, hi) from a seeded java.util.Random. */
    public static Tensor rand(Random rng, double lo, double hi, int... shape) {
        double[] v = new double[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = lo + (hi - lo) * rng.nextDouble();
        return of(v, shape);
    }

    /** Standard normal from a seeded java.util.Random. */
    public static Tensor randn(Random rng, int... shape) {
        double[] v = new double[Shapes.size(shape)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return of(v, shape);
    }

    /** Counter-based uniform numbers in [0, 1) from the backend (the same on every backend). */
    public static Tensor uniform(Backend backend, long seed, long offset, int... shape) {
        Buffer b = backend.allocOutput(Shapes.size(shape));
        backend.uniform(seed, offset, b, Shapes.size(shape));
        return new Tensor(b, shape.clone());
    }

    /** The same values as a tensor that has no graph and requires no gradient. */
    public Tensor detach() {
        return new Tensor(buffer, shape);
    }

    /** Marks a leaf as needing its gradient; returns this. */
    public Tensor requiresGrad(boolean on) {
        if (node != null && !on) {
            throw new IllegalStateException("requiresGrad(false) on a tensor computed from the graph: use detach()");
        }
        requiresGrad = on;
        return this;
    }

    static void attachNode(Tensor out, Op op, Tensor[] in) {
        out.node = new Node(op, in.clone());
        out.requiresGrad = true;
    }

    /** For {@link Ops}: records that out was made by op from in. */
    public static void attach(Tensor out, Op op, Tensor[] in) {
        attachNode(out, op, in);
    }

    // ------------------------------------------------------------------ inspection

    /** True when gradients flow to this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** The operation that made this tensor, or null for a leaf. */
    public Node node() {
        return node;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    /** Extent of one axis (negative counts from the end). */
    public int dim(int axis) {
        return shape[Shapes.axis("dim", axis, shape.length)];
    }

    /** Number of axes. */
    public int rank() {
        return shape.length;
    }

    /** Number of elements. */
    public int size() {
        return Shapes.size(shape);
    }

    /** The backing buffer (not a copy). */
    public Buffer buffer() {
        return buffer;
    }

    /** The backend holding the values. */
    public Backend backend() {
        return buffer.backend();
    }

    /** The values as a new host array, row-major. */
    public double[] toArray() {
        double[] all = backend().toHost(buffer);
        int n = size();
        return all.length == n ? all : Arrays.copyOf(all, n);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (size() != 1) throw new IllegalStateException("item() on a tensor of shape " + Shapes.str(shape));
        return toArray()[0];
    }

    /** The value at a full index. */
    public double get(int... idx) {
        if (idx.length != shape.length) throw new IllegalArgumentException("index of rank " + idx.length + " for shape " + Shapes.str(shape));
        int off = 0;
        int[] st = Shapes.strides(shape);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= shape[i]) throw new IndexOutOfBoundsException("index " + Arrays.toString(idx) + " for shape " + Shapes.str(shape));
            off += idx[i] * st[i];
        }
        if (backend().isHost()) return ((dev.canonic.backend.cpu.CpuBuffer) buffer).array()[off];
        return toArray()[off];
    }

    /** A copy on another backend (no graph). */
    public Tensor to(Backend target) {
        if (target == backend()) return this;
        return new Tensor(target.fromHost(toArray()), shape);
    }

    @Override
    public String toString() {
        double[] v = size() <= 16 ? toArray() : Arrays.copyOf(toArray(), 16);
        return "Tensor" + Shapes.str(shape) + Arrays.toString(v) + (size() > 16 ? "..." : "") + (requiresGrad ? " grad" : "");
    }

    // ------------------------------------------------------------------ elementwise

    private Tensor u(UnaryKind k) {
        return Ops.apply(new Op.Unary(k), this);
    }

    private Tensor b(BinaryKind k, Tensor o) {
        return Ops.apply(new Op.Binary(k), this, o);
    }

    private Tensor c(double v) {
        return scalar(v, backend());
    }

    public Tensor neg() { return u(UnaryKind.NEG); }
    public Tensor exp() { return u(UnaryKind.EXP); }
    public Tensor log() { return u(UnaryKind.LOG); }
    public Tensor sin() { return u(UnaryKind.SIN); }
    public Tensor cos() { return u(UnaryKind.COS); }
    public Tensor tan() { return u(UnaryKind.TAN); }
    public Tensor tanh() { return u(UnaryKind.TANH); }
    public Tensor sqrt() { return u(UnaryKind.SQRT); }
    public Tensor abs() { return u(UnaryKind.ABS); }
    /** Sign (-1, 0, 1); zero derivative. */
    public Tensor sign() { return u(UnaryKind.SIGN); }
    /** Heaviside step (1 where x &gt; 0); zero derivative. */
    public Tensor step() { return u(UnaryKind.STEP); }
    public Tensor relu() { return u(UnaryKind.RELU); }
    public Tensor sigmoid() { return u(UnaryKind.SIGMOID); }
    public Tensor softplus() { return u(UnaryKind.SOFTPLUS); }
    public Tensor square() { return u(UnaryKind.SQUARE); }
    public Tensor reciprocal() { return u(UnaryKind.RECIPROCAL); }

    /** SiLU x·sigmoid(x). */
    public Tensor silu() { return mul(sigmoid()); }

    public Tensor add(Tensor o) { return b(BinaryKind.ADD, o); }
    public Tensor sub(Tensor o) { return b(BinaryKind.SUB, o); }
    public Tensor mul(Tensor o) { return b(BinaryKind.MUL, o); }
    public Tensor div(Tensor o) { return b(BinaryKind.DIV, o); }
    public Tensor pow(Tensor o) { return b(BinaryKind.POW, o); }
    /** atan2(this, x), elementwise: this is y. */
    public Tensor atan2(Tensor x) { return b(BinaryKind.ATAN2, x); }
    public Tensor maximum(Tensor o) { return b(BinaryKind.MAXIMUM, o); }
    public Tensor minimum(Tensor o) { return b(BinaryKind.MINIMUM, o); }
    /** 1 where this &gt; o, else 0 (no derivative). */
    public Tensor gt(Tensor o) { return b(BinaryKind.GT, o); }
    public Tensor ge(Tensor o) { return b(BinaryKind.GE, o); }
    public Tensor lt(Tensor o) { return b(BinaryKind.LT, o); }
    public Tensor le(Tensor o) { return b(BinaryKind.LE, o); }
    public Tensor eq(Tensor o) { return b(BinaryKind.EQ, o); }

    public Tensor add(double v) { return add(c(v)); }
    public Tensor sub(double v) { return sub(c(v)); }
    public Tensor mul(double v) { return mul(c(v)); }
    public Tensor div(double v) { return div(c(v)); }
    /** v - this. */
    public Tensor rsub(double v) { return c(v).sub(this); }
    public Tensor gt(double v) { return gt(c(v)); }
    public Tensor lt(double v) { return lt(c(v)); }

    /** this^p for a constant exponent. */
    public Tensor pow(double p) {
        return Ops.apply(new Op.PowScalar(p), this);
    }

    /** Clamps into [lo, hi]; the derivative is 1 inside and 0 outside. */
    public Tensor clamp(double lo, double hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp: lower bound " + lo + " above upper bound " + hi);
        return maximum(c(lo)).minimum(c(hi));
    }

    /** cond != 0 ? a : b, elementwise with broadcasting. */
    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        return Ops.apply(new Op.Where(), cond, a, b);
    }

    // ------------------------------------------------------------------ reductions

    private int[] normAxes(String op, int[] axes) {
        int[] a = new int[axes.length];
        for (int i = 0; i < axes.length; i++) a[i] = Shapes.axis(op, axes[i], shape.length);
        Arrays.sort(a);
        for (int i = 1; i < a.length; i++) {
            if (a[i] == a[i - 1]) throw new IllegalArgumentException(op + ": axis " + a[i] + " given twice");
        }
        return a;
    }

    /** Sum of every element (a 0-d tensor). */
    public Tensor sum() {
        int[] all = new int[shape.length];
        for (int i = 0; i < all.length; i++) all[i] = i;
        return Ops.apply(new Op.Sum(all, false), this);
    }

    /** Sum along axes. */
    public Tensor sum(int[] axes, boolean keepDim) {
        return Ops.apply(new Op.Sum(normAxes("sum", axes), keepDim), this);
    }

    /** Sum along one axis. */
    public Tensor sum(int axis, boolean keepDim) {
        return sum(new int[] {axis}, keepDim);
    }

    /** Mean of every element. */
    public Tensor mean() {
        return sum().div(size());
    }

    /** Mean along axes. */
    public Tensor mean(int[] axes, boolean keepDim) {
        int[] a = normAxes("mean", axes);
        int n = 1;
        for (int x : a) n *= shape[x];
        return sum(a, keepDim).div(n);
    }

    /** Mean along one axis. */
    public Tensor mean(int axis, boolean keepDim) {
        return mean(new int[] {axis}, keepDim);
    }

    /** Maximum along one axis. */
    public Tensor max(int axis, boolean keepDim) {
        return Ops.apply(new Op.Max(Shapes.axis("max", axis, shape.length), keepDim), this);
    }

    /** Maximum of every element. */
    public Tensor max() {
        return reshape(size()).max(0, false);
    }

    /** Euclidean norm along one axis. */
    public Tensor norm(int axis, boolean keepDim) {
        return square().sum(axis, keepDim).sqrt();
    }

    /**
     * Mean over consecutive groups of n rows (axis 0), broadcast back to every row: the "stream mean"
     * of S streams × n stars stored as S·n rows.
     */
    public Tensor groupMean(int n) {
        if (shape.length == 0 || n <= 0 || shape[0] % n != 0) {
            throw new IllegalArgumentException("groupMean: " + (shape.length == 0 ? "scalar" : shape[0] + " rows")
                + " cannot be split into groups of " + n);
        }
        int[] gs = new int[shape.length + 1];
        gs[0] = shape[0] / n;
        gs[1] = n;
        System.arraycopy(shape, 1, gs, 2, shape.length - 1);
        return reshape(gs).mean(1, true).expand(gs).reshape(shape);
    }

    // ------------------------------------------------------------------ movement

    /** Same values in a new shape; one axis may be -1. */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Shapes.str(newShape));
                infer = i;
            } else {
                known *= s[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || size() % known != 0) {
                throw new IllegalArgumentException("reshape: cannot view shape " + Shapes.str(shape) + " as " + Shapes.str(newShape));
            }
            s[infer] = size() / known;
        }
        if (Arrays.equals(s, shape)) return this;
        return Ops.apply(new Op.Reshape(s), this);
    }

    /** Broadcast to a shape. */
    public Tensor expand(int... newShape) {
        if (Arrays.equals(newShape, shape)) return this;
        return Ops.apply(new Op.Expand(newShape), this);
    }

    /** Reorders axes. */
    public Tensor permute(int... perm) {
        return Ops.apply(new Op.Permute(perm), this);
    }

    /** Swaps two axes. */
    public Tensor transpose(int a, int b) {
        int[] p = new int[shape.length];
        for (int i = 0; i < p.length; i++) p[i] = i;
        int x = Shapes.axis("transpose", a, shape.length), y = Shapes.axis("transpose", b, shape.length);
        p[x] = y;
        p[y] = x;
        if (x == y) return this;
        return permute(p);
    }

    /** Transpose of a matrix (last two axes). */
    public Tensor t() {
        return transpose(-2, -1);
    }

    /** Elements [start, end) along an axis. */
    public Tensor slice(int axis, int start, int end) {
        int a = Shapes.axis("slice", axis, shape.length);
        if (start == 0 && end == shape[a]) return this;
        return Ops.apply(new Op.Slice(a, start, end), this);
    }

    /** Index i along an axis, that axis removed. */
    public Tensor select(int axis, int i) {
        int a = Shapes.axis("select", axis, shape.length);
        int[] s = new int[shape.length - 1];
        for (int d = 0, k = 0; d < shape.length; d++) if (d != a) s[k++] = shape[d];
        return slice(a, i, i + 1).reshape(s);
    }

    /** Places this at start along an axis inside zeros of length len (the transpose of slice). */
    public Tensor pad(int axis, int start, int len) {
        return Ops.apply(new Op.Pad(Shapes.axis("pad", axis, shape.length), start, len), this);
    }

    /** Inserts an axis of length 1. */
    public Tensor unsqueeze(int axis) {
        int a = axis < 0 ? axis + shape.length + 1 : axis;
        if (a < 0 || a > shape.length) throw new IllegalArgumentException("unsqueeze: axis " + axis + " for rank " + shape.length);
        int[] s = new int[shape.length + 1];
        for (int d = 0, k = 0; d < s.length; d++) s[d] = d == a ? 1 : shape[k++];
        return reshape(s);
    }

    /** Joins tensors along an existing axis. */
    public static Tensor concat(int axis, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("concat: no tensors");
        if (ts.length == 1) return ts[0];
        return Ops.apply(new Op.Concat(Shapes.axis("concat", axis, ts[0].rank())), ts);
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... ts) {
        if (ts.length == 0) throw new IllegalArgumentException("stack: no tensors");
        Tensor[] u = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (!Arrays.equals(ts[i].shape, ts[0].shape)) {
                throw new IllegalArgumentException("stack: shapes " + Shapes.str(ts[0].shape) + " and " + Shapes.str(ts[i].shape) + " differ");
            }
            u[i] = ts[i].unsqueeze(axis);
        }
        return concat(axis < 0 ? axis : axis, u);
    }

    /** Gathers entries idx along an axis. */
    public Tensor indexSelect(int axis, int[] idx) {
        return Ops.apply(new Op.IndexSelect(Shapes.axis("indexSelect", axis, shape.length), idx), this);
    }

    /** Scatter-adds entries into zeros of length len at idx along an axis (transpose of indexSelect). */
    public Tensor indexAdd(int axis, int[] idx, int len) {
        return Ops.apply(new Op.IndexAdd(Shapes.axis("indexAdd", axis, shape.length), idx, len), this);
    }

    // ------------------------------------------------------------------ linear algebra

    /** Matrix product over the last two axes (batched when either side has leading axes). */
    public Tensor matmul(Tensor o) {
        return matmul(o, false, false);
    }

    /** op(this)·op(o), transposing an operand's last two axes when asked. */
    public Tensor matmul(Tensor o, boolean transThis, boolean transOther) {
        return Ops.apply(new Op.MatMul(transThis, transOther), this, o);
    }

    /** Batched inverse of n×n matrices (n ≤ 8). */
    public Tensor inverse() {
        return Ops.apply(new Op.Inverse(), this);
    }

    /** Batched determinant of n×n matrices (n ≤ 8). */
    public Tensor det() {
        return Ops.apply(new Op.Det(), this);
    }

    /** Solves this·X = rhs; rhs is [..., n, r], or [..., n] for one right-hand side. */
    public Tensor solve(Tensor rhs) {
        if (rhs.rank() == rank() - 1) {
            return Ops.apply(new Op.Solve(), this, rhs.unsqueeze(-1)).reshape(rhs.shape);
        }
        return Ops.apply(new Op.Solve(), this, rhs);
    }
}
