// The float32 ELU in float arithmetic, for CPUs with hardware FMA (the
// AVX-512 and AVX2 kernels of elu_simd.h), and the reduction and polynomial
// helpers its derivative shares (alpha_exp_float_fma.h). Isa supplies the
// vector types and an exact fused multiply-add:
//   struct Isa { typedef float F __attribute__((vector_size(N)));
//                typedef std::int32_t I __attribute__((vector_size(N)));
//                static F Fma(F a, F b, F c);  // a * b + c, one rounding
//                static F Max(F a, F b);       // maxps
//                static F BlendBySign(F if_clear, F if_set, F selector); };
//
// Why float and not double (elu_double_math.h): a register holds twice as
// many floats, so float math does twice the work per instruction. Plain float
// math would lose the accuracy, though: rounding in expm1 (or exp) and again
// in the alpha multiply can add up to ~1.5 ULP. So each result is kept as an
// unevaluated sum h + l of floats (h the leading 24 bits, l what h's roundings
// dropped) and alpha is applied in the one final rounding, fma(alpha, h,
// alpha * l), or for alpha = 1 the result is h + l. Checked on every negative
// float32 input: the forward is within 1 ULP of the float64 reference
// (benchmarks/check_all_float32.py). The derivative folds alpha into a
// table instead (alpha_exp_float_fma.h), which needs no compensated sum.
//
// Method, for x <= 0: x = k*ln2 + r_hi - k*ln2_lo with |r_hi| just over ln2/2
// (Cody-Waite, r_hi exact), r = r_hi - k*ln2_lo rounded, tail =
// -k*ln2_lo + expm1(r) - r, then
//   expm1(x) = (2^k - 1) + 2^k*r_hi + 2^k*tail
// 2^k*r_hi is exact (a power of two), 2^k - 1 and its sum with 2^k*r_hi are
// split into value + exact error by Fast2Sum (|2^k - 1| >= |2^k*r_hi|
// whenever 2^k - 1 != 0), and the small tail needs only ordinary accuracy.
// The error-free steps use only exact products and explicit Isa::Fma calls,
// so floating-point contraction (on by default in g++, whatever -std says)
// cannot change them; it could only fuse an exact product into a sum, which
// gives the same result.
#ifndef KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
#define KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_

#include <cstdint>

#include "elu_formulas.h"
#include "elu_inline.h"

namespace keras_elu {
namespace {  // internal linkage: see elu_simd.h

#if !defined(__CUDACC_RTC__)  // host code (NVRTC would make them device globals)
// The alphas the float32 FMA math takes, here and in alpha_exp_float_fma.h:
// 0, and kFloatFmaAlphaMin <= alpha < kFloatFmaAlphaEnd, the rule of
// FloatMath::Covers (elu_simd.h), which sends the others to the float64 math
// on the CPU and in the CUDA launcher. Below the minimum the forward's
// alpha * l could flush to zero while it still counts (alpha = 1e-30
// measured 1024 ULP at x = -1.5e-4); the end keeps a margin below 2^96, where
// the derivative table's exponent field would overflow. The library exports
// both (KerasEluFloatFmaAlphaMin/End, elu_cpu_dispatch.cc) for the tests.
constexpr float kFloatFmaAlphaMin = 0x1p-64f;
constexpr float kFloatFmaAlphaEnd = 0x1p64f;
#endif

// A clamp that keeps NaN: Isa::Max(a, b) is maxps, which returns b when the
// comparison fails, so NaN in v passes through. (GCC will not turn
// `c > v ? c : v` into maxps itself while NaNs are honoured.)
template <typename Isa>
KERAS_ELU_INLINE typename Isa::F MaxKeepNaN(float c, typename Isa::F v) {
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
// The shifter 1.5 * 2^23: adding it rounds to an integer, which lands in the
// low mantissa bits.
constexpr float kFloatShifter = 12582912.0f;

// x = k * step + r, k = round(x / step); callers clamp x so |k| stays in the
// step's exact range.
template <typename Isa, typename Step>
KERAS_ELU_INLINE FloatReduced<Isa> ReduceFloat(typename Isa::F x) {
  using F = typename Isa::F;
  const F shifted = Isa::Fma(x, F{} + Step::kInverse, F{} + kFloatShifter);
  const F k = shifted - kFloatShifter;
  const F r_hi = Isa::Fma(k, F{} - Step::kHi, x);
  return {shifted, k, r_hi, Isa::Fma(k, F{} - Step::kLo, r_hi)};
}

// (expm1(r) - r) / r^2 for |r| <= ln2/2, highest degree first: a fit on
// Chebyshev nodes, reweighted towards minimax for the relative error of
// expm1(r) = r + r^2 * q(r), rounded to float: 1.75e-8 relative to expm1(r)
// (measured on a dense grid against a 40-digit reference). The forward's
// other roundings leave room for it; benchmarks/check_all_float32.py checks
// every float32 input.
constexpr float kExpm1TailDegree4[] = {1.38825097e-03f, 8.36658012e-03f, 4.16672006e-02f,
                                       1.66665435e-01f, 0.49999997f};

// Horner's rule: Estrin's shorter chain measured no faster on AVX2 or
// AVX-512, even with r^2 already at hand.
template <typename Isa, int kTerms>
KERAS_ELU_INLINE typename Isa::F Horner(typename Isa::F r, const float (&coefficients)[kTerms]) {
  using F = typename Isa::F;
  F q = F{} + coefficients[0];
#pragma GCC unroll 8
  for (int i = 1; i < kTerms; ++i) q = Isa::Fma(q, r, F{} + coefficients[i]);
  return q;
}

// k, from the shifter's bits, and 2^k for k >= -126 (a normal float).
template <typename Isa>
KERAS_ELU_INLINE typename Isa::I ExponentOf(typename Isa::F shifted) {
  using I = typename Isa::I;
  return (I)shifted - (I)(typename Isa::F{} + kFloatShifter);
}
template <typename Isa>
KERAS_ELU_INLINE typename Isa::F PowerOfTwo(typename Isa::I k) {
  return (typename Isa::F)((k + 127) << 23);
}

// The float32 ELU for kUnitAlpha (alpha == 1, the default of tf.nn.elu,
// keras.layers.ELU and "elu") or any alpha. Every op counts on AVX2, so:
// alpha = 1 skips alpha's multiply; 2^k * r_hi (exact) leads and k * ln2_lo
// joins the tail, instead of splitting the rounded r; and the select reads
// x's sign bit (Isa::BlendBySign) with the sign ORed in, which for x <= 0 is
// EluSelect's copysign: -0.0 gives -0.0, NaN stays NaN.
template <typename Isa, bool kUnitAlpha>
KERAS_ELU_INLINE typename Isa::F EluFloatWithFma(typename Isa::F x, float alpha) {
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

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CPU_ELU_FLOAT_FMA_H_
