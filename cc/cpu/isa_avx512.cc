// The CPU kernels for x86-64-v4 (AVX-512): 16 float or 8 double lanes.
#include "cpu/elu_cpu_kernels.h"

namespace keras_elu {
namespace {
constexpr char kName[] = "avx512";
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
  return __builtin_cpu_supports("x86-64-v4");
}

}  // namespace
}  // namespace keras_elu

#pragma GCC push_options
#pragma GCC target("arch=x86-64-v4")
#include "cpu/elu_simd.h"

namespace keras_elu {
namespace {

struct Avx512 {
  static constexpr bool kFma = true;
  KERAS_ELU_VECTOR_TYPES(64);
  static KERAS_ELU_INLINE F Fma(F a, F b, F c) {
    return (F)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
  }
  static KERAS_ELU_INLINE F Max(F a, F b) { return (F)_mm512_max_ps((__m512)a, (__m512)b); }
  static constexpr int kExpTableBits = 5;  // two registers of 16, one two-source permute
  static KERAS_ELU_INLINE I LookupExpTable(const I* table, I index) {  // table[index mod 32]
    return (I)_mm512_permutex2var_epi32((__m512i)table[0], (__m512i)index, (__m512i)table[1]);
  }
  static KERAS_ELU_INLINE F BlendBySign(F if_clear, F if_set, F selector) {  // by sign bit
    return (F)_mm512_mask_blend_ps(_mm512_movepi32_mask((__m512i)selector), (__m512)if_clear,
                                   (__m512)if_set);
  }
  static void HalfToFloat(const std::uint16_t* in, float* out) {
    _mm512_storeu_ps(out, _mm512_cvtph_ps(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(in))));
  }
  static void FloatToHalf(const float* in, std::uint16_t* out) {
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out),
                        _mm512_cvtps_ph(_mm512_loadu_ps(in), _MM_FROUND_TO_NEAREST_INT));
  }
};

constexpr CpuKernels kKernels = MakeCpuKernels<Avx512>();

}  // namespace

constexpr CpuIsa kAvx512Isa{kName, CpuRuns, &kKernels};

}  // namespace keras_elu

#pragma GCC pop_options
#else
namespace keras_elu {
constexpr CpuIsa kAvx512Isa{kName, nullptr, nullptr};  // x86 only
}  // namespace keras_elu
#endif  // __x86_64__
