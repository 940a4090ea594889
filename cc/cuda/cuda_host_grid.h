// Plays the CUDA grid on the host, so that g++ can compile elu_kernels.cu.cc
// (with KERAS_ELU_CUDA_ON_HOST) and tests/test_cuda_on_host.py can run the real
// kernel bodies and launch arithmetic on a machine without a GPU.
//
// What it provides: blockIdx/threadIdx/gridDim/blockDim as globals, a launch
// that runs every (block, thread) of the grid in turn, and the few runtime
// calls the launcher makes, answering for a fake device with
// kHostMultiprocessors SMs (one, so the grid-stride loops turn many times).
// The half/bfloat16 conversions are CUDA's own host versions (cuda_fp16.h,
// cuda_bf16.h); expm1f/expf are the host libm's, so device math accuracy is
// not what this tests. Threads are independent in these kernels (no shared
// memory, no barriers), so running them one after another is faithful.
#ifndef KERAS_ELU_CC_CUDA_CUDA_HOST_GRID_H_
#define KERAS_ELU_CC_CUDA_CUDA_HOST_GRID_H_

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <driver_types.h>
#include <vector_types.h>

#include <cmath>

#ifndef __global__
#define __global__
#endif
#undef __launch_bounds__
#define __launch_bounds__(threads)

using std::exp;
using std::expm1;

inline uint3 blockIdx, threadIdx;
inline dim3 gridDim, blockDim;

namespace keras_elu {
namespace host_grid {

constexpr int kHostMultiprocessors = 1;

template <typename Kernel>
void Run(int blocks, int threads, Kernel run_one_thread) {
  gridDim = dim3(blocks);
  blockDim = dim3(threads);
  for (int b = 0; b < blocks; ++b) {
    for (int t = 0; t < threads; ++t) {
      blockIdx = uint3{static_cast<unsigned>(b), 0, 0};
      threadIdx = uint3{static_cast<unsigned>(t), 0, 0};
      run_one_thread();
    }
  }
}

}  // namespace host_grid
}  // namespace keras_elu

inline cudaError_t cudaGetDevice(int* device) {
  *device = 0;
  return cudaSuccess;
}
inline cudaError_t cudaDeviceGetAttribute(int* value, cudaDeviceAttr attr, int) {
  *value = attr == cudaDevAttrMultiProcessorCount ? keras_elu::host_grid::kHostMultiprocessors : 0;
  return cudaSuccess;
}
inline cudaError_t cudaGetLastError() { return cudaSuccess; }
inline const char* cudaGetErrorString(cudaError_t error) {
  return error == cudaSuccess ? "no error" : "host grid error";
}

#define KERAS_ELU_LAUNCH(kernel, blocks, threads, stream, ...) \
  keras_elu::host_grid::Run(blocks, threads, [&] { kernel(__VA_ARGS__); })

#endif  // KERAS_ELU_CC_CUDA_CUDA_HOST_GRID_H_
