/*
 * The training step of a Dense/Dropout stack: the same computation as engine/fast-step.ts (and so
 * as tfjs' model.fit), written for the CPU. Backward uses the closed form (p − onehot)/n when the
 * last layer is a softmax Dense, as Keras does; otherwise the gradient of Keras' clipped sparse
 * cross-entropy on probabilities. Each layer is updated as soon as its gradients are known (its
 * kernel has already been read for the gradient below it), while they are still in cache.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "activations.h"
#include "net.h"

/* Keras' fuzz factor, which clips probabilities before the log; tfjs' backend epsilon for Adagrad. */
#define LL_EPSILON 1e-7
#define LL_BACKEND_EPSILON 1e-7f
#define LL_MAX_UNITS (1 << 24)

enum { LL_CFG_HEAD = 4, LL_CFG_OP = 6, LL_CFG_OPTIMIZER = 10 };

static void fail(char *err, size_t errlen, const char *message) { snprintf(err, errlen, "%s", message); }

static float *zeros(size_t count) { return (float *)calloc(count ? count : 1, sizeof(float)); }

static void free_batch_buffers(LlNet *net) {
  for (int i = 0; i < net->nops; i++) {
    LlOp *op = &net->ops[i];
    if (op->a != op->z) free(op->a);
    free(op->z);
    free(op->mask);
    op->a = op->z = op->mask = NULL;
  }
  free(net->x); free(net->da); free(net->dz); free(net->labels);
  net->x = net->da = net->dz = NULL;
  net->labels = NULL;
  net->cap = 0;
}

/* Grows the per-batch buffers to hold n rows. */
static int ensure_capacity(LlNet *net, int n) {
  if (n <= net->cap) return 0;
  free_batch_buffers(net);
  const size_t rows = (size_t)n;
  int ok = (net->x = zeros(rows * net->input)) && (net->da = zeros(rows * net->widest)) &&
           (net->dz = zeros(rows * net->widest)) && (net->labels = (int32_t *)calloc(rows, sizeof(int32_t)));
  for (int i = 0; ok && i < net->nops; i++) {
    LlOp *op = &net->ops[i];
    if (op->kind == LL_DENSE) {
      ok = (op->z = zeros(rows * op->out)) != NULL;
      op->a = op->act == LL_LINEAR ? op->z : zeros(rows * op->out);
    } else {
      op->a = zeros(rows * op->out);
      op->mask = zeros(rows * op->out);
      ok = op->mask != NULL;
    }
    ok = ok && op->a != NULL;
  }
  if (!ok) { free_batch_buffers(net); return -1; }
  net->cap = n;
  return 0;
}

void ll_net_free(LlNet *net) {
  if (!net) return;
  free_batch_buffers(net);
  for (int i = 0; i < net->nops; i++) {
    LlOp *op = &net->ops[i];
    free(op->w); free(op->b); free(op->gw); free(op->gb);
    for (int s = 0; s < 3; s++) { free(op->sw[s]); free(op->sb[s]); }
  }
  free(net->wt);
  free(net);
}

static int slots_for(const LlNet *net) {
  switch (net->rule) {
    case LL_SGD: return 0;
    case LL_MOMENTUM: case LL_ADAGRAD: return 1;
    case LL_ADADELTA: case LL_ADAM: case LL_ADAMAX: return 2;
    default: return 3; /* rmsprop: mean square, momentum, mean gradient */
  }
}

