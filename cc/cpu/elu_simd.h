// The CPU span kernels as templates over an instruction set, compiled once
// per target by the isa_*.cc files (google/highway's -inl.h pattern): each
// includes this header under its own `#pragma GCC target` and makes its table
// with MakeCpuKernels<Isa>(). Everything here is explicit GCC vector code at the
// target's register width, so no loop depends on the auto-vectoriser (which
// leaves `c ? a : b * d` scalar below AVX-512 under trapping math).
//
// Isa provides: kFma; its vector types (KERAS_ELU_VECTOR_TYPES);
// when kFma, what elu_float_fma.h and alpha_exp_float_fma.h ask (Fma, Max,
// BlendBySign, kExpTableBits, LookupExpTable); and
// the half conversions HalfToFloat(const uint16_t*, float*) /
// FloatToHalf(const float*, uint16_t*) on one block of F's lanes.
//
// Internal linkage on purpose: the same instantiation compiled for two
// targets must not be merged by the linker.
#ifndef KERAS_ELU_CC_CPU_ELU_SIMD_H_
#define KERAS_ELU_CC_CPU_ELU_SIMD_H_

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "cpu/alpha_exp_float_fma.h"
#include "cpu/elu_cpu_kernels.h"
#include "cpu/elu_double_math.h"
#include "cpu/elu_float_fma.h"
#include "elu_formulas.h"
#include "elu_kind.h"

// The vector types of a `bytes`-wide register, declared inside each Isa
// struct: GCC 12 drops vector_size from a typedef whose size depends on a
// template parameter, so they cannot be derived here.
#define KERAS_ELU_VECTOR_TYPES(bytes)                                   \
  typedef float F __attribute__((vector_size(bytes)));                  \
  typedef std::int32_t I __attribute__((vector_size(bytes)));           \
  typedef std::uint32_t U __attribute__((vector_size(bytes)));          \
  typedef std::uint16_t H __attribute__((vector_size(bytes / 2)));      \
  typedef float HalfF __attribute__((vector_size(bytes / 2)));          \
  typedef double D __attribute__((vector_size(bytes)))

