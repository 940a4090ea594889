// expm1 for x <= 0 on a GCC vector of doubles, used by the CPU float32 path.
//
// Why double: the float32 result must stay within 1 ULP of alpha * expm1(x)
// computed exactly. A float32 expm1 is itself ~1 ULP off and the multiply by
// alpha adds another half, so we evaluate in double to ~6e-10 relative error
// and round to float once: the float32 result is then the correctly rounded
// one except within ~0.01 ULP of a tie. That needs only a degree-8 Taylor
// polynomial, not a full double-precision expm1.
//
// Method: x = k*ln2 + r with |r| <= ln2/2, expm1(x) = 2^k * expm1(r) + (2^k - 1).
// Both terms are exact-ish and of like sign for k <= 0, so no cancellation.
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

inline __attribute__((always_inline)) VecD Expm1NonPositive(VecD x) {
  // Below -100, expm1 is -1 to far below double precision; clamping keeps 2^k
  // a normal double. `x < -100` is false for NaN, which passes through.
  x = x < -100.0 ? VecD{} - 100.0 : x;
  // Round-to-nearest via the 1.5 * 2^52 shifter: the low mantissa bits of
  // `shifted` hold k as a two's-complement integer.
  const double kShifter = 6755399441055744.0;  // 0x1.8p52
  const VecD shifted = x * 1.4426950408889634 + kShifter;  // x / ln2
  const VecD k = shifted - kShifter;
  const VecD r = x - k * 0.6931471805599453;  // ln2; error ~k * 1e-17, enough.
  // Taylor coefficients 1/n! up to r^8/8!; truncation < 6e-10 relative on |r| <= 0.35.
  VecD p = r * (1.0 / 40320) + (1.0 / 5040);
  p = p * r + (1.0 / 720);
  p = p * r + (1.0 / 120);
  p = p * r + (1.0 / 24);
  p = p * r + (1.0 / 6);
  p = p * r + 0.5;
  const VecD expm1_r = r + (r * r) * p;
  // 2^k: put k + 1023 in the exponent field.
  // A cast between same-size GCC vectors reinterprets the bits.
  const VecI bits = (((VecI)shifted) << 52) + (std::int64_t{1023} << 52);
  const VecD two_k = (VecD)bits;
  return two_k * expm1_r + (two_k - 1.0);
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_EXPM1_SIMD_H_
