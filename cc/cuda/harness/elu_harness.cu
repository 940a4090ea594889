// Standalone check of the CUDA kernels in ../elu_kernels.cu.cc, for GPU
// machines without TensorFlow. Build and run (see README.md):
//   nvcc -std=c++17 -O3 -DKERAS_ELU_STANDALONE -I cc -x cu cc/cuda/elu_kernels.cu.cc \
//        cc/cuda/harness/elu_harness.cu -o elu_harness && ./elu_harness 28
// Prints, per dtype and size: max error against a double CPU reference of
// forward and backward (from the input), and GB/s of forward against a
// device-to-device copy. Every launch's status is checked.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "cuda/elu_gpu_launch.h"

namespace {

#define CHECK_CUDA(expr)                                                     \
  do {                                                                       \
    cudaError_t e = (expr);                                                  \
    if (e != cudaSuccess) {                                                  \
      std::fprintf(stderr, "%s:%d %s\n", __FILE__, __LINE__, cudaGetErrorString(e)); \
      std::exit(1);                                                          \
    }                                                                        \
  } while (0)

double ToDouble(float v) { return v; }
double ToDouble(double v) { return v; }
double ToDouble(__half v) { return __half2float(v); }
double ToDouble(__nv_bfloat16 v) { return __bfloat162float(v); }
template <typename T> T FromDouble(double v) { return static_cast<T>(v); }
template <> __half FromDouble<__half>(double v) { return __float2half_rn(static_cast<float>(v)); }
template <> __nv_bfloat16 FromDouble<__nv_bfloat16>(double v) {
  return __float2bfloat16_rn(static_cast<float>(v));
}

// Relative error in units of the dtype's epsilon, against a double reference.
double ErrInEps(double got, double want, double eps) {
  if (std::isnan(want)) return std::isnan(got) ? 0 : 1e30;
  return std::fabs(got - want) / std::max(std::fabs(want), 1e-30) / eps;
}

float TimeMs(cudaEvent_t a, cudaEvent_t b) {
  float ms = 0;
  CHECK_CUDA(cudaEventElapsedTime(&ms, a, b));
  return ms;
}

template <typename T>
void Check(const char* name, keras_elu::GpuDtype tag, double eps, std::int64_t n, double alpha) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> dist(-10.0, 4.0);
  std::vector<T> x(n), dy(n), y(n), dx(n);
  for (std::int64_t i = 0; i < n; ++i) {
    x[i] = FromDouble<T>(dist(rng));
    dy[i] = FromDouble<T>(dist(rng));
  }
  const size_t bytes = n * sizeof(T);
  T *dx_ptr, *dy_ptr, *dout, *dgrad;
  CHECK_CUDA(cudaMalloc(&dx_ptr, bytes));
  CHECK_CUDA(cudaMalloc(&dy_ptr, bytes));
  CHECK_CUDA(cudaMalloc(&dout, bytes));
  CHECK_CUDA(cudaMalloc(&dgrad, bytes));
  CHECK_CUDA(cudaMemcpy(dx_ptr, x.data(), bytes, cudaMemcpyHostToDevice));
  CHECK_CUDA(cudaMemcpy(dy_ptr, dy.data(), bytes, cudaMemcpyHostToDevice));
  using keras_elu::EluKind;
  const void* forward_in[] = {dx_ptr};
  const void* grad_in[] = {dy_ptr, dx_ptr};
  CHECK_CUDA((cudaError_t)keras_elu::LaunchEluGpu(EluKind::kForward, tag, forward_in, dout, n, alpha, nullptr));
  CHECK_CUDA((cudaError_t)keras_elu::LaunchEluGpu(EluKind::kGrad, tag, grad_in, dgrad, n, alpha, nullptr));
  CHECK_CUDA(cudaDeviceSynchronize());
  CHECK_CUDA(cudaMemcpy(y.data(), dout, bytes, cudaMemcpyDeviceToHost));
  CHECK_CUDA(cudaMemcpy(dx.data(), dgrad, bytes, cudaMemcpyDeviceToHost));
  double fwd_err = 0, bwd_err = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const double xv = ToDouble(x[i]);
    const double want = xv > 0 ? xv : alpha * std::expm1(xv);
    fwd_err = std::max(fwd_err, ErrInEps(ToDouble(y[i]), want, eps));
    const double g = ToDouble(dy[i]);
    bwd_err = std::max(bwd_err, ErrInEps(ToDouble(dx[i]), xv > 0 ? g : g * alpha * std::exp(xv), eps));
  }
  cudaEvent_t a, b;
  CHECK_CUDA(cudaEventCreate(&a));
  CHECK_CUDA(cudaEventCreate(&b));
  std::vector<float> elu_ms, copy_ms;
  for (int rep = 0; rep < 21; ++rep) {  // interleaved, median taken below
    CHECK_CUDA(cudaEventRecord(a));
    CHECK_CUDA((cudaError_t)keras_elu::LaunchEluGpu(EluKind::kForward, tag, forward_in, dout, n, alpha, nullptr));
    CHECK_CUDA(cudaEventRecord(b));
    CHECK_CUDA(cudaEventSynchronize(b));
    elu_ms.push_back(TimeMs(a, b));
    CHECK_CUDA(cudaEventRecord(a));
    CHECK_CUDA(cudaMemcpyAsync(dout, dx_ptr, bytes, cudaMemcpyDeviceToDevice));
    CHECK_CUDA(cudaEventRecord(b));
    CHECK_CUDA(cudaEventSynchronize(b));
    copy_ms.push_back(TimeMs(a, b));
  }
  std::nth_element(elu_ms.begin(), elu_ms.begin() + 10, elu_ms.end());
  std::nth_element(copy_ms.begin(), copy_ms.begin() + 10, copy_ms.end());
  const double elu_gbs = 2.0 * bytes / (elu_ms[10] * 1e6), copy_gbs = 2.0 * bytes / (copy_ms[10] * 1e6);
  std::printf("| %-8s | %11lld | %4.2f | %8.3f | %8.3f | %8.1f | %8.1f | %5.1f%% |\n", name,
              (long long)n, alpha, fwd_err, bwd_err, elu_gbs, copy_gbs, 100 * elu_gbs / copy_gbs);
  for (T* p : {dx_ptr, dy_ptr, dout, dgrad}) CHECK_CUDA(cudaFree(p));
  // Units of the unit roundoff: expm1f is within 1 ULP (2 units), alpha adds 1;
  // expf is within 2 ULP (4 units), alpha and dy add 1 each.
  bool ok = fwd_err <= 4.0 && bwd_err <= 6.0;
  if (!ok) { std::printf("FAILED %s\n", name); std::exit(1); }
}

}  // namespace

