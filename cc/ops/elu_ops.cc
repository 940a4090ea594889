// Op interfaces: inputs, attrs and shape functions. Kernels live elsewhere.
//
// Why alpha is an input tensor and not an attr: an attr is a float32 frozen
// into the graph, which rules out a trainable alpha (it needs a gradient, so
// it must be a tensor) and caps float64 inputs at a float32 alpha. As an input
// alpha can be a constant or a variable, gets its own gradient (the op's
// Python gradient function), and has dtype Talpha, float32 or float64:
// keras_elu.ops passes float64 beside float64 features and float32 otherwise
// (half and bfloat16 compute in float32, so a float32 alpha loses nothing).
// Kernels take it in host memory and check it on every call by the rule of
// kernels/elu_alpha.h; an alpha it refuses is InvalidArgument.
//
// The registered signatures are a promise to every saved graph: they never
// change. keras_elu 0.1 differentiated from the output (EluGrad, EluGradGrad);
// the derivatives are now computed from the input by new ops (EluGradV2,
// EluGradGradV2), and the 0.1 ops stay registered, with kernels, so graphs
// and SavedModels written by 0.1 still load and run
// (tests/test_legacy_ops.py loads one).
#include "tensorflow/core/framework/common_shape_fns.h"
#include "tensorflow/core/framework/op.h"
#include "tensorflow/core/framework/shape_inference.h"

namespace keras_elu {
namespace {

using ::tensorflow::shape_inference::InferenceContext;
using ::tensorflow::shape_inference::ShapeHandle;

// The first num_data inputs are the data, all of one shape, which the output
// takes; every input after them (alpha, where the op has it) is a scalar.
absl::Status ElementwiseShape(InferenceContext* c, int num_data) {
  ShapeHandle out = c->input(0);
  for (int i = 1; i < num_data; ++i) {
    TF_RETURN_IF_ERROR(c->Merge(out, c->input(i), &out));
  }
  for (int i = num_data; i < c->num_inputs(); ++i) {
    ShapeHandle unused;
    TF_RETURN_IF_ERROR(c->WithRank(c->input(i), 0, &unused));
  }
  c->set_output(0, out);
  return absl::OkStatus();
}

}  // namespace

REGISTER_OP("KerasElu>Elu")
    .Input("features: T")
    .Input("alpha: Talpha")
    .Output("activations: T")
    .Attr("T: {half, bfloat16, float, double}")
    .Attr("Talpha: {float, double} = DT_FLOAT")
    .SetShapeFn([](InferenceContext* c) { return ElementwiseShape(c, 1); })
    .Doc("ELU: features if > 0, else alpha * expm1(features).");

REGISTER_OP("KerasElu>EluGradV2")
    .Input("gradients: T")
    .Input("features: T")
    .Input("alpha: Talpha")
    .Output("backprops: T")
    .Attr("T: {half, bfloat16, float, double}")
    .Attr("Talpha: {float, double} = DT_FLOAT")
    .SetShapeFn([](InferenceContext* c) { return ElementwiseShape(c, 2); })
    .Doc("gradients if features > 0, else gradients * alpha * exp(features).");

REGISTER_OP("KerasElu>EluGradGradV2")
    .Input("grad_grad: T")
    .Input("gradients: T")
    .Input("features: T")
    .Input("alpha: Talpha")
    .Output("backprops: T")
    .Attr("T: {half, bfloat16, float, double}")
    .Attr("Talpha: {float, double} = DT_FLOAT")
    .SetShapeFn([](InferenceContext* c) { return ElementwiseShape(c, 3); })
    .Doc("0 if features > 0, else grad_grad * gradients * alpha * exp(features).");

// keras_elu 0.1's derivatives, from the output; see the note at the top.
REGISTER_OP("KerasElu>EluGrad")
    .Input("gradients: T")
    .Input("outputs: T")
    .Input("alpha: Talpha")
    .Output("backprops: T")
    .Attr("T: {half, bfloat16, float, double}")
    .Attr("Talpha: {float, double} = DT_FLOAT")
    .SetShapeFn([](InferenceContext* c) { return ElementwiseShape(c, 2); })
    .Doc("gradients if outputs > 0, else gradients * (outputs + alpha).");

REGISTER_OP("KerasElu>EluGradGrad")
    .Input("grad_grad: T")
    .Input("gradients: T")
    .Input("outputs: T")
    .Output("backprops: T")
    .Attr("T: {half, bfloat16, float, double}")
    .SetShapeFn([](InferenceContext* c) { return ElementwiseShape(c, 3); })
    .Doc("0 if outputs > 0, else grad_grad * gradients.");

}  // namespace keras_elu
