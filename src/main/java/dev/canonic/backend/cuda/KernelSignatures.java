package dev.canonic.backend.cuda;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter list of every kernel the backend launches, one letter per parameter: l = 64-bit
 * integer, i = 32-bit integer, d = float64, p = device pointer, s = the 132-byte {@link KernelDims}
 * struct. CudaBackend checks each launch against this table, and KernelResourcesTest checks the
 * table against the .entry declarations of the committed PTX, so a kernel and its Java call site
 * cannot drift apart unnoticed (a wrong parameter list would otherwise corrupt memory silently).
 */
public final class KernelSignatures {
    private static final Map<String, String> TABLE = new LinkedHashMap<>();

    static {
        for (String u : new String[] {"neg", "exp", "log", "sin", "cos", "tan", "tanh", "sqrt", "abs", "sign", "relu", "step",
            "sigmoid", "softplus", "square", "reciprocal"}) {
            TABLE.put("unary_" + u + "_f64", "lpp");
        }
        for (String b : new String[] {"add", "sub", "mul", "div", "pow", "atan2", "maximum", "minimum", "tanh_grad", "relu_grad", "gt", "ge", "lt", "le", "eq"}) {
            TABLE.put("binary_" + b + "_f64", "lppps");
        }
        TABLE.put("where_select_f64", "lpppps");
        TABLE.put("fill_value_f64", "lpd");
        TABLE.put("copy_strided_f64", "lppll" + "s");
        TABLE.put("reduce_sum_f64", "lppii");
        TABLE.put("reduce_max_f64", "lppii");
        TABLE.put("reduce_sum_rows_f64", "lppi");
        TABLE.put("reduce_max_rows_f64", "lppi");
        TABLE.put("index_select_f64", "lpppiii");
        TABLE.put("index_add_f64", "lpppiii");
        TABLE.put("linalg_inverse_f64", "lppip");
        TABLE.put("linalg_det_f64", "lppi");
        TABLE.put("linalg_solve_f64", "lpppiip");
        TABLE.put("gemm_tc_f64", "iiipplipli");
        TABLE.put("gemm_tc16_f64", "iiipplipli");
        TABLE.put("gemm_simt_f64", "iiipplipli");
        TABLE.put("optim_adam_f64", "lppppddddddi");
        TABLE.put("rng_uniform_f64", "lpll");
        TABLE.put("rng_dropout_f64", "lpplldd");
    }

    private KernelSignatures() {
    }

    /** Every kernel name with its parameter letters (insertion order). */
    public static Map<String, String> all() {
        return java.util.Collections.unmodifiableMap(TABLE);
    }

    /** The parameter letters of a kernel; throws for an unknown name. */
    public static String of(String kernel) {
        String s = TABLE.get(kernel);
        if (s == null) throw new IllegalArgumentException("unknown kernel " + kernel);
        return s;
    }

    /** The family (.cu file) a kernel lives in. */
    public static String family(String kernel) {
        if (kernel.startsWith("unary_") || kernel.startsWith("binary_") || kernel.startsWith("where_") || kernel.startsWith("fill_")
            || kernel.startsWith("copy_")) {
            return "elementwise";
        }
        if (kernel.startsWith("reduce_") || kernel.startsWith("index_")) return "reduce";
        if (kernel.startsWith("linalg_")) return "linalg";
        if (kernel.startsWith("gemm_")) return "gemm";
        if (kernel.startsWith("optim_")) return "optim";
        if (kernel.startsWith("rng_")) return "rng";
        throw new IllegalArgumentException("unknown kernel family for " + kernel);
    }

    /** The letter a Java launch argument stands for, or '?' for an unsupported type. */
    public static char letterOf(Object arg) {
        if (arg instanceof Long) return 'l';
        if (arg instanceof Integer) return 'i';
        if (arg instanceof Double) return 'd';
        if (arg instanceof CudaBuffer || arg instanceof jcuda.driver.CUdeviceptr) return 'p';
        if (arg instanceof int[] && ((int[]) arg).length == KernelDims.PACKED_INTS) return 's';
        return '?';
    }

    /** Throws IllegalArgumentException when args do not match the kernel's parameter list. */
    public static void check(String kernel, Object... args) {
        String sig = of(kernel);
        StringBuilder got = new StringBuilder();
        for (Object a : args) got.append(letterOf(a));
        if (!sig.contentEquals(got)) throw new IllegalArgumentException(kernel + " takes (" + sig + "), given (" + got + ")");
    }
}
