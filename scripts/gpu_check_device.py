"""The checks of scripts/gpu_check.py that need a GPU and PyTorch: every case, and accuracy.

Speed against a copy and PyTorch is gpu_check_speed.py's.
"""

import subprocess

import torch

NUM_INPUTS = {"forward": 1, "grad": 2, "grad_grad": 3, "legacy_grad": 2, "legacy_grad_grad": 3}
TORCH_DTYPES = {"float16": torch.float16, "bfloat16": torch.bfloat16, "float32": torch.float32,
                "float64": torch.float64}
BITS = {2: torch.int16, 4: torch.int32, 8: torch.int64}
# ULP bounds against the float64 reference rounded to the dtype: the float math's
# forward and derivative factor within 1 ULP, one more per multiplication by dy or
# g (and the legacy y + alpha); float64 adds alpha's rounding to CUDA's 1-ULP
# exp and expm1. The halves are checked against the float32 kernel instead.
MAX_ULP = {"float32": {"forward": 1, "grad": 2, "grad_grad": 3, "legacy_grad": 2, "legacy_grad_grad": 1},
           "float64": {"forward": 2, "grad": 3, "grad_grad": 4, "legacy_grad": 2, "legacy_grad_grad": 1}}
SIZES = (0, 1, 1001, (1 << 20) + 3, 1 << 28)
# PyTorch's current stream, asked at every launch: graph capture switches it.
STREAM = lambda: torch.cuda.current_stream().cuda_stream  # noqa: E731
ALPHA = 0.7
GUARD = 64
DEVICE = "cuda"  # the one GPU


def reference(kind: str, v: list, alpha: float) -> torch.Tensor:
    """kind(v) in float64: v are the inputs as stored, widened."""
    x = v[-1]
    negative_exp = torch.exp(torch.clamp(x, max=0))
    if kind == "forward":
        return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0)))
    if kind == "grad":
        return torch.where(x > 0, v[0], v[0] * alpha * negative_exp)
    if kind == "grad_grad":
        return torch.where(x > 0, torch.zeros_like(x), v[0] * v[1] * alpha * negative_exp)
    if kind == "legacy_grad":
        return torch.where(x > 0, v[0], v[0] * (x + alpha))
    return torch.where(x > 0, torch.zeros_like(x), v[0] * v[1])


