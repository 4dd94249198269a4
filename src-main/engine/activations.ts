/**
 * Activations for the fast step: forward through the Dense layer's own activation object (the very
 * function the stock path runs), backward in closed form for the common ones and through tfjs'
 * autodiff of that same function for the rest.
 */
import * as tf from '@tensorflow/tfjs';

/** What tfjs-layers' Dense keeps as `activation` (private there, so reached through a cast). */
interface ActivationFn { apply(x: tf.Tensor): tf.Tensor; getClassName(): string }

export interface FastActivation {
  name: string;
  /** @returns activation of z, same shape */
  forward(z: tf.Tensor2D): tf.Tensor2D;
  /**
   * Gradient wrt the pre-activation. `z` and `a` are the forward's input and output, `da` the
   * gradient wrt `a`; all [n, units].
   */
  backward(z: tf.Tensor2D, a: tf.Tensor2D, da: tf.Tensor2D): tf.Tensor2D;
}

/** Reads a Dense layer's activation; null when the layer does not expose one as expected. */
export function activationOf(layer: tf.layers.Layer): FastActivation | null {
  // tfjs-layers declares Dense.activation private; the object is stable across 4.x.
  const fn = (layer as unknown as { activation?: ActivationFn }).activation;
  if (!fn || typeof fn.apply !== 'function' || typeof fn.getClassName !== 'function') return null;
  const name = fn.getClassName();
  const forward = (z: tf.Tensor2D) => fn.apply(z) as tf.Tensor2D;
  switch (name) {
    case 'linear':
      return { name, forward: (z) => z, backward: (_z, _a, da) => da };
    case 'relu':
      // relu's gradient in tfjs is step(x) with step(0) = 0; a > 0 exactly where z > 0.
      return { name, forward: (z) => tf.relu(z), backward: (_z, a, da) => tf.mul(da, tf.step(a)) as tf.Tensor2D };
    case 'sigmoid':
      return { name, forward: (z) => tf.sigmoid(z), backward: (_z, a, da) => tf.mul(da, tf.mul(a, tf.sub(1, a))) as tf.Tensor2D };
    case 'tanh':
      return { name, forward: (z) => tf.tanh(z), backward: (_z, a, da) => tf.mul(da, tf.sub(1, tf.square(a))) as tf.Tensor2D };
    default: {
      const grad = tf.grad((z: tf.Tensor) => forward(z as tf.Tensor2D));
      return { name, forward, backward: (z, _a, da) => grad(z, da) as tf.Tensor2D };
    }
  }
}