int main(int argc, char** argv) {
  const int max_log2 = argc > 1 ? std::atoi(argv[1]) : 24;
  cudaDeviceProp prop;
  CHECK_CUDA(cudaGetDeviceProperties(&prop, 0));
  std::printf("device: %s\n\n", prop.name);
  std::printf("| dtype    |           N | alpha | fwd err (eps) | bwd err (eps) | ELU GB/s | copy GB/s | of copy |\n");
  std::printf("|---|---|---|---|---|---|---|---|\n");
  using keras_elu::GpuDtype;
  for (int lg = 20; lg <= max_log2; lg += 2) {
    const std::int64_t n = (std::int64_t{1} << lg) + (lg == 20 ? 3 : 0);  // one ragged size
    for (double alpha : {1.0, 0.1}) {
      Check<float>("float32", GpuDtype::kFloat, std::ldexp(1.0, -24), n, alpha);
      Check<__half>("float16", GpuDtype::kHalf, std::ldexp(1.0, -11), n, alpha);
      Check<__nv_bfloat16>("bfloat16", GpuDtype::kBfloat16, std::ldexp(1.0, -8), n, alpha);
      Check<double>("float64", GpuDtype::kDouble, std::ldexp(1.0, -53), n, alpha);
    }
  }
  std::printf("\nall checks passed\n");
  return 0;
}
