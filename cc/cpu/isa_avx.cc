// The CPU kernels for AVX without FMA or F16C (Sandy Bridge; TensorFlow's
// wheel needs AVX, so this is the floor there): float32 evaluated in double,
// 4 lanes; float64, 4 lanes; scalar half conversions.
#include "cpu/elu_cpu_kernels.h"

namespace keras_elu {
namespace {
constexpr char kName[] = "avx";
}  // namespace
}  // namespace keras_elu

#if defined(__x86_64__)
namespace keras_elu {
namespace {

// Whether this CPU runs the target of the pragma below, which names the same
// extension. Outside the pragma on purpose: it runs on every CPU.
bool CpuRuns() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx");
}

}  // namespace
}  // namespace keras_elu

#pragma GCC push_options
#pragma GCC target("avx")
#include "cpu/elu_simd.h"

namespace keras_elu {
namespace {

struct Avx : ScalarHalves<8> {
  static constexpr bool kFma = false;
  KERAS_ELU_VECTOR_TYPES(32);
};

constexpr CpuKernels kKernels = MakeCpuKernels<Avx>();

}  // namespace

constexpr CpuIsa kAvxIsa{kName, CpuRuns, &kKernels};

}  // namespace keras_elu

#pragma GCC pop_options
#else
namespace keras_elu {
constexpr CpuIsa kAvxIsa{kName, nullptr, nullptr};  // x86 only
}  // namespace keras_elu
#endif  // __x86_64__
