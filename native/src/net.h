/*
 * A stack of Dense and Dropout layers with its optimizer state, trained one batch at a time:
 * the batch is gathered from the dataset's rows, run forward and backward, and every layer
 * updated, in one call. The weights are the caller's to copy in and out (ll_net_weights).
 */
#ifndef LL_NET_H
#define LL_NET_H

#include <stddef.h>
#include <stdint.h>
#include "kernels.h"

#define LL_MAX_OPS 64
enum { LL_DENSE = 1, LL_DROPOUT = 2 };

typedef struct LlOp {
  int kind, in, out, act, bias;
  /* Dropout: drop probability, kept values' scale 1/(1 − rate), and its mulberry32 state. */
  double rate;
  float keep_scale;
  uint32_t rng;
  /* Dense: kernel [in×out], bias [out], their gradients and optimizer slots. */
  float *w, *b, *gw, *gb, *sw[3], *sb[3];
  /* Per batch: pre-activation z, output a (z itself for linear), dropout mask; [cap×out]. */
  float *z, *a, *mask;
} LlOp;

typedef struct LlNet {
  const LlKernels *k;
  int input, classes, nops, first_dense, slots;
  LlOp ops[LL_MAX_OPS];
  /* Optimizer: rule and hyper-parameters as the spec gives them; updates taken so far. */
  int rule, nesterov, centered;
  double lr, momentum, rho, epsilon, beta1, beta2, initial_accumulator;
  long steps;
  /* Batch buffers, for up to `cap` rows. */
  int cap, widest;
  float *x, *da, *dz, *wt;
  int32_t *labels;
  /* The dataset (borrowed: the caller keeps it alive): uint8 or float32 rows, labels. */
  const uint8_t *data_u8;
  const float *data_f32;
  const int32_t *data_y;
  size_t data_rows;
  double scale;
  float lut[256];
} LlNet;

/* Builds a net from the config vector (layout in engine/native/config.ts); NULL with `err` set when it cannot. */
LlNet *ll_net_create(const double *config, size_t length, const LlKernels *k, char *err, size_t errlen);
void ll_net_free(LlNet *net);
void ll_net_set_data(LlNet *net, const uint8_t *u8, const float *f32, const int32_t *y, size_t rows, double scale);
/*
 * One optimizer step on rows order[0..n). out[0] = summed loss, out[1] = correct predictions, from
 * the outputs before the update (as the epoch's running metrics). 0, or -1 with `err` set.
 */
int ll_net_step(LlNet *net, const int32_t *order, int n, double out[2], char *err, size_t errlen);
/* Inference (no dropout) on rows[0..count): probs [count×classes]. 0, or -1 with `err` set. */
int ll_net_predict(LlNet *net, const int32_t *rows, int count, float *probs, char *err, size_t errlen);

#endif
