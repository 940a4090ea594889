// The seam between the TensorFlow kernels (g++, TF headers) and the CUDA
// kernels (NVRTC images, driver API): plain pointers, a kind and a dtype tag,
// and the stream as void*, so neither side needs the other's headers. The op
// library, scripts/gpu_check.sh's harness and the host grid all launch
// through it, so what the harness measures is what ships.
#ifndef KERAS_ELU_CC_CUDA_ELU_GPU_LAUNCH_H_
#define KERAS_ELU_CC_CUDA_ELU_GPU_LAUNCH_H_

#include <cstdint>
#include <string>

#include "cuda/elu_kernel_args.h"
#include "elu_kind.h"

namespace keras_elu {

// One launch, decided but not started: the kernel's name, the grid and the
// kernel's argument. Pure arithmetic, shared by the GPU and the host grid.
constexpr int kEluKernelNameSize = 48;

// keras_elu_<kind>_<dtype>: the entry point's name in the images.
void EluKernelName(EluKind kind, GpuDtype dtype, char (&name)[kEluKernelNameSize]);

struct EluLaunchPlan {
  char kernel[kEluKernelNameSize];
  unsigned blocks;   // 0 when there is nothing to do (n == 0)
  EluKernelArgs args;
};

// `in` holds NumDataInputs(kind) pointers (out may equal one of them); alpha
// is ignored by kinds that take none; `multiprocessors` of the device sizes
// the grid.
EluLaunchPlan PlanEluLaunch(EluKind kind, GpuDtype dtype, const void* const* in, void* out,
                            std::int64_t n, double alpha, int multiprocessors);

// Runs one kind over n elements on `stream` (a CUstream; nullptr means the
// current context's default stream). Returns "" on success, else what went
// wrong, naming the cause (no driver, no image for this GPU, launch error).
std::string LaunchEluGpu(EluKind kind, GpuDtype dtype, const void* const* in, void* out,
                         std::int64_t n, double alpha, void* stream);

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CUDA_ELU_GPU_LAUNCH_H_
