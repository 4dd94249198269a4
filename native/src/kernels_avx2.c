/* The kernels for AVX2 + FMA CPUs (compiled with -mavx2 -mfma; chosen only where cpu.c finds them). */
#define LL_ISA_AVX2 1
#include "kernels.inc"
const LlKernels *ll_kernels_avx2(void) { return &LL_NAME(table); }
