// OpKernels for the KerasElu ops on CPU and (with KERAS_ELU_CUDA_KERNELS) GPU. One
// kernel template serves all five: they differ only in how many same-shaped
// data inputs they take and whether alpha follows (elu_kind.h). The math is
// in elu_formulas.h, cpu/ and cuda/; this file moves memory.
#define EIGEN_USE_THREADS

#include <algorithm>
#include <array>
#include <numeric>
#include <type_traits>

#include "cpu/elu_cpu_kernels.h"
#include "elu_kind.h"
#include "kernels/elu_alpha.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/register_types.h"
#include "tensorflow/core/util/work_sharder.h"

#if KERAS_ELU_CUDA_KERNELS
#include "cuda/elu_gpu_launch.h"
#include "xla/stream_executor/stream.h"
#endif

namespace keras_elu {
namespace {

namespace tf = ::tensorflow;
using tf::int64;

using CpuDevice = Eigen::ThreadPoolDevice;

// Rough CPU cycles per element, for TF's sharding cost model: the FMA ISAs
// spend ~0.7-1.5 on expm1 or exp, the AVX and generic ones 6-17, plus
// conversions for the half types (benchmarks/bench_cpu_kernels.py).
constexpr int kCyclesPerElement = 4;

// alpha beside features of dtype x_dtype, checked by the rule XLA shares (elu_alpha.h).
absl::Status ReadAlpha(const tf::Tensor& t, tf::DataType x_dtype, double* alpha) {
  if (!tf::TensorShapeUtils::IsScalar(t.shape())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "alpha must be a scalar; received shape ", t.shape().DebugString()));
  }
  *alpha = t.dtype() == tf::DT_DOUBLE ? t.scalar<double>()() : t.scalar<float>()();
  return CheckAlpha(*alpha, t.dtype(), x_dtype);
}

EluSpan<float> SpanFor(const CpuKernels& k, EluKind kind, float) { return k.f32[static_cast<int>(kind)]; }
EluSpan<double> SpanFor(const CpuKernels& k, EluKind kind, double) { return k.f64[static_cast<int>(kind)]; }

static_assert(sizeof(Eigen::half) == 2 && sizeof(Eigen::bfloat16) == 2,
              "the conversions read the halves as their 16-bit patterns");
void Widen(const CpuKernels& k, const Eigen::half* in, float* out, int64 n) {
  k.half_to_float(reinterpret_cast<const std::uint16_t*>(in), out, n);
}
void Widen(const CpuKernels& k, const Eigen::bfloat16* in, float* out, int64 n) {
  k.bfloat16_to_float(reinterpret_cast<const std::uint16_t*>(in), out, n);
}
void Narrow(const CpuKernels& k, const float* in, Eigen::half* out, int64 n) {
  k.float_to_half(in, reinterpret_cast<std::uint16_t*>(out), n);
}
void Narrow(const CpuKernels& k, const float* in, Eigen::bfloat16* out, int64 n) {
  k.float_to_bfloat16(in, reinterpret_cast<std::uint16_t*>(out), n);
}

// Runs one kind on [0, n). Half and bfloat16 are widened to float in
// stack-sized chunks: their kernels compute in float.
template <EluKind K, typename T>
void ComputeCpuRange(const T* const* in, T* out, int64 n, double alpha) {
  const CpuKernels& kernels = ChosenCpuKernels();
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    SpanFor(kernels, K, T{})(in, out, n, static_cast<T>(alpha));
  } else {
    constexpr int kNumData = NumDataInputs(K);
    constexpr int64 kChunk = 1024;
    float wide[kNumData][kChunk];
    const float* wide_in[kNumData];
    const EluSpan<float> span = SpanFor(kernels, K, float{});
    for (int64 start = 0; start < n; start += kChunk) {
      const int64 m = std::min(kChunk, n - start);
      for (int k = 0; k < kNumData; ++k) {
        Widen(kernels, in[k] + start, wide[k], m);
        wide_in[k] = wide[k];
      }
      span(wide_in, wide[0], m, static_cast<float>(alpha));  // in place is allowed
      Narrow(kernels, wide[0], out + start, m);
    }
  }
}

template <typename Device, EluKind K, typename T>
struct Launch;

template <EluKind K, typename T>
struct Launch<CpuDevice, K, T> {
  static void Run(tf::OpKernelContext* ctx, const T* const* in, T* out, int64 n, double alpha) {
    auto* workers = ctx->device()->tensorflow_cpu_worker_threads()->workers;
    tf::Shard(workers->NumThreads(), workers, n, kCyclesPerElement, [&](int64 begin, int64 end) {
      const T* shifted[NumDataInputs(K)];
      for (int k = 0; k < NumDataInputs(K); ++k) shifted[k] = in[k] + begin;
      ComputeCpuRange<K, T>(shifted, out + begin, end - begin, alpha);
    });
  }
};

#if KERAS_ELU_CUDA_KERNELS
struct GpuDevice {};  // a tag: the GPU kernels need no Eigen device, only the stream

template <typename T>
constexpr GpuDtype GpuDtypeOf() {
  if constexpr (std::is_same_v<T, Eigen::half>) return GpuDtype::kHalf;
  if constexpr (std::is_same_v<T, Eigen::bfloat16>) return GpuDtype::kBfloat16;
  if constexpr (std::is_same_v<T, float>) return GpuDtype::kFloat;
  return GpuDtype::kDouble;
}

// The CUstream TensorFlow runs this op on (TF 2.16 - 2.21 all have this accessor).
void* CudaStreamOf(tf::OpKernelContext* ctx) {
  return ctx->op_device_context()->stream()->platform_specific_handle().stream;
}

