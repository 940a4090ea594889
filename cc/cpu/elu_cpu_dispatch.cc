// Picks the CPU kernel table once, on first use.
//
// KERAS_ELU_CPU_ISA caps the choice at a named ISA so one machine can test
// and measure every ISA it can run; keras_elu/_loader.py validates the value
// against the names KerasEluCpuIsas returns before any kernel runs.
#include <cstdlib>
#include <cstring>
#include <string>

#include "cpu/elu_cpu_kernels.h"
#include "cpu/elu_float_fma.h"

namespace keras_elu {
namespace {

// Best first. Each isa_*.cc describes itself (name, CPU test, table); the
// name lists below are derived from this order.
constexpr const CpuIsa* kIsas[] = {&kAvx512Isa, &kAvx2Isa, &kAvxIsa, &kGenericIsa};

bool Runs(const CpuIsa& isa) { return isa.kernels != nullptr && isa.cpu_runs(); }

// The names of the ISAs that `keep` accepts, best first, comma-separated.
template <typename Keep>
std::string Names(Keep keep) {
  std::string names;
  for (const CpuIsa* isa : kIsas) {
    if (keep(*isa)) names += (names.empty() ? "" : ",") + std::string(isa->name);
  }
  return names;
}

const CpuIsa& Choose() {
  const char* cap = std::getenv("KERAS_ELU_CPU_ISA");
  bool allowed = cap == nullptr || *cap == '\0';
  for (const CpuIsa* isa : kIsas) {
    allowed = allowed || std::strcmp(isa->name, cap) == 0;  // at or below the cap
    if (allowed && Runs(*isa)) return *isa;
  }
  return kGenericIsa;  // a cap that names no ISA (the Python loader refuses one first)
}

}  // namespace

const CpuIsa& ChosenCpuIsa() {
  static const CpuIsa& chosen = Choose();
  return chosen;
}

const CpuKernels& ChosenCpuKernels() { return *ChosenCpuIsa().kernels; }

}  // namespace keras_elu

// For the Python loader, tests and benchmarks (via ctypes).
extern "C" __attribute__((visibility("default"))) const char* KerasEluCpuIsa() {
  return keras_elu::ChosenCpuIsa().name;
}
extern "C" __attribute__((visibility("default"))) const char* KerasEluCpuIsas() {
  static const std::string all = keras_elu::Names([](const keras_elu::CpuIsa&) { return true; });
  return all.c_str();
}
// The alphas the float32 FMA math takes besides 0, [min, end): tests read
// the bounds here rather than repeat them.
extern "C" __attribute__((visibility("default"))) double KerasEluFloatFmaAlphaMin() {
  return keras_elu::kFloatFmaAlphaMin;
}
extern "C" __attribute__((visibility("default"))) double KerasEluFloatFmaAlphaEnd() {
  return keras_elu::kFloatFmaAlphaEnd;
}
// The ISAs this CPU runs (what KERAS_ELU_CPU_ISA can usefully name here).
extern "C" __attribute__((visibility("default"))) const char* KerasEluRunnableCpuIsas() {
  static const std::string runnable = keras_elu::Names(keras_elu::Runs);
  return runnable.c_str();
}
