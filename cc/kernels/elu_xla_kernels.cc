// XLA lowerings of the KerasElu ops, so that jit_compile=True (Keras' default
// on GPU) compiles our ops and fuses them with their neighbours instead of
// failing on an op XLA has never heard of. Each Compile writes the HLO form
// of the expression of the same name in elu_formulas.h (XlaOp has no `?:`).
//
// Compute types: half/bfloat16 in f32, as the eager kernels compute them;
// float32 in f64 on CPU, rounded once, so the result stays within 1 ULP of
// the eager kernel's (itself within 1 ULP of the float64 reference), and in
// f32 on GPU, like the CUDA kernel; float64 in f64.
#include "kernels/elu_alpha.h"
#include "tensorflow/compiler/tf2xla/xla_op_kernel.h"
#include "tensorflow/compiler/tf2xla/xla_op_registry.h"

// The XLA builder moved from xla/client/ (TF 2.16-2.18) to xla/hlo/builder/ (2.19+);
// the installed headers decide, not a version number.
#if __has_include("xla/hlo/builder/xla_builder.h")
#include "xla/hlo/builder/lib/constants.h"
#include "xla/hlo/builder/xla_builder.h"
#else
#include "xla/client/lib/constants.h"
#include "xla/client/xla_builder.h"
#endif

namespace keras_elu {
namespace {

namespace tf = ::tensorflow;

class EluXlaKernel : public tf::XlaOpKernel {
 public:
  explicit EluXlaKernel(tf::OpKernelConstruction* ctx)
      : tf::XlaOpKernel(ctx),
        on_cpu_(ctx->device_type() == tf::DeviceType(tf::DEVICE_CPU_XLA_JIT)) {}

 protected:
  xla::PrimitiveType ComputeType(tf::XlaOpKernelContext* ctx) const {
    const xla::PrimitiveType t = ctx->input_xla_type(0);
    if (t == xla::F64 || (t == xla::F32 && on_cpu_)) return xla::F64;
    return xla::F32;
  }

  xla::XlaOp In(tf::XlaOpKernelContext* ctx, int index) const {
    return xla::ConvertElementType(ctx->Input(index), ComputeType(ctx));
  }

  // Alpha may be a runtime value (a trainable variable); when it is a
  // compile-time constant we refuse a bad one here, as the eager kernel does.
  bool ValidAlpha(tf::XlaOpKernelContext* ctx, int index) const {
    double alpha = 0;
    if (!ctx->ConstantInputAsFloatScalar(index, &alpha).ok()) return true;
    const absl::Status status = CheckAlpha(alpha, ctx->input_type(index), ctx->input_type(0));
    if (!status.ok()) ctx->CtxFailure(status);
    return status.ok();
  }

  void SetOut(tf::XlaOpKernelContext* ctx, xla::XlaOp value) const {
    ctx->SetOutput(0, xla::ConvertElementType(value, ctx->input_xla_type(0)));
  }

  static xla::XlaOp Positive(xla::XlaOp v) { return xla::Gt(v, xla::ScalarLike(v, 0)); }

  // alpha * exp(min(x, 0)): the min keeps the discarded branch finite.
  static xla::XlaOp AlphaExp(xla::XlaOp x, xla::XlaOp alpha) {
    return xla::Mul(alpha, xla::Exp(xla::Min(x, xla::ScalarLike(x, 0))));
  }

 private:
  const bool on_cpu_;
};

class EluForwardXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    if (!ValidAlpha(ctx, 1)) return;
    const xla::XlaOp x = In(ctx, 0), alpha = In(ctx, 1);
    SetOut(ctx, xla::Select(Positive(x), x, xla::Mul(alpha, xla::Expm1(x))));
  }
};

class EluGradXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    if (!ValidAlpha(ctx, 2)) return;
    const xla::XlaOp dy = In(ctx, 0), x = In(ctx, 1), alpha = In(ctx, 2);
    SetOut(ctx, xla::Select(Positive(x), dy, xla::Mul(dy, AlphaExp(x, alpha))));
  }
};

class EluGradGradXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    if (!ValidAlpha(ctx, 3)) return;
    const xla::XlaOp g = In(ctx, 0), dy = In(ctx, 1), x = In(ctx, 2), alpha = In(ctx, 3);
    SetOut(ctx, xla::Select(Positive(x), xla::ZerosLike(x),
                            xla::Mul(xla::Mul(g, dy), AlphaExp(x, alpha))));
  }
};

// keras_elu 0.1's derivatives from the output (see ops/elu_ops.cc).
class LegacyEluGradXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    if (!ValidAlpha(ctx, 2)) return;
    const xla::XlaOp dy = In(ctx, 0), y = In(ctx, 1), alpha = In(ctx, 2);
    SetOut(ctx, xla::Select(Positive(y), dy, xla::Mul(dy, xla::Add(y, alpha))));
  }
};

class LegacyEluGradGradXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    const xla::XlaOp g = In(ctx, 0), dy = In(ctx, 1), y = In(ctx, 2);
    SetOut(ctx, xla::Select(Positive(y), xla::ZerosLike(y), xla::Mul(g, dy)));
  }
};

REGISTER_XLA_OP(Name("KerasElu>Elu"), EluForwardXla);
REGISTER_XLA_OP(Name("KerasElu>EluGradV2"), EluGradXla);
REGISTER_XLA_OP(Name("KerasElu>EluGradGradV2"), EluGradGradXla);
REGISTER_XLA_OP(Name("KerasElu>EluGrad"), LegacyEluGradXla);
REGISTER_XLA_OP(Name("KerasElu>EluGradGrad"), LegacyEluGradGradXla);

}  // namespace
}  // namespace keras_elu
