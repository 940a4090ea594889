// The ELU formulas, once. The CPU spans (cpu/elu_simd.h), the CUDA kernels and,
// by construction, the XLA lowerings (kernels/elu_xla_kernels.cc) evaluate
// exactly these expressions. Each device supplies its own expm1 and exp; the
// float32 CPU forward on FMA hardware (cpu/elu_float_fma.h) also folds alpha
// into expm1's final rounding, and so selects with EluSelect directly.
//
// ELU, Clevert, Unterthiner & Hochreiter 2015 (arXiv:1511.07289), eq. 15:
//   f(x)   = x       for x > 0,   alpha * expm1(x)   for x <= 0
//   f'(x)  = 1       for x > 0,   alpha * exp(x)     for x <= 0
//   f''(x) = 0       for x > 0,   alpha * exp(x)     for x <= 0
// Derivatives are computed from the input, as PyTorch and TensorFlow (after
// 2.21) do: from the output, f' = y + alpha cancels to 0 once y rounds to
// -alpha (x < -17 in float32), long before alpha * exp(x) underflows.
#ifndef KERAS_ELU_CC_ELU_FORMULAS_H_
#define KERAS_ELU_CC_ELU_FORMULAS_H_

#if !defined(__CUDACC_RTC__)  // NVRTC declares the math functions itself and has no libc headers
#include <math.h>  // copysignf, copysign: C names, as CUDA device code has them
#endif

#include "elu_inline.h"

namespace keras_elu {

// V is a scalar (float, double) or a GCC vector of them: `?:` and the
// comparisons below are element-wise for vectors, so one expression serves
// the scalar CUDA path and the SIMD CPU path alike.

// copysign(magnitude, sign): scalars through the C library, GCC vectors
// through their bits (-V{} is a vector of -0.0, the sign mask).
KERAS_ELU_INLINE float CopySign(float magnitude, float sign) { return copysignf(magnitude, sign); }
KERAS_ELU_INLINE double CopySign(double magnitude, double sign) { return copysign(magnitude, sign); }
template <typename V>
KERAS_ELU_INLINE V CopySign(V magnitude, V sign) {
  using VI = decltype(V{} < V{});
  const VI mask = (VI)(-V{});
  return (V)(((VI)magnitude & ~mask) | ((VI)sign & mask));
}

// The negative branch takes x's sign: the result is x <= 0's own sign, so
// -0.0 maps to -0.0 and +0.0 to +0.0 on every kernel (as tf.nn.elu does),
// whatever rounding or a compensated sum makes of a zero; under TF's
// denormals-are-zero a subnormal x reads as a signed zero and gives one, as
// tf.nn.relu does. NaN fails `x > 0` and propagates through the branch.
template <typename V>
KERAS_ELU_INLINE V EluSelect(V x, V negative_branch) {
  return x > 0 ? x : CopySign(negative_branch, x);
}

template <typename V, typename S>
KERAS_ELU_INLINE V EluFromExpm1(V x, V expm1_x, S alpha) {
  return EluSelect(x, alpha * expm1_x);
}

// dL/dx from dL/dy and x, given alpha_exp_x = alpha * exp(min(x, 0)); at
// x = 0 (either sign) this is dy * alpha, as in the paper.
template <typename V>
KERAS_ELU_INLINE V EluGradFromInput(V dy, V x, V alpha_exp_x) {
  return x > 0 ? dy : dy * alpha_exp_x;
}

// g * dy * f''(x): the derivative of EluGradFromInput(dy, x, .) in x, scaled
// by the incoming gradient g.
template <typename V>
KERAS_ELU_INLINE V EluGradGradFromInput(V g, V dy, V x, V alpha_exp_x) {
  const V zero{};
  return x > 0 ? zero : (g * dy) * alpha_exp_x;
}

// The 0.1 ops KerasElu>EluGrad and EluGradGrad, kept so graphs written by
// keras_elu 0.1 still run: the same derivatives from the output y = f(x).
template <typename V, typename S>
KERAS_ELU_INLINE V EluGradFromOutput(V dy, V y, S alpha) {
  return y > 0 ? dy : dy * (y + alpha);
}

template <typename V>
KERAS_ELU_INLINE V EluGradGradFromOutput(V g, V dy, V y) {
  const V zero{};
  return y > 0 ? zero : g * dy;
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_FORMULAS_H_
