package dev.canonic.ops;

import dev.canonic.backend.BinaryKind;
import dev.canonic.backend.UnaryKind;
import dev.canonic.check.GradCheck;
import dev.canonic.core.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every primitive passes the finite-difference checker to first AND second order at random float64
 * inputs, and every primitive (every record of Op, every unary and binary kind) has a case here.
 */
class OpGradTest {
    static final double TOL = 1e-7;
    static final Set<String> COVERED = new HashSet<>();

    record Case(String name, String covers, Function<Tensor[], Tensor> f, Tensor[] xs) {
    }

    static Tensor r(Random g, double lo, double hi, int... shape) {
        return Tensor.rand(g, lo, hi, shape);
    }

    static List<Case> cases() {
        Random g = new Random(7);
        List<Case> cs = new ArrayList<>();
        for (UnaryKind k : UnaryKind.values()) {
            if (k == UnaryKind.SIGN || k == UnaryKind.STEP) {
                cs.add(new Case("unary " + k, "Unary:" + k, x -> x[0].mul(x[0]).add(x[0].sign().mul(0.0)).add(x[0].step()),
                    new Tensor[] {r(g, 0.2, 1.5, 2, 3)}));
                continue;
            }
            double lo = -1.2, hi = 1.2;
            if (k == UnaryKind.LOG || k == UnaryKind.SQRT || k == UnaryKind.RECIPROCAL) {
                lo = 0.3;
                hi = 2.0;
            }
            if (k == UnaryKind.ABS || k == UnaryKind.RELU) {
                lo = 0.1;
                hi = 1.5;
            }
            Tensor x = r(g, lo, hi, 2, 3);
            if (k == UnaryKind.ABS || k == UnaryKind.RELU) x = x.mul(Tensor.of(new double[] {1, -1, 1, -1, 1, -1}, 2, 3));
            UnaryKind kk = k;
            cs.add(new Case("unary " + k, "Unary:" + k, a -> a[0].mul(a[0].add(0.5)).add(applyUnary(kk, a[0])), new Tensor[] {x}));
        }
        for (BinaryKind k : BinaryKind.values()) {
            if (k.isComparison()) {
                cs.add(new Case("compare " + k, "Binary:" + k, a -> a[0].mul(applyBinary(k, a[0], a[1])).add(a[1].square()),
                    new Tensor[] {r(g, -1, 1, 3, 2), r(g, -1, 1, 3, 2)}));
                continue;
            }
            Tensor a = r(g, 0.5, 1.5, 3, 4), b = r(g, 0.5, 1.5, 4);
            if (k == BinaryKind.MAXIMUM || k == BinaryKind.MINIMUM) {
                a = Tensor.of(new double[] {0.1, 0.9, -0.4, 0.3, 1.2, -1.0, 0.5, 0.05, 0.7, -0.2, 0.0, 0.8}, 3, 4);
                b = Tensor.of(new double[] {0.35, -0.3, 0.45, 0.5}, 4);
            }
            cs.add(new Case("binary " + k + " broadcast", "Binary:" + k, x -> applyBinary(k, x[0], x[1]).mul(x[0].add(x[1])), new Tensor[] {a, b}));
            cs.add(new Case("binary " + k + " column broadcast", "Binary:" + k, x -> applyBinary(k, x[1], x[0]),
                new Tensor[] {r(g, 0.5, 1.5, 3, 1), r(g, 0.6, 1.4, 2, 1, 4)}));
        }
        cs.add(new Case("pow scalar 2.5", "PowScalar", x -> x[0].pow(2.5).add(x[0].pow(-1.5)), new Tensor[] {r(g, 0.5, 2, 2, 2)}));
        cs.add(new Case("pow scalar 2", "PowScalar", x -> x[0].pow(2.0).mul(x[0]), new Tensor[] {r(g, -2, 2, 5)}));
        cs.add(new Case("where", "Where", x -> Tensor.where(x[0].gt(0.0), x[1].exp(), x[2].mul(x[1])),
            new Tensor[] {r(g, -1, 1, 3, 3), r(g, -1, 1, 3, 3), r(g, -1, 1, 3)}));
        cs.add(new Case("sum axes keep", "Sum", x -> x[0].square().sum(new int[] {0, 2}, true).mul(x[0]),
            new Tensor[] {r(g, -1, 1, 2, 3, 2)}));
        cs.add(new Case("sum all", "Sum", x -> x[0].exp().sum().mul(x[0].sum(1, false).sin().sum()), new Tensor[] {r(g, -1, 1, 3, 2)}));
        cs.add(new Case("mean axis", "Sum", x -> x[0].mean(0, false).square(), new Tensor[] {r(g, -1, 1, 4, 3)}));
        cs.add(new Case("max axis", "Max", x -> x[0].square().max(1, false).mul(x[0].max(0, true).sum()),
            new Tensor[] {Tensor.of(new double[] {0.1, 0.7, -0.3, 1.1, 0.4, -0.9}, 2, 3)}));
        cs.add(new Case("expand", "Expand", x -> x[0].expand(3, 2, 4).mul(x[1]), new Tensor[] {r(g, -1, 1, 2, 1), r(g, -1, 1, 3, 2, 4)}));
        cs.add(new Case("reshape", "Reshape", x -> x[0].reshape(3, 2).square().reshape(-1).mul(x[0].reshape(6)), new Tensor[] {r(g, -1, 1, 2, 3)}));
        cs.add(new Case("permute", "Permute", x -> x[0].permute(2, 0, 1).mul(x[0].permute(2, 0, 1).sin()), new Tensor[] {r(g, -1, 1, 2, 3, 2)}));
        cs.add(new Case("transpose", "Permute", x -> x[0].t().matmul(x[0]), new Tensor[] {r(g, -1, 1, 3, 2)}));
        cs.add(new Case("slice", "Slice", x -> x[0].slice(1, 1, 3).square().mul(x[0].slice(0, 0, 1).slice(1, 0, 2)), new Tensor[] {r(g, -1, 1, 2, 4)}));
        cs.add(new Case("pad", "Pad", x -> x[0].pad(1, 1, 5).mul(x[1]).square(), new Tensor[] {r(g, -1, 1, 2, 3), r(g, -1, 1, 2, 5)}));
        cs.add(new Case("concat", "Concat", x -> Tensor.concat(1, x[0], x[1].square(), x[0].exp()).mul(x[2]),
            new Tensor[] {r(g, -1, 1, 2, 2), r(g, -1, 1, 2, 1), r(g, -1, 1, 2, 5)}));
        cs.add(new Case("stack", "Concat", x -> Tensor.stack(0, x[0], x[1]).square().mul(x[0]), new Tensor[] {r(g, -1, 1, 2, 3), r(g, -1, 1, 2, 3)}));
        int[] idx = {2, 0, 2, 1};
        cs.add(new Case("indexSelect", "IndexSelect", x -> x[0].indexSelect(0, idx).square().mul(x[1]),
            new Tensor[] {r(g, -1, 1, 3, 2), r(g, -1, 1, 4, 2)}));
        cs.add(new Case("indexAdd", "IndexAdd", x -> x[0].indexAdd(1, new int[] {1, 1, 0}, 3).square().mul(x[1]),
            new Tensor[] {r(g, -1, 1, 2, 3), r(g, -1, 1, 2, 3)}));
        cs.add(new Case("groupMean", "Sum", x -> x[0].sub(x[0].groupMean(3)).abs().mean(), new Tensor[] {r(g, -1, 1, 6, 2)}));
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                cs.add(new Case("matmul ta=" + ta + " tb=" + tb, "MatMul", x -> x[0].matmul(x[1], ta, tb).square(),
                    new Tensor[] {ta ? r(g, -1, 1, 4, 3) : r(g, -1, 1, 3, 4), tb ? r(g, -1, 1, 2, 4) : r(g, -1, 1, 4, 2)}));
            }
        }
        cs.add(new Case("matmul batched", "MatMul", x -> x[0].matmul(x[1]).tanh(), new Tensor[] {r(g, -1, 1, 2, 3, 4), r(g, -1, 1, 2, 4, 2)}));
        cs.add(new Case("matmul batch x matrix", "MatMul", x -> x[0].matmul(x[1], false, true).sin(),
            new Tensor[] {r(g, -1, 1, 2, 3, 4), r(g, -1, 1, 2, 4)}));
        cs.add(new Case("matmul broadcast batch", "MatMul", x -> x[0].matmul(x[1]).sin(),
            new Tensor[] {r(g, -1, 1, 2, 1, 2, 3), r(g, -1, 1, 1, 3, 3, 2)}));
        cs.add(new Case("inverse", "Inverse", x -> x[0].inverse(), new Tensor[] {wellConditioned(g, 2, 3)}));
        cs.add(new Case("det", "Det", x -> x[0].det(), new Tensor[] {wellConditioned(g, 2, 3)}));
        cs.add(new Case("solve", "Solve", x -> x[0].solve(x[1]), new Tensor[] {wellConditioned(g, 2, 3), r(g, -1, 1, 2, 3, 2)}));
        cs.add(new Case("solve vector", "Solve", x -> x[0].solve(x[1]), new Tensor[] {wellConditioned(g, 1, 4), r(g, -1, 1, 1, 4)}));
        cs.add(new Case("clamp", "Binary:MAXIMUM", x -> x[0].clamp(-0.5, 0.5).mul(x[0]),
            new Tensor[] {Tensor.of(new double[] {-0.9, -0.2, 0.1, 0.7}, 4)}));
        cs.add(new Case("norm", "Unary:SQRT", x -> x[0].norm(1, false), new Tensor[] {r(g, 0.2, 1, 3, 3)}));
        cs.add(new Case("silu softplus", "Unary:SOFTPLUS", x -> x[0].silu().add(x[0].softplus()), new Tensor[] {r(g, -2, 2, 5)}));
        cs.add(new Case("atan2 quadrants", "Binary:ATAN2", x -> x[0].atan2(x[1]),
            new Tensor[] {Tensor.of(new double[] {0.5, -0.5, 0.5, -0.5}, 4), Tensor.of(new double[] {0.7, 0.7, -0.7, -0.7}, 4)}));
        cs.add(new Case("gradientShear (more in GradientShearTest)", "GradientShear",
            x -> Ops.apply(new Op.GradientShear(1, false, false), x[0], x[1], x[2], x[3]).sin(),
            new Tensor[] {r(g, -1, 1, 3, 2), r(g, -1, 1, 4, 1), r(g, -1, 1, 4), r(g, -1, 1, 4)}));
        return cs;
    }

    static Tensor wellConditioned(Random g, int batch, int n) {
        Tensor a = r(g, -0.4, 0.4, batch, n, n);
        double[] eye = new double[n * n];
        for (int i = 0; i < n; i++) eye[i * n + i] = 1.5;
        return a.add(Tensor.of(eye, n, n));
    }

    static Tensor applyUnary(UnaryKind k, Tensor x) {
        switch (k) {
            case NEG: return x.neg();
            case EXP: return x.exp();
            case LOG: return x.log();
            case SIN: return x.sin();
            case COS: return x.cos();
            case TAN: return x.tan();
            case TANH: return x.tanh();
            case SQRT: return x.sqrt();
            case ABS: return x.abs();
            case SIGN: return x.sign();
            case RELU: return x.relu();
            case STEP: return x.step();
            case SIGMOID: return x.sigmoid();
            case SOFTPLUS: return x.softplus();
            case SQUARE: return x.square();
            case RECIPROCAL: return x.reciprocal();
            default: throw new IllegalStateException(k.name());
        }
    }

    static Tensor applyBinary(BinaryKind k, Tensor a, Tensor b) {
        switch (k) {
            case ADD: return a.add(b);
            case SUB: return a.sub(b);
            case MUL: return a.mul(b);
            case DIV: return a.div(b);
            case POW: return a.pow(b);
            case ATAN2: return a.atan2(b);
            case MAXIMUM: return a.maximum(b);
            case MINIMUM: return a.minimum(b);
            case TANH_GRAD: case RELU_GRAD: return Ops.apply(new Op.Binary(k), a, b);
            case GT: return a.gt(b);
            case GE: return a.ge(b);
            case LT: return a.lt(b);
            case LE: return a.le(b);
            case EQ: return a.eq(b);
            default: throw new IllegalStateException(k.name());
        }
    }

    @TestFactory
    List<DynamicTest> firstAndSecondOrder() {
        List<DynamicTest> ts = new ArrayList<>();
        for (Case c : cases()) {
            ts.add(DynamicTest.dynamicTest(c.name, () -> {
                GradCheck.first(c.f, c.xs, 1e-3, 11).assertWithin(c.name + " (first order)", TOL);
                GradCheck.second(c.f, c.xs, 1e-3, 12).assertWithin(c.name + " (second order)", TOL);
                synchronized (COVERED) {
                    COVERED.add(c.covers);
                }
            }));
        }
        return ts;
    }

    /** Every record of Op and every kind has a case in the list above. */
    @Test
    void everyPrimitiveHasACase() {
        Set<String> declared = new HashSet<>();
        for (Case c : cases()) declared.add(c.covers);
        List<String> missing = new ArrayList<>();
        for (Class<?> k : Op.class.getPermittedSubclasses()) {
            String n = k.getSimpleName();
            if (n.equals("Unary")) {
                for (UnaryKind u : UnaryKind.values()) if (!declared.contains("Unary:" + u)) missing.add("Unary:" + u);
            } else if (n.equals("Binary")) {
                for (BinaryKind b : BinaryKind.values()) if (!declared.contains("Binary:" + b)) missing.add("Binary:" + b);
            } else if (!declared.contains(n)) {
                missing.add(n);
            }
        }
        assertTrue(missing.isEmpty(), "primitives without a gradient check: " + missing);
        assertTrue(Op.class.getPermittedSubclasses().length >= 18, "expected at least 18 primitives");
    }

    @AfterAll
    static void report() {
        System.out.println("OpGradTest: " + cases().size() + " cases passed first and second order checks, covering " + COVERED.size() + " primitives/kinds");
    }
}
