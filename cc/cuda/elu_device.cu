// The CUDA kernels of the KerasElu ops: device code only, no C++ standard
// library and no host functions, so NVRTC compiles it (build_tools/cuda_images.py
// makes the cubins and PTX the library embeds) and g++ compiles it for the
// host grid (KERAS_ELU_CUDA_ON_HOST, tests/cuda_on_host). The launcher that
// picks and starts these kernels lives apart, in elu_gpu_launch.cc.
//
// The math is the CPU's: the formulas of elu_formulas.h, and for everything
// that computes in float (float32, float16, bfloat16) the float32 FMA math of
// the AVX-512 path through DeviceLaneIsa, so a GPU gives the CPU's bits.
// float64 uses CUDA's expm1 and exp (each within 1 ULP).
#if KERAS_ELU_CUDA_ON_HOST
#include "cuda/cuda_host_grid.h"
#else
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#endif

#include "cpu/alpha_exp_float_fma.h"
#include "cpu/elu_float_fma.h"
#include "cuda/elu_device_isa.h"
#include "cuda/elu_kernel_args.h"
#include "elu_formulas.h"
#include "elu_kind.h"

namespace keras_elu {
namespace {

using ExpTable = AlphaExpParams<DeviceLaneIsa>;

// Per kernel launch, what the float math needs beside alpha: which method the
// launcher chose (the same for every thread) and, for the derivatives, the
// table it built.
struct FloatContext {
  float alpha;
  int method;
  const ExpTable* table;  // in shared memory
};

KERAS_ELU_INLINE float Forward(float x, const FloatContext& c) {
  if (c.method == kEluMethodUnitAlpha) return EluFloatWithFma<DeviceLaneIsa, true>(x, 1.0f).v;
  if (c.method == kEluMethodFloatFma) return EluFloatWithFma<DeviceLaneIsa, false>(x, c.alpha).v;
  const double wide = x;  // kEluMethodDouble: alphas outside the float math's range
  return static_cast<float>(EluFromExpm1(wide, expm1(wide), static_cast<double>(c.alpha)));
}
KERAS_ELU_INLINE float AlphaExp(float x, const FloatContext& c) {
  if (c.method != kEluMethodDouble) return AlphaExpFloatWithFma<DeviceLaneIsa>(x, *c.table).v;
  const double wide = x > 0 ? 0.0 : static_cast<double>(x);
  return static_cast<float>(static_cast<double>(c.alpha) * exp(wide));
}
KERAS_ELU_INLINE double Forward(double x, double alpha) { return EluFromExpm1(x, expm1(x), alpha); }
KERAS_ELU_INLINE double AlphaExp(double x, double alpha) {
  return alpha * exp(x > 0 ? 0.0 : x);  // the clamp keeps the discarded branch finite
}

// One kind on one element: v holds the data inputs in the op's order.
template <EluKind kKind, typename C, typename Context>
KERAS_ELU_INLINE C ElementOp(const C* v, C alpha, const Context& c) {
  if constexpr (kKind == EluKind::kForward) return Forward(v[0], c);
  if constexpr (kKind == EluKind::kGrad) return EluGradFromInput(v[0], v[1], AlphaExp(v[1], c));
  if constexpr (kKind == EluKind::kGradGrad)
    return EluGradGradFromInput(v[0], v[1], v[2], AlphaExp(v[2], c));
  if constexpr (kKind == EluKind::kLegacyGrad) return EluGradFromOutput(v[0], v[1], alpha);
  if constexpr (kKind == EluKind::kLegacyGradGrad) return EluGradGradFromOutput(v[0], v[1], v[2]);
}

// Storage types and their compute types. The halves convert two at a time:
// half2/bfloat162 convert both with one instruction (cvt.rn.f16x2.f32 and
// friends on sm_80+). Pairs move with memcpy, never through a __half2
// pointer: reading __half storage as __half2 breaks C++'s aliasing rules,
// and g++ miscompiled exactly that when the host grid first ran this code;
// the device compiler turns the 4-byte copy into a register move.
struct FloatPair { float a, b; };
KERAS_ELU_INLINE float ToCompute(__half v) { return __half2float(v); }
KERAS_ELU_INLINE float ToCompute(__nv_bfloat16 v) { return __bfloat162float(v); }
KERAS_ELU_INLINE float ToCompute(float v) { return v; }
KERAS_ELU_INLINE double ToCompute(double v) { return v; }
KERAS_ELU_INLINE void FromCompute(float v, __half* out) { *out = __float2half_rn(v); }
KERAS_ELU_INLINE void FromCompute(float v, __nv_bfloat16* out) { *out = __float2bfloat16_rn(v); }
KERAS_ELU_INLINE void FromCompute(float v, float* out) { *out = v; }
KERAS_ELU_INLINE void FromCompute(double v, double* out) { *out = v; }

KERAS_ELU_INLINE FloatPair LoadTwo(const __half* src) {
  __half2 pair;
  memcpy(static_cast<void*>(&pair), src, sizeof pair);
  const float2 f = __half22float2(pair);
  return {f.x, f.y};
}
KERAS_ELU_INLINE FloatPair LoadTwo(const __nv_bfloat16* src) {
  __nv_bfloat162 pair;
  memcpy(static_cast<void*>(&pair), src, sizeof pair);
  const float2 f = __bfloat1622float2(pair);
  return {f.x, f.y};
}
KERAS_ELU_INLINE void StoreTwo(__half* dst, float a, float b) {
  const __half2 pair = __floats2half2_rn(a, b);
  memcpy(static_cast<void*>(dst), &pair, sizeof pair);
}
KERAS_ELU_INLINE void StoreTwo(__nv_bfloat16* dst, float a, float b) {
  const __nv_bfloat162 pair = __floats2bfloat162_rn(a, b);
  memcpy(static_cast<void*>(dst), &pair, sizeof pair);
}

// 16 bytes per thread per access: the widest load a thread can issue.
template <typename T>
struct alignas(16) Pack {
  static constexpr int kSize = 16 / sizeof(T);
  T v[kSize];
};

// Computes one 16-byte pack: pairs for the halves, element by element otherwise.
template <EluKind kKind, typename T, int kIn, typename C, typename Context>
KERAS_ELU_INLINE void PackOp(const Pack<T>* in, Pack<T>* out, C alpha, const Context& c) {
  constexpr bool kHalf = sizeof(T) == 2;
#pragma unroll
  for (int j = 0; j < Pack<T>::kSize; j += kHalf ? 2 : 1) {
    C first[kIn], second[kIn];
#pragma unroll
    for (int k = 0; k < kIn; ++k) {
      if constexpr (kHalf) {
        const FloatPair pair = LoadTwo(in[k].v + j);
        first[k] = pair.a;
        second[k] = pair.b;
      } else {
        first[k] = in[k].v[j];
      }
    }
    if constexpr (kHalf) {
      StoreTwo(out->v + j, ElementOp<kKind>(first, alpha, c), ElementOp<kKind>(second, alpha, c));
    } else {
      out->v[j] = ElementOp<kKind>(first, alpha, c);
    }
  }
}

// The float math's context: the derivatives' table goes to shared memory once
// per block (on the host grid, where a block's threads run one after another,
// each thread reads it where it is).
template <EluKind kKind>
KERAS_ELU_INLINE FloatContext MakeContext(const EluKernelArgs& args, float) {
  const bool uses_table = kKind == EluKind::kGrad || kKind == EluKind::kGradGrad;
#if KERAS_ELU_CUDA_ON_HOST
  const ExpTable* table = reinterpret_cast<const ExpTable*>(&args.exp_table);
#else
  __shared__ ExpTable shared;
  if (uses_table && args.method != kEluMethodDouble) {
    const ExpTable* from = reinterpret_cast<const ExpTable*>(&args.exp_table);
    if (threadIdx.x < ExpTable::kVectors) shared.table[threadIdx.x] = from->table[threadIdx.x];
    if (threadIdx.x == 0) shared.x_min = from->x_min;
    __syncthreads();
  }
  const ExpTable* table = &shared;
#endif
  return {static_cast<float>(args.alpha), args.method, uses_table ? table : nullptr};
}
template <EluKind kKind>
KERAS_ELU_INLINE double MakeContext(const EluKernelArgs& args, double) { return args.alpha; }

// Grid-stride loops: 16-byte packs when every pointer allows, then single
// elements for the rest (or for everything, when a pointer is misaligned).
template <EluKind kKind, typename T>
KERAS_ELU_INLINE void ElementwiseKernel(const EluKernelArgs& args) {
  using C = decltype(ToCompute(T{}));
  constexpr int kIn = NumDataInputs(kKind);
  constexpr int kVec = Pack<T>::kSize;
  const auto context = MakeContext<kKind>(args, C{});
  const C alpha = static_cast<C>(args.alpha);
  const T* in[kIn];
#pragma unroll
  for (int k = 0; k < kIn; ++k) in[k] = static_cast<const T*>(args.in[k]);
  T* out = static_cast<T*>(args.out);
  const long long stride = static_cast<long long>(gridDim.x) * blockDim.x;
  const long long tid = static_cast<long long>(blockIdx.x) * blockDim.x + threadIdx.x;
  const long long packs = args.vectorized ? args.n / kVec : 0;
  for (long long p = tid; p < packs; p += stride) {
    Pack<T> pack_in[kIn];
#pragma unroll
    for (int k = 0; k < kIn; ++k) pack_in[k] = reinterpret_cast<const Pack<T>*>(in[k])[p];
    Pack<T> pack_out;
    PackOp<kKind, T, kIn>(pack_in, &pack_out, alpha, context);
    reinterpret_cast<Pack<T>*>(out)[p] = pack_out;
  }
  for (long long i = packs * kVec + tid; i < args.n; i += stride) {
    C v[kIn];
#pragma unroll
    for (int k = 0; k < kIn; ++k) v[k] = ToCompute(in[k][i]);
    FromCompute(ElementOp<kKind>(v, alpha, context), out + i);
  }
}

}  // namespace
}  // namespace keras_elu

