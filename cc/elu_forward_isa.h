// The forward spans, once per x86-64 ISA level. elu_cpu_dispatch.cc picks one
// set at run time; the others are never called on that machine.
#ifndef KERAS_ELU_CC_ELU_FORWARD_ISA_H_
#define KERAS_ELU_CC_ELU_FORWARD_ISA_H_

#include <cstdint>

namespace keras_elu {

// AVX-512 (x86-64-v4): float32 in float with FMA, 16 lanes; float64, 8 lanes.
void EluForwardFloatAvx512(const float* x, float* y, std::int64_t n, float alpha);
void EluForwardDoubleAvx512(const double* x, double* y, std::int64_t n, double alpha);
// AVX2 + FMA (x86-64-v3): the same at 8 and 4 lanes.
void EluForwardFloatAvx2(const float* x, float* y, std::int64_t n, float alpha);
void EluForwardDoubleAvx2(const double* x, double* y, std::int64_t n, double alpha);
// Portable (AVX, which TensorFlow itself requires; no FMA): float32 evaluated
// in double and rounded once; float64 as above, 4 lanes.
void EluForwardFloatPortable(const float* x, float* y, std::int64_t n, float alpha);
void EluForwardDoublePortable(const double* x, double* y, std::int64_t n, double alpha);

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_FORWARD_ISA_H_
