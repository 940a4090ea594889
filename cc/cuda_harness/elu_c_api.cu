// C entry points over the CUDA launchers, for ctypes (compare_torch.py).
// Build: nvcc -std=c++17 -O3 -shared -Xcompiler -fPIC -DKERAS_ELU_STANDALONE -I cc -x cu \
//        cc/elu_kernels.cu.cc cc/cuda_harness/elu_c_api.cu -o libkeras_elu_cuda.so
#include <cstdint>

#include "elu_gpu_launch.h"

// dtype: 0 float16, 1 bfloat16, 2 float32, 3 float64 (the order of keras_elu::GpuDtype).
extern "C" int keras_elu_forward(int dtype, const void* x, void* y, std::int64_t n, double alpha,
                                 void* stream) {
  return keras_elu::LaunchEluForwardGpu(static_cast<keras_elu::GpuDtype>(dtype), x, y, n, alpha,
                                        stream);
}

extern "C" int keras_elu_backward(int dtype, const void* dy, const void* y, void* dx,
                                  std::int64_t n, double alpha, void* stream) {
  return keras_elu::LaunchEluGradGpu(static_cast<keras_elu::GpuDtype>(dtype), dy, y, dx, n, alpha,
                                     stream);
}