namespace keras_elu {
namespace {

// out = block_fn(in...) over consecutive Blocks (GCC vectors of T). The
// ragged tail is padded with zeros; only its real lanes are stored.
template <typename Block, int kIn, typename T, typename BlockFn>
KERAS_ELU_INLINE void ForEachBlock(const T* const* in, T* out, std::int64_t n, BlockFn block_fn) {
  constexpr std::int64_t kLanes = sizeof(Block) / sizeof(T);
  const T* src[kIn];  // a local copy: stores to out cannot change it
  for (int k = 0; k < kIn; ++k) src[k] = in[k];
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    Block v[kIn];
    for (int k = 0; k < kIn; ++k) std::memcpy(&v[k], src[k] + i, sizeof(Block));  // unaligned
    const Block result = block_fn(v);
    std::memcpy(out + i, &result, sizeof(Block));
  }
  if (i < n) {
    const std::size_t bytes = static_cast<std::size_t>(n - i) * sizeof(T);
    Block v[kIn] = {};
    for (int k = 0; k < kIn; ++k) std::memcpy(&v[k], src[k] + i, bytes);
    const Block result = block_fn(v);
    std::memcpy(out + i, &result, bytes);
  }
}

// How each dtype computes forward and alpha * exp(min(x, 0)) on this ISA.
// Every Math has Covers: whether it takes this alpha, or the span runs
// Fallback's math instead; ExpParams, what a derivative span computes once
// from alpha (PrepareAlphaExp); and kHasUnitAlphaForward: whether it has a
// forward for alpha == 1 alone.
template <typename Isa, bool kFma = Isa::kFma>
struct FloatMath;

// float32 with FMA: float arithmetic, a full register of lanes, for alpha = 0
// and kFloatFmaAlphaMin <= alpha < kFloatFmaAlphaEnd (elu_float_fma.h says
// why those); other alphas run the float64 math.
template <typename Isa>
struct FloatMath<Isa, true> {
  using T = float;
  using Block = typename Isa::F;
  using Fallback = FloatMath<Isa, false>;
  static bool Covers(float a) {
    return a == 0 || (a >= kFloatFmaAlphaMin && a < kFloatFmaAlphaEnd);
  }
  using ExpParams = AlphaExpParams<Isa>;
  static ExpParams PrepareAlphaExp(float a) { return MakeAlphaExpParams<Isa>(a); }
  static KERAS_ELU_INLINE Block Forward(Block x, float a) { return EluFloatWithFma<Isa, false>(x, a); }
  static constexpr bool kHasUnitAlphaForward = true;
  static KERAS_ELU_INLINE Block ForwardUnitAlpha(Block x) { return EluFloatWithFma<Isa, true>(x, 1.0f); }
  static KERAS_ELU_INLINE Block AlphaExp(Block x, const ExpParams& p) {
    return AlphaExpFloatWithFma<Isa>(x, p);
  }
};

// What a Math without special cases says: alpha is used as given, any alpha.
template <typename T>
struct AlphaAsGiven {
  using Fallback = void;
  static constexpr bool Covers(T) { return true; }
  static constexpr bool kHasUnitAlphaForward = false;
  using ExpParams = T;
  static ExpParams PrepareAlphaExp(T a) { return a; }
};

// float32 without FMA: half a register of floats, widened to doubles and
// rounded back once.
template <typename Isa>
struct FloatMath<Isa, false> : AlphaAsGiven<float> {
  using T = float;
  using D = typename Isa::D;
  using Block = typename Isa::HalfF;
  static KERAS_ELU_INLINE Block Forward(Block x, float a) {
    const D wide = __builtin_convertvector(x, D);
    return __builtin_convertvector(EluFromExpm1(wide, Expm1ForFloat(wide), double{a}), Block);
  }
  static KERAS_ELU_INLINE Block AlphaExp(Block x, float a) {
    return __builtin_convertvector(AlphaExpForFloat(__builtin_convertvector(x, D), a), Block);
  }
};

template <typename Isa>
struct DoubleMath : AlphaAsGiven<double> {
  using T = double;
  using Block = typename Isa::D;
  static KERAS_ELU_INLINE Block Forward(Block x, double a) {
    return EluFromExpm1(x, Expm1ForDouble(x), a);
  }
  static KERAS_ELU_INLINE Block AlphaExp(Block x, double a) { return AlphaExpForDouble(x, a); }
};

template <typename Math, EluKind kKind>
void Span(const typename Math::T* const* in, typename Math::T* out, std::int64_t n,
          typename Math::T alpha) {
  using Block = typename Math::Block;
  if constexpr (!std::is_void_v<typename Math::Fallback>) {
    if (!Math::Covers(alpha)) return Span<typename Math::Fallback, kKind>(in, out, n, alpha);
  }
  // The lambdas below spell always_inline themselves: KERAS_ELU_INLINE starts
  // with `inline`, which a lambda cannot be declared.
  if constexpr (kKind == EluKind::kForward && Math::kHasUnitAlphaForward) {
    if (alpha == 1) {
      return ForEachBlock<Block, 1>(in, out, n, [](const Block* v) __attribute__((always_inline)) {
        return Math::ForwardUnitAlpha(v[0]);
      });
    }
  }
  typename Math::ExpParams params{};  // only the derivatives use it
  if constexpr (kKind == EluKind::kGrad || kKind == EluKind::kGradGrad) {
    params = Math::PrepareAlphaExp(alpha);
  }
  ForEachBlock<Block, NumDataInputs(kKind)>(in, out, n, [alpha, &params](const Block* v)
                                                           __attribute__((always_inline)) {
    if constexpr (kKind == EluKind::kForward) return Math::Forward(v[0], alpha);
    if constexpr (kKind == EluKind::kGrad)
      return EluGradFromInput(v[0], v[1], Math::AlphaExp(v[1], params));
    if constexpr (kKind == EluKind::kGradGrad)
      return EluGradGradFromInput(v[0], v[1], v[2], Math::AlphaExp(v[2], params));
    if constexpr (kKind == EluKind::kLegacyGrad) return EluGradFromOutput(v[0], v[1], alpha);
    if constexpr (kKind == EluKind::kLegacyGradGrad) return EluGradGradFromOutput(v[0], v[1], v[2]);
  });
}

// Conversions a block of F's lanes at a time; the tail goes through a
// zero-padded block.
template <typename Isa, typename In, typename Out, typename BlockFn>
KERAS_ELU_INLINE void ConvertSpan(const In* in, Out* out, std::int64_t n, BlockFn block_fn) {
  constexpr std::int64_t kLanes = sizeof(typename Isa::F) / sizeof(float);
  std::int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) block_fn(in + i, out + i);
  if (i < n) {
    In padded_in[kLanes] = {};
    Out padded_out[kLanes];
    std::memcpy(padded_in, in + i, (n - i) * sizeof(In));
    block_fn(padded_in, padded_out);
    std::memcpy(out + i, padded_out, (n - i) * sizeof(Out));
  }
}