template <EluKind K, typename T>
struct Launch<GpuDevice, K, T> {
  static void Run(tf::OpKernelContext* ctx, const T* const* in, T* out, int64 n, double alpha) {
    const void* raw_in[NumDataInputs(K)];
    std::copy(in, in + NumDataInputs(K), raw_in);
    const std::string error =
        LaunchEluGpu(K, GpuDtypeOf<T>(), raw_in, out, n, alpha, CudaStreamOf(ctx));
    OP_REQUIRES(ctx, error.empty(),
                absl::FailedPreconditionError(absl::StrCat(
                    "keras_elu's CUDA kernels cannot run here: ", error,
                    ". keras_elu.elu builds stock ops on such a GPU, but a saved graph holding "
                    "KerasElu ops needs the kernels: run it under tf.device('/CPU:0'), or export "
                    "it within keras_elu.portable()")));
  }
};
#endif  // KERAS_ELU_CUDA_KERNELS

template <typename Device, EluKind K, typename T>
class EluKernel : public tf::OpKernel {
 public:
  explicit EluKernel(tf::OpKernelConstruction* ctx) : tf::OpKernel(ctx) {}

  void Compute(tf::OpKernelContext* ctx) override {
    constexpr int kNumData = NumDataInputs(K);
    double alpha = 0.0;
    if (TakesAlpha(K)) {
      OP_REQUIRES_OK(ctx, ReadAlpha(ctx->input(kNumData), ctx->input(0).dtype(), &alpha));
    }
    const tf::TensorShape& shape = ctx->input(0).shape();
    for (int k = 1; k < kNumData; ++k) {
      OP_REQUIRES(ctx, ctx->input(k).shape() == shape,
                  absl::InvalidArgumentError(absl::StrCat(
                      "input ", k, " must have the shape of input 0, ", shape.DebugString(),
                      "; received ", ctx->input(k).shape().DebugString())));
    }
    tf::Tensor* out = nullptr;
    // Write into an input's buffer when TF proves nobody else holds it.
    std::array<int, kNumData> reusable;
    std::iota(reusable.begin(), reusable.end(), 0);
    OP_REQUIRES_OK(ctx, ctx->forward_input_or_allocate_output(reusable, 0, shape, &out));
    const int64 n = shape.num_elements();
    if (n == 0) return;
    const T* in[kNumData];
    for (int k = 0; k < kNumData; ++k) in[k] = ctx->input(k).flat<T>().data();
    Launch<Device, K, T>::Run(ctx, in, out->flat<T>().data(), n, alpha);
  }
};

using ::tensorflow::register_kernel::Name;

#define KERAS_ELU_REGISTER_ONE(OP, KIND, DEVICE_NAME, DEVICE_TYPE, TYPE, ...)       \
  REGISTER_KERNEL_BUILDER(                                                          \
      Name(OP).Device(DEVICE_NAME).TypeConstraint<TYPE>("T") __VA_ARGS__,           \
      EluKernel<DEVICE_TYPE, EluKind::KIND, TYPE>);
#define KERAS_ELU_REGISTER(DEVICE_NAME, DEVICE_TYPE, TYPE)                                         \
  KERAS_ELU_REGISTER_ONE("KerasElu>Elu", kForward, DEVICE_NAME, DEVICE_TYPE, TYPE,                 \
                         .HostMemory("alpha"))                                                     \
  KERAS_ELU_REGISTER_ONE("KerasElu>EluGradV2", kGrad, DEVICE_NAME, DEVICE_TYPE, TYPE,              \
                         .HostMemory("alpha"))                                                     \
  KERAS_ELU_REGISTER_ONE("KerasElu>EluGradGradV2", kGradGrad, DEVICE_NAME, DEVICE_TYPE, TYPE,      \
                         .HostMemory("alpha"))                                                     \
  KERAS_ELU_REGISTER_ONE("KerasElu>EluGrad", kLegacyGrad, DEVICE_NAME, DEVICE_TYPE, TYPE,          \
                         .HostMemory("alpha"))                                                     \
  KERAS_ELU_REGISTER_ONE("KerasElu>EluGradGrad", kLegacyGradGrad, DEVICE_NAME, DEVICE_TYPE, TYPE)

#define KERAS_ELU_REGISTER_CPU(T) KERAS_ELU_REGISTER(tf::DEVICE_CPU, CpuDevice, T)
TF_CALL_half(KERAS_ELU_REGISTER_CPU);
TF_CALL_bfloat16(KERAS_ELU_REGISTER_CPU);
TF_CALL_float(KERAS_ELU_REGISTER_CPU);
TF_CALL_double(KERAS_ELU_REGISTER_CPU);
#undef KERAS_ELU_REGISTER_CPU

#if KERAS_ELU_CUDA_KERNELS
#define KERAS_ELU_REGISTER_GPU(T) KERAS_ELU_REGISTER(tf::DEVICE_GPU, GpuDevice, T)
TF_CALL_half(KERAS_ELU_REGISTER_GPU);
TF_CALL_bfloat16(KERAS_ELU_REGISTER_GPU);
TF_CALL_float(KERAS_ELU_REGISTER_GPU);
TF_CALL_double(KERAS_ELU_REGISTER_GPU);
#undef KERAS_ELU_REGISTER_GPU
#endif  // KERAS_ELU_CUDA_KERNELS

#undef KERAS_ELU_REGISTER
#undef KERAS_ELU_REGISTER_ONE

}  // namespace
}  // namespace keras_elu
