#include "cuda/elu_gpu_launch.h"

#include <cstdio>
#include <cstring>

#include "cpu/elu_simd.h"  // FloatMath: the CPU's rule for which alphas the float math takes
#include "cuda/cuda_driver.h"
#include "cuda/elu_device_isa.h"

namespace keras_elu {

static_assert(sizeof(EluKernelArgs::exp_table) == sizeof(AlphaExpParams<DeviceLaneIsa>),
              "EluKernelArgs::exp_table carries AlphaExpParams<DeviceLaneIsa> to the device");

void EluKernelName(EluKind kind, GpuDtype dtype, char (&name)[kEluKernelNameSize]) {
  std::snprintf(name, sizeof name, "keras_elu_%s_%s", GpuKindName(kind), GpuDtypeName(dtype));
}

EluLaunchPlan PlanEluLaunch(EluKind kind, GpuDtype dtype, const void* const* in, void* out,
                            std::int64_t n, double alpha, int multiprocessors) {
  EluLaunchPlan plan{};
  EluKernelName(kind, dtype, plan.kernel);
  EluKernelArgs& args = plan.args;
  const int pack = 16 / GpuDtypeSize(dtype);
  bool aligned = reinterpret_cast<std::uintptr_t>(out) % 16 == 0;
  for (int k = 0; k < NumDataInputs(kind); ++k) {
    args.in[k] = in[k];
    aligned = aligned && reinterpret_cast<std::uintptr_t>(in[k]) % 16 == 0;
  }
  args.out = out;
  args.n = n;
  args.alpha = alpha;
  args.vectorized = aligned;
  // The float math's range, exactly as on the CPU; float64 ignores the method.
  const float alpha_f = static_cast<float>(alpha);
  using Math = FloatMath<DeviceLaneIsa>;
  args.method = !Math::Covers(alpha_f)                          ? kEluMethodDouble
                : kind == EluKind::kForward && alpha_f == 1.0f ? kEluMethodUnitAlpha
                                                               : kEluMethodFloatFma;
  if ((kind == EluKind::kGrad || kind == EluKind::kGradGrad) && args.method == kEluMethodFloatFma) {
    const AlphaExpParams<DeviceLaneIsa> table = MakeAlphaExpParams<DeviceLaneIsa>(alpha_f);
    std::memcpy(&args.exp_table, &table, sizeof table);
  }
  // Enough blocks to fill every SM several times over; the grid-stride loops
  // cover the rest, so huge tensors never overflow gridDim.
  const std::int64_t work = (n + pack - 1) / pack;
  const std::int64_t wanted = (work + kEluThreadsPerBlock - 1) / kEluThreadsPerBlock;
  const std::int64_t cap = static_cast<std::int64_t>(multiprocessors) * 16;
  plan.blocks = static_cast<unsigned>(wanted < cap ? wanted : cap);
  return plan;
}

std::string LaunchEluGpu(EluKind kind, GpuDtype dtype, const void* const* in, void* out,
                         std::int64_t n, double alpha, void* stream) {
  if (n == 0) return "";
  char name[kEluKernelNameSize];
  EluKernelName(kind, dtype, name);
  GpuKernel kernel;
  const std::string error = FindGpuKernel(stream, name, &kernel);
  if (!error.empty()) return error;
  EluLaunchPlan plan = PlanEluLaunch(kind, dtype, in, out, n, alpha, kernel.multiprocessors);
  return LaunchGpuKernel(kernel, plan.blocks, kEluThreadsPerBlock, stream, &plan.args);
}

}  // namespace keras_elu
