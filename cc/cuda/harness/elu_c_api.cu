// C entry points over the CUDA launchers, for ctypes (compare_torch.py).
// Build: nvcc -std=c++17 -O3 -shared -Xcompiler -fPIC -DKERAS_ELU_STANDALONE -I cc -x cu \
//        cc/cuda/elu_kernels.cu.cc cc/cuda/harness/elu_c_api.cu -o libkeras_elu_cuda.so
#include <cstdint>

#include "cuda/elu_gpu_launch.h"

// dtype: 0 float16, 1 bfloat16, 2 float32, 3 float64 (the order of keras_elu::GpuDtype).
extern "C" int keras_elu_forward(int dtype, const void* x, void* y, std::int64_t n, double alpha,
                                 void* stream) {
  const void* in[] = {x};
  return keras_elu::LaunchEluGpu(keras_elu::EluKind::kForward, static_cast<keras_elu::GpuDtype>(dtype),
                                 in, y, n, alpha, stream);
}

// The gradient from the input x, as the op computes it.
extern "C" int keras_elu_backward(int dtype, const void* dy, const void* x, void* dx,
                                  std::int64_t n, double alpha, void* stream) {
  const void* in[] = {dy, x};
  return keras_elu::LaunchEluGpu(keras_elu::EluKind::kGrad, static_cast<keras_elu::GpuDtype>(dtype),
                                 in, dx, n, alpha, stream);
}
