// The forward spans compiled for x86-64-v4 (AVX-512), on 64-byte vectors.
// Called only when the CPU has it (elu_cpu_dispatch.cc).
#include <cstdint>
#include <cstring>

#include "elu_forward_isa.h"

#if defined(__x86_64__)
#include <immintrin.h>

#pragma GCC push_options
#pragma GCC target("arch=x86-64-v4")
#include "elu_forward_spans.h"

namespace keras_elu {
namespace {

struct Avx512 {
  typedef float F __attribute__((vector_size(64)));
  typedef std::int32_t I __attribute__((vector_size(64)));
  typedef double D __attribute__((vector_size(64)));
  static inline __attribute__((always_inline)) F Fma(F a, F b, F c) {
    return (F)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c);
  }
};

}  // namespace

void EluForwardFloatAvx512(const float* x, float* y, std::int64_t n, float alpha) {
  EluForwardFloatWithFma<Avx512>(x, y, n, alpha);
}

void EluForwardDoubleAvx512(const double* x, double* y, std::int64_t n, double alpha) {
  EluForwardDouble<Avx512::D>(x, y, n, alpha);
}

}  // namespace keras_elu

#pragma GCC pop_options
#endif  // __x86_64__
