// Plays the CUDA grid on the host, so that g++ can compile elu_device.cu
// (with KERAS_ELU_CUDA_ON_HOST) and tests/test_cuda_on_host.py can run the
// real kernel bodies, through the real launcher (elu_gpu_launch.cc), on a
// machine without a GPU.
//
// It stands in for the driver layer alone (cuda_driver.h): FindGpuKernel
// finds the kernel among those elu_device.cu registered by name, on a fake
// device of kHostMultiprocessors SMs (one, so the grid-stride loops turn many
// times), and LaunchGpuKernel runs every (block, thread) of the grid in turn.
// Threads are independent in these kernels, so running them one after
// another is faithful; the one shared-memory table is read in place instead
// (elu_device.cu). The half/bfloat16 conversions are CUDA's own host
// versions, and fmaf is the host's, so the float math gives the GPU's bits;
// float64 uses the host libm's expm1 and exp.
//
// cuda_host_grid.cc defines the two driver functions; this header, the grid
// and the kernels' registry.
#ifndef KERAS_ELU_CC_CUDA_CUDA_HOST_GRID_H_
#define KERAS_ELU_CC_CUDA_CUDA_HOST_GRID_H_

#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <vector_types.h>

#include <cmath>
#include <map>
#include <string>

#include "cuda/cuda_driver.h"
#include "cuda/elu_kernel_args.h"

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
using Kernel = void (*)(EluKernelArgs);

inline std::map<std::string, Kernel>& Kernels() {
  static std::map<std::string, Kernel> kernels;
  return kernels;
}
inline bool Register(const char* name, Kernel kernel) { return Kernels().emplace(name, kernel).second; }

}  // namespace host_grid

}  // namespace keras_elu

#define KERAS_ELU_HOST_GRID_KERNEL(name) \
  static const bool name##_on_host = keras_elu::host_grid::Register(#name, &name);

#endif  // KERAS_ELU_CC_CUDA_CUDA_HOST_GRID_H_
