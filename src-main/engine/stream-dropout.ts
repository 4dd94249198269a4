/**
 * Dropout for the stock path (tf.LayersModel.fit) that draws a new mask at every training step.
 *
 * tfjs' Dropout with a `seed` reseeds its generator with that same seed at every call, so each
 * batch drops the same units: dropout then removes a fixed part of the network instead of
 * regularising it. Without a seed it draws from Math.random, so the same seed would not give the
 * same numbers. This layer keeps tfjs' Dropout (its class name, config and saved form are the
 * same) and hands it the next seed of our own seeded stream before each training call.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../shared/random.js';

type DropoutArgs = Parameters<typeof tf.layers.dropout>[0];
type DropoutLayer = tf.layers.Layer & { seed?: number };
type DropoutClass = new (args: DropoutArgs) => DropoutLayer;

let streamClass: DropoutClass | null = null;

function dropoutClass(): DropoutClass {
  if (streamClass) return streamClass;
  // tfjs-layers does not export the class itself; its factory's result has it as constructor.
  const Base = tf.layers.dropout({ rate: 0.5 }).constructor as DropoutClass;
  class StreamDropout extends Base {
    private next: (() => number) | null = null;

    setStream(seed: number): void { this.next = mulberry32(seed); }

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
      if (kwargs.training && this.next) this.seed = Math.floor(this.next() * 2 ** 31);
      return super.call(inputs, kwargs);
    }
  }
  streamClass = StreamDropout as unknown as DropoutClass;
  return streamClass;
}

/** A Dropout layer whose masks follow `seed`'s stream: a new mask each step, the same run each time. */
export function streamDropout(args: DropoutArgs & { seed: number }): tf.layers.Layer {
  const Layer = dropoutClass();
  const layer = new Layer(args) as DropoutLayer & { setStream(seed: number): void };
  layer.setStream(args.seed);
  return layer;
}
