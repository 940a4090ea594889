// The five element-wise kernels behind the ops, named once for the CPU table,
// the CUDA launcher, the TensorFlow kernels and the XLA lowerings.
#ifndef KERAS_ELU_CC_ELU_KIND_H_
#define KERAS_ELU_CC_ELU_KIND_H_

namespace keras_elu {

enum class EluKind {
  kForward,          // Elu(x, alpha)
  kGrad,             // EluGradV2(dy, x, alpha)
  kGradGrad,         // EluGradGradV2(g, dy, x, alpha)
  kLegacyGrad,       // EluGrad(dy, y, alpha), keras_elu 0.1
  kLegacyGradGrad,   // EluGradGrad(g, dy, y), keras_elu 0.1
};
constexpr int kNumEluKinds = 5;

// Same-shaped data inputs, in the op's order; alpha, where taken, follows them.
constexpr int NumDataInputs(EluKind kind) {
  return kind == EluKind::kForward ? 1
         : kind == EluKind::kGrad || kind == EluKind::kLegacyGrad ? 2
                                                                    : 3;
}
constexpr bool TakesAlpha(EluKind kind) { return kind != EluKind::kLegacyGradGrad; }

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_ELU_KIND_H_
