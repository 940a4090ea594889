// The CPU kernels for the compiler's baseline target, with 16-byte vectors
// (SSE2 on x86-64, NEON on AArch64): the only ISA off x86, and the floor on
// an x86 without AVX. The algorithms of the AVX kernels.
#include "cpu/elu_simd.h"

namespace keras_elu {
namespace {

struct Generic : ScalarHalves<4> {
  static constexpr bool kFma = false;
  KERAS_ELU_VECTOR_TYPES(16);
};

constexpr CpuKernels kKernels = MakeCpuKernels<Generic>();

bool CpuRuns() { return true; }  // the baseline: every CPU the library loads on

}  // namespace

constexpr CpuIsa kGenericIsa{"generic", CpuRuns, &kKernels};

}  // namespace keras_elu
