// CUDA kernels for the KerasElu ops. Plain CUDA headers only: the TF wheel
// ships no CUDA headers, and elu_gpu_launch.h keeps TF out of this file.
// The math comes from elu_formulas.h; half and bfloat16 compute in float.
//
// Three builds: by nvcc inside the op library (GOOGLE_CUDA), by nvcc for the
// standalone harness (KERAS_ELU_STANDALONE, cuda/harness/), and by g++ for
// the host (KERAS_ELU_CUDA_ON_HOST), where cuda_host_grid.h plays the grid so
// the tests run these very kernel bodies on a machine without a GPU.
#if GOOGLE_CUDA || KERAS_ELU_STANDALONE || KERAS_ELU_CUDA_ON_HOST

#if KERAS_ELU_CUDA_ON_HOST
#include "cuda/cuda_host_grid.h"
#else
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>
#define KERAS_ELU_LAUNCH(kernel, blocks, threads, stream, ...) \
  kernel<<<blocks, threads, 0, stream>>>(__VA_ARGS__)
#endif

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "cuda/elu_gpu_launch.h"
#include "elu_formulas.h"

namespace keras_elu {
namespace {

__device__ __forceinline__ float ToCompute(__half v) { return __half2float(v); }
__device__ __forceinline__ float ToCompute(__nv_bfloat16 v) { return __bfloat162float(v); }
__device__ __forceinline__ float ToCompute(float v) { return v; }
__device__ __forceinline__ double ToCompute(double v) { return v; }

template <typename T> __device__ __forceinline__ T FromCompute(float v);
template <> __device__ __forceinline__ __half FromCompute<__half>(float v) { return __float2half_rn(v); }
template <> __device__ __forceinline__ __nv_bfloat16 FromCompute<__nv_bfloat16>(float v) {
  return __float2bfloat16_rn(v);
}
template <> __device__ __forceinline__ float FromCompute<float>(float v) { return v; }
__device__ __forceinline__ double FromCompute(double v) { return v; }
template <typename T> __device__ __forceinline__ T Store(float v) { return FromCompute<T>(v); }
template <typename T> __device__ __forceinline__ T Store(double v) { return FromCompute(v); }

// Two neighbours at a time: half2/bfloat162 convert both with one instruction
// (cvt.rn.f16x2.f32 and friends on sm_80+). The pairs are moved with memcpy,
// not through a __half2 pointer: reading __half storage as __half2 breaks
// C++'s aliasing rules, and g++ miscompiled exactly that when the host run
// (tests/test_cuda_on_host.py) first executed this code; nvcc turns the
// 4-byte memcpy into a register move.
struct Float2Pair { float a, b; };
struct Double2Pair { double a, b; };
template <typename Pair, typename T>
__device__ __forceinline__ Pair LoadPair(const T* src) {
  Pair pair;
  memcpy(&pair, src, sizeof(pair));
  return pair;
}
template <typename T, typename Pair>
__device__ __forceinline__ void StorePair(T* dst, Pair pair) {
  memcpy(dst, &pair, sizeof(pair));
}
__device__ __forceinline__ Float2Pair LoadTwo(const __half* src) {
  const float2 f = __half22float2(LoadPair<__half2>(src));
  return {f.x, f.y};
}
__device__ __forceinline__ Float2Pair LoadTwo(const __nv_bfloat16* src) {
  const float2 f = __bfloat1622float2(LoadPair<__nv_bfloat162>(src));
  return {f.x, f.y};
}
__device__ __forceinline__ Float2Pair LoadTwo(const float* src) { return {src[0], src[1]}; }
__device__ __forceinline__ Double2Pair LoadTwo(const double* src) { return {src[0], src[1]}; }
__device__ __forceinline__ void StoreTwo(__half* dst, float a, float b) {
  StorePair(dst, __floats2half2_rn(a, b));
}
__device__ __forceinline__ void StoreTwo(__nv_bfloat16* dst, float a, float b) {
  StorePair(dst, __floats2bfloat162_rn(a, b));
}
__device__ __forceinline__ void StoreTwo(float* dst, float a, float b) { dst[0] = a; dst[1] = b; }
__device__ __forceinline__ void StoreTwo(double* dst, double a, double b) { dst[0] = a; dst[1] = b; }

// CUDA's expm1f is within 1 ULP and expf within 2 (CUDA C Programming Guide,
// mathematical functions); double versions within 1.
__device__ __forceinline__ float Expm1(float v) { return expm1f(v); }
__device__ __forceinline__ double Expm1(double v) { return expm1(v); }
__device__ __forceinline__ float Exp(float v) { return expf(v); }
__device__ __forceinline__ double Exp(double v) { return exp(v); }
template <typename C>
__device__ __forceinline__ C AlphaExp(C x, C alpha) {
  return alpha * Exp(x > C(0) ? C(0) : x);  // the clamp keeps the discarded branch finite
}

// One functor per kind: v holds the data inputs in the op's order.
template <EluKind kKind, typename C>
struct ElementOp {
  C alpha;
  __device__ C operator()(const C* v) const {
    if constexpr (kKind == EluKind::kForward) return EluFromExpm1(v[0], Expm1(v[0]), alpha);
    if constexpr (kKind == EluKind::kGrad)
      return EluGradFromInput(v[0], v[1], AlphaExp(v[1], alpha));
    if constexpr (kKind == EluKind::kGradGrad)
      return EluGradGradFromInput(v[0], v[1], v[2], AlphaExp(v[2], alpha));
    if constexpr (kKind == EluKind::kLegacyGrad) return EluGradFromOutput(v[0], v[1], alpha);
    if constexpr (kKind == EluKind::kLegacyGradGrad) return EluGradGradFromOutput(v[0], v[1], v[2]);
  }
};

// 16 bytes per thread per access: the widest load a thread can issue.
template <typename T>
struct alignas(16) Pack {
  static constexpr int kSize = 16 / sizeof(T);
  T v[kSize];
};

template <typename T, int kIn>
struct Spans {
  const T* in[kIn];
  T* out;
  std::int64_t n;
  bool aligned;  // every pointer 16-byte aligned: vector path allowed
};

template <typename T, int kIn, typename Op>
__global__ void __launch_bounds__(256) ElementwiseKernel(Spans<T, kIn> s, Op op) {
  using C = decltype(ToCompute(T{}));
  constexpr int kVec = Pack<T>::kSize;
  const std::int64_t stride = static_cast<std::int64_t>(gridDim.x) * blockDim.x;
  const std::int64_t tid = static_cast<std::int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  const std::int64_t packs = s.aligned ? s.n / kVec : 0;
  for (std::int64_t p = tid; p < packs; p += stride) {
    Pack<T> in[kIn];
#pragma unroll
    for (int k = 0; k < kIn; ++k) in[k] = reinterpret_cast<const Pack<T>*>(s.in[k])[p];
    Pack<T> out;
#pragma unroll
    for (int j = 0; j < kVec; j += 2) {  // kVec is even for every T
      C first[kIn], second[kIn];
#pragma unroll
      for (int k = 0; k < kIn; ++k) {
        const auto pair = LoadTwo(in[k].v + j);
        first[k] = pair.a;
        second[k] = pair.b;
      }
      StoreTwo(out.v + j, op(first), op(second));
    }
    reinterpret_cast<Pack<T>*>(s.out)[p] = out;
  }
  for (std::int64_t i = packs * kVec + tid; i < s.n; i += stride) {
    C v[kIn];
#pragma unroll
    for (int k = 0; k < kIn; ++k) v[k] = ToCompute(s.in[k][i]);
    s.out[i] = Store<T>(op(v));
  }
}

// Per device, looked up once: a racing first call only stores the same value twice.
int MultiprocessorCount() {
  constexpr int kMaxDevices = 64;
  static int cached[kMaxDevices] = {};
  int device = 0;
  if (cudaGetDevice(&device) != cudaSuccess || device < 0 || device >= kMaxDevices) return 80;
  if (cached[device] == 0) {
    int count = 0;
    const bool ok = cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device) == cudaSuccess;
    cached[device] = ok && count > 0 ? count : 80;
  }
  return cached[device];
}

template <typename T, int kIn, typename Op>
int Launch(const void* const (&in)[kIn], void* out, std::int64_t n, Op op, void* stream) {
  if (n == 0) return cudaSuccess;
  Spans<T, kIn> s;
  bool aligned = reinterpret_cast<std::uintptr_t>(out) % 16 == 0;
  for (int k = 0; k < kIn; ++k) {
    s.in[k] = static_cast<const T*>(in[k]);
    aligned = aligned && reinterpret_cast<std::uintptr_t>(in[k]) % 16 == 0;
  }
  s.out = static_cast<T*>(out);
  s.n = n;
  s.aligned = aligned;
  constexpr int kThreads = 256;
  // Enough blocks to fill every SM several times over; the grid-stride loop
  // covers the rest, so huge tensors never overflow gridDim.
  const std::int64_t work = (n + Pack<T>::kSize - 1) / Pack<T>::kSize;
  const std::int64_t wanted = (work + kThreads - 1) / kThreads;
  const std::int64_t cap = static_cast<std::int64_t>(MultiprocessorCount()) * 16;
  const int blocks = static_cast<int>(wanted < cap ? wanted : cap);
  auto* kernel = &ElementwiseKernel<T, kIn, Op>;
  KERAS_ELU_LAUNCH(kernel, blocks, kThreads, static_cast<cudaStream_t>(stream), s, op);
  return cudaGetLastError();
}

// Calls fn with a null pointer of the storage type matching the dtype tag,
// and a zero of its compute type.
template <typename Fn>
int WithType(GpuDtype dtype, Fn fn) {
  switch (dtype) {
    case GpuDtype::kHalf: return fn(static_cast<__half*>(nullptr), 0.0f);
    case GpuDtype::kBfloat16: return fn(static_cast<__nv_bfloat16*>(nullptr), 0.0f);
    case GpuDtype::kFloat: return fn(static_cast<float*>(nullptr), 0.0f);
    case GpuDtype::kDouble: return fn(static_cast<double*>(nullptr), 0.0);
  }
  return cudaErrorInvalidValue;
}

template <EluKind kKind>
int LaunchKind(GpuDtype dtype, const void* const* in, void* out, std::int64_t n, double alpha,
               void* stream) {
  constexpr int kIn = NumDataInputs(kKind);
  return WithType(dtype, [&](auto* tag, auto compute) {
    using T = std::remove_pointer_t<decltype(tag)>;
    using C = decltype(compute);
    const void* const(&ins)[kIn] = *reinterpret_cast<const void* const(*)[kIn]>(in);
    return Launch<T, kIn>(ins, out, n, ElementOp<kKind, C>{static_cast<C>(alpha)}, stream);
  });
}

}  // namespace

int LaunchEluGpu(EluKind kind, GpuDtype dtype, const void* const* in, void* out, std::int64_t n,
                 double alpha, void* stream) {
  switch (kind) {
    case EluKind::kForward: return LaunchKind<EluKind::kForward>(dtype, in, out, n, alpha, stream);
    case EluKind::kGrad: return LaunchKind<EluKind::kGrad>(dtype, in, out, n, alpha, stream);
    case EluKind::kGradGrad: return LaunchKind<EluKind::kGradGrad>(dtype, in, out, n, alpha, stream);
    case EluKind::kLegacyGrad:
      return LaunchKind<EluKind::kLegacyGrad>(dtype, in, out, n, alpha, stream);
    case EluKind::kLegacyGradGrad:
      return LaunchKind<EluKind::kLegacyGradGrad>(dtype, in, out, n, alpha, stream);
  }
  return cudaErrorInvalidValue;
}

const char* GpuErrorString(int error) {
  return cudaGetErrorString(static_cast<cudaError_t>(error));
}

}  // namespace keras_elu

#endif  // GOOGLE_CUDA || KERAS_ELU_STANDALONE || KERAS_ELU_CUDA_ON_HOST
