package dev.canonic.ops;

import dev.canonic.backend.Backend;
import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.Buffer;
import dev.canonic.backend.ReduceKind;
import dev.canonic.backend.UnaryKind;
import dev.canonic.core.GradMode;
import dev.canonic.core.Shapes;
import dev.canonic.core.Tensor;

import java.util.Arrays;

/**
 * The primitive operations of the engine, each a record with its forward computation and its
 * vector-Jacobian product side by side (like one entry of PyTorch's derivatives.yaml). Every vjp is
 * written with differentiable tensor operations, so gradients of gradients work to any order.
 * Everything else (mean, clamp, norm, group means, softplus's derivative...) is a composition.
 *
 * <p>{@code forward} computes the raw result without recording anything; {@code Ops.apply} records
 * the graph. {@code vjp} returns one cotangent per input, or null where the input has no derivative
 * (indices, conditions, comparison results).
 */
public sealed interface Op {
    /** Name used in error messages. */
    String name();

    /** The raw result on the inputs' backend. */
    Tensor forward(Tensor[] in);

    /** Cotangents of the inputs given the output's cotangent g. */
    Tensor[] vjp(Tensor[] in, Tensor out, Tensor g);

    // ------------------------------------------------------------------ helpers

    private static Backend backendOf(String op, Tensor[] in) {
        Backend b = in[0].backend();
        for (Tensor t : in) {
            if (t.backend() != b) {
                throw new IllegalArgumentException(op + ": inputs live on different backends (" + b.name()
                    + " and " + t.backend().name() + ")");
            }
        }
        return b;
    }

