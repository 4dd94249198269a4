/*
 * Activations, forward and backward. Forward follows tfjs-layers' definitions; backward is the
 * closed form of what tfjs' autodiff computes for them, including where it is taken at a kink
 * (relu'(0) = 0, relu6 passes 0 < z < 6, hard sigmoid passes 0 <= 0.2z + 0.5 <= 1, elu reads a).
 */
#include <math.h>
#include <string.h>
#include "activations.h"

static const float SELU_SCALE = 1.0507009873554804934193349852946f;
static const float SELU_SCALE_ALPHA = 1.7580993408473768599402175208123f;
static const float SQRT1_2 = 0.70710678118654752440f;
static const float INV_SQRT_2PI = 0.39894228040143267794f;
static const float GELU_K = 0.79788456080286535588f; /* sqrt(2 / pi) */

static inline float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }

/* tfjs' softplus: exp(x) far below 0, x far above, log(exp(x) + 1) between. */
static inline float softplus(float x) {
  const float threshold = -13.9423847f; /* log(float32 epsilon) + 2 */
  if (x > -threshold) return x;
  if (x < threshold) return expf(x);
  return logf(expf(x) + 1.0f);
}

void ll_activate(int act, const float *z, float *a, int rows, int cols) {
  const int count = rows * cols;
  switch (act) {
    case LL_LINEAR: if (a != z) memcpy(a, z, (size_t)count * sizeof(float)); break;
    case LL_RELU: for (int i = 0; i < count; i++) a[i] = z[i] > 0.0f ? z[i] : 0.0f; break;
    case LL_SIGMOID: for (int i = 0; i < count; i++) a[i] = sigmoid(z[i]); break;
    case LL_TANH: for (int i = 0; i < count; i++) a[i] = tanhf(z[i]); break;
    case LL_ELU: for (int i = 0; i < count; i++) a[i] = z[i] > 0.0f ? z[i] : expf(z[i]) - 1.0f; break;
    case LL_SELU:
      for (int i = 0; i < count; i++) a[i] = z[i] > 0.0f ? SELU_SCALE * z[i] : SELU_SCALE_ALPHA * (expf(z[i]) - 1.0f);
      break;
    case LL_SOFTPLUS: for (int i = 0; i < count; i++) a[i] = softplus(z[i]); break;
    case LL_SOFTSIGN: for (int i = 0; i < count; i++) a[i] = z[i] / (fabsf(z[i]) + 1.0f); break;
    case LL_RELU6:
      for (int i = 0; i < count; i++) { const float r = z[i] > 0.0f ? z[i] : 0.0f; a[i] = r < 6.0f ? r : 6.0f; }
      break;
    case LL_SWISH: for (int i = 0; i < count; i++) a[i] = sigmoid(z[i]) * z[i]; break;
    case LL_MISH: for (int i = 0; i < count; i++) a[i] = z[i] * tanhf(softplus(z[i])); break;
    case LL_GELU: for (int i = 0; i < count; i++) a[i] = z[i] * (0.5f * (1.0f + erff(z[i] * SQRT1_2))); break;
    case LL_GELU_NEW:
      for (int i = 0; i < count; i++) {
        const float x = z[i];
        a[i] = 0.5f * (x * (1.0f + tanhf(GELU_K * (x + 0.044715f * (x * x * x)))));
      }
      break;
    case LL_HARD_SIGMOID:
      for (int i = 0; i < count; i++) { const float y = 0.5f + 0.2f * z[i]; a[i] = y < 0.0f ? 0.0f : y > 1.0f ? 1.0f : y; }
      break;
    case LL_SOFTMAX:
      for (int r = 0; r < rows; r++) {
        const float *zr = z + (size_t)r * cols;
        float *ar = a + (size_t)r * cols;
        float max = zr[0];
        for (int c = 1; c < cols; c++) if (zr[c] > max) max = zr[c];
        float sum = 0.0f;
        for (int c = 0; c < cols; c++) { ar[c] = expf(zr[c] - max); sum += ar[c]; }
        for (int c = 0; c < cols; c++) ar[c] /= sum;
      }
      break;
    default: break;
  }
}

void ll_activate_backward(int act, const float *z, const float *a, const float *da, float *dz, int rows, int cols) {
  const int count = rows * cols;
  switch (act) {
    case LL_LINEAR: if (dz != da) memcpy(dz, da, (size_t)count * sizeof(float)); break;
    case LL_RELU: for (int i = 0; i < count; i++) dz[i] = a[i] > 0.0f ? da[i] : 0.0f; break;
    case LL_SIGMOID: for (int i = 0; i < count; i++) dz[i] = da[i] * (a[i] * (1.0f - a[i])); break;
    case LL_TANH: for (int i = 0; i < count; i++) dz[i] = da[i] * (1.0f - a[i] * a[i]); break;
    case LL_ELU: for (int i = 0; i < count; i++) dz[i] = a[i] >= 0.0f ? da[i] : da[i] * (a[i] + 1.0f); break;
    case LL_SELU:
      for (int i = 0; i < count; i++) dz[i] = z[i] > 0.0f ? da[i] * SELU_SCALE : (da[i] * SELU_SCALE_ALPHA) * expf(z[i]);
      break;
    case LL_SOFTPLUS: for (int i = 0; i < count; i++) dz[i] = da[i] * sigmoid(z[i]); break;
    case LL_SOFTSIGN:
      for (int i = 0; i < count; i++) { const float d = fabsf(z[i]) + 1.0f; dz[i] = da[i] / (d * d); }
      break;
    case LL_RELU6: for (int i = 0; i < count; i++) dz[i] = z[i] > 0.0f && z[i] < 6.0f ? da[i] : 0.0f; break;
    case LL_SWISH:
      for (int i = 0; i < count; i++) { const float s = sigmoid(z[i]); dz[i] = da[i] * (s + z[i] * (s * (1.0f - s))); }
      break;
    case LL_MISH:
      for (int i = 0; i < count; i++) {
        const float t = tanhf(softplus(z[i]));
        dz[i] = da[i] * (t + z[i] * ((1.0f - t * t) * sigmoid(z[i])));
      }
      break;
    case LL_GELU:
      for (int i = 0; i < count; i++) {
        const float x = z[i];
        dz[i] = da[i] * (0.5f * (1.0f + erff(x * SQRT1_2)) + x * (INV_SQRT_2PI * expf(-0.5f * x * x)));
      }
      break;
    case LL_GELU_NEW:
      for (int i = 0; i < count; i++) {
        const float x = z[i];
        const float t = tanhf(GELU_K * (x + 0.044715f * (x * x * x)));
        dz[i] = da[i] * (0.5f * (1.0f + t) + 0.5f * x * ((1.0f - t * t) * GELU_K * (1.0f + 3.0f * 0.044715f * x * x)));
      }
      break;
    case LL_HARD_SIGMOID:
      for (int i = 0; i < count; i++) { const float y = 0.5f + 0.2f * z[i]; dz[i] = y >= 0.0f && y <= 1.0f ? 0.2f * da[i] : 0.0f; }
      break;
    case LL_SOFTMAX:
      for (int r = 0; r < rows; r++) {
        const size_t o = (size_t)r * cols;
        float s = 0.0f;
        for (int c = 0; c < cols; c++) s += da[o + c] * a[o + c];
        for (int c = 0; c < cols; c++) dz[o + c] = da[o + c] * a[o + c] - s * a[o + c];
      }
      break;
    default: break;
  }
}
