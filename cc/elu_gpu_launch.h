// The seam between the TensorFlow kernels (g++, TF headers) and the CUDA
// kernels (nvcc, CUDA headers only): plain pointers, a dtype tag and the
// stream as void*, so neither side needs the other's headers.
#ifndef KERAS_ELU_CC_ELU_GPU_LAUNCH_H_
#define KERAS_ELU_CC_ELU_GPU_LAUNCH_H_

#include <cstdint>

namespace keras_elu {

enum class GpuDtype { kHalf, kBfloat16, kFloat, kDouble };

// Each returns a cudaError_t value: 0 on success. `stream` is a cudaStream_t.
int LaunchEluForwardGpu(GpuDtype dtype, const void* x, void* y, std::int64_t n,
                        double alpha, void* stream);
int LaunchEluGradGpu(GpuDtype dtype, const void* dy, const void* y, void* dx,
                     std::int64_t n, double alpha, void* stream);
int LaunchEluGradGradGpu(GpuDtype dtype, const void* g, const void* dy,
                         const void* y, void* out, std::int64_t n, void* stream);
const char* GpuErrorString(int error);

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_GPU_LAUNCH_H_
