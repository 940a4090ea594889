// Runs cc/cuda/elu_device.cu's real kernel bodies through the real launcher
// (cc/cuda/elu_gpu_launch.cc) on the host: g++ compiles the device code with
// KERAS_ELU_CUDA_ON_HOST, and cuda_host_grid.h stands in for the driver with
// one fake SM, so large sizes take many grid-stride turns. Built and run by
// tests/test_cuda_on_host.py. For every kind, dtype, size, pointer alignment,
// in-place use and a range of alphas it checks each output against a double
// reference, that guard elements on both sides stay untouched, and the grid
// the launcher chose; and everything computed in float (float32, float16,
// bfloat16) against the CPU kernels of this machine's best FMA path: the same
// bits (the derivatives only where that path is AVX-512, whose table the GPU
// shares). Prints each failure and ends with "N passed, M failed".
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "cpu/elu_cpu_kernels.h"
#include "cpu/elu_simd.h"  // FloatMath::Covers, the launcher's rule too
#include "cuda/elu_device_isa.h"
#include "cuda/cuda_host_grid.h"
#include "cuda/cuda_image_choice.h"
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

// Relative bounds in units of the dtype's unit roundoff (half an ULP), the
// reference's own rounding included: the float math's forward and derivative
// factor within 1 ULP (2 units), the host libm's double expm1/exp within 1
// ULP plus alpha's rounding, then 1 unit per multiplication by dy and g; the
// halves round the float result once more.
double BoundInUnits(EluKind kind, bool float_math) {
  const double factor = float_math ? 2.0 : 4.0;
  switch (kind) {
    case EluKind::kForward: return factor;
    case EluKind::kGrad: return factor + 2;
    case EluKind::kGradGrad: return factor + 3;
    default: return 3.0;
  }
}

int passed = 0, failed = 0;

void Fail(const std::string& what) {
  ++failed;
  if (failed <= 40) std::printf("FAILED %s\n", what.c_str());
}

// The CPU kernels' result for the same inputs, computed in float: what the
// GPU must reproduce bit for bit.
template <typename T>
std::vector<T> CpuResult(EluKind kind, const std::vector<const T*>& in, std::int64_t n, double alpha) {
  const keras_elu::CpuKernels& cpu = keras_elu::ChosenCpuKernels();
  std::vector<std::vector<float>> wide(in.size(), std::vector<float>(n));
  std::vector<const float*> ptrs;
  for (std::size_t k = 0; k < in.size(); ++k) {
    for (std::int64_t i = 0; i < n; ++i) wide[k][i] = static_cast<float>(ToDouble(in[k][i]));
    ptrs.push_back(wide[k].data());
  }
  std::vector<float> out(n);
  cpu.f32[static_cast<int>(kind)](ptrs.data(), out.data(), n, static_cast<float>(alpha));
  std::vector<T> narrow(n);
  for (std::int64_t i = 0; i < n; ++i) narrow[i] = FromDouble<T>(out[i]);
  return narrow;
}

