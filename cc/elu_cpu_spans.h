// Contiguous-span ELU loops for the CPU kernels. Each is compiled for several
// x86-64 ISA levels and picked at load time (the forward ones in
// elu_cpu_dispatch.cc, the gradients in elu_cpu_spans.cc), so one build uses
// AVX-512 where present and still runs on an x86-64 with only AVX.
// In-place use (out == in) is allowed: every block is read before it is written.
#ifndef KERAS_ELU_CC_ELU_CPU_SPANS_H_
#define KERAS_ELU_CC_ELU_CPU_SPANS_H_

#include <cstdint>

namespace keras_elu {

void EluForwardSpan(const float* x, float* y, std::int64_t n, double alpha);
void EluForwardSpan(const double* x, double* y, std::int64_t n, double alpha);

void EluGradSpan(const float* dy, const float* y, float* dx, std::int64_t n,
                 double alpha);
void EluGradSpan(const double* dy, const double* y, double* dx, std::int64_t n,
                 double alpha);

void EluGradGradSpan(const float* g, const float* dy, const float* y,
                     float* out, std::int64_t n);
void EluGradGradSpan(const double* g, const double* dy, const double* y,
                     double* out, std::int64_t n);

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_CPU_SPANS_H_
