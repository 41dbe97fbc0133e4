package dev.canonic.backend;

/** Elementwise binary functions (with numpy broadcasting) every backend implements. */
public enum BinaryKind {
    ADD, SUB, MUL, DIV, POW, ATAN2, MAXIMUM, MINIMUM,
    /** tanh's backward in one pass: a·(1 − b²), with a the cotangent and b = tanh(x). */
    TANH_GRAD,
    /** ReLU's backward in one pass: a where b &gt; 0, else 0, with a the cotangent and b the input x. */
    RELU_GRAD,
    GT, GE, LT, LE, EQ;

    /** The scalar definition, shared by the CPU backend and the tests. */
    public double apply(double a, double b) {
        switch (this) {
            case ADD: return a + b;
            case SUB: return a - b;
            case MUL: return a * b;
            case DIV: return a / b;
            case POW: return Math.pow(a, b);
            case ATAN2: return Math.atan2(a, b);
            case MAXIMUM: return a >= b ? a : b;
            case MINIMUM: return a <= b ? a : b;
            case TANH_GRAD: return a * (1.0 - b * b);
            case RELU_GRAD: return b > 0 ? a : 0.0;
            case GT: return a > b ? 1.0 : 0.0;
            case GE: return a >= b ? 1.0 : 0.0;
            case LT: return a < b ? 1.0 : 0.0;
            case LE: return a <= b ? 1.0 : 0.0;
            case EQ: return a == b ? 1.0 : 0.0;
            default: throw new IllegalStateException(name());
        }
    }

    /** True for comparisons, whose result is 0/1 and has no derivative. */
    public boolean isComparison() {
        return ordinal() >= GT.ordinal();
    }
}
