// The host grid's stand-ins for cuda_driver.h's kernel lookup and launch
// (see cuda_host_grid.h). Compiled only into the host-grid test runner.
#include "cuda/cuda_host_grid.h"

#include <string>

namespace keras_elu {

std::string FindGpuKernel(void*, const char* name, GpuKernel* kernel) {
  const auto found = host_grid::Kernels().find(name);
  if (found == host_grid::Kernels().end()) return std::string("no host kernel ") + name;
  kernel->function = reinterpret_cast<void*>(found->second);
  kernel->multiprocessors = host_grid::kHostMultiprocessors;
  return "";
}

std::string LaunchGpuKernel(const GpuKernel& kernel, unsigned blocks, unsigned threads, void*, void* args) {
  const auto run = reinterpret_cast<host_grid::Kernel>(kernel.function);
  gridDim = dim3(blocks);
  blockDim = dim3(threads);
  for (unsigned b = 0; b < blocks; ++b) {
    for (unsigned t = 0; t < threads; ++t) {
      blockIdx = uint3{b, 0, 0};
      threadIdx = uint3{t, 0, 0};
      run(*static_cast<const EluKernelArgs*>(args));
    }
  }
  return "";
}

}  // namespace keras_elu
