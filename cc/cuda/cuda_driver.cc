#include "cuda/cuda_driver.h"

#include <cuda.h>  // types and prototypes only: nothing links libcuda
#include <dlfcn.h>

#include <map>
#include <mutex>
#include <string>

#include "cuda/cuda_image_choice.h"
#include "cuda/elu_cuda_images.h"

namespace keras_elu {
namespace {

// Every entry point we use. cuda.h maps some names to versioned symbols
// (cuCtxPushCurrent is cuCtxPushCurrent_v2); the member names and the
// strings dlsym looks up both see that mapping, so they always agree.
#define KERAS_ELU_DRIVER_FUNCTIONS(X)                                                           \
  X(cuInit) X(cuDriverGetVersion) X(cuGetErrorString) X(cuDeviceGetCount) X(cuDeviceGet)        \
  X(cuDeviceGetAttribute) X(cuDevicePrimaryCtxRetain)             \
  X(cuCtxGetCurrent) X(cuCtxGetDevice) X(cuCtxPushCurrent) X(cuCtxPopCurrent) X(cuStreamGetCtx) \
  X(cuModuleLoadData) X(cuModuleGetFunction) X(cuLaunchKernel)
#define KERAS_ELU_STRING(name) KERAS_ELU_STRING_(name)
#define KERAS_ELU_STRING_(name) #name

struct Driver {
#define KERAS_ELU_MEMBER(fn) decltype(&::fn) fn = nullptr;
  KERAS_ELU_DRIVER_FUNCTIONS(KERAS_ELU_MEMBER)
#undef KERAS_ELU_MEMBER
  int version = 0;
  std::string error;  // "" when usable
};

Driver OpenDriver() {
  Driver d;
  void* handle = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    d.error = "no NVIDIA driver: libcuda.so.1 could not be opened";
    return d;
  }
#define KERAS_ELU_LOOKUP(fn)                                                                  \
  d.fn = reinterpret_cast<decltype(d.fn)>(dlsym(handle, KERAS_ELU_STRING(fn)));                \
  if (d.fn == nullptr) {                                                                      \
    d.error = "the NVIDIA driver has no " KERAS_ELU_STRING(fn) " (too old for CUDA 12)";        \
    return d;                                                                                 \
  }
  KERAS_ELU_DRIVER_FUNCTIONS(KERAS_ELU_LOOKUP)
#undef KERAS_ELU_LOOKUP
  if (d.cuInit(0) != CUDA_SUCCESS || d.cuDriverGetVersion(&d.version) != CUDA_SUCCESS) {
    d.error = "the NVIDIA driver did not initialise (cuInit failed)";
  } else if (d.version < kEluCudaCubinMinDriver) {
    d.error = "the NVIDIA driver supports CUDA " + CudaVersionText(d.version) + "; keras_elu's kernels (" +
              kEluCudaToolchain + ") need CUDA " + CudaVersionText(kEluCudaCubinMinDriver) + " (R525) or later";
  }
  return d;
}

const Driver& GetDriver() {
  static const Driver driver = OpenDriver();
  return driver;
}

std::string ErrorText(const Driver& d, CUresult result, const char* what) {
  const char* text = nullptr;
  d.cuGetErrorString(result, &text);
  return std::string(what) + ": " + (text != nullptr ? text : "CUDA error " + std::to_string(result));
}

struct ContextKernels {
  std::string error;
  CUmodule module = nullptr;
  int multiprocessors = 0;
  std::map<std::string, CUfunction> functions;
};

// Loads the module into ctx (which the caller made current).
ContextKernels LoadKernels(const Driver& d) {
  ContextKernels k;
  CUdevice device;
  int major = 0, minor = 0;
  if (d.cuCtxGetDevice(&device) != CUDA_SUCCESS ||
      d.cuDeviceGetAttribute(&major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device) ||
      d.cuDeviceGetAttribute(&minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device) ||
      d.cuDeviceGetAttribute(&k.multiprocessors, CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, device)) {
    k.error = "could not query the GPU of the current CUDA context";
    return k;
  }
  const int cc = major * 10 + minor;
  const CudaImage* image = ChooseCudaImage(EmbeddedCudaImages(), cc, d.version, false, &k.error);
  CUresult result = image ? d.cuModuleLoadData(&k.module, image->data) : CUDA_SUCCESS;
  if (image && result != CUDA_SUCCESS && !image->ptx) {  // a cubin the driver refuses: try the PTX
    image = ChooseCudaImage(EmbeddedCudaImages(), cc, d.version, true, &k.error);
    result = image ? d.cuModuleLoadData(&k.module, image->data) : result;
  }
  if (image && result != CUDA_SUCCESS) k.error = ErrorText(d, result, "loading keras_elu's kernels");
  return k;
}

std::mutex loaded_mutex;
std::map<CUcontext, ContextKernels> loaded;  // per context: modules belong to one

// The kernels of ctx, loaded on first use; ctx must be current.
ContextKernels& KernelsOf(const Driver& d, CUcontext ctx) {
  auto found = loaded.find(ctx);
  if (found == loaded.end()) found = loaded.emplace(ctx, LoadKernels(d)).first;
  return found->second;
}

}  // namespace

