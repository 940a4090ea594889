// The seam between the TensorFlow kernels (g++, TF headers) and the CUDA
// kernels (nvcc, CUDA headers only): plain pointers, a kind and a dtype tag,
// and the stream as void*, so neither side needs the other's headers.
#ifndef KERAS_ELU_CC_CUDA_ELU_GPU_LAUNCH_H_
#define KERAS_ELU_CC_CUDA_ELU_GPU_LAUNCH_H_

#include <cstdint>

#include "elu_kind.h"

namespace keras_elu {

enum class GpuDtype { kHalf, kBfloat16, kFloat, kDouble };

// Runs one kind over n elements: `in` holds NumDataInputs(kind) device
// pointers (out may equal one of them); alpha is ignored by kinds that take
// none. Returns a cudaError_t value: 0 on success. `stream` is a cudaStream_t.
int LaunchEluGpu(EluKind kind, GpuDtype dtype, const void* const* in, void* out,
                 std::int64_t n, double alpha, void* stream);
const char* GpuErrorString(int error);

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CUDA_ELU_GPU_LAUNCH_H_
