// Which embedded image a GPU runs: a pure function of the table, the GPU and
// the driver, so the host-grid tests can walk every case without a GPU.
#ifndef KERAS_ELU_CC_CUDA_CUDA_IMAGE_CHOICE_H_
#define KERAS_ELU_CC_CUDA_CUDA_IMAGE_CHOICE_H_

#include <string>

#include "cuda/elu_cuda_images.h"

namespace keras_elu {

// "12.9" for cuDriverGetVersion's 12090.
inline std::string CudaVersionText(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

// The images and what they need (the build's kEluCuda* values; tests make their own).
struct CudaImageTable {
  const CudaImage* images;
  int count;
  int ptx_min_driver;     // cuDriverGetVersion value
  const char* toolchain;  // for messages
};

inline CudaImageTable EmbeddedCudaImages() {
  return {kEluCudaImages, kNumEluCudaImages, kEluCudaPtxMinDriver, kEluCudaToolchain};
}

// For compute capability `cc` (major * 10 + minor): the newest cubin of the
// same major and not newer than the GPU (binary compatible), else - or when
// `ptx_only`, after the driver refused that cubin - PTX the driver can
// compile: not newer than the GPU, and a driver at least table.ptx_min_driver.
// nullptr, with the reason in *why, when none fits.
inline const CudaImage* ChooseCudaImage(const CudaImageTable& table, int cc, int driver_version,
                                        bool ptx_only, std::string* why) {
  const CudaImage* cubin = nullptr;
  const CudaImage* ptx = nullptr;
  for (int i = 0; i < table.count; ++i) {
    const CudaImage& image = table.images[i];
    if (image.arch > cc) continue;
    if (image.ptx && (ptx == nullptr || image.arch > ptx->arch)) ptx = &image;
    if (!image.ptx && image.arch / 10 == cc / 10 && (cubin == nullptr || image.arch > cubin->arch)) cubin = &image;
  }
  if (cubin != nullptr && !ptx_only) return cubin;
  const std::string gpu = "compute capability " + std::to_string(cc / 10) + "." + std::to_string(cc % 10);
  if (ptx == nullptr) {
    *why = "no keras_elu kernel image fits " + gpu + " (cubins for sm_75 to sm_90, PTX for newer GPUs)";
    return nullptr;
  }
  if (driver_version < table.ptx_min_driver) {
    *why = gpu + " needs keras_elu's PTX, which the driver must compile: it supports CUDA " +
           CudaVersionText(driver_version) + ", the PTX from " + table.toolchain + " needs CUDA " +
           CudaVersionText(table.ptx_min_driver) + " or later";
    return nullptr;
  }
  return ptx;
}

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CUDA_CUDA_IMAGE_CHOICE_H_
