// float32 ELU and its derivative factor alpha * exp(x) in float arithmetic,
// for CPUs with hardware FMA (the AVX-512 and AVX2 paths of elu_simd.h).
// Isa supplies the vector types and an exact fused multiply-add:
//   struct Isa { typedef float F __attribute__((vector_size(N)));
//                typedef std::int32_t I __attribute__((vector_size(N)));
//                static F Fma(F a, F b, F c);  // a * b + c, one rounding
//                static F Max(F a, F b);       // maxps
//                static F BlendBySign(F if_clear, F if_set, F selector);
//                static constexpr int kExpTableBits;  // the derivative's table: 2^kBits entries
//                static I LookupExpTable(const I* table, I index); };  // table[index mod 2^kBits]
//
// Why float and not double (elu_double_math.h): a register holds twice as
// many floats, so float math does twice the work per instruction. Plain float
// math would lose the accuracy, though: rounding in expm1 (or exp) and again
// in the alpha multiply can add up to ~1.5 ULP. So each result is kept as an
// unevaluated sum h + l of floats (h the leading 24 bits, l what h's roundings
// dropped) and alpha is applied in the one final rounding, fma(alpha, h,
// alpha * l), or for alpha = 1 the result is h + l. Checked on every negative
// float32 input: the forward is within 1 ULP of the float64 reference
// (benchmarks/check_all_float32.py). The
// derivative folds alpha into a table instead (AlphaExpFloatWithFma), which
// needs no compensated sum; the same script checks it (--kernel derivative).
//
// Method, for x <= 0: x = k*ln2 + r_hi - k*ln2_lo with |r_hi| just over ln2/2
// (Cody-Waite, r_hi exact), r = r_hi - k*ln2_lo rounded, tail =
// -k*ln2_lo + expm1(r) - r, then
//   expm1(x) = (2^k - 1) + 2^k*r_hi + 2^k*tail
// 2^k*r_hi is exact (a power of two), 2^k - 1 and its sum with 2^k*r_hi are
// split into value + exact error by Fast2Sum (|2^k - 1| >= |2^k*r_hi|
// whenever 2^k - 1 != 0), and the small tail needs only ordinary accuracy.
// Every product that feeds a sum is an explicit Isa::Fma, or exact, so the
// compiler's floating-point contraction (on by default in GNU C++) cannot
// change the error-free steps.
#ifndef KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
#define KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include "elu_functor.h"

