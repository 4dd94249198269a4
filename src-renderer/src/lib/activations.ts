/**
 * The activation functions' shapes, for the small plot beside the select. Softmax has no shape of
 * its own over one input: it is drawn as softmax([x, 0])[0], which is the sigmoid.
 */
import type { Activation } from '../../../src-main/shared/spec.js';

const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

function sigmoid(x: number): number { return 1 / (1 + Math.exp(-x)); }

function geluTanh(x: number): number {
  return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
}

export function activate(fn: Activation, x: number): number {
  switch (fn) {
    case 'linear': return x;
    case 'relu': return Math.max(0, x);
    case 'relu6': return Math.min(6, Math.max(0, x));
    case 'sigmoid': case 'softmax': return sigmoid(x);
    case 'hard_sigmoid': return Math.min(1, Math.max(0, 0.2 * x + 0.5));
    case 'tanh': return Math.tanh(x);
    case 'elu': return x > 0 ? x : Math.exp(x) - 1;
    case 'selu': return SELU_SCALE * (x > 0 ? x : SELU_ALPHA * (Math.exp(x) - 1));
    case 'softplus': return Math.log1p(Math.exp(x));
    case 'softsign': return x / (1 + Math.abs(x));
    case 'swish': return x * sigmoid(x);
    case 'mish': return x * Math.tanh(Math.log1p(Math.exp(x)));
    case 'gelu': case 'gelu_new': return geluTanh(x);
  }
}

/** Points of fn over [-range, range]. */
export function activationCurve(fn: Activation, range = 4, steps = 81): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  for (let i = 0; i < steps; i++) {
    const x = -range + (2 * range * i) / (steps - 1);
    out.push({ x, y: activate(fn, x) });
  }
  return out;
}
