// float32 ELU and its derivative factor alpha * exp(x) in float arithmetic,
// for CPUs with hardware FMA (the AVX-512 and AVX2 paths of elu_simd.h).
// Isa supplies the vector types and an exact fused multiply-add:
//   struct Isa { typedef float F __attribute__((vector_size(N)));
//                typedef std::int32_t I __attribute__((vector_size(N)));
//                static F Fma(F a, F b, F c);     // a * b + c, one rounding
//                static F Min(F a, F b), Max(F a, F b); };  // minps, maxps
//
// Why float and not double (elu_double_math.h): a register holds twice as
// many floats, so float math does twice the work per instruction. Plain float
// math would lose the accuracy, though: rounding in expm1 (or exp) and again
// in the alpha multiply can add up to ~1.5 ULP. So each result is kept as an
// unevaluated sum h + l of floats (h the leading 24 bits, l what h's roundings
// dropped) and alpha is applied in the one final rounding, fma(alpha, h,
// alpha * l). Checked on every negative float32 input: the forward is within
// 1 ULP of the float64 reference (benchmarks/check_all_float32.py). The
// derivative's budget is 2 ULP, so it skips the compensation (see
// AlphaExpFloatWithFma; benchmarks/check_all_derivatives.py checks it).
//
// Method, for x <= 0: x = k*ln2 + r + r_lo with |r| <= ln2/2 (Cody-Waite, r_lo
// the rounding error of r), tail = r_lo + expm1(r) - r, then
//   expm1(x) = (2^k - 1) + 2^k*r + 2^k*tail
// 2^k*r is exact (a power of two), 2^k - 1 and its sum with 2^k*r are split
// into value + exact error by Fast2Sum (|2^k - 1| >= |2^k*r| whenever
// 2^k - 1 != 0), and the small tail needs only ordinary accuracy. Every product that feeds a sum is an explicit Isa::Fma, so the
// compiler's floating-point contraction (on by default in GNU C++) cannot
// change the error-free steps.
#ifndef KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
#define KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_

#include <cstdint>

#include "elu_functor.h"

namespace keras_elu {
namespace {  // internal linkage: see elu_simd.h

// Clamps that keep NaN: Isa::Min(a, b) and Isa::Max(a, b) are minps/maxps,
// which return b when the comparison fails, so NaN in v passes through. (GCC
// will not turn `c < v ? c : v` into minps itself while NaNs are honoured.)
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F MinKeepNaN(float c, typename Isa::F v) {
  return Isa::Min(typename Isa::F{} + c, v);
}
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F MaxKeepNaN(float c, typename Isa::F v) {
  return Isa::Max(typename Isa::F{} + c, v);
}

template <typename Isa>
struct FloatReduced {
  typename Isa::F shifted;  // k in its low mantissa bits
  typename Isa::F k;
  typename Isa::F r_hi;  // x - k * ln2_hi, exact
  typename Isa::F r;     // x - k * ln2, rounded
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
  // so k * ln2_hi (|k| < 2^9) and x - k * ln2_hi are exact.
  const F r_hi = Isa::Fma(k, F{} - 0.693145751953125f, x);
  return {shifted, k, r_hi, Isa::Fma(k, F{} - 1.42860677e-06f, r_hi)};
}

// (expm1(r) - r) / r^2 for |r| <= ln2/2, as polynomials in r, highest degree
// first. Coefficients: least-squares fits on Chebyshev nodes, near-minimax,
// rounded to float; relative error of r + r^2 * q(r) measured on a dense grid
// against a 40-digit reference, then every float32 input checked by
// benchmarks/check_all_float32.py.
// Degree 5: 4.1e-9 relative to expm1(r), for the compensated forward.
constexpr float kExpTailDegree5[] = {1.99096467e-04f, 1.39464461e-03f, 8.33328068e-03f,
                                     4.16662619e-02f, 1.66666672e-01f, 0.5f};
// Degree 4: 5.4e-9 relative to exp(r), for the derivative.
constexpr float kExpTailDegree4[] = {1.39464461e-03f, 8.36915150e-03f, 4.16662619e-02f,
                                     1.66665167e-01f, 0.5f};

// Horner's rule: on AVX2 these loops are bound by the FMA ports, where
// Estrin's shorter chain (one more multiply) measured no faster.
template <typename Isa, int kTerms>
inline __attribute__((always_inline)) typename Isa::F Horner(typename Isa::F r,
                                                             const float (&coefficients)[kTerms]) {
  using F = typename Isa::F;
  F q = F{} + coefficients[0];
#pragma GCC unroll 8
  for (int i = 1; i < kTerms; ++i) q = Isa::Fma(q, r, F{} + coefficients[i]);
  return q;
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
  // 2^k >= 2^-126.
  const FloatReduced<Isa> red = ReduceFloat<Isa>(MaxKeepNaN<Isa>(-87.0f, x));
  // r_lo keeps what rounding r dropped: it matters at the 0.3-ULP level for k = -1.
  const F r_lo = Isa::Fma(red.k, F{} - 1.42860677e-06f, red.r_hi - red.r);
  const F tail = Isa::Fma(red.r * red.r, Horner<Isa>(red.r, kExpTailDegree5), r_lo);
  const F two_k = PowerOfTwo<Isa>(ExponentOf<Isa>(red.shifted));
  const F a = two_k - 1.0f;
  const F a_err = two_k - (a + 1.0f);  // a + 1 is exact: a is in [-1, 0]
  const F b = two_k * red.r;             // exact
  const F h = a + b;
  const F h_err = b - (h - a);  // Fast2Sum
  const F l = Isa::Fma(two_k, tail, a_err + h_err);
  const F alpha_v = F{} + alpha;
  return EluSelect(x, Isa::Fma(alpha_v, h, alpha_v * l));
}

// alpha * exp(min(x, 0)), within ~0.8 ULP, so the derivative needs no
// compensated sum: exp(r) = 1 + p with p = r + r^2 * q(r), and alpha enters
// in the one rounding of fma(alpha, p, alpha). Inputs are clamped to
// [-174, 0]: above 0 the callers discard the value, and alpha * exp(-174) is
// below the smallest normal float for every alpha < 4e37. 2^k (k >= -251) is
// applied as two normal factors 2^k1 * 2^k2, so nothing underflows early.
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F AlphaExpFloatWithFma(typename Isa::F x,
                                                                           float alpha) {
  using F = typename Isa::F;
  using I = typename Isa::I;
  const FloatReduced<Isa> red = ReduceFloat<Isa>(MaxKeepNaN<Isa>(-174.0f, MinKeepNaN<Isa>(0.0f, x)));
  const F p = Isa::Fma(red.r * red.r, Horner<Isa>(red.r, kExpTailDegree4), red.r);
  const F alpha_v = F{} + alpha;
  const F scaled = Isa::Fma(alpha_v, p, alpha_v);
  const I k = ExponentOf<Isa>(red.shifted);
  const I k1 = k > -126 ? k : I{} - 126;
  return (scaled * PowerOfTwo<Isa>(k1)) * PowerOfTwo<Isa>(k - k1);
}

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
