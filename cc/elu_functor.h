// The ELU formulas, once. Every kernel (CPU spans, CUDA, and by construction
// the XLA lowering in elu_xla_kernels.cc) evaluates exactly these expressions,
// with one exception made for accuracy: the float32 CPU forward on FMA
// hardware (elu_float_fma.h) folds alpha into expm1's final rounding.
//
// ELU, Clevert, Unterthiner & Hochreiter 2015 (arXiv:1511.07289), eq. 15:
//   f(x)  = x                  for x > 0,   alpha * expm1(x)  for x <= 0
//   f'(x) = 1                  for x > 0,   f(x) + alpha      for x <= 0
// The derivative is written in terms of the output y = f(x) so the backward
// pass needs neither x nor a second exp. y > 0 exactly when x > 0 (alpha >= 0),
// so the branch taken in backward always matches the one taken in forward.
#ifndef KERAS_ELU_CC_ELU_FUNCTOR_H_
#define KERAS_ELU_CC_ELU_FUNCTOR_H_

#if defined(__CUDACC__)
#define KERAS_ELU_FN __host__ __device__ __forceinline__
#else
#define KERAS_ELU_FN inline __attribute__((always_inline))
#endif

namespace keras_elu {

// V is a scalar (float, double) or a GCC vector of them: `?:` and the
// comparisons below are element-wise for vectors, so one expression serves
// the scalar CUDA path and the SIMD CPU path alike.
template <typename V, typename S>
KERAS_ELU_FN V EluFromExpm1(V x, V expm1_x, S alpha) {
  // NaN fails `x > 0` and propagates through alpha * expm1(NaN).
  return x > 0 ? x : alpha * expm1_x;
}

// dL/dx from dL/dy and y; at x = 0 this is dy * alpha, as in the paper.
template <typename V, typename S>
KERAS_ELU_FN V EluGradFromOutput(V dy, V y, S alpha) {
  return y > 0 ? dy : dy * (y + alpha);
}

// Derivative of EluGradFromOutput(dy, y, alpha) with respect to y (and to
// alpha, before summation): dy on the x <= 0 branch, 0 elsewhere. Scaled by
// the incoming gradient g. y + alpha is linear in y, so nothing higher exists.
template <typename V>
KERAS_ELU_FN V EluGradGradFromOutput(V g, V dy, V y) {
  const V zero{};
  return y > 0 ? zero : g * dy;
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_FUNCTOR_H_
