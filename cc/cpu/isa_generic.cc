// The CPU kernels for the compiler's baseline target, with 16-byte vectors
// (SSE2 on x86-64, NEON on AArch64): the only path off x86, and the floor on
// an x86 without AVX. The algorithms of the AVX path.
#include "cpu/elu_simd.h"

namespace keras_elu {
namespace {

struct Generic : ScalarHalves<4> {
  static constexpr const char* kName = "generic";
  static constexpr bool kFma = false;
  KERAS_ELU_VECTOR_TYPES(16);
};

const CpuKernels kKernels = MakeCpuKernels<Generic>();

}  // namespace

const CpuKernels* GenericKernels() { return &kKernels; }

}  // namespace keras_elu
