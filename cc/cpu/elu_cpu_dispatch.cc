// Picks the CPU kernel table once, on first use.
//
// KERAS_ELU_CPU_ISA caps the choice at a named path so one machine can test
// and measure every path it can run; keras_elu/_loader.py validates the value
// against kPathList (read through KerasEluCpuPaths) before any kernel runs.
#include <cstdlib>
#include <cstring>
#include <string>

#include "cpu/elu_cpu_kernels.h"

namespace keras_elu {
namespace {

// Best first. kPathList spells the same names again, as the one string
// KerasEluCpuPaths returns: the two lists must be kept in step by hand.
constexpr const char* kPathOrder[] = {"avx512", "avx2", "avx", "generic"};
constexpr const char kPathList[] = "avx512,avx2,avx,generic";

bool CpuRuns(const char* path) {
#if defined(__x86_64__)
  __builtin_cpu_init();
  if (std::strcmp(path, "avx512") == 0) return __builtin_cpu_supports("x86-64-v4");
  if (std::strcmp(path, "avx2") == 0) return __builtin_cpu_supports("x86-64-v3");
  if (std::strcmp(path, "avx") == 0) return __builtin_cpu_supports("avx");
#endif
  return std::strcmp(path, "generic") == 0;
}

const CpuKernels* Built(const char* path) {
  if (std::strcmp(path, "avx512") == 0) return Avx512Kernels();
  if (std::strcmp(path, "avx2") == 0) return Avx2Kernels();
  if (std::strcmp(path, "avx") == 0) return AvxKernels();
  return GenericKernels();
}

const CpuKernels* Choose() {
  const char* cap = std::getenv("KERAS_ELU_CPU_ISA");
  bool allowed = cap == nullptr || *cap == '\0';
  for (const char* path : kPathOrder) {
    allowed = allowed || std::strcmp(path, cap) == 0;  // at or below the cap
    const CpuKernels* kernels = Built(path);
    if (allowed && kernels != nullptr && CpuRuns(path)) return kernels;
  }
  return GenericKernels();
}

}  // namespace

const CpuKernels& ChosenCpuKernels() {
  static const CpuKernels* const chosen = Choose();
  return *chosen;
}

}  // namespace keras_elu

// For the Python loader, tests and benchmarks (via ctypes).
extern "C" __attribute__((visibility("default"))) const char* KerasEluCpuIsa() {
  return keras_elu::ChosenCpuKernels().path;
}
extern "C" __attribute__((visibility("default"))) const char* KerasEluCpuPaths() {
  return keras_elu::kPathList;
}
// The paths this CPU can run (what KERAS_ELU_CPU_ISA can usefully name here).
extern "C" __attribute__((visibility("default"))) const char* KerasEluRunnableCpuPaths() {
  static const std::string runnable = [] {
    std::string list;
    for (const char* path : keras_elu::kPathOrder) {
      if (keras_elu::Built(path) == nullptr || !keras_elu::CpuRuns(path)) continue;
      list += (list.empty() ? "" : ",") + std::string(path);
    }
    return list;
  }();
  return runnable.c_str();
}