LlNet *ll_net_create(const double *cfg, size_t length, const LlKernels *k, char *err, size_t errlen) {
  if (length < LL_CFG_HEAD || cfg[0] != 1) { fail(err, errlen, "config: unknown format"); return NULL; }
  const int input = (int)cfg[1], classes = (int)cfg[2], nops = (int)cfg[3];
  if (input < 1 || input > LL_MAX_UNITS || classes < 1 || nops < 1 || nops > LL_MAX_OPS ||
      length != (size_t)(LL_CFG_HEAD + nops * LL_CFG_OP + LL_CFG_OPTIMIZER)) {
    fail(err, errlen, "config: sizes out of range");
    return NULL;
  }
  LlNet *net = (LlNet *)calloc(1, sizeof(LlNet));
  if (!net) { fail(err, errlen, "out of memory"); return NULL; }
  net->k = k;
  net->input = input;
  net->classes = classes;
  net->nops = nops;
  net->first_dense = -1;
  net->widest = input;
  const double *o = cfg + LL_CFG_HEAD + nops * LL_CFG_OP;
  net->rule = (int)o[0];
  net->lr = o[1]; net->momentum = o[2]; net->nesterov = o[3] != 0; net->rho = o[4]; net->epsilon = o[5];
  net->centered = o[6] != 0; net->beta1 = o[7]; net->beta2 = o[8]; net->initial_accumulator = o[9];
  if (net->rule == LL_SGD && net->momentum > 0) net->rule = LL_MOMENTUM;
  if (net->rule < LL_SGD || net->rule > LL_ADAMAX) { fail(err, errlen, "config: unknown optimizer"); ll_net_free(net); return NULL; }
  net->slots = slots_for(net);

  int width = input;
  size_t largest_kernel = 0;
  for (int i = 0; i < nops; i++) {
    const double *c = cfg + LL_CFG_HEAD + i * LL_CFG_OP;
    LlOp *op = &net->ops[i];
    op->kind = (int)c[0];
    op->in = width;
    if (op->kind == LL_DENSE) {
      op->out = (int)c[1];
      op->act = (int)c[2];
      op->bias = c[3] != 0;
      if (op->out < 1 || op->out > LL_MAX_UNITS || op->act < 0 || op->act >= LL_ACTIVATION_COUNT ||
          (double)op->in * op->out > 1 << 28) {
        fail(err, errlen, "config: a dense layer is out of range");
        ll_net_free(net);
        return NULL;
      }
      const size_t count = (size_t)op->in * op->out;
      int ok = (op->w = zeros(count)) && (op->b = zeros(op->out)) && (op->gw = zeros(count)) && (op->gb = zeros(op->out));
      for (int s = 0; ok && s < net->slots; s++) ok = (op->sw[s] = zeros(count)) && (op->sb[s] = zeros(op->out));
      if (!ok) { fail(err, errlen, "out of memory"); ll_net_free(net); return NULL; }
      if (net->rule == LL_ADAGRAD) {
        for (size_t j = 0; j < count; j++) op->sw[0][j] = (float)net->initial_accumulator;
        for (int j = 0; j < op->out; j++) op->sb[0][j] = (float)net->initial_accumulator;
      }
      if (net->first_dense < 0) net->first_dense = i;
      else if (count > largest_kernel) largest_kernel = count;
    } else if (op->kind == LL_DROPOUT) {
      op->out = width;
      op->rate = c[4];
      op->keep_scale = (float)(1.0 / (1.0 - op->rate));
      op->rng = (uint32_t)c[5];
      if (!(op->rate > 0 && op->rate < 1)) { fail(err, errlen, "config: dropout rate out of range"); ll_net_free(net); return NULL; }
    } else {
      fail(err, errlen, "config: unknown layer kind");
      ll_net_free(net);
      return NULL;
    }
    width = op->out;
    if (width > net->widest) net->widest = width;
  }
  if (net->first_dense < 0 || width != classes) { fail(err, errlen, "config: the stack must end in a Dense layer of one unit per class"); ll_net_free(net); return NULL; }
  net->wt = zeros(largest_kernel);
  if (!net->wt) { fail(err, errlen, "out of memory"); ll_net_free(net); return NULL; }
  return net;
}

void ll_net_set_data(LlNet *net, const uint8_t *u8, const float *f32, const int32_t *y, size_t rows, double scale) {
  net->data_u8 = u8;
  net->data_f32 = f32;
  net->data_y = y;
  net->data_rows = rows;
  net->scale = scale;
  /* As BatchBuilder: the product in double, rounded once to float32. */
  for (int v = 0; v < 256; v++) net->lut[v] = (float)(v * scale);
}

/* Copies rows into the batch buffer, scaled to model inputs, and their labels. */
static int gather(LlNet *net, const int32_t *rows, int n, char *err, size_t errlen) {
  const size_t width = (size_t)net->input;
  for (int r = 0; r < n; r++) {
    const int32_t row = rows[r];
    if (row < 0 || (size_t)row >= net->data_rows) { fail(err, errlen, "row index outside the dataset"); return -1; }
    const int32_t label = net->data_y[row];
    if (label < 0 || label >= net->classes) { fail(err, errlen, "label outside the classes"); return -1; }
    net->labels[r] = label;
    float *dst = net->x + r * width;
    if (net->data_u8) {
      const uint8_t *src = net->data_u8 + (size_t)row * width;
      for (size_t j = 0; j < width; j++) dst[j] = net->lut[src[j]];
    } else {
      const float *src = net->data_f32 + (size_t)row * width;
      for (size_t j = 0; j < width; j++) dst[j] = (float)((double)src[j] * net->scale);
    }
  }
  return 0;
}

