// The Isa that runs the CPU's float32 FMA math (cpu/elu_float_fma.h,
// cpu/alpha_exp_float_fma.h) one lane per CUDA thread, so a GPU computes the
// float32 ELU and its derivative by the same steps, to the same bits, as the
// AVX-512 path: the forward within 1 ULP and the derivative factor within 1,
// proven there on every negative float32 input. CUDA's expm1f (1 ULP) and
// expf (2 ULP) would add up to ~1.5 and ~3 ULP with alpha and dy.
//
// That math is written for GCC vectors, where a C-style cast between the
// float and int vector types reinterprets the bits. Lane and Bits below keep
// exactly that meaning for one float, so the templates read the same.
// Host and device code alike: the launcher (g++) builds the derivative's
// table with it, and the host grid runs the kernels with it.
#ifndef KERAS_ELU_CC_CUDA_ELU_DEVICE_ISA_H_
#define KERAS_ELU_CC_CUDA_ELU_DEVICE_ISA_H_

#if !defined(__CUDACC_RTC__)
#include <math.h>    // fmaf on the host; NVRTC declares the device math itself
#include <string.h>  // memcpy on the host; CUDA device code has it built in
#endif

#include "elu_inline.h"

namespace keras_elu {

struct Lane;

struct Bits {  // one int32 lane
  int v;
  Bits() = default;  // trivial, as __shared__ storage needs; Bits{} is 0
  KERAS_ELU_INLINE Bits(int value) : v(value) {}  // NOLINT: as a vector's broadcast
  KERAS_ELU_INLINE explicit Bits(Lane lane);      // the bits of a float
};

struct Lane {  // one float lane
  float v;
  Lane() = default;  // trivial; Lane{} is 0.0f
  KERAS_ELU_INLINE Lane(float value) : v(value) {}  // NOLINT: as a vector's broadcast
  KERAS_ELU_INLINE explicit Lane(Bits bits) {       // the float of some bits
    memcpy(&v, &bits.v, sizeof v);
  }
};

KERAS_ELU_INLINE Bits::Bits(Lane lane) { memcpy(&v, &lane.v, sizeof v); }

KERAS_ELU_INLINE Lane operator+(Lane a, Lane b) { return a.v + b.v; }
KERAS_ELU_INLINE Lane operator-(Lane a, Lane b) { return a.v - b.v; }
KERAS_ELU_INLINE Lane operator*(Lane a, Lane b) { return a.v * b.v; }
// Wrapping integer arithmetic, as vector lanes wrap (signed overflow would be
// undefined for int).
KERAS_ELU_INLINE Bits operator+(Bits a, Bits b) {
  return static_cast<int>(static_cast<unsigned>(a.v) + static_cast<unsigned>(b.v));
}
KERAS_ELU_INLINE Bits operator-(Bits a, Bits b) {
  return static_cast<int>(static_cast<unsigned>(a.v) - static_cast<unsigned>(b.v));
}
KERAS_ELU_INLINE Bits operator<<(Bits a, int shift) {
  return static_cast<int>(static_cast<unsigned>(a.v) << shift);
}
KERAS_ELU_INLINE Bits operator|(Bits a, Bits b) { return a.v | b.v; }

struct DeviceLaneIsa {
  static constexpr const char* kName = "cuda";
  static constexpr bool kFma = true;
  using F = Lane;
  using I = Bits;
  // 32 entries, as on AVX-512, so the two give the same bits; the kernel keeps
  // the table in shared memory, where 32 entries sit in 32 banks and a warp
  // reads any mix of them without conflicts.
  static constexpr int kExpTableBits = 5;
  static KERAS_ELU_INLINE F Fma(F a, F b, F c) { return fmaf(a.v, b.v, c.v); }
  // maxps's rule: b unless a > b, so a NaN in b passes through.
  static KERAS_ELU_INLINE F Max(F a, F b) { return a.v > b.v ? a : b; }
  static KERAS_ELU_INLINE F BlendBySign(F if_clear, F if_set, F selector) {
    return Bits(selector).v < 0 ? if_set : if_clear;
  }
  static KERAS_ELU_INLINE I LookupExpTable(const I* table, I index) { return table[index.v & 31]; }
};

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CUDA_ELU_DEVICE_ISA_H_
