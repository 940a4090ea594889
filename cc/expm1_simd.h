// expm1 for x <= 0 on GCC vectors of doubles, used by the CPU kernels.
//
// Method: x = k*ln2 + r with |r| <= ln2/2, expm1(x) = 2^k * expm1(r) + (2^k - 1).
// For k <= 0 both terms have the same sign, so nothing cancels; 2^k - 1 and
// the scaling by 2^k are exact. The two users differ only in how exact r and
// the polynomial must be:
//
// - float32 without FMA (Expm1ForFloat): the result must stay within 1 ULP of
//   alpha * expm1(x) computed exactly. A float32 expm1 is itself ~1 ULP off
//   and the multiply by alpha adds another half, so we evaluate in double to
//   ~6e-10 relative error and round to float once: the float32 result is then
//   the correctly rounded one except within ~0.01 ULP of a tie. A one-part
//   ln2 and Taylor terms up to r^8/8! suffice. (With FMA, elu_float_fma.h
//   reaches the same bound in float arithmetic, twice as many lanes at once.)
// - float64 (Expm1ForDouble): full precision needs ln2 split in two
//   (Cody & Waite) so k*ln2_hi is exact, and Taylor terms up to r^14/14!.
//
// V is a GCC vector of doubles as wide as the target's registers: wider
// vectors than the ISA has (64 bytes under AVX2) make GCC scalarise the
// element-wise `?:`, ~8x slower. Internal linkage on purpose: each including
// file compiles these for its own ISA.
#ifndef KERAS_ELU_CC_EXPM1_SIMD_H_
#define KERAS_ELU_CC_EXPM1_SIMD_H_

#include <cstdint>

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

// kDegree: highest Taylor term r^kDegree / kDegree!. ln2_lo: the part of ln2
// below ln2_hi (0 when one double is exact enough). below: inputs under it
// give -1 to the target precision, and clamping keeps 2^k a normal double.
template <int kDegree, typename V>
inline __attribute__((always_inline)) V Expm1NonPositive(V x, double ln2_hi, double ln2_lo,
                                                         double below) {
  using VI = decltype(x < x);  // the int64 vector of the same width
  // `x < below` is false for NaN, which passes through.
  x = x < below ? V{} + below : x;
  // Round-to-nearest via the 1.5 * 2^52 shifter: the low mantissa bits of
  // `shifted` hold k as a two's-complement integer.
  const double kShifter = 6755399441055744.0;  // 0x1.8p52
  const V shifted = x * 1.4426950408889634 + kShifter;  // x / ln2
  const V k = shifted - kShifter;
  const V r = (x - k * ln2_hi) - k * ln2_lo;
  // Horner from r^kDegree/kDegree! down to 1/2: expm1(r) = r + r^2 * p.
  static_assert(kDegree >= 3 && kDegree <= 18, "1/n! must be correctly rounded");
  V p = V{} + kInverseFactorial.value[kDegree];
#pragma GCC unroll 18
  for (int n = kDegree - 1; n >= 2; --n) p = p * r + kInverseFactorial.value[n];
  const V expm1_r = r + (r * r) * p;
  // 2^k: put k + 1023 in the exponent field. A cast between same-size GCC
  // vectors reinterprets the bits.
  const VI bits = (((VI)shifted) << 52) + (std::int64_t{1023} << 52);
  const V two_k = (V)bits;
  return two_k * expm1_r + (two_k - 1.0);
}

// Below -100, expm1 is -1 far beyond float precision.
template <typename V>
inline __attribute__((always_inline)) V Expm1ForFloat(V x) {
  return Expm1NonPositive<8>(x, 0.6931471805599453, 0.0, -100.0);
}

// fdlibm's split of ln2: ln2_hi has 21 trailing zero bits, so k * ln2_hi is
// exact for every k we meet. Below -40, expm1 rounds to -1 in double.
template <typename V>
inline __attribute__((always_inline)) V Expm1ForDouble(V x) {
  return Expm1NonPositive<14>(x, 6.93147180369123816490e-01, 1.90821492927058770002e-10, -40.0);
}

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_EXPM1_SIMD_H_
