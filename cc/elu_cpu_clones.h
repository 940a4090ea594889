// KERAS_ELU_CLONES: GCC function multi-versioning. A function carrying it is
// compiled once per listed x86-64 level and an ifunc resolver picks the best
// at load time; plain loops then get each ISA's vector width from the
// auto-vectoriser. Elsewhere (or with KERAS_ELU_NO_CLONES) it is one build.
#ifndef KERAS_ELU_CC_ELU_CPU_CLONES_H_
#define KERAS_ELU_CC_ELU_CPU_CLONES_H_

#if defined(__x86_64__) && !defined(KERAS_ELU_NO_CLONES)
#define KERAS_ELU_CLONES \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define KERAS_ELU_CLONES
#endif

#endif  // KERAS_ELU_CC_ELU_CPU_CLONES_H_
