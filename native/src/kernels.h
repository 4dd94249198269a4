/*
 * The hot loops of a training step, one table per instruction set (cpu.c picks the best the CPU
 * and the operating system support). Matrices are row-major float32; ld* are row strides.
 */
#ifndef LL_KERNELS_H
#define LL_KERNELS_H

#include <stddef.h>

/* Optimizer rules, numbered as the config vector of index.cjs / engine/native/config.ts says. */
enum { LL_SGD = 1, LL_MOMENTUM, LL_ADAGRAD, LL_ADADELTA, LL_RMSPROP, LL_ADAM, LL_ADAMAX };

/*
 * One update's constants, computed per step in double and rounded to float32 as tfjs' scalars are.
 * Names follow engine/fast-optimizers.ts, whose formulas these loops repeat term for term.
 */
typedef struct LlUpdate {
  int rule;
  int nesterov, centered, momentum; /* flags */
  float c, m, eps, rho, rho1, lr, b1, b1c, b2, b2c, c1, c2;
} LlUpdate;

typedef struct LlKernels {
  const char *name;
  /* C[m×n] = A[m×k]·B[k×n] (+ bias[n] on every row when bias is not NULL). */
  void (*gemm_nn)(int m, int n, int k, const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
                  float *c, ptrdiff_t ldc, const float *bias);
  /* C[m×n] = Aᵀ·B with A stored [k×m]: the weight gradient inputᵀ·dz. */
  void (*gemm_tn)(int m, int n, int k, const float *a, ptrdiff_t lda, const float *b, ptrdiff_t ldb,
                  float *c, ptrdiff_t ldc);
  /* Applies one rule to `count` weights w from gradients g, with up to three state slots. */
  void (*update)(const LlUpdate *u, float *w, const float *g, float *s0, float *s1, float *s2, size_t count);
} LlKernels;

const LlKernels *ll_kernels_avx512(void);
const LlKernels *ll_kernels_avx2(void);
const LlKernels *ll_kernels_base(void);

/* The best table this CPU runs, or the one named ("avx512", "avx2", "base"); NULL if it cannot. */
const LlKernels *ll_select_kernels(const char *name);
/* Space-separated names of the tables this CPU can run, best first. */
const char *ll_supported_kernels(void);

#endif
