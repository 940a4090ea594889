// XLA lowerings of the KerasElu ops, so that jit_compile=True (Keras' default
// on GPU) compiles our ops and fuses them with their neighbours instead of
// failing on an op XLA has never heard of. They instantiate the formulas of
// elu_formulas.h with V = xla::XlaOp (ValueOps<xla::XlaOp> below supplies
// the compare-and-select that XlaOp has no `?:` for), fed by XLA's own Expm1
// and Exp.
//
// Compute types: half/bfloat16 in f32, as the eager kernels compute them;
// float32 in f64 on CPU, rounded once, so the result stays within 1 ULP of
// the eager kernel's (itself within 1 ULP of the float64 reference), and in
// f32 on GPU, like the CUDA kernel; float64 in f64.
#include "elu_formulas.h"
#include "elu_kind.h"
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

// The primitives of elu_formulas.h for HLO.
template <>
struct ValueOps<xla::XlaOp> {
  static xla::XlaOp IfPositive(xla::XlaOp v, xla::XlaOp if_positive, xla::XlaOp otherwise) {
    return xla::Select(xla::Gt(v, xla::ScalarLike(v, 0)), if_positive, otherwise);
  }
  static xla::XlaOp ZeroLike(xla::XlaOp v) { return xla::ZerosLike(v); }
  // v as it is. EluSelect passes alpha * expm1(x) for x <= 0, which already
  // has x's sign, zeros included, since alpha >= 0 and XLA's expm1 keeps the
  // sign of zero (tests/test_derivatives.py checks -0.0 and +0.0 under
  // jit_compile); only a NaN's sign is XLA's to choose. A true copysign needs
  // bitcast-convert, and XLA's CPU compiler (TF 2.21) miscompiles
  // select(x > 0, x, bitcast-convert(...)) when the result is converted to
  // bfloat16: half the 65,536 inputs came out wrong.
  static xla::XlaOp WithSignOf(xla::XlaOp v, xla::XlaOp /*x*/) { return v; }
};

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

 private:
  const bool on_cpu_;
};

// alpha * exp(min(x, 0)), with XLA's exp: the min keeps the discarded branch finite.
xla::XlaOp AlphaExp(xla::XlaOp x, xla::XlaOp alpha) {
  return alpha * xla::Exp(xla::Min(x, xla::ScalarLike(x, 0)));
}

// One kind on the data inputs v, in the op's order (elu_kind.h).
template <EluKind K>
xla::XlaOp KindOf(const xla::XlaOp* v, xla::XlaOp alpha) {
  if constexpr (K == EluKind::kForward) return EluFromExpm1(v[0], xla::Expm1(v[0]), alpha);
  if constexpr (K == EluKind::kGrad) return EluGradFromInput(v[0], v[1], AlphaExp(v[1], alpha));
  if constexpr (K == EluKind::kGradGrad)
    return EluGradGradFromInput(v[0], v[1], v[2], AlphaExp(v[2], alpha));
  if constexpr (K == EluKind::kLegacyGrad) return EluGradFromOutput(v[0], v[1], alpha);
  if constexpr (K == EluKind::kLegacyGradGrad) return EluGradGradFromOutput(v[0], v[1], v[2]);
}

// One lowering for all five ops, as one eager kernel template serves them.
template <EluKind K>
class EluKindXla : public EluXlaKernel {
 public:
  using EluXlaKernel::EluXlaKernel;
  void Compile(tf::XlaOpKernelContext* ctx) override {
    constexpr int kNumData = NumDataInputs(K);
    if (TakesAlpha(K) && !ValidAlpha(ctx, kNumData)) return;
    xla::XlaOp v[kNumData];
    for (int k = 0; k < kNumData; ++k) v[k] = In(ctx, k);
    const xla::XlaOp alpha = TakesAlpha(K) ? In(ctx, kNumData) : xla::XlaOp();
    SetOut(ctx, KindOf<K>(v, alpha));
  }
};

REGISTER_XLA_OP(Name("KerasElu>Elu"), EluKindXla<EluKind::kForward>);
REGISTER_XLA_OP(Name("KerasElu>EluGradV2"), EluKindXla<EluKind::kGrad>);
REGISTER_XLA_OP(Name("KerasElu>EluGradGradV2"), EluKindXla<EluKind::kGradGrad>);
// keras_elu 0.1's derivatives from the output (see ops/elu_ops.cc).
REGISTER_XLA_OP(Name("KerasElu>EluGrad"), EluKindXla<EluKind::kLegacyGrad>);
REGISTER_XLA_OP(Name("KerasElu>EluGradGrad"), EluKindXla<EluKind::kLegacyGradGrad>);

}  // namespace
}  // namespace keras_elu
