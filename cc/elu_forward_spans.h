// The forward span loops, as templates over the vector type, so that each
// per-ISA file (elu_forward_avx512.cc, elu_forward_avx2.cc, and the portable
// one in elu_cpu_spans.cc) compiles them at its own register width.
// Internal linkage on purpose: the same instantiation compiled for two ISAs
// must not be merged by the linker. In place (y == x) is allowed: every block
// is read before it is written.
#ifndef KERAS_ELU_CC_ELU_FORWARD_SPANS_H_
#define KERAS_ELU_CC_ELU_FORWARD_SPANS_H_

#include <cstdint>
#include <cstring>

#include "elu_float_fma.h"
#include "elu_functor.h"
#include "expm1_simd.h"

namespace keras_elu {
namespace {

// y = block_fn(x) over consecutive Blocks (GCC vectors of T). The ragged tail
// is padded with zeros, which ELU maps to zero.
template <typename Block, typename T, typename BlockFn>
inline __attribute__((always_inline)) void ForEachBlock(const T* x, T* y, std::int64_t n,
                                                        BlockFn block_fn) {
  constexpr std::int64_t kLanes = sizeof(Block) / sizeof(T);
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    Block block;
    std::memcpy(&block, x + i, sizeof(block));  // unaligned load
    block = block_fn(block);
    std::memcpy(y + i, &block, sizeof(block));
  }
  if (i < n) {
    const std::size_t bytes = static_cast<std::size_t>(n - i) * sizeof(T);
    Block block{};
    std::memcpy(&block, x + i, bytes);
    block = block_fn(block);
    std::memcpy(y + i, &block, bytes);
  }
}

// float32 with FMA: float arithmetic, Isa as in elu_float_fma.h.
template <typename Isa>
inline __attribute__((always_inline)) void EluForwardFloatWithFma(const float* x, float* y,
                                                                  std::int64_t n, float alpha) {
  ForEachBlock<typename Isa::F>(x, y, n, [alpha](typename Isa::F block) __attribute__((always_inline)) {
    return EluFloatWithFma<Isa>(block, alpha);
  });
}

// float32 without FMA: widened to the double vector VD, rounded back once.
template <typename VD>
inline __attribute__((always_inline)) void EluForwardFloatViaDouble(const float* x, float* y,
                                                                    std::int64_t n, float alpha) {
  typedef float VF __attribute__((vector_size(sizeof(VD) / 2)));
  ForEachBlock<VF>(x, y, n, [alpha](VF block) __attribute__((always_inline)) {
    const VD wide = __builtin_convertvector(block, VD);
    return __builtin_convertvector(EluFromExpm1(wide, Expm1ForFloat(wide), double{alpha}), VF);
  });
}

template <typename VD>
inline __attribute__((always_inline)) void EluForwardDouble(const double* x, double* y,
                                                            std::int64_t n, double alpha) {
  ForEachBlock<VD>(x, y, n, [alpha](VD block) __attribute__((always_inline)) {
    return EluFromExpm1(block, Expm1ForDouble(block), alpha);
  });
}

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_FORWARD_SPANS_H_
