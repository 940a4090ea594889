// OpKernels for KerasElu>Elu, EluGrad and EluGradGrad on CPU and (with
// GOOGLE_CUDA) GPU. One kernel template serves all three ops: they differ
// only in how many same-shaped data inputs they take and whether a trailing
// alpha follows. The math is in elu_functor.h; this file moves memory.
#define EIGEN_USE_THREADS

#include <algorithm>
#include <array>
#include <numeric>
#include <type_traits>

#include "elu_alpha.h"
#include "elu_cpu_convert.h"
#include "elu_cpu_spans.h"
#include "tensorflow/core/framework/op_kernel.h"
#include "tensorflow/core/framework/register_types.h"
#include "tensorflow/core/util/work_sharder.h"

#if GOOGLE_CUDA
#include "elu_gpu_launch.h"
#include "xla/stream_executor/stream.h"
#endif

namespace keras_elu {
namespace {

namespace tf = ::tensorflow;
using tf::int64;

using CpuDevice = Eigen::ThreadPoolDevice;

enum class Kind { kForward, kGrad, kGradGrad };

template <Kind K>
struct KindTraits {
  static constexpr int kNumData = K == Kind::kForward ? 1 : K == Kind::kGrad ? 2 : 3;
  static constexpr bool kHasAlpha = K != Kind::kGradGrad;
  // Rough CPU cycles per element, for TF's sharding cost model: the FMA
  // forward paths take ~2-3 (float) plus conversions for the half types.
  static constexpr int kCost = K == Kind::kForward ? 4 : 3;
};

absl::Status ReadAlpha(const tf::Tensor& t, double* alpha) {
  if (!tf::TensorShapeUtils::IsScalar(t.shape())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "alpha must be a scalar; received shape ", t.shape().DebugString()));
  }
  *alpha = t.dtype() == tf::DT_DOUBLE ? t.scalar<double>()() : t.scalar<float>()();
  return CheckAlpha(*alpha);
}

// Runs the float/double span for one kind on [0, n). Half and bfloat16 are
// widened to float in stack-sized chunks: the spans compute in float anyway.
template <Kind K, typename C>
void RunSpan(const C* const* in, C* out, int64 n, double alpha) {
  if constexpr (K == Kind::kForward) EluForwardSpan(in[0], out, n, alpha);
  if constexpr (K == Kind::kGrad) EluGradSpan(in[0], in[1], out, n, alpha);
  if constexpr (K == Kind::kGradGrad) EluGradGradSpan(in[0], in[1], in[2], out, n);
}

static_assert(sizeof(Eigen::half) == 2 && sizeof(Eigen::bfloat16) == 2,
              "the conversions read the halves as their 16-bit patterns");
void Widen(const Eigen::half* in, float* out, int64 n) {
  HalfToFloat(reinterpret_cast<const std::uint16_t*>(in), out, n);
}
void Widen(const Eigen::bfloat16* in, float* out, int64 n) {
  Bfloat16ToFloat(reinterpret_cast<const std::uint16_t*>(in), out, n);
}
void Narrow(const float* in, Eigen::half* out, int64 n) {
  FloatToHalf(in, reinterpret_cast<std::uint16_t*>(out), n);
}
void Narrow(const float* in, Eigen::bfloat16* out, int64 n) {
  FloatToBfloat16(in, reinterpret_cast<std::uint16_t*>(out), n);
}

template <Kind K, typename T>
void ComputeCpuRange(const T* const* in, T* out, int64 n, double alpha) {
  constexpr int kNumData = KindTraits<K>::kNumData;
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    RunSpan<K, T>(in, out, n, alpha);
  } else {
    constexpr int64 kChunk = 1024;
    float wide[kNumData][kChunk];
    const float* wide_in[kNumData];
    for (int64 start = 0; start < n; start += kChunk) {
      const int64 m = std::min(kChunk, n - start);
      for (int k = 0; k < kNumData; ++k) {
        Widen(in[k] + start, wide[k], m);
        wide_in[k] = wide[k];
      }
      RunSpan<K, float>(wide_in, wide[0], m, alpha);  // in place is allowed
      Narrow(wide[0], out + start, m);
    }
  }
}

template <typename Device, Kind K, typename T>
struct Launch;

template <Kind K, typename T>
struct Launch<CpuDevice, K, T> {
  static void Run(tf::OpKernelContext* ctx, const T* const* in, T* out, int64 n,
                  double alpha) {
    auto* workers = ctx->device()->tensorflow_cpu_worker_threads()->workers;
    tf::Shard(workers->NumThreads(), workers, n, KindTraits<K>::kCost,
              [&](int64 begin, int64 end) {
                const T* shifted[KindTraits<K>::kNumData];
                for (int k = 0; k < KindTraits<K>::kNumData; ++k) shifted[k] = in[k] + begin;
                ComputeCpuRange<K, T>(shifted, out + begin, end - begin, alpha);
              });
  }
};

