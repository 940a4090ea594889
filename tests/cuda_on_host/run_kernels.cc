// Runs cc/cuda/elu_kernels.cu.cc's real kernel bodies and launch arithmetic on
// the host (compiled by g++ with KERAS_ELU_CUDA_ON_HOST; cuda_host_grid.h plays
// the grid with one fake SM, so large sizes take many grid-stride turns).
// Built and run by tests/test_cuda_on_host.py. For every kind, dtype, size,
// pointer alignment and in-place use it checks: each output against a double
// reference (GPU tolerances of cc/cuda/harness/elu_harness.cu), guard elements
// on both sides untouched, and the grid size the launcher chose. Prints each
// failure and ends with "N passed, M failed".
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cuda/cuda_host_grid.h"
#include "cuda/elu_gpu_launch.h"

namespace {

using keras_elu::EluKind;
using keras_elu::GpuDtype;

double ToDouble(__half v) { return __half2float(v); }
double ToDouble(__nv_bfloat16 v) { return __bfloat162float(v); }
double ToDouble(float v) { return v; }
double ToDouble(double v) { return v; }
template <typename T> T FromDouble(double v) { return static_cast<T>(v); }
template <> __half FromDouble<__half>(double v) { return __float2half_rn(static_cast<float>(v)); }
template <> __nv_bfloat16 FromDouble<__nv_bfloat16>(double v) {
  return __float2bfloat16_rn(static_cast<float>(v));
}

// kind(v) in double, from the inputs as stored.
double Reference(EluKind kind, const double* v, double alpha) {
  switch (kind) {
    case EluKind::kForward: return v[0] > 0 ? v[0] : alpha * std::expm1(v[0]);
    case EluKind::kGrad: return v[1] > 0 ? v[0] : v[0] * alpha * std::exp(v[1]);
    case EluKind::kGradGrad: return v[2] > 0 ? 0.0 : v[0] * v[1] * alpha * std::exp(v[2]);
    case EluKind::kLegacyGrad: return v[1] > 0 ? v[0] : v[0] * (v[1] + alpha);
    case EluKind::kLegacyGradGrad: return v[2] > 0 ? 0.0 : v[0] * v[1];
  }
  return NAN;
}

// Units of the dtype's unit roundoff, as in the GPU harness: expm1f within
// 1 ULP (2 units), expf within 2 (4 units), each further rounding 1.
double BoundInUnits(EluKind kind) {
  return kind == EluKind::kForward ? 4.0 : kind == EluKind::kGrad ? 6.0 : kind == EluKind::kGradGrad ? 7.0 : 3.0;
}

int passed = 0, failed = 0;

void Fail(const std::string& what) {
  ++failed;
  if (failed <= 40) std::printf("FAILED %s\n", what.c_str());
}

template <typename T>
void RunCase(const char* dtype_name, GpuDtype tag, double unit, double smallest, EluKind kind,
             std::int64_t n, int offset, bool in_place) {
  constexpr int kGuard = 8;
  const int kIn = keras_elu::NumDataInputs(kind);
  const double alpha = 0.7;
  std::mt19937 rng(static_cast<unsigned>(n * 31 + offset * 7 + static_cast<int>(kind)));
  std::uniform_real_distribution<double> xs(-12.0, 4.0), gs(-2.0, 2.0);
  std::vector<std::vector<T>> in(kIn, std::vector<T>(n + 2 * kGuard + offset));
  for (int k = 0; k < kIn; ++k)
    for (auto& v : in[k]) v = FromDouble<T>(k == kIn - 1 ? xs(rng) : gs(rng));
  std::vector<T> out_buffer(n + 2 * kGuard + offset, FromDouble<T>(-123.0));
  const std::vector<std::vector<T>> original = in;
  T* out = in_place ? in[0].data() + kGuard + offset : out_buffer.data() + kGuard + offset;
  const void* ptrs[3];
  for (int k = 0; k < kIn; ++k) ptrs[k] = in[k].data() + kGuard + offset;

  gridDim = dim3(0);
  const int err = keras_elu::LaunchEluGpu(kind, tag, ptrs, out, n, alpha, nullptr);
  char label[160];
  std::snprintf(label, sizeof label, "%s kind=%d n=%lld offset=%d in_place=%d", dtype_name,
                static_cast<int>(kind), static_cast<long long>(n), offset, in_place);
  bool ok = err == 0;
  if (!ok) Fail(std::string(label) + ": launch returned an error");
  // Grid: ceil(ceil(n / pack) / 256) blocks, at most 16 per SM; none for n = 0.
  const std::int64_t pack = 16 / sizeof(T), work = (n + pack - 1) / pack;
  const std::int64_t want_blocks = std::min<std::int64_t>((work + 255) / 256, 16);
  if (static_cast<std::int64_t>(gridDim.x) != want_blocks) {
    ok = false;
    Fail(std::string(label) + ": grid of " + std::to_string(gridDim.x) + " blocks, expected " +
         std::to_string(want_blocks));
  }
  const double bound = BoundInUnits(kind) * unit;
  // The kernels compute half types and float32 in float, so alpha is rounded to float there.
  const double used_alpha = sizeof(T) == 8 ? alpha : static_cast<double>(static_cast<float>(alpha));
  for (std::int64_t i = 0; i < n && ok; ++i) {
    double v[3];
    for (int k = 0; k < kIn; ++k) v[k] = ToDouble(original[k][kGuard + offset + i]);
    const double want = ToDouble(FromDouble<T>(Reference(kind, v, used_alpha)));
    const double got = ToDouble(out[i]);
    const bool same_nan = std::isnan(want) && std::isnan(got);
    if (!same_nan && !(std::fabs(got - want) <= bound * std::fabs(want) + smallest)) {
      ok = false;
      Fail(std::string(label) + ": element " + std::to_string(i) + " is " + std::to_string(got) +
           ", expected " + std::to_string(want));
    }
  }
  // Nothing outside [0, n) of the output is touched.
  const std::vector<T>& out_vec = in_place ? in[0] : out_buffer;
  const std::vector<T> fill = in_place ? original[0] : std::vector<T>(out_buffer.size(), FromDouble<T>(-123.0));
  for (std::size_t i = 0; i < out_vec.size() && ok; ++i) {
    const bool inside = i >= static_cast<std::size_t>(kGuard + offset) &&
                        i < static_cast<std::size_t>(kGuard + offset + n);
    if (!inside && std::memcmp(&out_vec[i], &fill[i], sizeof(T)) != 0) {
      ok = false;
      Fail(std::string(label) + ": wrote outside the output at index " + std::to_string(i));
    }
  }
  if (ok) ++passed;
}

template <typename T>
void RunDtype(const char* name, GpuDtype tag, double unit, double smallest) {
  const std::int64_t pack = 16 / sizeof(T);
  // 16 blocks x 256 threads x pack elements per grid-stride turn on one SM.
  const std::int64_t turn = 16 * 256 * pack;
  const std::int64_t sizes[] = {0, 1, pack - 1, pack, pack + 1, 3 * turn + 5, (1 << 20) + 3};
  for (EluKind kind : {EluKind::kForward, EluKind::kGrad, EluKind::kGradGrad, EluKind::kLegacyGrad,
                       EluKind::kLegacyGradGrad}) {
    for (std::int64_t n : sizes) {
      RunCase<T>(name, tag, unit, smallest, kind, n, 0, false);  // 16-byte aligned: pack path
      RunCase<T>(name, tag, unit, smallest, kind, n, 1, false);  // misaligned: element path
      RunCase<T>(name, tag, unit, smallest, kind, n, 0, true);   // out == in[0]
      RunCase<T>(name, tag, unit, smallest, kind, n, 1, true);
    }
  }
}

}  // namespace

int main() {
  RunDtype<float>("float32", GpuDtype::kFloat, std::ldexp(1.0, -24), 0.0);
  RunDtype<double>("float64", GpuDtype::kDouble, std::ldexp(1.0, -53), 0.0);
  RunDtype<__half>("float16", GpuDtype::kHalf, std::ldexp(1.0, -11), std::ldexp(1.0, -24));
  RunDtype<__nv_bfloat16>("bfloat16", GpuDtype::kBfloat16, std::ldexp(1.0, -8), 0.0);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
