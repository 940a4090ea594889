// The float32 derivative factor alpha * exp(x) in float arithmetic, for CPUs
// with hardware FMA (the AVX-512 and AVX2 kernels of elu_simd.h). Besides what
// elu_float_fma.h asks of Isa:
//   static constexpr int kExpTableBits;               // the table: 2^kBits entries
//   static I LookupExpTable(const I* table, I index);  // table[index mod 2^kBits]
#ifndef KERAS_ELU_CC_CPU_ALPHA_EXP_FLOAT_FMA_H_
#define KERAS_ELU_CC_CPU_ALPHA_EXP_FLOAT_FMA_H_

#include <cmath>
#include <cstdint>
#include <cstring>

#include "cpu/elu_float_fma.h"

namespace keras_elu {
namespace {  // internal linkage: see elu_simd.h

// ln2/8, for the AVX2 table: kHi has 12 significant bits, so n * kHi is
// exact for |n| < 2^12; x >= x_min > -150 keeps |n| below 1732.
struct Ln2Over8Step {
  static constexpr float kInverse = 11.5415602f;
  static constexpr float kHi = 0.086639404296875f;
  static constexpr float kLo = 3.99327291e-06f;
};
// ln2/32, for the AVX-512 table: kHi has 9 significant bits, so n * kHi is
// exact for |n| < 2^15; x >= x_min > -150 keeps |n| below 6926.
struct Ln2Over32Step {
  static constexpr float kInverse = 46.1662413f;
  static constexpr float kHi = 0.02166748046875f;
  static constexpr float kLo = -6.63107625e-06f;
};

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
// first; truncation error below 1.4e-9 relative (0.02 ULP) for both.
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

// The table takes the alphas FloatMath::Covers accepts (elu_simd.h).
// Below kFloatFmaAlphaEnd = 2^64, so s < 64, for x <= 0: scale stays below
// 2^96; x_min stays above -150, inside both steps' exact range; and t_j's
// exponent field, s + kExpBias + 127 (+1 where t_j >= 2) before k <= 0 is
// added, never reaches 255. It would from alpha = 2^96 on (inf or NaN for x
// near 0): the end bound keeps a margin (asserted where the table is built).

template <typename Isa>
struct AlphaExpParams {
  static constexpr int kEntries = 1 << Isa::kExpTableBits;
  static constexpr int kVectors = kEntries * sizeof(float) / sizeof(typename Isa::I);
  typename Isa::I table[kVectors];  // bits of t_j - (j << (23 - kBits)) + ((s + kExpBias) << 23)
  float x_min;
};

#if !defined(__CUDACC_RTC__)  // host code: the CUDA launcher builds the GPU's table too
static_assert(kFloatFmaAlphaEnd <= 0x1p64f, "the bounds above assume s < 64");

// 2^(j/N) for j < N, folded by the compiler (GCC evaluates __builtin_exp2 in
// constant expressions, correctly rounded): PrepareAlphaExp runs once per span,
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
  const int s = alpha > 0 ? std::ilogb(alpha) : 0;
  const double m = std::ldexp(static_cast<double>(alpha), -s);
  std::uint32_t bits[P::kEntries] = {};
  for (int j = 0; alpha > 0 && j < P::kEntries; ++j) {
    const float t = static_cast<float>(m * kExp2Fractions<P::kEntries>.value[j]);
    bits[j] = __builtin_bit_cast(std::uint32_t, t) - (static_cast<std::uint32_t>(j) << (23 - kBits)) +
              (static_cast<std::uint32_t>(s + kExpBias) << 23);  // modulo 2^32, as the kernel adds
  }
  AlphaExpParams<Isa> p;
  std::memcpy(p.table, bits, sizeof bits);
  // alpha < 2^(s + 1), and exp(x_min) < 2^-(153 + s) * (1 + 2^-16) (the
  // factor is x_min's rounding to float), so alpha * exp(x_min) < 2^-152 *
  // (1 + 2^-16): below 2^-150, it rounds to zero, as every x < x_min would.
  // After the bias, scale there is still above 2^-122, normal. s < 64 keeps
  // x_min above -150. For alpha = 0 (ReLU) every x <= 0 is clamped to 0: n = 0
  // meets the zero entry t_0, and scale is +0.0.
  p.x_min = alpha > 0 ? static_cast<float>(-(153 + s) * kLn2) : 0.0f;
  return p;
}
#endif  // !__CUDACC_RTC__

template <typename Isa>
KERAS_ELU_INLINE typename Isa::F AlphaExpFloatWithFma(typename Isa::F x,
                                                      const AlphaExpParams<Isa>& p) {
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

#endif  // KERAS_ELU_CC_CPU_ALPHA_EXP_FLOAT_FMA_H_
