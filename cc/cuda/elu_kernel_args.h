// What the host launcher and the device kernels agree on: the one parameter
// every kernel takes, the dtypes, and the kernels' names. Read by NVRTC (no
// C++ standard library there), by g++ for the launcher, and by the host grid.
#ifndef KERAS_ELU_CC_CUDA_ELU_KERNEL_ARGS_H_
#define KERAS_ELU_CC_CUDA_ELU_KERNEL_ARGS_H_

#include "elu_kind.h"

namespace keras_elu {

enum class GpuDtype { kHalf, kBfloat16, kFloat, kDouble };
constexpr int kNumGpuDtypes = 4;

constexpr int kEluThreadsPerBlock = 256;

// How the types that compute in float do it, chosen once per launch by the
// launcher with the CPU's rule (FloatMath::Covers in cpu/elu_simd.h): the
// float32 FMA math, its alpha = 1 forward, or, for alphas outside the FMA
// math's range, double.
constexpr int kEluMethodFloatFma = 0;
constexpr int kEluMethodUnitAlpha = 1;
constexpr int kEluMethodDouble = 2;

// Passed by value, so host and device must lay it out alike: only pointers,
// 64-bit integers, doubles, ints and floats, which every CUDA ABI aligns
// naturally.
struct EluKernelArgs {
  const void* in[3];  // the kind's NumDataInputs(kind) data inputs, in the op's order
  void* out;          // may equal one of in[]
  long long n;
  double alpha;       // cast to the compute type on the device; unused by kinds without alpha
  int vectorized;     // every pointer 16-byte aligned: the 16-byte pack loop may run
  int method;         // kEluMethod*, for the types that compute in float
  struct {            // the derivatives' AlphaExpParams<DeviceLaneIsa>, laid out alike
    int table[32];
    float x_min;
  } exp_table;
};

// Kernel names are keras_elu_<kind>_<dtype>, e.g. keras_elu_grad_float16: the
// device file defines them with KERAS_ELU_DEFINE_KERNEL and the launcher finds
// them by these names; the build checks every image holds all of them.
constexpr const char* GpuKindName(EluKind kind) {
  return kind == EluKind::kForward          ? "forward"
         : kind == EluKind::kGrad           ? "grad"
         : kind == EluKind::kGradGrad       ? "grad_grad"
         : kind == EluKind::kLegacyGrad     ? "legacy_grad"
                                            : "legacy_grad_grad";
}
constexpr const char* GpuDtypeName(GpuDtype dtype) {
  return dtype == GpuDtype::kHalf       ? "float16"
         : dtype == GpuDtype::kBfloat16 ? "bfloat16"
         : dtype == GpuDtype::kFloat    ? "float32"
                                        : "float64";
}
constexpr int GpuDtypeSize(GpuDtype dtype) {
  return dtype == GpuDtype::kDouble ? 8 : dtype == GpuDtype::kFloat ? 4 : 2;
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CUDA_ELU_KERNEL_ARGS_H_
