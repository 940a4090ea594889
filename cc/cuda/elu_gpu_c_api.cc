// C entry points of the GPU side, for the Python loader, the tests and the
// GPU check (via ctypes): whether the kernels can run here, their names, and
// the embedded images.
#include <string>

#include "cuda/cuda_driver.h"
#include "cuda/elu_cuda_images.h"
#include "cuda/elu_gpu_launch.h"

#define KERAS_ELU_C_API extern "C" __attribute__((visibility("default")))

// "" when every visible GPU can run the kernels, else why not.
KERAS_ELU_C_API const char* KerasEluGpuUnavailableReason() {
  return keras_elu::GpuKernelsUnavailableReason().c_str();
}

// The name of the kernel for kind and dtype (the enums' values), as the launcher looks it up.
KERAS_ELU_C_API const char* KerasEluGpuKernelName(int kind, int dtype) {
  static thread_local char name[keras_elu::kEluKernelNameSize];
  keras_elu::EluKernelName(static_cast<keras_elu::EluKind>(kind), static_cast<keras_elu::GpuDtype>(dtype), name);
  return name;
}

// Embedded image i (for the build's image check); returns how many there are.
KERAS_ELU_C_API int KerasEluGpuImage(int i, const char** name, const unsigned char** data,
                                      unsigned long* size) {
  if (i >= 0 && i < keras_elu::kNumEluCudaImages) {
    *name = keras_elu::kEluCudaImages[i].name;
    *data = keras_elu::kEluCudaImages[i].data;
    *size = keras_elu::kEluCudaImages[i].size;
  }
  return keras_elu::kNumEluCudaImages;
}

// One launch through the launcher the op uses (scripts/gpu_check.py calls it
// with PyTorch's tensors and stream): kind and dtype as the enums' values.
// Returns "" on success, else what went wrong.
KERAS_ELU_C_API const char* KerasEluGpuLaunch(int kind, int dtype, const void* const* in, void* out,
                                              long long n, double alpha, void* stream) {
  static thread_local std::string error;
  error = keras_elu::LaunchEluGpu(static_cast<keras_elu::EluKind>(kind), static_cast<keras_elu::GpuDtype>(dtype),
                                  in, out, n, alpha, stream);
  return error.c_str();
}

#undef KERAS_ELU_C_API
