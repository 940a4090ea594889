// The forward spans compiled for x86-64-v3 (AVX2 + FMA), on 32-byte vectors.
// Called only when the CPU has it (elu_cpu_dispatch.cc).
#include <cstdint>
#include <cstring>

#include "elu_forward_isa.h"

#if defined(__x86_64__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("arch=x86-64-v3")
#include "elu_forward_spans.h"

namespace keras_elu {
namespace {

struct Avx2 {
  typedef float F __attribute__((vector_size(32)));
  typedef std::int32_t I __attribute__((vector_size(32)));
  typedef double D __attribute__((vector_size(32)));
  static inline __attribute__((always_inline)) F Fma(F a, F b, F c) {
    return (F)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c);
  }
};

}  // namespace

void EluForwardFloatAvx2(const float* x, float* y, std::int64_t n, float alpha) {
  EluForwardFloatWithFma<Avx2>(x, y, n, alpha);
}

void EluForwardDoubleAvx2(const double* x, double* y, std::int64_t n, double alpha) {
  EluForwardDouble<Avx2::D>(x, y, n, alpha);
}

}  // namespace keras_elu

#pragma GCC pop_options
#endif  // __x86_64__
