"""Reads keras_elu's CUDA images back: is each for its architecture, and does it hold every kernel.

No CUDA tools needed: a cubin is a 64-bit little-endian ELF whose e_flags
name its SM and whose symbol table names its kernels; PTX is text. Used by
tests/test_build.py on every build and by scripts/gpu_check.py (the images
cuda_images.py made, read as the GPU machine will load them).
"""

import struct

EM_CUDA = 190  # ELF e_machine of a cubin


def image_problems(data: bytes, name: str, kernel_names: list[str]) -> list[str]:
    """What is wrong with one embedded image: not for its architecture, or a kernel missing."""
    ptx = name.startswith("compute_")
    arch = int(name.split("_")[1])
    if ptx:
        text = data.rstrip(b"\0").decode(errors="replace")
        found = [] if f".target sm_{arch}" in text else [f"{name}: PTX does not target sm_{arch}"]
        return found + [f"{name}: no .entry {k}" for k in kernel_names if f".entry {k}(" not in text]
    if data[:4] != b"\x7fELF" or struct.unpack_from("<H", data, 18)[0] != EM_CUDA:
        return [f"{name}: not a CUDA ELF (cubin)"]
    sm = elf_sm(data)
    found = [] if sm == arch else [f"{name}: cubin is for sm_{sm}"]
    symbols = elf_symbols(data)
    return found + [f"{name}: no kernel {k}" for k in kernel_names if k not in symbols]


def elf_sm(data: bytes) -> int:
    """The SM a cubin was built for: the low byte of e_flags (EF_CUDA_SM), in ELF64 little-endian."""
    return struct.unpack_from("<I", data, 48)[0] & 0xFF


def elf_symbols(data: bytes) -> set[str]:
    """Names in a 64-bit little-endian ELF's symbol tables."""
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum = struct.unpack_from("<HH", data, 58)
    sections = [struct.unpack_from("<IIQQQQIIQQ", data, shoff + i * shentsize) for i in range(shnum)]
    names = set()
    for _, kind, _, _, offset, size, link, _, _, entsize in sections:
        if kind != 2 or not entsize:  # SHT_SYMTAB
            continue
        strtab_offset = sections[link][4]
        for k in range(size // entsize):
            name_offset, = struct.unpack_from("<I", data, offset + k * entsize)
            end = data.index(b"\0", strtab_offset + name_offset)
            names.add(data[strtab_offset + name_offset: end].decode())
    return names
