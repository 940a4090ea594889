"""The device half of scripts/gpu_check.sh: keras_elu's CUDA kernels on a real GPU, against float64 and PyTorch.

No TensorFlow: the kernels run from the library gpu_check.sh builds (the op's
launcher, driver layer and embedded images), on PyTorch's tensors and stream.

- cases: every kind x dtype x size (0, 1, odd, 2^20 + 3, 2^28) x aligned /
  misaligned x out of place / in place, against a float64 reference, with the
  memory around each output checked untouched;
- accuracy: every negative float32 (forward within 1 ULP, derivative factor
  within 2) and every float16 / bfloat16 bit pattern (the float32 result,
  rounded once);
- speed: GB/s against a device-to-device copy, and time against
  torch.nn.functional.elu, forward and forward + backward, 2^20 ... 2^28 elements.

With --host-only it checks the embedded images alone (no GPU, no PyTorch).
Writes gpu_check.md and gpu_check.json into --out; exits 1 on any failure.
"""

import argparse
import ctypes
import json
import os
import platform
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "build_tools"))
import cuda_image_check  # noqa: E402
import cuda_images  # noqa: E402

NUM_KINDS, NUM_DTYPES = 5, 4  # EluKind and GpuDtype in cc/elu_kind.h, cc/cuda/elu_kernel_args.h


class Library:
    """The GPU side of keras_elu through its C entry points."""

    def __init__(self, path: str):
        self.lib = ctypes.CDLL(path)
        for name in ("KerasEluGpuUnavailableReason", "KerasEluGpuKernelName", "KerasEluGpuLaunch"):
            getattr(self.lib, name).restype = ctypes.c_char_p
        self.lib.KerasEluGpuLaunch.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p),
                                               ctypes.c_void_p, ctypes.c_longlong, ctypes.c_double, ctypes.c_void_p]
        names = [[self.lib.KerasEluGpuKernelName(k, d).decode() for d in range(NUM_DTYPES)] for k in range(NUM_KINDS)]
        self.kinds = [row[0][len("keras_elu_"):].rsplit("_", 1)[0] for row in names]
        self.dtypes = [n.rsplit("_", 1)[1] for n in names[0]]
        self.kernel_names = [n for row in names for n in row]

    def images(self) -> dict:
        name, data, size = ctypes.c_char_p(), ctypes.POINTER(ctypes.c_ubyte)(), ctypes.c_ulong()
        found = {}
        for i in range(self.lib.KerasEluGpuImage(-1, None, None, None)):
            self.lib.KerasEluGpuImage(i, ctypes.byref(name), ctypes.byref(data), ctypes.byref(size))
            found[name.value.decode()] = ctypes.string_at(data, size.value)
        return found

    def unavailable_reason(self) -> str:
        return self.lib.KerasEluGpuUnavailableReason().decode()

    def launch(self, kind: str, dtype: str, inputs, out, alpha: float, stream: int) -> None:
        pointers = (ctypes.c_void_p * 3)(*[t.data_ptr() for t in inputs])
        error = self.lib.KerasEluGpuLaunch(self.kinds.index(kind), self.dtypes.index(dtype), pointers,
                                           out.data_ptr(), out.numel(), alpha, stream).decode()
        if error:
            raise RuntimeError(f"{kind} {dtype}: {error}")


def check_images(library: Library) -> dict:
    images = library.images()
    problems = [p for name, data in images.items()
                for p in cuda_image_check.image_problems(data, name, library.kernel_names)]
    wanted = [f"sm_{a}" for a in cuda_images.CUBIN_ARCHES] + [f"compute_{cuda_images.PTX_ARCH}"]
    problems += [f"{name}: missing" for name in wanted if name not in images]
    return {"images": {n: len(d) for n, d in images.items()}, "kernels": len(library.kernel_names),
            "problems": problems}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--library", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--host-only", action="store_true", help="check the embedded images only")
    args = parser.parse_args()
    start = time.time()
    library = Library(args.library)
    report = {"machine": platform.node(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
              "image_check": check_images(library)}
    facts_path = os.path.join(os.path.dirname(args.library), "build_facts.json")
    if os.path.exists(facts_path):
        with open(facts_path) as f:
            report["build"] = {k: v for k, v in json.load(f).items() if k != "source_digest"}
    failures = list(report["image_check"]["problems"])
    if not args.host_only:
        import gpu_check_device  # noqa: PLC0415  (needs PyTorch and a GPU)

        report.update(gpu_check_device.run(library))
        failures += report["failures"]
        if "cases" in report:  # the kernels ran: time them
            import gpu_check_speed  # noqa: PLC0415

            report["speed"] = gpu_check_speed.speed(library)
            report["goals"] = gpu_check_speed.goals(report["speed"])
    report["seconds"] = round(time.time() - start, 1)
    report["passed"] = not failures
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "gpu_check.json"), "w") as f:
        json.dump(report, f, indent=1)
    markdown = render(report)
    with open(os.path.join(args.out, "gpu_check.md"), "w") as f:
        f.write(markdown)
    print(markdown)
    return 0 if not failures else 1


def render(report: dict) -> str:
    lines = [f"# keras_elu GPU check, {report['date']}", ""]
    build = report.get("build", {})
    if build:
        lines.append(f"Images: {build['cuda_toolchain']}, cubins {', '.join(build['cuda_arches'])}, PTX "
                     f"{', '.join(build['cuda_ptx'])}; drivers: cubins {build['cuda_min_driver']['cubin']}, "
                     f"PTX {build['cuda_min_driver']['ptx']}.")
    image_check = report["image_check"]
    lines.append(f"Image check: {len(image_check['images'])} images x {image_check['kernels']} kernels, "
                 + ("all present and for their arch." if not image_check["problems"]
                    else "PROBLEMS: " + "; ".join(image_check["problems"])))
    if "device" in report:
        import gpu_check_device  # noqa: PLC0415

        lines += gpu_check_device.render(report)
    if "speed" in report:
        import gpu_check_speed  # noqa: PLC0415

        lines += gpu_check_speed.render(report)
    lines += ["", f"{'PASSED' if report['passed'] else 'FAILED'} in {report['seconds']} s"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
