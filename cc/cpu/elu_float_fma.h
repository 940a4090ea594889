// float32 ELU and its derivative factor alpha * exp(x) in float arithmetic,
// for CPUs with hardware FMA (the AVX-512 and AVX2 paths of elu_simd.h).
// Isa supplies the vector types and an exact fused multiply-add:
//   struct Isa { typedef float F __attribute__((vector_size(N)));
//                typedef std::int32_t I __attribute__((vector_size(N)));
//                static F Fma(F a, F b, F c); };  // a * b + c, one rounding
//
// Why float and not double (elu_double_math.h): a register holds twice as
// many floats, so float math does twice the work per instruction. Plain float
// math would lose the accuracy, though: rounding in expm1 (or exp) and again
// in the alpha multiply can add up to ~1.5 ULP. So each result is kept as an
// unevaluated sum h + l of floats (h the leading 24 bits, l what h's roundings
// dropped) and alpha is applied in the one final rounding, fma(alpha, h,
// alpha * l). Checked on every negative float32 input: the forward is within
// 1 ULP of the float64 reference (benchmarks/check_all_float32.py), the
// derivative alpha * exp(x) within 1 ULP too (benchmarks/check_all_derivatives.py).
//
// Method, for x <= 0: x = k*ln2 + r + r_lo with |r| <= ln2/2 (Cody-Waite, r_lo
// the rounding error of r), tail = r_lo + expm1(r) - r, then
//   expm1(x) = (2^k - 1) + 2^k*r + 2^k*tail
//   exp(x)   = 2^k * ((1 + r) + tail)
// 2^k*r is exact (a power of two); 2^k - 1 + 2^k*r and 1 + r are split into
// value + exact error by Fast2Sum, and the small tail needs only ordinary
// accuracy. Every product that feeds a sum is an explicit Isa::Fma, so the
// compiler's floating-point contraction (on by default in GNU C++) cannot
// change the error-free steps.
#ifndef KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
#define KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_

#include <cstdint>

#include "elu_functor.h"

namespace keras_elu {
namespace {  // internal linkage: see elu_simd.h

template <typename Isa>
struct FloatReduced {
  typename Isa::F shifted;  // k in its low mantissa bits
  typename Isa::F r;
  typename Isa::F tail;  // r_lo + expm1(r) - r
};

// For -174 <= x <= 0 (|k| <= 251; callers clamp).
template <typename Isa>
inline __attribute__((always_inline)) FloatReduced<Isa> ReduceFloat(typename Isa::F x) {
  using F = typename Isa::F;
  // k = round(x / ln2) by the 1.5 * 2^23 shifter.
  const F shifter = F{} + 12582912.0f;
  const F shifted = Isa::Fma(x, F{} + 1.44269504f, shifter);
  const F k = shifted - shifter;
  // Cody-Waite split of ln2 (fdlibm's expf): ln2_hi has 15 significant bits,
  // so k * ln2_hi (|k| < 2^9) and x - k * ln2_hi are exact; r_lo keeps what
  // rounding r dropped, which matters at the 0.3-ULP level for k = -1.
  const F ln2_hi = F{} + 0.693145751953125f;
  const F ln2_lo = F{} + 1.42860677e-06f;
  const F r_hi = Isa::Fma(k, -ln2_hi, x);
  const F r = Isa::Fma(k, -ln2_lo, r_hi);
  const F r_lo = Isa::Fma(k, -ln2_lo, r_hi - r);
  // expm1(r) - r = r^2 * (1/2! + r/3! + ... + r^6/8!): the truncation error is
  // below 2^-30 relative for |r| <= ln2/2. Coefficients are 1/n! rounded.
  F q = F{} + 2.48015873e-05f;
  q = Isa::Fma(q, r, F{} + 1.98412698e-04f);
  q = Isa::Fma(q, r, F{} + 1.38888889e-03f);
  q = Isa::Fma(q, r, F{} + 8.33333333e-03f);
  q = Isa::Fma(q, r, F{} + 4.16666667e-02f);
  q = Isa::Fma(q, r, F{} + 1.66666667e-01f);
  q = Isa::Fma(q, r, F{} + 0.5f);
  return {shifted, r, Isa::Fma(r * r, q, r_lo)};
}

// k, from the shifter's bits, and 2^k for k >= -126 (a normal float).
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::I ExponentOf(typename Isa::F shifted) {
  using I = typename Isa::I;
  return (I)shifted - (I)(typename Isa::F{} + 12582912.0f);
}
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F PowerOfTwo(typename Isa::I k) {
  return (typename Isa::F)((k + 127) << 23);
}

template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F EluFloatWithFma(typename Isa::F x,
                                                                      float alpha) {
  using F = typename Isa::F;
  // Below -87, expm1 is -1 far beyond float precision, and the clamp keeps
  // 2^k >= 2^-126. `x < -87` is false for NaN, which passes.
  const F xc = x < -87.0f ? F{} - 87.0f : x;
  const FloatReduced<Isa> red = ReduceFloat<Isa>(xc);
  const F two_k = PowerOfTwo<Isa>(ExponentOf<Isa>(red.shifted));
  const F a = two_k - 1.0f;
  const F a_err = two_k - (a + 1.0f);  // a + 1 is exact: a is in [-1, 0]
  const F b = two_k * red.r;             // exact
  const F h = a + b;
  const F h_err = b - (h - a);  // Fast2Sum
  const F l = Isa::Fma(two_k, red.tail, a_err + h_err);
  const F alpha_v = F{} + alpha;
  return EluSelect(x, Isa::Fma(alpha_v, h, alpha_v * l));
}

// alpha * exp(min(x, 0)). Inputs are clamped to [-174, 0]: above 0 the
// callers discard the value, and alpha * exp(-174) is below the smallest
// normal float for every alpha < 4e37. 2^k (k >= -251) is applied as two
// normal factors, 2^k1 * 2^k2 with k1 >= -126, so nothing underflows early.
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F AlphaExpFloatWithFma(typename Isa::F x,
                                                                           float alpha) {
  using F = typename Isa::F;
  using I = typename Isa::I;
  F xc = x > 0.0f ? F{} : x;
  xc = xc < -174.0f ? F{} - 174.0f : xc;
  const FloatReduced<Isa> red = ReduceFloat<Isa>(xc);
  const F h = 1.0f + red.r;
  const F l = (red.r - (h - 1.0f)) + red.tail;  // Fast2Sum error of h, plus the tail
  const F alpha_v = F{} + alpha;
  const F scaled = Isa::Fma(alpha_v, h, alpha_v * l);
  const I k = ExponentOf<Isa>(red.shifted);
  const I k1 = k < -126 ? I{} - 126 : k;
  return (scaled * PowerOfTwo<Isa>(k1)) * PowerOfTwo<Isa>(k - k1);
}

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