namespace keras_elu {
namespace {  // internal linkage: see elu_simd.h

// A clamp that keeps NaN: Isa::Max(a, b) is maxps, which returns b when the
// comparison fails, so NaN in v passes through. (GCC will not turn
// `c > v ? c : v` into maxps itself while NaNs are honoured.)
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F MaxKeepNaN(float c, typename Isa::F v) {
  return Isa::Max(typename Isa::F{} + c, v);
}

template <typename Isa>
struct FloatReduced {
  typename Isa::F shifted;  // k in its low mantissa bits
  typename Isa::F k;
  typename Isa::F r_hi;  // x - k * step_hi, exact
  typename Isa::F r;     // x - k * step, rounded
};

// The reduction steps, split for Cody-Waite: step = kHi + kLo with kHi's
// significant bits few enough that k * kHi and x - k * kHi are exact.
// ln2 (fdlibm's expf): kHi has 15 significant bits, exact for |k| < 2^9.
struct Ln2Step {
  static constexpr float kInverse = 1.44269504f;
  static constexpr float kHi = 0.693145751953125f;
  static constexpr float kLo = 1.42860677e-06f;
};
// ln2/8, for the AVX2 table: kHi has 13 significant bits, exact for
// |n| < 2^11 (x >= x_min > -150).
struct Ln2Over8Step {
  static constexpr float kInverse = 11.5415602f;
  static constexpr float kHi = 0.086639404296875f;
  static constexpr float kLo = 3.99327291e-06f;
};
// ln2/32, for the AVX-512 table: kHi has 11 significant bits, exact for
// |n| < 2^13 (x >= x_min > -150).
struct Ln2Over32Step {
  static constexpr float kInverse = 46.1662413f;
  static constexpr float kHi = 0.02166748046875f;
  static constexpr float kLo = -6.63107625e-06f;
};

// The shifter 1.5 * 2^23: adding it rounds to an integer, which lands in the
// low mantissa bits.
constexpr float kFloatShifter = 12582912.0f;

// x = k * step + r, k = round(x / step); callers clamp x so |k| stays in the
// step's exact range.
template <typename Isa, typename Step>
inline __attribute__((always_inline)) FloatReduced<Isa> ReduceFloat(typename Isa::F x) {
  using F = typename Isa::F;
  const F shifted = Isa::Fma(x, F{} + Step::kInverse, F{} + kFloatShifter);
  const F k = shifted - kFloatShifter;
  const F r_hi = Isa::Fma(k, F{} - Step::kHi, x);
  return {shifted, k, r_hi, Isa::Fma(k, F{} - Step::kLo, r_hi)};
}

// (expm1(r) - r) / r^2 for |r| <= ln2/2, highest degree first: a fit on
// Chebyshev nodes, reweighted towards minimax for the relative error of
// expm1(r) = r + r^2 * q(r), rounded to float: 1.7e-8 relative to expm1(r)
// (measured on a dense grid against a 40-digit reference). The forward's
// other roundings leave room for it; benchmarks/check_all_float32.py checks
// every float32 input.
constexpr float kExpm1TailDegree4[] = {1.38825097e-03f, 8.36658012e-03f, 4.16672006e-02f,
                                       1.66665435e-01f, 0.49999997f};

// Horner's rule: Estrin's shorter chain measured no faster on AVX2 or
// AVX-512, even with r^2 already at hand.
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
  return (I)shifted - (I)(typename Isa::F{} + kFloatShifter);
}
template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F PowerOfTwo(typename Isa::I k) {
  return (typename Isa::F)((k + 127) << 23);
}

// The float32 ELU for kUnitAlpha (alpha == 1, the default of tf.nn.elu,
// keras.layers.ELU and "elu") or any alpha. Every op counts on AVX2, so:
// alpha = 1 skips alpha's multiply; 2^k * r_hi (exact) leads and k * ln2_lo
// joins the tail, instead of splitting the rounded r; and the select reads
// x's sign bit (Isa::BlendBySign) with the sign ORed in, which for x <= 0 is
// EluSelect's copysign: -0.0 gives -0.0, NaN stays NaN.
template <typename Isa, bool kUnitAlpha>
inline __attribute__((always_inline)) typename Isa::F EluFloatWithFma(typename Isa::F x,
                                                                      float alpha) {
  using F = typename Isa::F;
  using I = typename Isa::I;
  // Below -87, expm1 is -1 far beyond float precision, and the clamp keeps
  // 2^k >= 2^-126.
  const F clamped = MaxKeepNaN<Isa>(-87.0f, x);
  const FloatReduced<Isa> red = ReduceFloat<Isa, Ln2Step>(clamped);
  const F r_lo = red.k * (F{} - Ln2Step::kLo);
  const F tail = Isa::Fma(red.r * red.r, Horner<Isa>(red.r, kExpm1TailDegree4), r_lo);
  const F two_k = PowerOfTwo<Isa>(ExponentOf<Isa>(red.shifted));
  const F a = two_k - 1.0f;
  const F a_err = two_k - (a + 1.0f);  // a + 1 is exact: a is in [-1, 0]
  const F b = two_k * red.r_hi;          // exact
  const F h = a + b;
  const F h_err = b - (h - a);  // Fast2Sum
  const F l = Isa::Fma(two_k, tail, a_err + h_err);
  F negative;
  if constexpr (kUnitAlpha) {
    negative = h + l;
  } else {
    const F alpha_v = F{} + alpha;
    negative = Isa::Fma(alpha_v, h, alpha_v * l);
  }
  const F sign_bit = (F)(I{} + static_cast<std::int32_t>(0x80000000u));
  // Positive lanes return the clamped x, which reads a subnormal as +0.0
  // under denormals-are-zero, as EluSelect's x > 0 and tf.nn.relu do.
  return Isa::BlendBySign(clamped, (F)((I)negative | (I)sign_bit), x);
}

// The derivative factor alpha * exp(x) by a table of N = 2^kBits entries
// (Tang's method, with alpha folded into the table as in ARM's
// optimized-routines expf): x = n * ln2/N + r, n = N*k + j, |r| <= ln2/(2N),
//   alpha * exp(x) = scale_n * exp(r),  scale_n = alpha * 2^(n/N),
// and scale_n is one float made by integer arithmetic alone: with alpha =
// m * 2^s (m in [1, 2)), Isa::LookupExpTable picks the bits of t_j = m *
// 2^(j/N) for every lane in one vector permute, and adding n << (23 - kBits)
// adds k to their exponent (the entries have j << (23 - kBits) taken off in
// advance, and s + kExpBias added). Then
//   alpha * exp(x) = fma(scale, r * u(r), scale) * 2^-kExpBias
// with exp(r) = 1 + r * u(r) a short Taylor polynomial; r * u inside the fma,
// because a separate scale * r could be flushed to zero. Only t_j's rounding
// and the fma's matter: the budget is 2 ULP, and every negative input comes
// within 1 (benchmarks/check_all_float32.py --kernel derivative). About 15
// vector ops, against ~21 for a hi + lo table with a separate power of two.
//
// The bias keeps scale normal down to results of 2^-152, so the last multiply
// rounds the smallest results to subnormals or zero (flush-to-zero gives
// zero) exactly once, where an unbiased scale would have had to leave the
// normal range. Inputs are clamped to x_min, where the result is below 2^-152
// and so zero: that keeps n in the reduction's exact range and -inf finite.
//
// Per table size: the reduction step (its kHi exact for every n the clamp
// allows) and exp(r) = 1 + r * u(r), u's Taylor coefficients highest degree
// first; truncation error below 1.3e-9 relative (0.02 ULP) for both.
template <int kBits>
struct ExpTableMethod;
template <>
struct ExpTableMethod<3> {  // AVX2: 8 entries, one vpermd
  using Step = Ln2Over8Step;
  static constexpr float kU[] = {1.0f / 24, 1.0f / 6, 0.5f, 1.0f};
};
template <>
struct ExpTableMethod<5> {  // AVX-512: 32 entries, one vpermt2d
  using Step = Ln2Over32Step;
  static constexpr float kU[] = {1.0f / 6, 0.5f, 1.0f};
};

constexpr int kExpBias = 32;

// Larger alphas go to the float64 math (elu_simd.h): scale stays below 2^96
// for x <= 0, and x_min above -150.
constexpr float kAlphaExpTableLimit = 0x1p64f;

template <typename Isa>
struct AlphaExpParams {
  static constexpr int kEntries = 1 << Isa::kExpTableBits;
  static constexpr int kVectors = kEntries * sizeof(float) / sizeof(typename Isa::I);
  typename Isa::I table[kVectors];  // bits of t_j - (j << (23 - kBits)) + ((s + kExpBias) << 23)
  float x_min;
};

// 2^(j/N) for j < N, folded by the compiler (GCC evaluates __builtin_exp2 in
// constant expressions, correctly rounded): Prepare runs once per span call,
// and N calls to exp2 there cost as much as a few thousand elements.
template <int N>
struct Exp2Fractions {
  double value[N];
};
template <int N>
constexpr Exp2Fractions<N> MakeExp2Fractions() {
  Exp2Fractions<N> t{};
  for (int j = 0; j < N; ++j) t.value[j] = __builtin_exp2(static_cast<double>(j) / N);
  return t;
}
template <int N>
inline constexpr Exp2Fractions<N> kExp2Fractions = MakeExp2Fractions<N>();

template <typename Isa>
AlphaExpParams<Isa> MakeAlphaExpParams(float alpha) {
  using P = AlphaExpParams<Isa>;
  constexpr int kBits = Isa::kExpTableBits;
  constexpr double kLn2 = 0.69314718055994531;
  // A subnormal alpha gives m < 1 at s = -126; the t_j stay normal floats.
  const int s = alpha > 0 ? std::max(std::ilogb(alpha), -126) : 0;
  const double m = std::ldexp(static_cast<double>(alpha), -s);
  std::uint32_t bits[P::kEntries] = {};
  for (int j = 0; alpha > 0 && j < P::kEntries; ++j) {
    const float t = static_cast<float>(m * kExp2Fractions<P::kEntries>.value[j]);
    bits[j] = __builtin_bit_cast(std::uint32_t, t) - (static_cast<std::uint32_t>(j) << (23 - kBits)) +
              (static_cast<std::uint32_t>(s + kExpBias) << 23);  // modulo 2^32, as the kernel adds
  }
  AlphaExpParams<Isa> p;
  std::memcpy(p.table, bits, sizeof bits);
  // alpha * exp(x_min) < 2^(s + 1 - 153) = 2^-152 (after the bias: >= 2^-122,
  // normal); with s < 64, x_min > -150, |n| < 2^13 (Ln2Over32Step). For
  // alpha = 0 (ReLU) every x <= 0 is clamped to 0: n = 0 meets the zero entry
  // t_0, and scale is +0.0.
  p.x_min = alpha > 0 ? static_cast<float>(-(153 + s) * kLn2) : 0.0f;
  return p;
}

template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F AlphaExpFloatWithFma(
    typename Isa::F x, const AlphaExpParams<Isa>& p) {
  using F = typename Isa::F;
  using I = typename Isa::I;
  using Method = ExpTableMethod<Isa::kExpTableBits>;
  // n = round(x * N/ln2); j = n mod N is in the shifter's low bits.
  const FloatReduced<Isa> red = ReduceFloat<Isa, typename Method::Step>(MaxKeepNaN<Isa>(p.x_min, x));
  const I n_in_exponent = (I)red.shifted << (23 - Isa::kExpTableBits);
  const F scale = (F)(Isa::LookupExpTable(p.table, (I)red.shifted) + n_in_exponent);
  // Above 0 the exponent may wrap; the callers discard those lanes.
  return Isa::Fma(scale, red.r * Horner<Isa>(red.r, Method::kU), scale) * (1.0f / (1ull << kExpBias));
}

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
