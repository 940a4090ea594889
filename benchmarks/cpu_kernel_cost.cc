// Single-core cost of the CPU kernels, TF-free: nanoseconds per element of
// the float32 forward (alpha = 1 and 0.1) and derivative (EluGradV2), against
// a copy and the gradient from y (EluGrad's math, no exp), on a block that
// stays in cache by default, so what is left is compute. Built
// and run per CPU ISA by bench_cpu_kernels.py (KERAS_ELU_CPU_ISA caps the
// ISA as in the library; --isas lists the ISAs this CPU runs).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "cpu/elu_cpu_kernels.h"

extern "C" const char* KerasEluRunnableCpuIsas();  // elu_cpu_dispatch.cc

namespace {

using keras_elu::EluKind;

template <typename Fn>
double BestNsPerElement(Fn fn, std::int64_t n) {
  constexpr int kRepeats = 21;
  const long calls = std::max<long>(1, 20000000 / n);
  double best = 1e30;
  for (int r = 0; r < kRepeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    for (long c = 0; c < calls; ++c) fn();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count() / calls / n * 1e9);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--isas") == 0) {
    std::puts(KerasEluRunnableCpuIsas());
    return 0;
  }
  const std::int64_t n = argc > 1 ? std::atoll(argv[1]) : 65536;
  const keras_elu::CpuKernels& k = keras_elu::ChosenCpuKernels();
  std::vector<float> x(n), dy(n), y(n), out(n);
  std::mt19937 gen(0);
  std::normal_distribution<float> normal(0.0f, 2.0f);  // as bench_elu.py: half the lanes negative
  for (auto& v : x) v = normal(gen);
  for (auto& v : dy) v = normal(gen);
  for (std::int64_t i = 0; i < n; ++i) y[i] = x[i] > 0 ? x[i] : std::expm1(x[i]);
  const float* forward_in[] = {x.data()};
  const float* grad_in[] = {dy.data(), x.data()};
  const float* from_output_in[] = {dy.data(), y.data()};
  const auto forward = k.f32[static_cast<int>(EluKind::kForward)];
  const auto grad = k.f32[static_cast<int>(EluKind::kGrad)];
  // 0.1's gradient from y, dy * (y + alpha): TensorFlow's EluGrad math, no exp.
  const auto from_output = k.f32[static_cast<int>(EluKind::kLegacyGrad)];
  volatile float sink = 0;
  const double copy = BestNsPerElement([&] { std::memcpy(out.data(), x.data(), n * sizeof(float)); sink = out[0]; }, n);
  const double fwd1 = BestNsPerElement([&] { forward(forward_in, out.data(), n, 1.0f); sink = out[0]; }, n);
  const double fwd01 = BestNsPerElement([&] { forward(forward_in, out.data(), n, 0.1f); sink = out[0]; }, n);
  const double deriv = BestNsPerElement([&] { grad(grad_in, out.data(), n, 1.0f); sink = out[0]; }, n);
  const double from_y = BestNsPerElement([&] { from_output(from_output_in, out.data(), n, 1.0f); sink = out[0]; }, n);
  std::printf("{\"isa\": \"%s\", \"n\": %lld, \"copy\": %.3f, \"forward_alpha_1\": %.3f, "
              "\"forward_alpha_0.1\": %.3f, \"derivative\": %.3f, \"gradient_from_y\": %.3f}\n",
              keras_elu::ChosenCpuIsa().name, static_cast<long long>(n), copy, fwd1, fwd01, deriv, from_y);
  return 0;
}