def ulp_distance(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """|a - b| in units in the last place, same dtype (+0 == -0), as int64."""
    bits = BITS[a.element_size()]
    ia, ib = a.contiguous().view(bits).to(torch.int64), b.contiguous().view(bits).to(torch.int64)
    lowest = torch.iinfo(bits).min
    ia = torch.where(ia < 0, lowest - ia, ia)
    ib = torch.where(ib < 0, lowest - ib, ib)
    return (ia - ib).abs()


def run_case(library, kind, dtype, n, misaligned, in_place) -> str | None:
    """One launch; None if it passes, else what failed."""
    torch_dtype = TORCH_DTYPES[dtype]
    offset = GUARD + (1 if misaligned else 0)
    generator = torch.Generator(device=DEVICE).manual_seed(n * 31 + offset)
    buffers = [torch.empty(n + 2 * GUARD + 1, device=DEVICE, dtype=torch.float64) for _ in range(NUM_INPUTS[kind])]
    for k, buffer in enumerate(buffers):
        low, high = (-12.0, 4.0) if k == len(buffers) - 1 else (-2.0, 2.0)
        buffer.uniform_(low, high, generator=generator)
    buffers = [b.to(torch_dtype) for b in buffers]
    inputs = [b[offset: offset + n] for b in buffers]
    originals = [t.clone() for t in inputs]
    out_buffer = buffers[0] if in_place else torch.full_like(buffers[0], -123.0)
    before = out_buffer.clone()
    out = out_buffer[offset: offset + n]
    library.launch(kind, dtype, inputs, out, ALPHA, STREAM())
    torch.cuda.synchronize()
    outside = torch.cat([out_buffer[:offset], out_buffer[offset + n:]])
    if not torch.equal(outside.view(BITS[out.element_size()]), torch.cat([before[:offset], before[offset + n:]])
                       .view(BITS[out.element_size()])):
        return "wrote outside its output"
    if n == 0:
        return None
    if dtype in ("float16", "bfloat16"):  # the float32 kernel's result, rounded once
        wide_out = torch.empty(n, device=DEVICE, dtype=torch.float32)
        library.launch(kind, "float32", [t.float() for t in originals], wide_out, ALPHA,
                       STREAM())
        torch.cuda.synchronize()
        if not torch.equal(out.view(torch.int16), wide_out.to(torch_dtype).view(torch.int16)):
            return "not the float32 result rounded once"
        return None
    alpha = ALPHA if dtype == "float64" else float(torch.tensor(ALPHA, dtype=torch.float32))
    want = reference(kind, [t.double() for t in originals], alpha).to(torch_dtype)
    worst = int(ulp_distance(out, want).max())
    return None if worst <= MAX_ULP[dtype][kind] else f"{worst} ULP (bound {MAX_ULP[dtype][kind]})"


def run_cases(library) -> dict:
    results, failures = {}, []
    for kind in library.kinds:
        for dtype in library.dtypes:
            for n in SIZES:
                for misaligned in (False, True):
                    for in_place in (False, True):
                        problem = run_case(library, kind, dtype, n, misaligned, in_place)
                        if problem:
                            failures.append(f"{kind} {dtype} n={n} misaligned={misaligned} in_place={in_place}: "
                                            f"{problem}")
            torch.cuda.empty_cache()
    results["cases"] = len(library.kinds) * len(library.dtypes) * len(SIZES) * 4
    results["case_failures"] = failures
    return results


def exhaustive_float32(library, alpha: float, stride: int = 1) -> dict:
    """Every negative float32 but NaN (every stride-th one): forward and derivative factor
    (grad with dy = 1), in ULP from the float64 reference."""
    worst = {"forward": 0, "grad": 0}
    over = {"forward": 0, "grad": 0}
    alpha32 = float(torch.tensor(alpha, dtype=torch.float32))
    first, end = -(1 << 31), -(1 << 31) + 0x7F800001  # the bits of -0.0 ... -inf
    step = (1 << 27) * stride
    for start in range(first, end, step):
        bits = torch.arange(start, min(start + step, end), stride, device=DEVICE, dtype=torch.int64)
        x = bits.to(torch.int32).view(torch.float32)
        out = torch.empty_like(x)
        for kind, inputs, bound in (("forward", [x], 1), ("grad", [torch.ones_like(x), x], 2)):
            library.launch(kind, "float32", inputs, out, alpha, STREAM())
            want = reference(kind, [t.double() for t in inputs], alpha32).float()
            distance = ulp_distance(out, want)
            worst[kind] = max(worst[kind], int(distance.max()))
            over[kind] += int((distance > bound).sum())
    return {"alpha": alpha, "stride": stride, "max_ulp": worst, "over_bound": over}


def all_halves(library, dtype: str) -> dict:
    """Every bit pattern of a 16-bit type: forward and grad equal the float32 kernel's result rounded once."""
    torch_dtype = TORCH_DTYPES[dtype]
    x = torch.arange(-(1 << 15), 1 << 15, device=DEVICE, dtype=torch.int32).to(torch.int16).view(torch_dtype)
    stream = STREAM()
    mismatches = {}
    for kind, inputs in (("forward", [x]), ("grad", [torch.ones_like(x), x])):
        out, wide = torch.empty_like(x), torch.empty(x.shape, device=DEVICE, dtype=torch.float32)
        library.launch(kind, dtype, inputs, out, 0.1, stream)
        library.launch(kind, "float32", [t.float() for t in inputs], wide, 0.1, stream)
        same = out.view(torch.int16) == wide.to(torch_dtype).view(torch.int16)
        nan = torch.isnan(out) & torch.isnan(wide)
        mismatches[kind] = int((~(same | nan)).sum())
    return {"dtype": dtype, "mismatches": mismatches}


def device_facts(library) -> dict:
    try:
        smi = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version", "--format=csv,noheader"],
                             capture_output=True, text=True).stdout.strip()
    except OSError:
        smi = "nvidia-smi not found"
    return {"gpu": torch.cuda.get_device_name(), "capability": "%d.%d" % torch.cuda.get_device_capability(),
            "nvidia_smi": smi, "torch": torch.__version__, "torch_cuda": torch.version.cuda,
            "unavailable_reason": library.unavailable_reason()}


def run(library) -> dict:
    torch.cuda.init()
    report = {"device": device_facts(library)}
    failures = [f"kernels unavailable: {report['device']['unavailable_reason']}"] \
        if report["device"]["unavailable_reason"] else []
    if failures:
        return {**report, "failures": failures}
    report.update(run_cases(library))
    failures += report["case_failures"]
    report["float32_exhaustive"] = [exhaustive_float32(library, a) for a in (1.0, 0.1, 1.6732632423543772)]
    failures += [f"float32 alpha={r['alpha']}: {r['over_bound']}" for r in report["float32_exhaustive"]
                 if any(r["over_bound"].values())]
    report["halves"] = [all_halves(library, d) for d in ("float16", "bfloat16")]
    failures += [f"{r['dtype']}: {r['mismatches']}" for r in report["halves"] if any(r["mismatches"].values())]
    report["failures"] = failures
    return report


def render(report: dict) -> list:
    d = report["device"]
    lines = ["", f"GPU: {d['gpu']} (compute capability {d['capability']}), nvidia-smi: {d['nvidia_smi']}; "
             f"PyTorch {d['torch']} (CUDA {d['torch_cuda']}).",
             f"Kernels: {'usable' if not d['unavailable_reason'] else 'UNAVAILABLE: ' + d['unavailable_reason']}."]
    if "cases" not in report:
        return lines
    lines.append(f"Cases: {report['cases']} (kinds x dtypes x sizes {SIZES} x aligned/misaligned x in place), "
                 f"{len(report['case_failures'])} failed" + ("" if not report["case_failures"] else ": " +
                                                                "; ".join(report["case_failures"][:10])))
    for r in report["float32_exhaustive"]:
        lines.append(f"Every negative float32, alpha {r['alpha']}: forward max {r['max_ulp']['forward']} ULP, "
                     f"derivative max {r['max_ulp']['grad']} ULP; over bound: {r['over_bound']}.")
    for r in report["halves"]:
        lines.append(f"Every {r['dtype']}: forward and derivative = the float32 result rounded once; "
                     f"mismatches {r['mismatches']}.")
    return lines