    /** Sums g down to shape (the transpose of broadcasting), differentiably. */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shape();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        Tensor r = g;
        if (lead > 0) {
            int[] axes = new int[lead];
            for (int i = 0; i < lead; i++) axes[i] = i;
            r = r.sum(axes, false);
        }
        int cnt = 0;
        for (int i = 0; i < shape.length; i++) if (shape[i] == 1 && r.shape()[i] != 1) cnt++;
        if (cnt > 0) {
            int[] axes = new int[cnt];
            int k = 0;
            for (int i = 0; i < shape.length; i++) if (shape[i] == 1 && r.shape()[i] != 1) axes[k++] = i;
            r = r.sum(axes, true);
        }
        return r;
    }

    // ------------------------------------------------------------------ elementwise

    /** y = f(x) elementwise. */
    record Unary(UnaryKind kind) implements Op {
        public String name() {
            return kind.name().toLowerCase();
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            Backend be = x.backend();
            Buffer o = be.allocOutput(x.size());
            be.unary(kind, x.buffer(), o, x.size());
            return Tensor.wrap(o, x.shape());
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            Tensor x = in[0];
            Tensor gx;
            switch (kind) {
                case NEG: gx = g.neg(); break;
                case EXP: gx = g.mul(out); break;
                case LOG: gx = g.div(x); break;
                case SIN: gx = g.mul(x.cos()); break;
                case COS: gx = g.mul(x.sin()).neg(); break;
                case TAN: gx = g.mul(out.square().add(1.0)); break;
                case TANH: gx = Ops.apply(new Binary(BinaryKind.TANH_GRAD), g, out); break;
                case SQRT: gx = g.div(out.mul(2.0)); break;
                case ABS: gx = g.mul(x.sign()); break;
                case SIGN: case STEP: gx = null; break;
                case RELU: gx = Ops.apply(new Binary(BinaryKind.RELU_GRAD), g, x); break;
                case SIGMOID: gx = g.mul(out.mul(out.rsub(1.0))); break;
                case SOFTPLUS: gx = g.mul(x.sigmoid()); break;
                case SQUARE: gx = g.mul(x).mul(2.0); break;
                case RECIPROCAL: gx = g.mul(out.square()).neg(); break;
                default: throw new IllegalStateException(kind.name());
            }
            return new Tensor[] {gx};
        }
    }

    /** y = x^p for a constant exponent p. */
    record PowScalar(double p) implements Op {
        public String name() {
            return "pow";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            return new Binary(BinaryKind.POW).forward(new Tensor[] {x, Tensor.scalar(p, x.backend())});
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            if (p == 0.0) return new Tensor[] {null};
            if (p == 1.0) return new Tensor[] {g};
            if (p == 2.0) return new Tensor[] {g.mul(in[0]).mul(2.0)};
            return new Tensor[] {g.mul(in[0].pow(p - 1.0)).mul(p)};
        }
    }

    /** y = f(a, b) with numpy broadcasting. */
    record Binary(BinaryKind kind) implements Op {
        public String name() {
            return kind.name().toLowerCase();
        }

        public Tensor forward(Tensor[] in) {
            Tensor a = in[0], b = in[1];
            Backend be = backendOf(name(), in);
            int[] shape = Shapes.broadcast(name(), a.shape(), b.shape());
            Buffer o = be.allocOutput(Shapes.size(shape));
            be.binary(kind, a.buffer(), Shapes.broadcastStrides(a.shape(), shape),
                b.buffer(), Shapes.broadcastStrides(b.shape(), shape), o, shape);
            return Tensor.wrap(o, shape);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            Tensor a = in[0], b = in[1];
            Tensor ga, gb;
            switch (kind) {
                case ADD: ga = g; gb = g; break;
                case SUB: ga = g; gb = g.neg(); break;
                case MUL: ga = a.requiresGrad() ? g.mul(b) : null; gb = b.requiresGrad() ? g.mul(a) : null; break;
                case DIV: ga = g.div(b); gb = b.requiresGrad() ? g.mul(out).div(b).neg() : null; break;
                case POW:
                    ga = a.requiresGrad() ? g.mul(b).mul(a.pow(b.sub(1.0))) : null;
                    gb = b.requiresGrad() ? g.mul(out).mul(a.log()) : null;
                    break;
                case ATAN2: {
                    Tensor r2 = a.square().add(b.square());
                    ga = g.mul(b).div(r2);
                    gb = g.mul(a).div(r2).neg();
                    break;
                }
                case MAXIMUM: {
                    Tensor m = a.ge(b);
                    ga = g.mul(m);
                    gb = g.mul(m.rsub(1.0));
                    break;
                }
                case MINIMUM: {
                    Tensor m = a.le(b);
                    ga = g.mul(m);
                    gb = g.mul(m.rsub(1.0));
                    break;
                }
                case TANH_GRAD:
                    // d/da a(1 − b²) = 1 − b², d/db = −2ab
                    ga = a.requiresGrad() ? Ops.apply(new Binary(BinaryKind.TANH_GRAD), g, b) : null;
                    gb = b.requiresGrad() ? g.mul(a).mul(b).mul(-2.0) : null;
                    break;
                case RELU_GRAD:
                    // linear in a with the same mask; zero derivative in b almost everywhere
                    ga = a.requiresGrad() ? Ops.apply(new Binary(BinaryKind.RELU_GRAD), g, b) : null;
                    gb = null;
                    break;
                default: return new Tensor[] {null, null};
            }
            return new Tensor[] {ga == null ? null : sumTo(ga, a.shape()), gb == null ? null : sumTo(gb, b.shape())};
        }
    }

    /** y = cond != 0 ? a : b, broadcasting all three. */
    record Where() implements Op {
        public String name() {
            return "where";
        }

        public Tensor forward(Tensor[] in) {
            Tensor c = in[0], a = in[1], b = in[2];
            Backend be = backendOf(name(), in);
            int[] shape = Shapes.broadcast(name(), Shapes.broadcast(name(), c.shape(), a.shape()), b.shape());
            Buffer o = be.allocOutput(Shapes.size(shape));
            be.where(c.buffer(), Shapes.broadcastStrides(c.shape(), shape), a.buffer(), Shapes.broadcastStrides(a.shape(), shape),
                b.buffer(), Shapes.broadcastStrides(b.shape(), shape), o, shape);
            return Tensor.wrap(o, shape);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            Tensor c = in[0];
            Tensor zero = Tensor.scalar(0.0, g.backend());
            Tensor ga = in[1].requiresGrad() ? sumTo(Tensor.where(c, g, zero), in[1].shape()) : null;
            Tensor gb = in[2].requiresGrad() ? sumTo(Tensor.where(c, zero, g), in[2].shape()) : null;
            return new Tensor[] {null, ga, gb};
        }
    }

    // ------------------------------------------------------------------ reductions

    /** Sum over the given axes (sorted, distinct), keeping them as size 1 or dropping them. */
    record Sum(int[] axes, boolean keepDim) implements Op {
        public Sum {
            axes = axes.clone();
        }

        public String name() {
            return "sum";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            Backend be = x.backend();
            int[] shape = x.shape();
            Buffer cur = x.buffer();
            int[] curShape = shape.clone();
            for (int k = axes.length - 1; k >= 0; k--) {
                int ax = axes[k];
                int outer = 1, inner = 1;
                for (int d = 0; d < ax; d++) outer *= curShape[d];
                for (int d = ax + 1; d < curShape.length; d++) inner *= curShape[d];
                Buffer o = be.allocOutput(outer * inner);
                be.reduce(ReduceKind.SUM, cur, outer, curShape[ax], inner, o);
                cur = o;
                curShape[ax] = 1;
            }
            return Tensor.wrap(cur, keepDim ? curShape : dropAxes(shape, axes));
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            int[] keep = in[0].shape().clone();
            for (int a : axes) keep[a] = 1;
            return new Tensor[] {g.reshape(keep).expand(in[0].shape())};
        }

        public boolean equals(Object o) {
            return o instanceof Sum && Arrays.equals(axes, ((Sum) o).axes) && keepDim == ((Sum) o).keepDim;
        }

        public int hashCode() {
            return Arrays.hashCode(axes) * 31 + (keepDim ? 1 : 0);
        }

        public String toString() {
            return "Sum" + Arrays.toString(axes);
        }
    }

    /** Maximum along one axis; ties share the gradient equally. */
    record Max(int axis, boolean keepDim) implements Op {
        public String name() {
            return "max";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            int[] shape = x.shape();
            if (shape[axis] == 0) throw new IllegalArgumentException("max: axis " + axis + " of shape " + Shapes.str(shape) + " is empty");
            int outer = 1, inner = 1;
            for (int d = 0; d < axis; d++) outer *= shape[d];
            for (int d = axis + 1; d < shape.length; d++) inner *= shape[d];
            Buffer o = x.backend().allocOutput(outer * inner);
            x.backend().reduce(ReduceKind.MAX, x.buffer(), outer, shape[axis], inner, o);
            int[] keep = shape.clone();
            keep[axis] = 1;
            return Tensor.wrap(o, keepDim ? keep : dropAxes(shape, new int[] {axis}));
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            Tensor x = in[0];
            int[] keep = x.shape().clone();
            keep[axis] = 1;
            Tensor mask = x.detach().eq(out.detach().reshape(keep));
            Tensor count = mask.sum(new int[] {axis}, true);
            return new Tensor[] {mask.div(count).mul(g.reshape(keep))};
        }
    }

    private static int[] dropAxes(int[] shape, int[] axes) {
        int[] out = new int[shape.length - axes.length];
        int k = 0;
        outer:
        for (int d = 0; d < shape.length; d++) {
            for (int a : axes) if (a == d) continue outer;
            out[k++] = shape[d];
        }
        return out;
    }

    // ------------------------------------------------------------------ movement

    /** Broadcast to a larger shape (numpy rules). */
    record Expand(int[] shape) implements Op {
        public Expand {
            shape = shape.clone();
        }

        public String name() {
            return "expand";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            int[] b = Shapes.broadcast(name(), x.shape(), shape);
            if (!Arrays.equals(b, shape)) {
                throw new IllegalArgumentException("expand: shape " + Shapes.str(x.shape()) + " cannot be expanded to " + Shapes.str(shape));
            }
            Backend be = x.backend();
            Buffer o = be.allocOutput(Shapes.size(shape));
            be.copy(x.buffer(), 0, Shapes.broadcastStrides(x.shape(), shape), shape, o, 0, Shapes.strides(shape));
            return Tensor.wrap(o, shape);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {sumTo(g, in[0].shape())};
        }

        public boolean equals(Object o) {
            return o instanceof Expand && Arrays.equals(shape, ((Expand) o).shape);
        }

        public int hashCode() {
            return Arrays.hashCode(shape);
        }
    }

    /** Same values, new shape. */
    record Reshape(int[] shape) implements Op {
        public Reshape {
            shape = shape.clone();
        }

        public String name() {
            return "reshape";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            if (Shapes.size(shape) != x.size()) {
                throw new IllegalArgumentException("reshape: cannot view shape " + Shapes.str(x.shape()) + " as " + Shapes.str(shape));
            }
            return Tensor.wrap(x.buffer(), shape);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {g.reshape(in[0].shape())};
        }

        public boolean equals(Object o) {
            return o instanceof Reshape && Arrays.equals(shape, ((Reshape) o).shape);
        }

        public int hashCode() {
            return Arrays.hashCode(shape);
        }
    }

    /** Axes reordered: out axis i is input axis perm[i]. */
    record Permute(int[] perm) implements Op {
        public Permute {
            perm = perm.clone();
        }

        public String name() {
            return "permute";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            int[] s = x.shape();
            if (perm.length != s.length) throw new IllegalArgumentException("permute: " + perm.length + " axes given for shape " + Shapes.str(s));
            boolean[] seen = new boolean[s.length];
            int[] os = new int[s.length], ss = new int[s.length];
            int[] st = Shapes.strides(s);
            for (int i = 0; i < perm.length; i++) {
                if (perm[i] < 0 || perm[i] >= s.length || seen[perm[i]]) {
                    throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " is not a permutation of " + s.length + " axes");
                }
                seen[perm[i]] = true;
                os[i] = s[perm[i]];
                ss[i] = st[perm[i]];
            }
            Buffer o = x.backend().allocOutput(x.size());
            x.backend().copy(x.buffer(), 0, ss, os, o, 0, Shapes.strides(os));
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            int[] inv = new int[perm.length];
            for (int i = 0; i < perm.length; i++) inv[perm[i]] = i;
            return new Tensor[] {g.permute(inv)};
        }

        public boolean equals(Object o) {
            return o instanceof Permute && Arrays.equals(perm, ((Permute) o).perm);
        }

        public int hashCode() {
            return Arrays.hashCode(perm);
        }
    }

    /** Elements start..end-1 along one axis. */
    record Slice(int axis, int start, int end) implements Op {
        public String name() {
            return "slice";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            int[] s = x.shape();
            if (start < 0 || end > s[axis] || start > end) {
                throw new IllegalArgumentException("slice: range [" + start + ", " + end + ") out of bounds for axis " + axis + " of shape " + Shapes.str(s));
            }
            int[] os = s.clone();
            os[axis] = end - start;
            int[] st = Shapes.strides(s);
            Buffer o = x.backend().allocOutput(Shapes.size(os));
            x.backend().copy(x.buffer(), start * st[axis], st, os, o, 0, Shapes.strides(os));
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {g.pad(axis, start, in[0].shape()[axis])};
        }
    }

    /** The transpose of Slice: places x at start along axis in zeros of length len. */
    record Pad(int axis, int start, int len) implements Op {
        public String name() {
            return "pad";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            int[] s = x.shape();
            if (start < 0 || start + s[axis] > len) {
                throw new IllegalArgumentException("pad: " + s[axis] + " elements at " + start + " do not fit in length " + len);
            }
            int[] os = s.clone();
            os[axis] = len;
            int[] ost = Shapes.strides(os);
            Buffer o = x.backend().alloc(Shapes.size(os));   // zeros around the copied block
            x.backend().copy(x.buffer(), 0, Shapes.strides(s), s, o, start * ost[axis], ost);
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {g.slice(axis, start, start + in[0].shape()[axis])};
        }
    }

    /** Joins tensors along an existing axis. */
    record Concat(int axis) implements Op {
        public String name() {
            return "concat";
        }

        public Tensor forward(Tensor[] in) {
            Backend be = backendOf(name(), in);
            int[] s0 = in[0].shape();
            int total = 0;
            for (Tensor t : in) {
                int[] s = t.shape();
                boolean ok = s.length == s0.length;
                for (int d = 0; ok && d < s.length; d++) if (d != axis && s[d] != s0[d]) ok = false;
                if (!ok) {
                    throw new IllegalArgumentException("concat: shapes " + Shapes.str(s0) + " and " + Shapes.str(s) + " differ off axis " + axis);
                }
                total += s[axis];
            }
            int[] os = s0.clone();
            os[axis] = total;
            int[] ost = Shapes.strides(os);
            Buffer o = be.allocOutput(Shapes.size(os));
            int at = 0;
            for (Tensor t : in) {
                be.copy(t.buffer(), 0, Shapes.strides(t.shape()), t.shape(), o, at * ost[axis], ost);
                at += t.shape()[axis];
            }
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            Tensor[] r = new Tensor[in.length];
            int at = 0;
            for (int i = 0; i < in.length; i++) {
                int l = in[i].shape()[axis];
                r[i] = g.slice(axis, at, at + l);
                at += l;
            }
            return r;
        }
    }

    /** Picks entries idx along an axis (a gather). */
    record IndexSelect(int axis, int[] idx) implements Op {
        public IndexSelect {
            idx = idx.clone();
        }

        public String name() {
            return "indexSelect";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            int[] s = x.shape();
            int outer = 1, inner = 1;
            for (int d = 0; d < axis; d++) outer *= s[d];
            for (int d = axis + 1; d < s.length; d++) inner *= s[d];
            int[] os = s.clone();
            os[axis] = idx.length;
            Buffer o = x.backend().allocOutput(Shapes.size(os));
            x.backend().indexSelect(x.buffer(), outer, s[axis], inner, idx, o);
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {g.indexAdd(axis, idx, in[0].shape()[axis])};
        }

        public boolean equals(Object o) {
            return o instanceof IndexSelect && axis == ((IndexSelect) o).axis && Arrays.equals(idx, ((IndexSelect) o).idx);
        }

        public int hashCode() {
            return Arrays.hashCode(idx) * 31 + axis;
        }
    }

    /** The transpose of IndexSelect: a scatter-add of x's entries into zeros of length len at idx. */
    record IndexAdd(int axis, int[] idx, int len) implements Op {
        public IndexAdd {
            idx = idx.clone();
        }

        public String name() {
            return "indexAdd";
        }

        public Tensor forward(Tensor[] in) {
            Tensor x = in[0];
            int[] s = x.shape();
            if (s[axis] != idx.length) {
                throw new IllegalArgumentException("indexAdd: " + idx.length + " indices for axis " + axis + " of shape " + Shapes.str(s));
            }
            for (int i : idx) {
                if (i < 0 || i >= len) throw new IndexOutOfBoundsException("indexAdd: index " + i + " out of range [0, " + len + ")");
            }
            int outer = 1, inner = 1;
            for (int d = 0; d < axis; d++) outer *= s[d];
            for (int d = axis + 1; d < s.length; d++) inner *= s[d];
            int[] os = s.clone();
            os[axis] = len;
            Buffer o = x.backend().allocOutput(Shapes.size(os));
            x.backend().indexAdd(x.buffer(), outer, len, inner, idx, o);
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            return new Tensor[] {g.indexSelect(axis, idx)};
        }

        public boolean equals(Object o) {
            return o instanceof IndexAdd && axis == ((IndexAdd) o).axis && len == ((IndexAdd) o).len
                && Arrays.equals(idx, ((IndexAdd) o).idx);
        }

        public int hashCode() {
            return Arrays.hashCode(idx) * 31 + axis * 7 + len;
        }
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product op(A)·op(B) over the last two axes, where op transposes when asked. Leading
     * (batch) axes must be equal, or one side has none.
     */
    record MatMul(boolean transA, boolean transB) implements Op {
        public String name() {
            return "matmul";
        }

        public Tensor forward(Tensor[] in) {
            Tensor a = in[0], b = in[1];
            Backend be = backendOf(name(), in);
            int[] as = a.shape(), bs = b.shape();
            if (as.length < 2 || bs.length < 2) {
                throw new IllegalArgumentException("matmul: needs two matrices (rank >= 2), got shapes " + Shapes.str(as) + " and " + Shapes.str(bs));
            }
            int m = transA ? as[as.length - 1] : as[as.length - 2];
            int ka = transA ? as[as.length - 2] : as[as.length - 1];
            int kb = transB ? bs[bs.length - 1] : bs[bs.length - 2];
            int n = transB ? bs[bs.length - 2] : bs[bs.length - 1];
            if (ka != kb) {
                throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shapes.str(as) + (transA ? "ᵀ" : "")
                    + " · " + Shapes.str(bs) + (transB ? "ᵀ" : "") + " (" + ka + " vs " + kb + ")");
            }
            int[] ab = Arrays.copyOf(as, as.length - 2), bb = Arrays.copyOf(bs, bs.length - 2);
            int[] batchShape;
            if (ab.length == 0) batchShape = bb;
            else if (bb.length == 0 || Arrays.equals(ab, bb)) batchShape = ab;
            else {
                batchShape = Shapes.broadcast(name(), ab, bb);
                int[] fa = Arrays.copyOf(batchShape, batchShape.length + 2);
                fa[batchShape.length] = as[as.length - 2];
                fa[batchShape.length + 1] = as[as.length - 1];
                int[] fb = Arrays.copyOf(batchShape, batchShape.length + 2);
                fb[batchShape.length] = bs[bs.length - 2];
                fb[batchShape.length + 1] = bs[bs.length - 1];
                return forward(new Tensor[] {new Expand(fa).forward(new Tensor[] {a}), new Expand(fb).forward(new Tensor[] {b})});
            }
            int batch = Shapes.size(batchShape);
            int[] os = Arrays.copyOf(batchShape, batchShape.length + 2);
            os[batchShape.length] = m;
            os[batchShape.length + 1] = n;
            Buffer o = be.allocOutput(Shapes.size(os));
            be.gemm(batch, m, n, ka, a.buffer(), ab.length == 0 ? 0 : m * ka, transA, b.buffer(), bb.length == 0 ? 0 : ka * n, transB, o);
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            Tensor a = in[0], b = in[1];
            Tensor ga = null, gb = null;
            if (a.requiresGrad()) ga = sumTo(transA ? b.matmul(g, transB, true) : g.matmul(b, false, !transB), a.shape());
            if (b.requiresGrad()) gb = sumTo(transB ? g.matmul(a, true, transA) : a.matmul(g, !transA, false), b.shape());
            return new Tensor[] {ga, gb};
        }
    }

    private static int checkSquare(String op, Tensor a) {
        int[] s = a.shape();
        if (s.length < 2 || s[s.length - 1] != s[s.length - 2]) {
            throw new IllegalArgumentException(op + ": needs square matrices in the last two axes, got shape " + Shapes.str(s));
        }
        int n = s[s.length - 1];
        if (n > 8) throw new IllegalArgumentException(op + ": small matrices only (n <= 8), got n = " + n);
        return n;
    }

    /** Batched inverse of n×n matrices, n ≤ 8. */
    record Inverse() implements Op {
        public String name() {
            return "inverse";
        }

        public Tensor forward(Tensor[] in) {
            Tensor a = in[0];
            int n = checkSquare(name(), a);
            Buffer o = a.backend().allocOutput(a.size());
            a.backend().inverse(a.buffer(), n == 0 ? 0 : a.size() / (n * n), n, o);
            return Tensor.wrap(o, a.shape());
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            // d(A^-1) = -A^-1 dA A^-1  =>  gA = -A^-T g A^-T
            return new Tensor[] {out.matmul(g, true, false).matmul(out, false, true).neg()};
        }
    }

    /** Batched determinant of n×n matrices, n ≤ 8. */
    record Det() implements Op {
        public String name() {
            return "det";
        }

        public Tensor forward(Tensor[] in) {
            Tensor a = in[0];
            int n = checkSquare(name(), a);
            int[] s = a.shape();
            int[] os = Arrays.copyOf(s, s.length - 2);
            Buffer o = a.backend().allocOutput(Shapes.size(os));
            a.backend().det(a.buffer(), Shapes.size(os), n, o);
            return Tensor.wrap(o, os);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            // d det A = det A · tr(A^-1 dA)  =>  gA = g · det A · A^-T
            int[] s = in[0].shape();
            int[] k = Arrays.copyOf(s, s.length);
            k[s.length - 1] = 1;
            k[s.length - 2] = 1;
            return new Tensor[] {in[0].inverse().transpose(-2, -1).mul(g.mul(out).reshape(k))};
        }
    }

    /** Batched solve A·X = B for n×n A (n ≤ 8) and n×r B. */
    record Solve() implements Op {
        public String name() {
            return "solve";
        }

        public Tensor forward(Tensor[] in) {
            Tensor a = in[0], b = in[1];
            Backend be = backendOf(name(), in);
            int n = checkSquare(name(), a);
            int[] as = a.shape(), bs = b.shape();
            if (bs.length != as.length || bs[bs.length - 2] != n
                || !Arrays.equals(Arrays.copyOf(as, as.length - 2), Arrays.copyOf(bs, bs.length - 2))) {
                throw new IllegalArgumentException("solve: right-hand side of shape " + Shapes.str(bs) + " does not match matrices " + Shapes.str(as));
            }
            int r = bs[bs.length - 1];
            Buffer o = be.allocOutput(b.size());
            be.solve(a.buffer(), b.buffer(), n == 0 ? 0 : a.size() / (n * n), n, r, o);
            return Tensor.wrap(o, bs);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            // X = A^-1 B:  gB = A^-T g,  gA = -gB Xᵀ
            Tensor gb = in[0].transpose(-2, -1).solve(g);
            Tensor ga = in[0].requiresGrad() ? gb.matmul(out, false, true).neg() : null;
            return new Tensor[] {ga, gb};
        }
    }

    // ------------------------------------------------------------------ fused

    /**
     * The whole SympNet gradient module (Jin et al. 2020) as one operation: on rows of x [B, 2d] with
     * K [w, d], a [w], b [w], the fixed half x_f (columns [0, d) when up, else [d, 2d)) is kept and
     * the moving half x_m becomes
     * <pre>
     *   y_m = x_m + σ·t,   t = (a ⊙ tanh(x_f Kᵀ + b)) K      (σ = +1, or −1 for the inverse)
     * </pre>
     * It computes what the composition slice, matmul, add, tanh, mul, matmul, add, concat computes,
     * without its B×w intermediates: the fixed half bitwise, the moving half and the gradients to
     * rounding (the sums over the width run in another order; within 1e-13 relative in
     * GradientShearTest).
     *
     * <p>Backward, with g_s = σ·g_m, h = tanh(x_f Kᵀ + b), u = g_s Kᵀ (B×w) and
     * s = u ⊙ a ⊙ (1 − h²): gx_f = g_f + s K, gx_m = g_m, gK = (h ⊙ a)ᵀ g_s + sᵀ x_f,
     * ga = Σ_rows h ⊙ u, gb = Σ_rows s.
     *
     * <p>Backends: where {@link Backend#hasGradientShear()} holds (the CPU), the forward and, when no
     * graph is being recorded, the backward run the backend's fused one-pass kernels. On other
     * backends (CUDA today) both are computed by the primitive composition. When the backward is
     * itself recorded (a gradient taken with createGraph, so that it can be differentiated again) it
     * is always written with the differentiable primitives above, recomputing h from the inputs, so
     * gradients of gradients work to any order.
     */
    record GradientShear(int d, boolean up, boolean inverse) implements Op {
        public String name() {
            return "gradientShear";
        }

        private int[] check(Tensor[] in) {
            Tensor x = in[0], k = in[1], a = in[2], b = in[3];
            int w = k.rank() == 2 ? k.dim(0) : -1;
            if (d <= 0 || x.rank() != 2 || x.dim(1) != 2 * d || k.rank() != 2 || k.dim(1) != d
                || !Arrays.equals(a.shape(), new int[] {w}) || !Arrays.equals(b.shape(), new int[] {w})) {
                throw new IllegalArgumentException("gradientShear: for d = " + d + " expected x [B, " + 2 * d + "], K [w, " + d
                    + "], a [w], b [w]; got " + Shapes.str(x.shape()) + ", " + Shapes.str(k.shape()) + ", "
                    + Shapes.str(a.shape()) + ", " + Shapes.str(b.shape()));
            }
            return new int[] {x.dim(0), w};
        }

        public Tensor forward(Tensor[] in) {
            int[] bw = check(in);
            Backend be = backendOf(name(), in);
            if (!be.hasGradientShear()) {
                try (GradMode.Scope s = GradMode.noGrad()) {
                    return composed(in[0].detach(), in[1].detach(), in[2].detach(), in[3].detach());
                }
            }
            Buffer o = be.alloc(in[0].size());
            be.gradientShear(in[0].buffer(), bw[0], d, bw[1], up, inverse, in[1].buffer(), in[2].buffer(), in[3].buffer(), o);
            return Tensor.wrap(o, in[0].shape());
        }

        /** The forward by primitives (what GradientModule computed before this op existed). */
        private Tensor composed(Tensor x, Tensor k, Tensor a, Tensor b) {
            int f = up ? 0 : d, m = up ? d : 0;
            Tensor xf = x.slice(1, f, f + d), xm = x.slice(1, m, m + d);
            Tensor t = xf.matmul(k, false, true).add(b).tanh().mul(a).matmul(k);
            Tensor ym = inverse ? xm.sub(t) : xm.add(t);
            return up ? Tensor.concat(1, xf, ym) : Tensor.concat(1, ym, xf);
        }

        public Tensor[] vjp(Tensor[] in, Tensor out, Tensor g) {
            Tensor x = in[0], k = in[1], a = in[2], b = in[3];
            Backend be = g.backend();
            if (!GradMode.isEnabled() && be.hasGradientShear()) {
                int[] bw = check(in);
                int w = bw[1];
                Buffer gx = be.alloc(x.size()), gk = be.alloc(w * d), ga = be.alloc(w), gb = be.alloc(w);
                be.gradientShearBackward(x.buffer(), g.buffer(), bw[0], d, w, up, inverse, k.buffer(), a.buffer(), b.buffer(),
                    gx, gk, ga, gb);
                return new Tensor[] {Tensor.wrap(gx, x.shape()), Tensor.wrap(gk, k.shape()), Tensor.wrap(ga, a.shape()),
                    Tensor.wrap(gb, b.shape())};
            }
            int f = up ? 0 : d, m = up ? d : 0;
            Tensor xf = x.slice(1, f, f + d), gf = g.slice(1, f, f + d), gm = g.slice(1, m, m + d);
            Tensor gs = inverse ? gm.neg() : gm;
            Tensor h = xf.matmul(k, false, true).add(b).tanh();
            Tensor u = gs.matmul(k, false, true);
            Tensor s = Ops.apply(new Binary(BinaryKind.TANH_GRAD), u.mul(a), h);
            Tensor gx = null, gk = null, ga = null, gb = null;
            if (x.requiresGrad()) {
                Tensor gxf = gf.add(s.matmul(k));
                gx = up ? Tensor.concat(1, gxf, gm) : Tensor.concat(1, gm, gxf);
            }
            if (k.requiresGrad()) gk = h.mul(a).matmul(gs, true, false).add(s.matmul(xf, true, false));
            if (a.requiresGrad()) ga = h.mul(u).sum(0, false);
            if (b.requiresGrad()) gb = s.sum(0, false);
            return new Tensor[] {gx, gk, ga, gb};
        }
    }
}
