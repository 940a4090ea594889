// expm1 and alpha * exp for x <= 0 on GCC vectors of doubles: float64 on every
// ISA, and float32 on CPUs without FMA (evaluated in double, rounded once).
//
// Method: x = k*ln2 + r with |r| <= ln2/2 and expm1(r) = r + r^2 * p(r),
// p the Taylor series to r^kDegree/kDegree!. Then
//   expm1(x) = 2^k * expm1(r) + (2^k - 1)
// (for k < 0 and r > 0 the terms differ in sign, but |2^k - 1| >= 1/2 and
// |2^k * expm1(r)| <= (sqrt(2) - 1) / 2, so the sum keeps more than half the
// larger term: less than a bit cancels; for r <= 0 they share a sign)
//   exp(x)   = 2^k * (h + l),  h = 1 + r, l = (r - (h - 1)) + r^2 * p
// where h + l is exp(r) with h's rounding error kept in l (Fast2Sum), and
// alpha multiplies h + l before the exact scaling by 2^k.
//
// The float32 users (Expm1ForFloat, AlphaExpForFloat) need ~1e-9 relative
// error before their one rounding to float: one-part ln2, terms to r^8/8!.
// float64 (Expm1ForDouble, AlphaExpForDouble) needs ln2 in two parts (Cody &
// Waite), so k*ln2_hi is exact, and terms to r^14/14!.
//
// V is a GCC vector of doubles as wide as the target's registers: wider
// vectors than the ISA has (64 bytes under AVX2) make GCC scalarise the
// element-wise `?:`. Internal linkage on purpose: each per-ISA file compiles
// these for its own target (see elu_simd.h).
#ifndef KERAS_ELU_CC_CPU_ELU_DOUBLE_MATH_H_
#define KERAS_ELU_CC_CPU_ELU_DOUBLE_MATH_H_

#include <cstdint>

#include "elu_inline.h"

namespace keras_elu {
namespace {

// n! is exact in a double for n <= 18, so each entry is 1/n! correctly rounded.
constexpr double Factorial(int n) { return n <= 1 ? 1.0 : n * Factorial(n - 1); }
struct InverseFactorials {
  double value[19];
  constexpr InverseFactorials() : value() {
    for (int n = 0; n <= 18; ++n) value[n] = 1.0 / Factorial(n);
  }
};
constexpr InverseFactorials kInverseFactorial{};

// Round-to-nearest via the 1.5 * 2^52 shifter: the low mantissa bits of
// x / ln2 + shifter hold k as a two's-complement integer.
constexpr double kShifter = 6755399441055744.0;  // 0x1.8p52

template <typename V>
struct Reduced {
  V shifted;  // k in its low bits
  V r;        // x - k * ln2
  V r2p;      // expm1(r) - r
};

template <int kDegree, typename V>
KERAS_ELU_INLINE Reduced<V> Reduce(V x, double ln2_hi, double ln2_lo) {
  const V shifted = x * 1.4426950408889634 + kShifter;
  const V k = shifted - kShifter;
  const V r = (x - k * ln2_hi) - k * ln2_lo;
  static_assert(kDegree >= 3 && kDegree <= 18, "1/n! must be correctly rounded");
  V p = V{} + kInverseFactorial.value[kDegree];
#pragma GCC unroll 18
  for (int n = kDegree - 1; n >= 2; --n) p = p * r + kInverseFactorial.value[n];
  return {shifted, r, (r * r) * p};
}

// 2^k for an int64 vector k >= -1022: k + 1023 in the exponent field. A cast
// between same-size GCC vectors reinterprets the bits.
template <typename V, typename VI>
KERAS_ELU_INLINE V PowerOfTwo(VI k) {
  return (V)((k + 1023) << 52);
}

template <typename V>
KERAS_ELU_INLINE decltype(V{} < V{}) ExponentOf(V shifted) {
  using VI = decltype(V{} < V{});
  return (VI)shifted - (VI)(V{} + kShifter);
}

// below: inputs under it give -1 to the target precision; clamping there
// also keeps 2^k a normal double. `x < below` is false for NaN, which passes.
template <int kDegree, typename V>
KERAS_ELU_INLINE V Expm1NonPositive(V x, double ln2_hi, double ln2_lo, double below) {
  x = x < below ? V{} + below : x;
  const Reduced<V> red = Reduce<kDegree>(x, ln2_hi, ln2_lo);
  const V two_k = PowerOfTwo<V>(ExponentOf(red.shifted));
  return two_k * (red.r + red.r2p) + (two_k - 1.0);
}

// alpha * exp(min(x, 0)). Inputs are clamped to [-1416, 0]: above 0 the
// callers discard the value, and alpha * exp(-1416) is below the smallest
// normal double for every alpha < 1e307. 2^k (k >= -2043) is applied as two
// normal factors, 2^k1 * 2^k2 with k1 >= -1022, so nothing underflows early.
template <int kDegree, typename V>
KERAS_ELU_INLINE V AlphaExpNonPositive(V x, double alpha, double ln2_hi, double ln2_lo) {
  using VI = decltype(V{} < V{});
  x = x > 0 ? V{} : x;
  x = x < -1416.0 ? V{} - 1416.0 : x;
  const Reduced<V> red = Reduce<kDegree>(x, ln2_hi, ln2_lo);
  const V h = 1.0 + red.r;
  const V l = (red.r - (h - 1.0)) + red.r2p;
  const V scaled = alpha * h + alpha * l;
  const VI k = ExponentOf(red.shifted);
  const VI k1 = k < -1022 ? VI{} - 1022 : k;
  return (scaled * PowerOfTwo<V>(k1)) * PowerOfTwo<V>(k - k1);
}

// Below -100, expm1 is -1 far beyond float precision.
template <typename V>
KERAS_ELU_INLINE V Expm1ForFloat(V x) {
  return Expm1NonPositive<8>(x, 0.6931471805599453, 0.0, -100.0);
}

template <typename V>
KERAS_ELU_INLINE V AlphaExpForFloat(V x, double alpha) {
  return AlphaExpNonPositive<8>(x, alpha, 0.6931471805599453, 0.0);
}

// fdlibm's split of ln2: ln2_hi has 21 trailing zero bits, so k * ln2_hi is
// exact for every k we meet. Below -40, expm1 rounds to -1 in double.
constexpr double kLn2HiDouble = 6.93147180369123816490e-01;
constexpr double kLn2LoDouble = 1.90821492927058770002e-10;

template <typename V>
KERAS_ELU_INLINE V Expm1ForDouble(V x) {
  return Expm1NonPositive<14>(x, kLn2HiDouble, kLn2LoDouble, -40.0);
}

template <typename V>
KERAS_ELU_INLINE V AlphaExpForDouble(V x, double alpha) {
  return AlphaExpNonPositive<14>(x, alpha, kLn2HiDouble, kLn2LoDouble);
}

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CPU_ELU_DOUBLE_MATH_H_