// The entry points the launcher finds by name: keras_elu_<kind>_<dtype>
// (elu_kernel_args.h spells the names; the build checks every image has all).
#define KERAS_ELU_DEFINE_KERNEL(KIND_NAME, KIND, DTYPE_NAME, T)                                  \
  extern "C" __global__ void __launch_bounds__(keras_elu::kEluThreadsPerBlock)                   \
      keras_elu_##KIND_NAME##_##DTYPE_NAME(keras_elu::EluKernelArgs args) {                      \
    keras_elu::ElementwiseKernel<keras_elu::EluKind::KIND, T>(args);                             \
  }                                                                                              \
  KERAS_ELU_HOST_GRID_KERNEL(keras_elu_##KIND_NAME##_##DTYPE_NAME)
#define KERAS_ELU_DEFINE_KERNELS(KIND_NAME, KIND)                  \
  KERAS_ELU_DEFINE_KERNEL(KIND_NAME, KIND, float16, __half)        \
  KERAS_ELU_DEFINE_KERNEL(KIND_NAME, KIND, bfloat16, __nv_bfloat16) \
  KERAS_ELU_DEFINE_KERNEL(KIND_NAME, KIND, float32, float)         \
  KERAS_ELU_DEFINE_KERNEL(KIND_NAME, KIND, float64, double)
#ifndef KERAS_ELU_HOST_GRID_KERNEL
#define KERAS_ELU_HOST_GRID_KERNEL(name)
#endif

KERAS_ELU_DEFINE_KERNELS(forward, kForward)
KERAS_ELU_DEFINE_KERNELS(grad, kGrad)
KERAS_ELU_DEFINE_KERNELS(grad_grad, kGradGrad)
KERAS_ELU_DEFINE_KERNELS(legacy_grad, kLegacyGrad)
KERAS_ELU_DEFINE_KERNELS(legacy_grad_grad, kLegacyGradGrad)

#undef KERAS_ELU_DEFINE_KERNELS
#undef KERAS_ELU_DEFINE_KERNEL
