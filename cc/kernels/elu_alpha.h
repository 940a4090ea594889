// The one rule for alpha, shared by the eager kernels and the XLA lowering so
// both refuse the same values with the same message.
#ifndef KERAS_ELU_CC_KERNELS_ELU_ALPHA_H_
#define KERAS_ELU_CC_KERNELS_ELU_ALPHA_H_

#include <cmath>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace keras_elu {

inline absl::Status CheckAlpha(double alpha) {
  if (std::isfinite(alpha) && alpha >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(absl::StrCat(
      "alpha must be finite and >= 0 (0 gives ReLU); received alpha=", alpha));
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_KERNELS_ELU_ALPHA_H_