#if GOOGLE_CUDA
using GpuDevice = Eigen::GpuDevice;

template <typename T>
constexpr GpuDtype GpuDtypeOf() {
  if constexpr (std::is_same_v<T, Eigen::half>) return GpuDtype::kHalf;
  if constexpr (std::is_same_v<T, Eigen::bfloat16>) return GpuDtype::kBfloat16;
  if constexpr (std::is_same_v<T, float>) return GpuDtype::kFloat;
  return GpuDtype::kDouble;
}

template <Kind K, typename T>
struct Launch<GpuDevice, K, T> {
  static void Run(tf::OpKernelContext* ctx, const T* const* in, T* out, int64 n,
                  double alpha) {
    void* stream = ctx->op_device_context()->stream()->platform_specific_handle().stream;
    constexpr GpuDtype dt = GpuDtypeOf<T>();
    int err = 0;
    if constexpr (K == Kind::kForward) err = LaunchEluForwardGpu(dt, in[0], out, n, alpha, stream);
    if constexpr (K == Kind::kGrad) err = LaunchEluGradGpu(dt, in[0], in[1], out, n, alpha, stream);
    if constexpr (K == Kind::kGradGrad)
      err = LaunchEluGradGradGpu(dt, in[0], in[1], in[2], out, n, stream);
    OP_REQUIRES(ctx, err == 0,
                absl::InternalError(absl::StrCat("keras_elu CUDA launch failed: ",
                                                 GpuErrorString(err))));
  }
};
#endif  // GOOGLE_CUDA

template <typename Device, Kind K, typename T>
class EluKernel : public tf::OpKernel {
 public:
  explicit EluKernel(tf::OpKernelConstruction* ctx) : tf::OpKernel(ctx) {}

  void Compute(tf::OpKernelContext* ctx) override {
    constexpr int kNumData = KindTraits<K>::kNumData;
    double alpha = 0.0;
    if (KindTraits<K>::kHasAlpha) OP_REQUIRES_OK(ctx, ReadAlpha(ctx->input(kNumData), &alpha));
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
template <typename Device, typename T> using EluForwardKernel = EluKernel<Device, Kind::kForward, T>;
template <typename Device, typename T> using EluGradKernel = EluKernel<Device, Kind::kGrad, T>;
template <typename Device, typename T> using EluGradGradKernel = EluKernel<Device, Kind::kGradGrad, T>;

#define KERAS_ELU_REGISTER(DEVICE_NAME, DEVICE_TYPE, TYPE)                            \
  REGISTER_KERNEL_BUILDER(Name("KerasElu>Elu")                                \
                              .Device(DEVICE_NAME)                            \
                              .TypeConstraint<TYPE>("T")                         \
                              .HostMemory("alpha"),                           \
                          EluForwardKernel<DEVICE_TYPE, TYPE>);              \
  REGISTER_KERNEL_BUILDER(Name("KerasElu>EluGrad")                            \
                              .Device(DEVICE_NAME)                            \
                              .TypeConstraint<TYPE>("T")                         \
                              .HostMemory("alpha"),                           \
                          EluGradKernel<DEVICE_TYPE, TYPE>);                     \
  REGISTER_KERNEL_BUILDER(                                                    \
      Name("KerasElu>EluGradGrad").Device(DEVICE_NAME).TypeConstraint<TYPE>("T"), \
      EluGradGradKernel<DEVICE_TYPE, TYPE>);

#define KERAS_ELU_REGISTER_CPU(T) KERAS_ELU_REGISTER(tf::DEVICE_CPU, CpuDevice, T)
TF_CALL_half(KERAS_ELU_REGISTER_CPU);
TF_CALL_bfloat16(KERAS_ELU_REGISTER_CPU);
TF_CALL_float(KERAS_ELU_REGISTER_CPU);
TF_CALL_double(KERAS_ELU_REGISTER_CPU);
#undef KERAS_ELU_REGISTER_CPU

#if GOOGLE_CUDA
#define KERAS_ELU_REGISTER_GPU(T) KERAS_ELU_REGISTER(tf::DEVICE_GPU, GpuDevice, T)
TF_CALL_half(KERAS_ELU_REGISTER_GPU);
TF_CALL_bfloat16(KERAS_ELU_REGISTER_GPU);
TF_CALL_float(KERAS_ELU_REGISTER_GPU);
TF_CALL_double(KERAS_ELU_REGISTER_GPU);
#undef KERAS_ELU_REGISTER_GPU
#endif  // GOOGLE_CUDA

#undef KERAS_ELU_REGISTER

}  // namespace
}  // namespace keras_elu
