#include "elu_cpu_spans.h"

#include <cmath>
#include <cstring>

#include "elu_forward_float_isa.h"
#include "elu_functor.h"
#include "expm1_simd.h"

// GCC/Clang function multi-versioning: each function is compiled once per
// listed ISA and an ifunc resolver picks the best at load time. The loops are
// simple enough for the auto-vectoriser; the forward one is written on
// 64-byte vectors so the expm1 polynomial vectorises on every target.
#if defined(__x86_64__) && !defined(KERAS_ELU_NO_CLONES)
#define KERAS_ELU_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KERAS_ELU_CLONES
#endif

namespace keras_elu {
namespace {

inline __attribute__((always_inline)) VecF ForwardLanes(VecF x, double alpha) {
  const VecD xd = __builtin_convertvector(x, VecD);
  const VecD yd = EluFromExpm1(xd, Expm1ForFloat(xd), alpha);
  return __builtin_convertvector(yd, VecF);
}

}  // namespace

// Baseline x86-64 (SSE2) only: CPUs with AVX2 or AVX-512 take the float
// paths in elu_forward_float_*.cc instead (elu_cpu_dispatch.cc).
void EluForwardFloatPortable(const float* x, float* y, std::int64_t n, float alpha) {
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    VecF block;
    std::memcpy(&block, x + i, sizeof(block));  // unaligned load
    block = ForwardLanes(block, alpha);
    std::memcpy(y + i, &block, sizeof(block));
  }
  if (i < n) {  // ragged tail: pad with zeros, which ELU maps to zero.
    const std::size_t bytes = static_cast<std::size_t>(n - i) * sizeof(float);
    VecF block{};
    std::memcpy(&block, x + i, bytes);
    block = ForwardLanes(block, alpha);
    std::memcpy(y + i, &block, bytes);
  }
}

KERAS_ELU_CLONES
void EluForwardSpan(const double* x, double* y, std::int64_t n, double alpha) {
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    VecD block;
    std::memcpy(&block, x + i, sizeof(block));
    block = EluFromExpm1(block, Expm1ForDouble(block), alpha);
    std::memcpy(y + i, &block, sizeof(block));
  }
  for (; i < n; ++i) y[i] = EluFromExpm1(x[i], x[i] > 0 ? 0.0 : std::expm1(x[i]), alpha);
}

KERAS_ELU_CLONES
void EluGradSpan(const float* dy, const float* y, float* dx, std::int64_t n,
                 double alpha) {
  const float a = static_cast<float>(alpha);
  for (std::int64_t i = 0; i < n; ++i) dx[i] = EluGradFromOutput(dy[i], y[i], a);
}

KERAS_ELU_CLONES
void EluGradSpan(const double* dy, const double* y, double* dx, std::int64_t n,
                 double alpha) {
  for (std::int64_t i = 0; i < n; ++i) dx[i] = EluGradFromOutput(dy[i], y[i], alpha);
}

KERAS_ELU_CLONES
void EluGradGradSpan(const float* g, const float* dy, const float* y,
                     float* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = EluGradGradFromOutput(g[i], dy[i], y[i]);
}

KERAS_ELU_CLONES
void EluGradGradSpan(const double* g, const double* dy, const double* y,
                     double* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = EluGradGradFromOutput(g[i], dy[i], y[i]);
}

}  // namespace keras_elu