/* mulberry32, as shared/random.ts: the same stream of floats in [0, 1). */
static inline double next_random(uint32_t *state) {
  *state += 0x6d2b79f5u;
  uint32_t t = *state;
  t = (t ^ (t >> 15)) * (t | 1u);
  t ^= t + (t ^ (t >> 7)) * (t | 61u);
  return (double)(t ^ (t >> 14)) / 4294967296.0;
}

static const float *input_of(const LlNet *net, int i) { return i == 0 ? net->x : net->ops[i - 1].a; }

/* Forward over n gathered rows; dropout draws its mask (in sample, unit order) only when training. */
static const float *forward(LlNet *net, int n, int training) {
  const float *in = net->x;
  for (int i = 0; i < net->nops; i++) {
    LlOp *op = &net->ops[i];
    if (op->kind == LL_DENSE) {
      net->k->gemm_nn(n, op->out, op->in, in, op->in, op->w, op->out, op->z, op->out, op->bias ? op->b : NULL);
      ll_activate(op->act, op->z, op->a, n, op->out);
      in = op->a;
    } else if (training) {
      const size_t count = (size_t)n * op->out;
      for (size_t j = 0; j < count; j++) {
        op->mask[j] = next_random(&op->rng) < op->rate ? 0.0f : op->keep_scale;
        op->a[j] = in[j] * op->mask[j];
      }
      in = op->a;
    } else {
      /* Inference: dropout passes its input on; the next layer reads it from op->a. */
      memcpy(op->a, in, (size_t)n * op->out * sizeof(float));
      in = op->a;
    }
  }
  return in;
}

