// float32 ELU forward in float arithmetic, for CPUs with hardware FMA.
//
// Used by the per-ISA files (elu_forward_avx512.cc, elu_forward_avx2.cc),
// each compiled for its own target, through elu_forward_spans.h. Isa supplies
// the vector types and an exact fused multiply-add:
//   struct Isa { typedef float F __attribute__((vector_size(N)));
//                typedef std::int32_t I __attribute__((vector_size(N)));
//                static F Fma(F a, F b, F c); };  // a * b + c, one rounding
//
// Why float and not the double evaluation of expm1_simd.h: a 64-byte register
// holds 16 floats but only 8 doubles, so float math does twice the work per
// instruction. Plain float math would lose the <= 1 ULP guarantee, though:
// rounding in expm1 and again in alpha * expm1 can add up to ~1.5 ULP. So the
// result is kept as an unevaluated sum h + l of floats (h carries the leading
// 24 bits, l what h's roundings dropped) and alpha is applied in the single
// final rounding, fma(alpha, h, alpha * l). Checked on every negative float32
// input (benchmarks/check_all_float32.py): <= 1 ULP from the float64 reference,
// and correctly rounded for all but 0.06-0.2% of inputs (alpha 0.1 to 7.5).
//
// Method, for x <= 0: x = k*ln2 + r + r_lo with |r| <= ln2/2, then
//   expm1(x) = (2^k - 1) + 2^k*r + 2^k*(r_lo + expm1(r) - r).
// 2^k*r is exact (a power of two), 2^k - 1 and its sum with 2^k*r are split
// into value + exact error by Fast2Sum (|2^k - 1| >= |2^k*r| whenever
// 2^k - 1 != 0), and the small third term needs only ordinary accuracy.
//
// Every product that feeds a sum is an explicit Isa::Fma, so the compiler's
// floating-point contraction (on by default in GNU C++) cannot change the
// error-free steps.
#ifndef KERAS_ELU_CC_ELU_FLOAT_FMA_H_
#define KERAS_ELU_CC_ELU_FLOAT_FMA_H_

#include <cstdint>

namespace keras_elu {
namespace {  // internal linkage: see elu_forward_spans.h

template <typename Isa>
inline __attribute__((always_inline)) typename Isa::F EluFloatWithFma(typename Isa::F x,
                                                                      float alpha) {
  using F = typename Isa::F;
  using I = typename Isa::I;
  // Below -87, expm1 is -1 far beyond float precision, and the clamp keeps
  // 2^k >= 2^-126, a normal float. `x < -87` is false for NaN, which passes.
  const F xc = x < -87.0f ? F{} - 87.0f : x;
  // k = round(x / ln2) by the 1.5 * 2^23 shifter: the low mantissa bits of
  // `shifted` hold k as a two's-complement integer.
  const F shifter = F{} + 12582912.0f;
  const F shifted = Isa::Fma(xc, F{} + 1.44269504f, shifter);
  const F k = shifted - shifter;
  // Cody-Waite split of ln2 (fdlibm's expf): ln2_hi has 15 significant bits,
  // so k * ln2_hi (|k| <= 126) and x - k * ln2_hi are exact; r_lo keeps what
  // rounding r dropped, which matters at the 0.3-ULP level for k = -1.
  const F ln2_hi = F{} + 0.693145751953125f;
  const F ln2_lo = F{} + 1.42860677e-06f;
  const F r_hi = Isa::Fma(k, -ln2_hi, xc);
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
  const F tail = Isa::Fma(r * r, q, r_lo);  // r_lo + expm1(r) - r
  // 2^k: k + 127 in the exponent field. Casts between same-size GCC vectors
  // reinterpret the bits.
  const F two_k = (F)((((I)shifted) << 23) + (127 << 23));
  const F a = two_k - 1.0f;
  const F a_err = two_k - (a + 1.0f);  // a + 1 is exact: a is in [-1, 0]
  const F b = two_k * r;                // exact
  const F h = a + b;
  const F h_err = b - (h - a);  // Fast2Sum
  const F l = Isa::Fma(two_k, tail, a_err + h_err);
  const F alpha_v = F{} + alpha;
  const F y = Isa::Fma(alpha_v, h, alpha_v * l);
  return x > 0 ? x : y;
}

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_FLOAT_FMA_H_
