// The ELU formulas, once, as templates over a value type V that every device
// instantiates: the CPU spans with GCC vectors (cpu/elu_simd.h), the CUDA
// kernels with float and double (cuda/elu_device.cu), and the XLA lowerings
// with xla::XlaOp (kernels/elu_xla_kernels.cc). A formula uses V's + and *
// and the primitives of ValueOps<V> below, nothing else, so each device
// evaluates the same expression in its own arithmetic. What differs per
// device is the expm1 and exp fed in: the CPU's (cpu/), CUDA's, XLA's. The
// float32 forward on FMA hardware (cpu/elu_float_fma.h, which the CUDA
// kernels run too) folds alpha into expm1's last rounding and so does not
// call EluFromExpm1: it applies EluSelect's rule itself, by a sign-bit blend
// (see there); benchmarks/check_all_float32.py checks it on every negative
// float32.
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

// The primitives the formulas need beyond + and *. This template serves
// float, double and GCC vectors of them, where `>` and `?:` work element by
// element; kernels/elu_xla_kernels.cc specialises it for xla::XlaOp. A class
// to specialise rather than overloads, because overloads for XlaOp declared
// after this header would be invisible to the formulas (two-phase lookup;
// argument-dependent lookup searches only namespace xla).
template <typename V>
struct ValueOps {
  // if_positive where v > 0, else otherwise, element by element; NaN is not
  // positive.
  static KERAS_ELU_INLINE V IfPositive(V v, V if_positive, V otherwise) {
    return v > 0 ? if_positive : otherwise;
  }
  static KERAS_ELU_INLINE V ZeroLike(V) { return V{}; }
  // v with x's sign: the CPU's expm1 can give +0.0 for x = -0.0, and under
  // denormals-are-zero a subnormal x reads as a zero, so EluSelect sets it.
  static KERAS_ELU_INLINE V WithSignOf(V v, V x) { return CopySign(v, x); }
};

// The result for x <= 0 has x's own sign, so -0.0 maps to -0.0 and +0.0 to
// +0.0 on every kernel (as tf.nn.elu does): WithSignOf sets it whatever
// rounding or a compensated sum makes of a zero (XLA's expm1 keeps it
// already); under TF's denormals-are-zero a subnormal x reads as a signed zero
// and gives one, as tf.nn.relu does. NaN fails `x > 0` and propagates through
// the branch.
template <typename V>
KERAS_ELU_INLINE V EluSelect(V x, V negative_branch) {
  using Ops = ValueOps<V>;
  return Ops::IfPositive(x, x, Ops::WithSignOf(negative_branch, x));
}

template <typename V, typename S>
KERAS_ELU_INLINE V EluFromExpm1(V x, V expm1_x, S alpha) {
  return EluSelect(x, alpha * expm1_x);
}

// dL/dx from dL/dy and x, given alpha_exp_x = alpha * exp(min(x, 0)); at
// x = 0 (either sign) this is dy * alpha, as in the paper.
template <typename V>
KERAS_ELU_INLINE V EluGradFromInput(V dy, V x, V alpha_exp_x) {
  using Ops = ValueOps<V>;
  return Ops::IfPositive(x, dy, dy * alpha_exp_x);
}

// g * dy * f''(x): the derivative of EluGradFromInput(dy, x, .) in x, scaled
// by the incoming gradient g.
template <typename V>
KERAS_ELU_INLINE V EluGradGradFromInput(V g, V dy, V x, V alpha_exp_x) {
  using Ops = ValueOps<V>;
  return Ops::IfPositive(x, Ops::ZeroLike(x), (g * dy) * alpha_exp_x);
}

// The 0.1 ops KerasElu>EluGrad and EluGradGrad, kept so graphs written by
// keras_elu 0.1 still run: the same derivatives from the output y = f(x).
template <typename V, typename S>
KERAS_ELU_INLINE V EluGradFromOutput(V dy, V y, S alpha) {
  using Ops = ValueOps<V>;
  return Ops::IfPositive(y, dy, dy * (y + alpha));
}

template <typename V>
KERAS_ELU_INLINE V EluGradGradFromOutput(V g, V dy, V y) {
  using Ops = ValueOps<V>;
  return Ops::IfPositive(y, Ops::ZeroLike(y), g * dy);
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_FORMULAS_H_
