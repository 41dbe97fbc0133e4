package dev.canonic.backend;

/** Elementwise unary functions every backend implements. */
public enum UnaryKind {
    NEG, EXP, LOG, SIN, COS, TAN, TANH, SQRT, ABS, SIGN, RELU, STEP, SIGMOID, SOFTPLUS, SQUARE, RECIPROCAL;

    /** The scalar definition, shared by the CPU backend and the tests. */
    public double apply(double x) {
        switch (this) {
            case NEG: return -x;
            case EXP: return Math.exp(x);
            case LOG: return Math.log(x);
            case SIN: return Math.sin(x);
            case COS: return Math.cos(x);
            case TAN: return Math.tan(x);
            case TANH: return Math.tanh(x);
            case SQRT: return Math.sqrt(x);
            case ABS: return Math.abs(x);
            case SIGN: return x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0);
            case RELU: return x > 0 ? x : 0.0;
            case STEP: return x > 0 ? 1.0 : 0.0;
            case SIGMOID: return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
            case SOFTPLUS: return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
            case SQUARE: return x * x;
            case RECIPROCAL: return 1.0 / x;
            default: throw new IllegalStateException(name());
        }
    }
}
