#include "elu_cpu_spans.h"

#include "elu_cpu_clones.h"
#include "elu_forward_isa.h"
#include "elu_forward_spans.h"
#include "elu_functor.h"

namespace keras_elu {

// For CPUs without FMA: those with AVX2 or AVX-512 take elu_forward_avx*.cc
// instead (elu_cpu_dispatch.cc). TensorFlow's wheel itself requires AVX, so
// the AVX clone is the one that runs; the baseline clone only keeps the
// library loadable until TF's own check speaks.
#if defined(__x86_64__) && !defined(KERAS_ELU_NO_CLONES)
#define KERAS_ELU_PORTABLE_CLONES __attribute__((target_clones("avx", "default")))
#else
#define KERAS_ELU_PORTABLE_CLONES
#endif
typedef double PortableVector __attribute__((vector_size(32)));

KERAS_ELU_PORTABLE_CLONES
void EluForwardFloatPortable(const float* x, float* y, std::int64_t n, float alpha) {
  EluForwardFloatViaDouble<PortableVector>(x, y, n, alpha);
}

KERAS_ELU_PORTABLE_CLONES
void EluForwardDoublePortable(const double* x, double* y, std::int64_t n, double alpha) {
  EluForwardDouble<PortableVector>(x, y, n, alpha);
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
