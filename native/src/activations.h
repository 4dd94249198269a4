/* Dense layers' activations, forward and backward, as tfjs-layers defines them. */
#ifndef LL_ACTIVATIONS_H
#define LL_ACTIVATIONS_H

/* Numbered as engine/native/config.ts' NATIVE_ACTIVATIONS. */
enum {
  LL_LINEAR, LL_RELU, LL_SIGMOID, LL_TANH, LL_SOFTMAX, LL_ELU, LL_SELU, LL_SOFTPLUS, LL_SOFTSIGN,
  LL_RELU6, LL_SWISH, LL_MISH, LL_GELU, LL_GELU_NEW, LL_HARD_SIGMOID, LL_ACTIVATION_COUNT
};

/* a = f(z) for a [rows×cols] block (softmax along each row). */
void ll_activate(int act, const float *z, float *a, int rows, int cols);
/* dz = f'(z)·da, given the forward's input z and output a; all [rows×cols]. */
void ll_activate_backward(int act, const float *z, const float *a, const float *da, float *dz, int rows, int cols);

#endif
