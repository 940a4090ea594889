// The kernels' compiled images, embedded in the library by the build
// (build_tools/cuda_images.py generates the definitions): a cubin per
// architecture and PTX for newer GPUs, and the drivers they need.
#ifndef KERAS_ELU_CC_CUDA_ELU_CUDA_IMAGES_H_
#define KERAS_ELU_CC_CUDA_ELU_CUDA_IMAGES_H_

#include <cstddef>

namespace keras_elu {

struct CudaImage {
  const char* name;  // "sm_80" (a cubin) or "compute_90" (PTX)
  int arch;          // 80, as the device's compute capability major * 10 + minor
  bool ptx;
  const unsigned char* data;  // PTX: NUL-terminated
  std::size_t size;
};

extern const CudaImage kEluCudaImages[];
extern const int kNumEluCudaImages;
// cuDriverGetVersion values (CUDA 12.0 = 12000): the oldest driver that loads
// the cubins, and the oldest that can JIT-compile the PTX.
extern const int kEluCudaCubinMinDriver;
extern const int kEluCudaPtxMinDriver;
extern const char kEluCudaToolchain[];

}  // namespace keras_elu

#endif  // KERAS_ELU_CC_CUDA_ELU_CUDA_IMAGES_H_
