// KERAS_ELU_INLINE, the one spelling of "always inline" for every function in
// cc/ (a lambda, which cannot be `inline`, spells the attribute alone):
// the math is written as small functions that must dissolve into the loops
// calling them (a call per vector or per element would cost more than the
// math). Under a CUDA compiler (nvcc, NVRTC) they are callable from device
// code too.
#ifndef KERAS_ELU_CC_ELU_INLINE_H_
#define KERAS_ELU_CC_ELU_INLINE_H_

#if defined(__CUDACC__)
#define KERAS_ELU_INLINE __host__ __device__ __forceinline__
#else
#define KERAS_ELU_INLINE inline __attribute__((always_inline))
#endif

#endif  // KERAS_ELU_CC_ELU_INLINE_H_
