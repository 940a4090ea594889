// The CPU kernels for AVX without FMA or F16C (Sandy Bridge; TensorFlow's
// wheel needs AVX, so this is the floor there): float32 evaluated in double,
// 4 lanes; float64, 4 lanes; scalar half conversions.
#include "cpu/elu_cpu_kernels.h"

#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx")
#include "cpu/elu_simd.h"

namespace keras_elu {
namespace {

struct Avx : ScalarHalves<8> {
  static constexpr const char* kName = "avx";
  static constexpr bool kFma = false;
  KERAS_ELU_VECTOR_TYPES(32);
};

const CpuKernels kKernels = MakeCpuKernels<Avx>();

}  // namespace

const CpuKernels* AvxKernels() { return &kKernels; }

}  // namespace keras_elu

#pragma GCC pop_options
#else
namespace keras_elu {
const CpuKernels* AvxKernels() { return nullptr; }
}  // namespace keras_elu
#endif  // __x86_64__
