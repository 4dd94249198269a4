/* The kernels for AVX-512F CPUs (compiled with -mavx512f -mfma; chosen only where cpu.c finds them). */
#define LL_ISA_AVX512 1
#include "kernels.inc"
const LlKernels *ll_kernels_avx512(void) { return &LL_NAME(table); }
