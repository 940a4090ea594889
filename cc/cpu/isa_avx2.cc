// The CPU kernels for x86-64-v3 (AVX2 + FMA + F16C): 8 float or 4 double lanes.
#include "cpu/elu_cpu_kernels.h"

namespace keras_elu {
namespace {
constexpr char kName[] = "avx2";
}  // namespace
}  // namespace keras_elu

#if defined(__x86_64__)
#include <immintrin.h>

namespace keras_elu {
namespace {

// Whether this CPU runs the target of the pragma below, which names the same
// level. Outside the pragma on purpose: it runs on every CPU.
bool CpuRuns() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("x86-64-v3");
}

}  // namespace
}  // namespace keras_elu

#pragma GCC push_options
#pragma GCC target("arch=x86-64-v3")
#include "cpu/elu_simd.h"

namespace keras_elu {
namespace {

struct Avx2 {
  static constexpr bool kFma = true;
  KERAS_ELU_VECTOR_TYPES(32);
  static KERAS_ELU_INLINE F Fma(F a, F b, F c) {
    return (F)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
  }
  static KERAS_ELU_INLINE F Max(F a, F b) { return (F)_mm256_max_ps((__m256)a, (__m256)b); }
  static constexpr int kExpTableBits = 3;  // one register of 8
  static KERAS_ELU_INLINE I LookupExpTable(const I* table, I index) {  // table[index mod 8]
    return (I)_mm256_permutevar8x32_epi32((__m256i)table[0], (__m256i)index);
  }
  static KERAS_ELU_INLINE F BlendBySign(F if_clear, F if_set, F selector) {  // by sign bit
    return (F)_mm256_blendv_ps((__m256)if_clear, (__m256)if_set, (__m256)selector);
  }
  static void HalfToFloat(const std::uint16_t* in, float* out) {
    _mm256_storeu_ps(out, _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(in))));
  }
  static void FloatToHalf(const float* in, std::uint16_t* out) {
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out),
                     _mm256_cvtps_ph(_mm256_loadu_ps(in), _MM_FROUND_TO_NEAREST_INT));
  }
};

constexpr CpuKernels kKernels = MakeCpuKernels<Avx2>();

}  // namespace

constexpr CpuIsa kAvx2Isa{kName, CpuRuns, &kKernels};

}  // namespace keras_elu

#pragma GCC pop_options
#else
namespace keras_elu {
constexpr CpuIsa kAvx2Isa{kName, nullptr, nullptr};  // x86 only
}  // namespace keras_elu
#endif  // __x86_64__
