#include "elu_cpu_convert.h"

#include "elu_cpu_clones.h"

namespace keras_elu {
namespace {

// Views of the same bytes under another type, without breaking aliasing rules.
typedef _Float16 Float16View __attribute__((may_alias));
typedef std::uint32_t FloatBitsView __attribute__((may_alias));

}  // namespace

KERAS_ELU_CLONES
void HalfToFloat(const std::uint16_t* in, float* out, std::int64_t n) {
  const Float16View* half = reinterpret_cast<const Float16View*>(in);
  for (std::int64_t i = 0; i < n; ++i) out[i] = static_cast<float>(half[i]);
}

KERAS_ELU_CLONES
void FloatToHalf(const float* in, std::uint16_t* out, std::int64_t n) {
  Float16View* half = reinterpret_cast<Float16View*>(out);
  for (std::int64_t i = 0; i < n; ++i) half[i] = static_cast<_Float16>(in[i]);
}

KERAS_ELU_CLONES
void Bfloat16ToFloat(const std::uint16_t* in, float* out, std::int64_t n) {
  FloatBitsView* bits = reinterpret_cast<FloatBitsView*>(out);
  for (std::int64_t i = 0; i < n; ++i) bits[i] = std::uint32_t{in[i]} << 16;
}

KERAS_ELU_CLONES
void FloatToBfloat16(const float* in, std::uint16_t* out, std::int64_t n) {
  const FloatBitsView* bits = reinterpret_cast<const FloatBitsView*>(in);
  for (std::int64_t i = 0; i < n; ++i) {
    const std::uint32_t u = bits[i];
    // Round to nearest even on the 16 bits dropped; NaN becomes the quiet NaN
    // of its sign (rounding could otherwise carry a NaN into infinity).
    const std::uint32_t rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    const bool nan = (u & 0x7fffffffu) > 0x7f800000u;
    out[i] = static_cast<std::uint16_t>(nan ? ((u >> 16) & 0x8000u) | 0x7fc0u : rounded);
  }
}

}  // namespace keras_elu
