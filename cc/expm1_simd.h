// expm1 for x <= 0 on GCC vectors of doubles, used by the CPU kernels.
//
// Method: x = k*ln2 + r with |r| <= ln2/2, expm1(x) = 2^k * expm1(r) + (2^k - 1).
// For k <= 0 both terms have the same sign, so nothing cancels; 2^k - 1 and
// the scaling by 2^k are exact. The two users differ only in how exact r and
// the polynomial must be:
//
// - float32 (Expm1ForFloat): the result must stay within 1 ULP of
//   alpha * expm1(x) computed exactly. A float32 expm1 is itself ~1 ULP off
//   and the multiply by alpha adds another half, so we evaluate in double to
//   ~6e-10 relative error and round to float once: the float32 result is then
//   the correctly rounded one except within ~0.01 ULP of a tie. A one-part
//   ln2 and Taylor terms up to r^8/8! suffice.
// - float64 (Expm1ForDouble): full precision needs ln2 split in two
//   (Cody & Waite) so k*ln2_hi is exact, and Taylor terms up to r^14/14!.
#ifndef KERAS_ELU_CC_EXPM1_SIMD_H_
#define KERAS_ELU_CC_EXPM1_SIMD_H_

#include <cstdint>

namespace keras_elu {

// 64 bytes: one AVX-512 register, two AVX2 or four SSE2 registers; GCC splits
// it per target, so the same source serves every ISA clone.
typedef double VecD __attribute__((vector_size(64)));
typedef std::int64_t VecI __attribute__((vector_size(64)));
typedef float VecF __attribute__((vector_size(32)));
constexpr int kLanes = sizeof(VecD) / sizeof(double);

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
template <int kDegree>
inline __attribute__((always_inline)) VecD Expm1NonPositive(VecD x, double ln2_hi,
                                                            double ln2_lo, double below) {
  // `x < below` is false for NaN, which passes through.
  x = x < below ? VecD{} + below : x;
  // Round-to-nearest via the 1.5 * 2^52 shifter: the low mantissa bits of
  // `shifted` hold k as a two's-complement integer.
  const double kShifter = 6755399441055744.0;  // 0x1.8p52
  const VecD shifted = x * 1.4426950408889634 + kShifter;  // x / ln2
  const VecD k = shifted - kShifter;
  const VecD r = (x - k * ln2_hi) - k * ln2_lo;
  // Horner from r^kDegree/kDegree! down to 1/2: expm1(r) = r + r^2 * p.
  static_assert(kDegree >= 3 && kDegree <= 18, "1/n! must be correctly rounded");
  VecD p = VecD{} + kInverseFactorial.value[kDegree];
#pragma GCC unroll 18
  for (int n = kDegree - 1; n >= 2; --n) p = p * r + kInverseFactorial.value[n];
  const VecD expm1_r = r + (r * r) * p;
  // 2^k: put k + 1023 in the exponent field. A cast between same-size GCC
  // vectors reinterprets the bits.
  const VecI bits = (((VecI)shifted) << 52) + (std::int64_t{1023} << 52);
  const VecD two_k = (VecD)bits;
  return two_k * expm1_r + (two_k - 1.0);
}

// Below -100, expm1 is -1 far beyond float precision.
inline __attribute__((always_inline)) VecD Expm1ForFloat(VecD x) {
  return Expm1NonPositive<8>(x, 0.6931471805599453, 0.0, -100.0);
}

// fdlibm's split of ln2: ln2_hi has 21 trailing zero bits, so k * ln2_hi is
// exact for every k we meet. Below -40, expm1 rounds to -1 in double.
inline __attribute__((always_inline)) VecD Expm1ForDouble(VecD x) {
  return Expm1NonPositive<14>(x, 6.93147180369123816490e-01, 1.90821492927058770002e-10, -40.0);
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_EXPM1_SIMD_H_
