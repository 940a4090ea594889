// XLA lowerings of the three ELU ops, so that jit_compile=True (Keras' default
// on GPU) compiles our ops and fuses them with their neighbours instead of
// failing on an op XLA has never heard of. Each Compile writes the HLO form
// of the expression of the same name in elu_functor.h (XlaOp has no `?:`).
//
// Compute types match the eager kernel on the same device, so XLA and eager
// agree: half/bfloat16 in f32; float32 in f64 on CPU (like the SIMD CPU
// span, which rounds once) and in f32 on GPU (like the CUDA kernel).
#include "elu_alpha.h"
#include "tensorflow/compiler/tf2xla/xla_op_kernel.h"
#include "tensorflow/compiler/tf2xla/xla_op_registry.h"
#include "xla/hlo/builder/lib/constants.h"
#include "xla/hlo/builder/xla_builder.h"

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
    const absl::Status status = CheckAlpha(alpha);
    if (!status.ok()) ctx->CtxFailure(status);
    return status.ok();
  }

  void SetOut(tf::XlaOpKernelContext* ctx, xla::XlaOp value) const {
    ctx->SetOutput(0, xla::ConvertElementType(value, ctx->input_xla_type(0)));
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
    SetOut(ctx, xla::Select(xla::Gt(x, xla::ScalarLike(x, 0)), x,
                            xla::Mul(alpha, xla::Expm1(x))));
  }
};

class EluGradXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    if (!ValidAlpha(ctx, 2)) return;
    const xla::XlaOp dy = In(ctx, 0), y = In(ctx, 1), alpha = In(ctx, 2);
    SetOut(ctx, xla::Select(xla::Gt(y, xla::ScalarLike(y, 0)), dy,
                            xla::Mul(dy, xla::Add(y, alpha))));
  }
};

class EluGradGradXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    const xla::XlaOp g = In(ctx, 0), dy = In(ctx, 1), y = In(ctx, 2);
    SetOut(ctx, xla::Select(xla::Gt(y, xla::ScalarLike(y, 0)), xla::ZerosLike(y),
                            xla::Mul(g, dy)));
  }
};

REGISTER_XLA_OP(Name("KerasElu>Elu"), EluForwardXla);
REGISTER_XLA_OP(Name("KerasElu>EluGrad"), EluGradXla);
REGISTER_XLA_OP(Name("KerasElu>EluGradGrad"), EluGradGradXla);

}  // namespace
}  // namespace keras_elu