template <typename T>
void RunCase(const char* dtype_name, GpuDtype tag, double unit, double smallest, EluKind kind,
             std::int64_t n, int offset, bool in_place, double alpha) {
  constexpr int kGuard = 8;
  constexpr bool kFloatMath = sizeof(T) <= 4;
  const int kIn = keras_elu::NumDataInputs(kind);
  std::mt19937 rng(static_cast<unsigned>(n * 31 + offset * 7 + static_cast<int>(kind)));
  std::uniform_real_distribution<double> xs(-12.0, 4.0), gs(-2.0, 2.0);
  std::vector<std::vector<T>> in(kIn, std::vector<T>(n + 2 * kGuard + offset));
  for (int k = 0; k < kIn; ++k)
    for (auto& v : in[k]) v = FromDouble<T>(k == kIn - 1 ? xs(rng) : gs(rng));
  std::vector<T> out_buffer(n + 2 * kGuard + offset, FromDouble<T>(-123.0));
  const std::vector<std::vector<T>> original = in;
  T* out = in_place ? in[0].data() + kGuard + offset : out_buffer.data() + kGuard + offset;
  const void* ptrs[3];
  std::vector<const T*> original_ptrs;
  for (int k = 0; k < kIn; ++k) {
    ptrs[k] = in[k].data() + kGuard + offset;
    original_ptrs.push_back(original[k].data() + kGuard + offset);
  }

  gridDim = dim3(0);
  const std::string error = keras_elu::LaunchEluGpu(kind, tag, ptrs, out, n, alpha, nullptr);
  char label[200];
  std::snprintf(label, sizeof label, "%s kind=%d n=%lld offset=%d in_place=%d alpha=%g", dtype_name,
                static_cast<int>(kind), static_cast<long long>(n), offset, in_place, alpha);
  bool ok = error.empty();
  if (!ok) Fail(std::string(label) + ": launch failed: " + error);
  // Grid: ceil(ceil(n / pack) / 256) blocks, at most 16 per SM; none for n = 0.
  const std::int64_t pack = 16 / sizeof(T), work = (n + pack - 1) / pack;
  const std::int64_t want_blocks = std::min<std::int64_t>((work + 255) / 256, 16);
  if (static_cast<std::int64_t>(gridDim.x) != want_blocks) {
    ok = false;
    Fail(std::string(label) + ": grid of " + std::to_string(gridDim.x) + " blocks, expected " +
         std::to_string(want_blocks));
  }
  const double bound = BoundInUnits(kind, kFloatMath) * unit;
  // Types computed in float use alpha rounded to float.
  const double used_alpha = kFloatMath ? static_cast<double>(static_cast<float>(alpha)) : alpha;
  for (std::int64_t i = 0; i < n && ok; ++i) {
    double v[3];
    for (int k = 0; k < kIn; ++k) v[k] = ToDouble(original[k][kGuard + offset + i]);
    const double want = ToDouble(FromDouble<T>(Reference(kind, v, used_alpha)));
    const double got = ToDouble(out[i]);
    const bool same_nan = (std::isnan(want) && std::isnan(got)) || got == want;  // NaN, inf
    if (!same_nan && !(std::fabs(got - want) <= bound * std::fabs(want) + smallest)) {
      ok = false;
      Fail(std::string(label) + ": element " + std::to_string(i) + " is " + std::to_string(got) +
           ", expected " + std::to_string(want));
    }
  }
  // The same bits as the CPU's float math (the derivative's table is
  // AVX-512's), wherever that math runs: alphas outside its range compute in
  // double, where the CPU's own double expm1 and the GPU's libm may differ.
  const std::string isa = keras_elu::ChosenCpuIsa().name;
  const bool table_kind = kind == EluKind::kGrad || kind == EluKind::kGradGrad;
  const bool float_fma = keras_elu::FloatMath<keras_elu::DeviceLaneIsa>::Covers(static_cast<float>(alpha));
  if (ok && kFloatMath && float_fma && (isa == "avx512" || (isa == "avx2" && !table_kind))) {
    const std::vector<T> cpu = CpuResult(kind, original_ptrs, n, alpha);
    for (std::int64_t i = 0; i < n && ok; ++i) {
      if (std::memcmp(&cpu[i], &out[i], sizeof(T)) != 0) {
        ok = false;
        Fail(std::string(label) + ": element " + std::to_string(i) + " is " + std::to_string(ToDouble(out[i])) +
             ", the " + isa + " CPU kernel gives " + std::to_string(ToDouble(cpu[i])));
      }
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

constexpr EluKind kKinds[] = {EluKind::kForward, EluKind::kGrad, EluKind::kGradGrad,
                              EluKind::kLegacyGrad, EluKind::kLegacyGradGrad};

template <typename T>
void RunDtype(const char* name, GpuDtype tag, double unit, double smallest) {
  const std::int64_t pack = 16 / sizeof(T);
  // 16 blocks x 256 threads x pack elements per grid-stride turn on one SM.
  const std::int64_t turn = 16 * 256 * pack;
  const std::int64_t sizes[] = {0, 1, pack - 1, pack, pack + 1, 3 * turn + 5, (1 << 20) + 3};
  for (EluKind kind : kKinds) {
    for (std::int64_t n : sizes) {
      RunCase<T>(name, tag, unit, smallest, kind, n, 0, false, 0.7);  // 16-byte aligned: pack path
      RunCase<T>(name, tag, unit, smallest, kind, n, 1, false, 0.7);  // misaligned: element path
      RunCase<T>(name, tag, unit, smallest, kind, n, 0, true, 0.7);   // out == in[0]
      RunCase<T>(name, tag, unit, smallest, kind, n, 1, true, 0.7);
    }
    // Every method the launcher picks: alpha = 1 (the forward's own loop), 0
    // (ReLU), and alphas outside the float math's range (double).
    for (double alpha : {1.0, 0.0, 1e-30, 3e38}) RunCase<T>(name, tag, unit, smallest, kind, turn + 3, 0, false, alpha);
  }
}

// The image each GPU gets, from a table shaped like the build's.
void CheckImageChoice() {
  const unsigned char bytes[1] = {0};
  const keras_elu::CudaImage images[] = {{"sm_75", 75, false, bytes, 1}, {"sm_80", 80, false, bytes, 1},
                                         {"sm_86", 86, false, bytes, 1}, {"sm_89", 89, false, bytes, 1},
                                         {"sm_90", 90, false, bytes, 1}, {"compute_90", 90, true, bytes, 1}};
  const keras_elu::CudaImageTable table{images, 6, 12090, "NVRTC 12.9"};
  struct Case { int cc, driver; bool ptx_only; const char* want; const char* why; };
  const Case cases[] = {
      {75, 12000, false, "sm_75", ""},      {80, 12000, false, "sm_80", ""},  // T4, A100
      {86, 12000, false, "sm_86", ""},      {87, 12000, false, "sm_86", ""},  // A10, Orin
      {89, 12000, false, "sm_89", ""},      {90, 12000, false, "sm_90", ""},  // L4, H100/H200
      {100, 12090, false, "compute_90", ""},                                  // Blackwell: PTX
      {120, 12080, false, nullptr, "the PTX from NVRTC 12.9 needs CUDA 12.9 or later"},
      {70, 12090, false, nullptr, "no keras_elu kernel image fits compute capability 7.0"},  // Volta
      {90, 12090, true, "compute_90", ""},  // the driver refused the sm_90 cubin
      {86, 12090, true, nullptr, "no keras_elu kernel image fits compute capability 8.6"},
  };
  for (const Case& c : cases) {
    std::string why;
    const keras_elu::CudaImage* got = keras_elu::ChooseCudaImage(table, c.cc, c.driver, c.ptx_only, &why);
    const bool ok = c.want ? got != nullptr && std::string(got->name) == c.want
                           : got == nullptr && why.find(c.why) != std::string::npos;
    if (ok) ++passed;
    else Fail("image for cc " + std::to_string(c.cc) + " driver " + std::to_string(c.driver) + ": got " +
              (got ? got->name : "none (" + why + ")"));
  }
}

}  // namespace

int main() {
  CheckImageChoice();
  RunDtype<float>("float32", GpuDtype::kFloat, std::ldexp(1.0, -24), 0.0);
  RunDtype<double>("float64", GpuDtype::kDouble, std::ldexp(1.0, -53), 0.0);
  RunDtype<__half>("float16", GpuDtype::kHalf, std::ldexp(1.0, -11), std::ldexp(1.0, -24));
  RunDtype<__nv_bfloat16>("bfloat16", GpuDtype::kBfloat16, std::ldexp(1.0, -8), 0.0);
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