static inline double clip(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/*
 * The epoch's running loss and accuracy terms, as scoreBatch in engine/fast-step.ts: Keras' sparse
 * cross-entropy clips the outputs, normalises them to sum 1 and clips again; accuracy is the argmax.
 */
static void score(const LlNet *net, const float *probs, int n, double out[2]) {
  const int k = net->classes;
  double loss = 0, correct = 0;
  for (int r = 0; r < n; r++) {
    const float *p = probs + (size_t)r * k;
    double sum = 0;
    int best = 0;
    for (int c = 0; c < k; c++) {
      sum += clip(p[c], LL_EPSILON, 1 - LL_EPSILON);
      if (p[c] > p[best]) best = c;
    }
    loss -= log(clip(clip(p[net->labels[r]], LL_EPSILON, 1 - LL_EPSILON) / sum, LL_EPSILON, 1 - LL_EPSILON));
    if (best == net->labels[r]) correct++;
  }
  out[0] = loss;
  out[1] = correct;
}

/*
 * d mean(loss)/d output for Keras' sparse cross-entropy on probabilities: o = clip(out, ε, 1 − ε),
 * q = o / Σo, loss = −log clip(q[label], ε, 1 − ε). A clip passes no gradient where it bites.
 */
static void loss_gradient(const LlNet *net, const float *a, int n, float *da) {
  const int k = net->classes;
  const float g = 1.0f / (float)n, lo = (float)LL_EPSILON, hi = (float)(1 - LL_EPSILON);
  for (int r = 0; r < n; r++) {
    const float *out = a + (size_t)r * k;
    float *d = da + (size_t)r * k;
    const int y = net->labels[r];
    float s = 0.0f;
    for (int c = 0; c < k; c++) s += out[c] < lo ? lo : out[c] > hi ? hi : out[c];
    const float oy = out[y] < lo ? lo : out[y] > hi ? hi : out[y];
    const float q = oy / s;
    if (!(q >= lo && q <= hi)) { memset(d, 0, (size_t)k * sizeof(float)); continue; }
    const float dq = -g / q;
    const float ds = -(dq * oy) / (s * s);
    for (int c = 0; c < k; c++) d[c] = ds;
    d[y] = dq / s + ds;
    for (int c = 0; c < k; c++) if (!(out[c] >= lo && out[c] <= hi)) d[c] = 0.0f;
  }
}

/* This step's constants, from the spec's hyper-parameters and the step count. */
static LlUpdate update_constants(const LlNet *net) {
  LlUpdate u;
  memset(&u, 0, sizeof u);
  u.rule = net->rule;
  u.nesterov = net->nesterov;
  u.centered = net->centered;
  u.momentum = net->momentum > 0;
  const double t = (double)net->steps;
  u.c = (float)-net->lr;
  u.m = (float)net->momentum;
  u.rho = (float)net->rho;
  u.rho1 = (float)(1 - net->rho);
  u.lr = (float)net->lr;
  u.eps = net->rule == LL_ADAGRAD ? LL_BACKEND_EPSILON : (float)net->epsilon;
  u.b1 = (float)net->beta1;
  u.b1c = (float)(1 - net->beta1);
  u.b2 = (float)net->beta2;
  u.b2c = (float)(1 - net->beta2);
  if (net->rule == LL_ADAM) {
    u.c1 = (float)(1 / (1 - pow(net->beta1, t)));
    u.c2 = (float)(1 / (1 - pow(net->beta2, t)));
  } else if (net->rule == LL_ADAMAX) {
    u.c = (float)(-net->lr / (1 - pow(net->beta1, t)));
  }
  return u;
}

static void backward_and_update(LlNet *net, const float *probs, int n) {
  const LlKernels *k = net->k;
  float *da = net->da, *dz = net->dz;
  const LlUpdate u = update_constants(net);
  const int last = net->nops - 1;
  int have_dz = 0;
  if (net->ops[last].kind == LL_DENSE && net->ops[last].act == LL_SOFTMAX) {
    const float inv = 1.0f / (float)n;
    const int c = net->classes;
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < c; j++) dz[r * c + j] = (probs[r * c + j] - (j == net->labels[r] ? 1.0f : 0.0f)) * inv;
    }
    have_dz = 1;
  } else {
    loss_gradient(net, probs, n, da);
  }
  for (int i = last; i >= net->first_dense; i--) {
    LlOp *op = &net->ops[i];
    const size_t count = (size_t)n * op->out;
    if (op->kind == LL_DROPOUT) {
      for (size_t j = 0; j < count; j++) da[j] *= op->mask[j];
      continue;
    }
    if (!have_dz) ll_activate_backward(op->act, op->z, op->a, da, dz, n, op->out);
    have_dz = 0;
    k->gemm_tn(op->in, op->out, n, input_of(net, i), op->in, dz, op->out, op->gw, op->out);
    if (op->bias) {
      for (int j = 0; j < op->out; j++) op->gb[j] = 0.0f;
      for (int r = 0; r < n; r++) {
        const float *row = dz + (size_t)r * op->out;
        for (int j = 0; j < op->out; j++) op->gb[j] += row[j];
      }
    }
    if (i > net->first_dense) {
      /* da = dz·Wᵀ, through Wᵀ laid out row-major so the plain product applies. */
      for (int a = 0; a < op->in; a++) {
        for (int b = 0; b < op->out; b++) net->wt[(size_t)b * op->in + a] = op->w[(size_t)a * op->out + b];
      }
      k->gemm_nn(n, op->in, op->out, dz, op->out, net->wt, op->in, da, op->in, NULL);
    }
    k->update(&u, op->w, op->gw, op->sw[0], op->sw[1], op->sw[2], (size_t)op->in * op->out);
    if (op->bias) k->update(&u, op->b, op->gb, op->sb[0], op->sb[1], op->sb[2], (size_t)op->out);
  }
}

int ll_net_step(LlNet *net, const int32_t *order, int n, double out[2], char *err, size_t errlen) {
  if (n < 1) { fail(err, errlen, "empty batch"); return -1; }
  if (!net->data_y) { fail(err, errlen, "no dataset set"); return -1; }
  if (ensure_capacity(net, n)) { fail(err, errlen, "out of memory"); return -1; }
  if (gather(net, order, n, err, errlen)) return -1;
  const float *probs = forward(net, n, 1);
  score(net, probs, n, out);
  net->steps++;
  backward_and_update(net, probs, n);
  return 0;
}

int ll_net_predict(LlNet *net, const int32_t *rows, int count, float *probs, char *err, size_t errlen) {
  enum { CHUNK = 256 };
  if (!net->data_y) { fail(err, errlen, "no dataset set"); return -1; }
  if (ensure_capacity(net, CHUNK)) { fail(err, errlen, "out of memory"); return -1; }
  for (int start = 0; start < count; start += CHUNK) {
    const int n = count - start < CHUNK ? count - start : CHUNK;
    if (gather(net, rows + start, n, err, errlen)) return -1;
    const float *out = forward(net, n, 0);
    memcpy(probs + (size_t)start * net->classes, out, (size_t)n * net->classes * sizeof(float));
  }
  return 0;
}