// bfloat16 is float's upper half: widening shifts, narrowing rounds to
// nearest even on the 16 bits dropped; NaN becomes the quiet NaN of its sign
// (rounding could otherwise carry a NaN into infinity).
template <typename Isa>
struct Bfloat16 {
  using U = typename Isa::U;
  using H = typename Isa::H;
  static KERAS_ELU_INLINE void ToFloat(const std::uint16_t* in, float* out) {
    H h;
    std::memcpy(&h, in, sizeof h);
    const U u = __builtin_convertvector(h, U) << 16;
    std::memcpy(out, &u, sizeof u);
  }
  static KERAS_ELU_INLINE void FromFloat(const float* in, std::uint16_t* out) {
    U u;
    std::memcpy(&u, in, sizeof u);
    const U rounded = (u + 0x7fffu + ((u >> 16) & 1u)) >> 16;
    const U quiet_nan = ((u >> 16) & 0x8000u) | 0x7fc0u;
    const H h = __builtin_convertvector((u & 0x7fffffffu) > 0x7f800000u ? quiet_nan : rounded, H);
    std::memcpy(out, &h, sizeof h);
  }
};

// constexpr, so that a table is constant data: no code compiled for the
// target runs when the library loads, on a CPU that may lack it.
template <typename Isa>
constexpr CpuKernels MakeCpuKernels() {
  using F32 = FloatMath<Isa>;
  using F64 = DoubleMath<Isa>;
  CpuKernels k{};
#define KERAS_ELU_SET_SPANS(KIND)                                \
  k.f32[static_cast<int>(KIND)] = &Span<F32, KIND>;              \
  k.f64[static_cast<int>(KIND)] = &Span<F64, KIND>;
  KERAS_ELU_SET_SPANS(EluKind::kForward)
  KERAS_ELU_SET_SPANS(EluKind::kGrad)
  KERAS_ELU_SET_SPANS(EluKind::kGradGrad)
  KERAS_ELU_SET_SPANS(EluKind::kLegacyGrad)
  KERAS_ELU_SET_SPANS(EluKind::kLegacyGradGrad)
#undef KERAS_ELU_SET_SPANS
  k.half_to_float = [](const std::uint16_t* in, float* out, std::int64_t n) {
    ConvertSpan<Isa>(in, out, n, Isa::HalfToFloat);
  };
  k.float_to_half = [](const float* in, std::uint16_t* out, std::int64_t n) {
    ConvertSpan<Isa>(in, out, n, Isa::FloatToHalf);
  };
  k.bfloat16_to_float = [](const std::uint16_t* in, float* out, std::int64_t n) {
    ConvertSpan<Isa>(in, out, n, Bfloat16<Isa>::ToFloat);
  };
  k.float_to_bfloat16 = [](const float* in, std::uint16_t* out, std::int64_t n) {
    ConvertSpan<Isa>(in, out, n, Bfloat16<Isa>::FromFloat);
  };
  return k;
}

// Without F16C (the AVX and generic ISAs): the compiler's scalar _Float16
// conversions, which round to nearest even and keep NaNs.
template <int kLanes>
struct ScalarHalves {
  typedef _Float16 View __attribute__((may_alias));
  static void HalfToFloat(const std::uint16_t* in, float* out) {
    const View* half = reinterpret_cast<const View*>(in);
    for (int i = 0; i < kLanes; ++i) out[i] = static_cast<float>(half[i]);
  }
  static void FloatToHalf(const float* in, std::uint16_t* out) {
    View* half = reinterpret_cast<View*>(out);
    for (int i = 0; i < kLanes; ++i) half[i] = static_cast<_Float16>(in[i]);
  }
};

}  // namespace
}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CPU_ELU_SIMD_H_
