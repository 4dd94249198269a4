/* The portable kernels: SSE2 on x86-64, plain C elsewhere. Every CPU runs these. */
#include "kernels.inc"
const LlKernels *ll_kernels_base(void) { return &LL_NAME(table); }
