/*
 * Which kernel table this machine runs. A CPU flag is not enough: the operating system must also
 * save the wide registers (XCR0), or the first AVX instruction faults.
 */
#include <string.h>
#include "kernels.h"

#if defined(__x86_64__) || defined(_M_X64)
#define LL_X86 1
#if defined(_MSC_VER)
#include <intrin.h>
static void cpuid(int leaf, int sub, unsigned r[4]) {
  int x[4];
  __cpuidex(x, leaf, sub);
  for (int i = 0; i < 4; i++) r[i] = (unsigned)x[i];
}
static unsigned long long xcr0(void) { return _xgetbv(0); }
#else
#include <cpuid.h>
static void cpuid(int leaf, int sub, unsigned r[4]) { __cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]); }
static unsigned long long xcr0(void) {
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return ((unsigned long long)hi << 32) | lo;
}
#endif

/* 2: AVX-512F + AVX2 + FMA usable, 1: AVX2 + FMA usable, 0: neither. */
static int x86_level(void) {
  unsigned r[4];
  cpuid(0, 0, r);
  if (r[0] < 7) return 0;
  cpuid(1, 0, r);
  const int osxsave = (r[2] >> 27) & 1, avx = (r[2] >> 28) & 1, fma = (r[2] >> 12) & 1;
  if (!osxsave || !avx || !fma) return 0;
  const unsigned long long x = xcr0();
  const int ymm = (x & 0x6) == 0x6, zmm = (x & 0xe6) == 0xe6;
  cpuid(7, 0, r);
  const int avx2 = (r[1] >> 5) & 1, avx512f = (r[1] >> 16) & 1;
  if (!ymm || !avx2) return 0;
  return zmm && avx512f ? 2 : 1;
}
#endif

const LlKernels *ll_select_kernels(const char *name) {
  int level = 0;
#ifdef LL_X86
  level = x86_level();
#endif
  if (name == NULL || name[0] == '\0') {
#ifdef LL_X86
    if (level >= 2) return ll_kernels_avx512();
    if (level >= 1) return ll_kernels_avx2();
#endif
    return ll_kernels_base();
  }
  if (strcmp(name, "base") == 0) return ll_kernels_base();
#ifdef LL_X86
  if (strcmp(name, "avx2") == 0 && level >= 1) return ll_kernels_avx2();
  if (strcmp(name, "avx512") == 0 && level >= 2) return ll_kernels_avx512();
#endif
  return NULL;
}

const char *ll_supported_kernels(void) {
#ifdef LL_X86
  switch (x86_level()) {
    case 2: return "avx512 avx2 base";
    case 1: return "avx2 base";
    default: break;
  }
#endif
  return "base";
}
