// Picks the forward spans for this CPU, once.
//
// target_clones (elu_cpu_spans.cc) is not enough here: the float32 FMA paths
// are a different algorithm from the portable one, each ISA needs its own
// vector width, and the tests must be able to run every path on one machine.
// So the choice is explicit, and KERAS_ELU_CPU_ISA ("avx512", "avx2",
// "portable") caps it; keras_elu/_loader.py validates the value first.
#include <cstdlib>
#include <cstring>

#include "elu_cpu_spans.h"
#include "elu_forward_isa.h"

namespace keras_elu {
namespace {

struct ForwardPath {
  const char* name;
  void (*float_span)(const float*, float*, std::int64_t, float);
  void (*double_span)(const double*, double*, std::int64_t, double);
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

ForwardPath Choose() {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("x86-64-v4") && Allowed("avx512")) {
    return {"avx512", EluForwardFloatAvx512, EluForwardDoubleAvx512};
  }
  if (__builtin_cpu_supports("x86-64-v3") && Allowed("avx2")) {
    return {"avx2", EluForwardFloatAvx2, EluForwardDoubleAvx2};
  }
#endif
  return {"portable", EluForwardFloatPortable, EluForwardDoublePortable};
}

const ForwardPath& Chosen() {
  static const ForwardPath path = Choose();
  return path;
}

}  // namespace

void EluForwardSpan(const float* x, float* y, std::int64_t n, double alpha) {
  Chosen().float_span(x, y, n, static_cast<float>(alpha));
}

void EluForwardSpan(const double* x, double* y, std::int64_t n, double alpha) {
  Chosen().double_span(x, y, n, alpha);
}

}  // namespace keras_elu

// For tests and benchmarks (via ctypes): which forward path runs.
extern "C" __attribute__((visibility("default"))) const char* KerasEluCpuIsa() {
  return keras_elu::Chosen().name;
}
