// The one rule for alpha, shared by the eager kernels and the XLA lowering so
// both refuse the same values with the same message: finite, >= 0, and within
// the dtype the op computes in (float32 for all but float64 features), so that
// an alpha the kernel would round to infinity is refused under the value given.
// keras_elu.ops.check_alpha applies the same rule to Python numbers.
#ifndef KERAS_ELU_CC_KERNELS_ELU_ALPHA_H_
#define KERAS_ELU_CC_KERNELS_ELU_ALPHA_H_

#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tensorflow/core/framework/types.pb.h"

namespace keras_elu {

// The shortest text that reads back as the value in its own dtype, as Python
// prints it (a float32 0.1 is "0.1", a float64 1e39 "1e+39").
inline std::string AlphaText(double alpha, bool is_float32) {
  char text[32];
  const std::to_chars_result end =
      is_float32 ? std::to_chars(text, text + sizeof text, static_cast<float>(alpha))
                 : std::to_chars(text, text + sizeof text, alpha);
  return std::string(text, end.ptr);
}

// The features' dtype by the name Python users know it by.
inline const char* FeatureDtypeName(tensorflow::DataType dtype) {
  switch (dtype) {
    case tensorflow::DT_HALF: return "float16";
    case tensorflow::DT_BFLOAT16: return "bfloat16";
    case tensorflow::DT_FLOAT: return "float32";
    case tensorflow::DT_DOUBLE: return "float64";
    default: return "an unsupported dtype";
  }
}

// alpha as read from its tensor of dtype alpha_dtype (float or double), beside
// features of dtype x_dtype.
inline absl::Status CheckAlpha(double alpha, tensorflow::DataType alpha_dtype,
                               tensorflow::DataType x_dtype) {
  const bool float32_alpha = alpha_dtype == tensorflow::DT_FLOAT;
  if (!(std::isfinite(alpha) && alpha >= 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "alpha must be finite and >= 0 (0 gives ReLU); received alpha=",
        AlphaText(alpha, float32_alpha)));
  }
  constexpr float kFloatMax = std::numeric_limits<float>::max();
  if (x_dtype != tensorflow::DT_DOUBLE && alpha > kFloatMax) {
    return absl::InvalidArgumentError(absl::StrCat(
        "alpha must be at most ", AlphaText(kFloatMax, true),
        ", float32's largest finite value, since x is ", FeatureDtypeName(x_dtype),
        " and ELU computes it in float32; received alpha=", AlphaText(alpha, float32_alpha)));
  }
  return absl::OkStatus();
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_KERNELS_ELU_ALPHA_H_
