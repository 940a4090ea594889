// Picks the float32 forward span for this CPU, once.
//
// target_clones (elu_cpu_spans.cc) is not enough here: the FMA paths are a
// different algorithm from the portable one, not the same loop recompiled,
// and the tests must be able to run each of them on one machine. So the
// choice is explicit, and KERAS_ELU_CPU_ISA ("avx512", "avx2", "portable")
// caps it; keras_elu/_loader.py validates the value before loading us.
#include <cstdlib>
#include <cstring>

#include "elu_cpu_spans.h"
#include "elu_forward_float_isa.h"

namespace keras_elu {
namespace {

struct ForwardFloatPath {
  const char* name;
  void (*span)(const float*, float*, std::int64_t, float);
};

bool Allowed(const char* name) {
  static const char* const kOrder[] = {"avx512", "avx2", "portable"};
  const char* cap = std::getenv("KERAS_ELU_CPU_ISA");
  if (cap == nullptr || *cap == '\0') return true;
  for (const char* level : kOrder) {  // allowed if at or below the cap
    if (std::strcmp(level, cap) == 0) return true;
    if (std::strcmp(level, name) == 0) return false;
  }
  return true;  // unknown cap: no cap (the loader refuses it first)
}

ForwardFloatPath Choose() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4") && Allowed("avx512")) {
    return {"avx512", EluForwardFloatAvx512};
  }
  if (__builtin_cpu_supports("x86-64-v3") && Allowed("avx2")) {
    return {"avx2", EluForwardFloatAvx2};
  }
#endif
  return {"portable", EluForwardFloatPortable};
}

const ForwardFloatPath& Chosen() {
  static const ForwardFloatPath path = Choose();
  return path;
}

}  // namespace

void EluForwardSpan(const float* x, float* y, std::int64_t n, double alpha) {
  Chosen().span(x, y, n, static_cast<float>(alpha));
}

}  // namespace keras_elu

// For tests and benchmarks (via ctypes): which float32 forward path runs.
extern "C" __attribute__((visibility("default"))) const char* KerasEluCpuIsa() {
  return keras_elu::Chosen().name;
}