std::string FindGpuKernel(void* stream, const char* name, GpuKernel* kernel) {
  const Driver& d = GetDriver();
  if (!d.error.empty()) return d.error;
  CUcontext ctx = nullptr;
  const CUresult result = stream != nullptr ? d.cuStreamGetCtx(static_cast<CUstream>(stream), &ctx)
                                            : d.cuCtxGetCurrent(&ctx);
  if (result != CUDA_SUCCESS || ctx == nullptr) return "no CUDA context for the stream";
  std::lock_guard<std::mutex> lock(loaded_mutex);
  if (d.cuCtxPushCurrent(ctx) != CUDA_SUCCESS) return "could not make the stream's CUDA context current";
  ContextKernels& k = KernelsOf(d, ctx);
  std::string error = k.error;
  auto function = k.functions.find(name);
  if (error.empty() && function == k.functions.end()) {
    CUfunction f = nullptr;
    const CUresult found = d.cuModuleGetFunction(&f, k.module, name);
    if (found == CUDA_SUCCESS) function = k.functions.emplace(name, f).first;
    else error = ErrorText(d, found, name);
  }
  CUcontext popped;
  d.cuCtxPopCurrent(&popped);
  if (!error.empty()) return error;
  kernel->function = function->second;
  kernel->multiprocessors = k.multiprocessors;
  return "";
}

std::string LaunchGpuKernel(const GpuKernel& kernel, unsigned blocks, unsigned threads, void* stream,
                            void* args) {
  const Driver& d = GetDriver();
  void* params[] = {args};
  const CUresult result = d.cuLaunchKernel(static_cast<CUfunction>(kernel.function), blocks, 1, 1, threads,
                                           1, 1, 0, static_cast<CUstream>(stream), params, nullptr);
  return result == CUDA_SUCCESS ? "" : ErrorText(d, result, "launching a keras_elu kernel");
}

const std::string& GpuKernelsUnavailableReason() {
  static const std::string reason = [] {
    const Driver& d = GetDriver();
    if (!d.error.empty()) return d.error;
    int count = 0;
    if (d.cuDeviceGetCount(&count) != CUDA_SUCCESS || count == 0) return std::string("no CUDA GPU visible");
    for (int i = 0; i < count; ++i) {
      CUdevice device;
      CUcontext ctx;
      // The primary context, which TensorFlow uses too; kept (never released)
      // so the modules cached for it stay valid.
      if (d.cuDeviceGet(&device, i) || d.cuDevicePrimaryCtxRetain(&ctx, device)) {
        return "GPU " + std::to_string(i) + " could not be opened";
      }
      d.cuCtxPushCurrent(ctx);
      std::string why;
      {
        std::lock_guard<std::mutex> lock(loaded_mutex);
        why = KernelsOf(d, ctx).error;
      }
      CUcontext popped;
      d.cuCtxPopCurrent(&popped);
      if (!why.empty()) return "GPU " + std::to_string(i) + ": " + why;
    }
    return std::string();
  }();
  return reason;
}

}  // namespace keras_elu
