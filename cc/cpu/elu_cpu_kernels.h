// The CPU kernels, TF-free: one table per instruction set, one chosen on
// first use.
//
// Every hot loop of the CPU ops lives in a table: the five element-wise
// kernels (elu_kind.h) in float32 and float64, and the float16/bfloat16
// conversions around them. Each per-ISA file (isa_avx512.cc, isa_avx2.cc,
// isa_avx.cc, isa_generic.cc) compiles the same templates (elu_simd.h) for
// its target and describes itself in a CpuIsa; elu_cpu_dispatch.cc picks the
// best one the CPU runs, once, capped by KERAS_ELU_CPU_ISA so tests and
// benchmarks can walk every ISA.
#ifndef KERAS_ELU_CC_CPU_ELU_CPU_KERNELS_H_
#define KERAS_ELU_CC_CPU_ELU_CPU_KERNELS_H_

#include <cstdint>

#include "elu_kind.h"

namespace keras_elu {

// out[i] = kernel(in[0][i], ..., in[NumDataInputs(kind) - 1][i]) for i < n.
// out may be one of the inputs: every block is read before it is written.
template <typename T>
using EluSpan = void (*)(const T* const* in, T* out, std::int64_t n, T alpha);

struct CpuKernels {
  EluSpan<float> f32[kNumEluKinds];
  EluSpan<double> f64[kNumEluKinds];
  // Halves as their 16-bit patterns; round to nearest even, NaN stays NaN.
  void (*half_to_float)(const std::uint16_t* in, float* out, std::int64_t n);
  void (*float_to_half)(const float* in, std::uint16_t* out, std::int64_t n);
  void (*bfloat16_to_float)(const std::uint16_t* in, float* out, std::int64_t n);
  void (*float_to_bfloat16)(const float* in, std::uint16_t* out, std::int64_t n);
};

// An instruction set, as its isa_*.cc describes it beside the target it
// compiles for. Constant data: nothing built for a target runs before
// cpu_runs says the CPU has it (a table built at load by code compiled for
// AVX-512 would fault on any CPU without it).
struct CpuIsa {
  const char* name;          // as KERAS_ELU_CPU_ISA names it
  bool (*cpu_runs)();        // whether this CPU has the instructions; nullptr where not built
  const CpuKernels* kernels;  // nullptr where not built (the x86 ones off x86)
};
extern const CpuIsa kAvx512Isa;
extern const CpuIsa kAvx2Isa;
extern const CpuIsa kAvxIsa;
extern const CpuIsa kGenericIsa;

// The ISA this CPU runs, chosen on first use, and its table.
const CpuIsa& ChosenCpuIsa();
const CpuKernels& ChosenCpuKernels();

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CPU_ELU_CPU_KERNELS_H_
