// float16 / bfloat16 <-> float for the CPU kernels, which compute the half
// types in float. Element-wise casts through Eigen's types compile to scalar
// code under TF's flags (no F16C); these loops vectorise per ISA instead.
// Both round to nearest even and keep NaNs NaN, as Eigen's casts do.
// Halves are passed as their 16-bit patterns.
#ifndef KERAS_ELU_CC_ELU_CPU_CONVERT_H_
#define KERAS_ELU_CC_ELU_CPU_CONVERT_H_

#include <cstdint>

namespace keras_elu {

void HalfToFloat(const std::uint16_t* in, float* out, std::int64_t n);
void FloatToHalf(const float* in, std::uint16_t* out, std::int64_t n);
void Bfloat16ToFloat(const std::uint16_t* in, float* out, std::int64_t n);
void FloatToBfloat16(const float* in, std::uint16_t* out, std::int64_t n);

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_CPU_CONVERT_H_
