// The CUDA driver API, reached the way CuPy and PyTorch's jiterator reach it:
// libcuda is opened at first use, not linked, so the op library loads on
// machines without a GPU or a driver, and the kernels' images (embedded by
// the build, elu_cuda_images.h) are loaded into each context on first use.
#ifndef KERAS_ELU_CC_CUDA_CUDA_DRIVER_H_
#define KERAS_ELU_CC_CUDA_CUDA_DRIVER_H_

#include <string>

namespace keras_elu {

// What the GPU side needs to launch one kernel.
struct GpuKernel {
  void* function = nullptr;  // a CUfunction
  int multiprocessors = 0;   // of the device the stream belongs to
};

// Finds the kernel `name` for the context of `stream` (a CUstream; nullptr
// means the calling thread's current context), loading the image that fits
// the device on first use. Returns "" on success, else why it cannot run.
std::string FindGpuKernel(void* stream, const char* name, GpuKernel* kernel);

// Launches `kernel` with one by-value parameter of `args_size` bytes on
// `stream`, in the stream's context. Returns "" or the driver's error.
std::string LaunchGpuKernel(const GpuKernel& kernel, unsigned blocks, unsigned threads, void* stream,
                            void* args);

// "" when every visible GPU can run the kernels (driver new enough, an image
// that fits and loads); else the first reason one cannot. Checks once.
const std::string& GpuKernelsUnavailableReason();

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CUDA_CUDA_DRIVER_H_
