// The float32 forward span, once per x86-64 ISA level. elu_cpu_dispatch.cc
// picks one at run time; the others are never called on that machine.
#ifndef KERAS_ELU_CC_ELU_FORWARD_FLOAT_ISA_H_
#define KERAS_ELU_CC_ELU_FORWARD_FLOAT_ISA_H_

#include <cstdint>

namespace keras_elu {

// Float math with FMA (elu_float_fma.h): 16 lanes per instruction.
void EluForwardFloatAvx512(const float* x, float* y, std::int64_t n, float alpha);
// The same, 8 lanes per instruction.
void EluForwardFloatAvx2(const float* x, float* y, std::int64_t n, float alpha);
// No FMA needed: expm1 evaluated in double (expm1_simd.h), rounded once.
void EluForwardFloatPortable(const float* x, float* y, std::int64_t n, float alpha);

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_FORWARD_FLOAT_ISA_H_
