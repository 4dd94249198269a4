/**
 * The optimizers of the spec, as lean update rules for the fast step. tfjs' own optimizers make a
 * scalar tensor for every number on every call and RMSprop computes its mean square twice; on a
 * step of ~1.5 ms that was ~40% of the time. These keep their scalars, skip terms that are zero
 * (momentum 0) and replace the slow elementwise Maximum of the wasm backend, but follow tfjs'
 * formulas (its quirks included, where noted) so a step matches the stock path's.
 */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../shared/spec.js';

/** tfjs' backend epsilon for float32, which Adagrad adds. */
const BACKEND_EPSILON = 1e-7;

export interface FastOptimizer {
  /** Updates each variable from its gradient (same shapes). Call inside tf.tidy. */
  apply(pairs: ReadonlyArray<readonly [tf.Variable, tf.Tensor]>): void;
  dispose(): void;
}

type Rule = (v: tf.Variable, g: tf.Tensor, slots: tf.Variable[], k: Record<string, tf.Scalar>) => void;

/** A rule with `slotCount` state tensors per variable (`init` fills them) and constant scalars. */
class LeanOptimizer implements FastOptimizer {
  private readonly slots = new Map<tf.Variable, tf.Variable[]>();
  private readonly k: Record<string, tf.Scalar>;
  /** Steps taken, for the bias corrections of Adam and Adamax. */
  step = 0;

  constructor(
    constants: Record<string, number>,
    private readonly slotInit: number[],
    private readonly rule: Rule,
    private readonly perStep?: (step: number) => Record<string, number>,
  ) {
    this.k = Object.fromEntries(Object.entries(constants).map(([name, x]) => [name, tf.keep(tf.scalar(x))]));
  }

  apply(pairs: ReadonlyArray<readonly [tf.Variable, tf.Tensor]>): void {
    this.step++;
    const k = { ...this.k };
    if (this.perStep) for (const [name, x] of Object.entries(this.perStep(this.step))) k[name] = tf.scalar(x);
    for (const [v, g] of pairs) {
      let s = this.slots.get(v);
      if (!s) {
        s = this.slotInit.map((x) => tf.variable(tf.fill(v.shape, x), false));
        this.slots.set(v, s);
      }
      this.rule(v, g, s, k);
    }
  }

  dispose(): void {
    for (const s of this.slots.values()) tf.dispose(s);
    tf.dispose(Object.values(this.k));
    this.slots.clear();
  }
}

/** max(a, b) as relu(a − b) + b: the wasm Maximum kernel is a scalar loop ~40× slower than these. */
function fastMaximum(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  return tf.add(tf.relu(tf.sub(a, b)), b);
}

export function buildFastOptimizer(o: OptimizerSpec): FastOptimizer {
  switch (o.type) {
    case 'sgd': {
      if (o.momentum === 0) {
        return new LeanOptimizer({ c: -o.learningRate }, [], (v, g, _s, k) => v.assign(tf.add(tf.mul(k.c, g), v)));
      }
      const nesterov = o.nesterov;
      return new LeanOptimizer({ c: -o.learningRate, m: o.momentum }, [0], (v, g, [acc], k) => {
        const next = tf.add(tf.mul(k.m, acc), g);
        v.assign(nesterov ? tf.add(tf.mul(k.c, tf.add(g, tf.mul(next, k.m))), v) : tf.add(tf.mul(k.c, next), v));
        acc.assign(next);
      });
    }
    case 'adagrad':
      return new LeanOptimizer({ eps: BACKEND_EPSILON, c: -o.learningRate }, [o.initialAccumulatorValue], (v, g, [acc], k) => {
        const next = tf.add(acc, tf.square(g));
        v.assign(tf.add(tf.mul(tf.div(g, tf.sqrt(tf.add(next, k.eps))), k.c), v));
        acc.assign(next);
      });
    case 'adadelta':
      return new LeanOptimizer({ rho: o.rho, rho1: 1 - o.rho, eps: o.epsilon, c: -o.learningRate }, [0, 0], (v, g, [accGrad, accUpdate], k) => {
        const nextGrad = tf.add(tf.mul(accGrad, k.rho), tf.mul(tf.square(g), k.rho1));
        // As tfjs 4.22: the update uses the previous accumulated gradient (Keras uses the new one).
        const update = tf.mul(tf.div(tf.sqrt(tf.add(accUpdate, k.eps)), tf.sqrt(tf.add(accGrad, k.eps))), g);
        const nextUpdate = tf.add(tf.mul(accUpdate, k.rho), tf.mul(tf.square(update), k.rho1));
        v.assign(tf.add(tf.mul(update, k.c), v));
        accGrad.assign(nextGrad);
        accUpdate.assign(nextUpdate);
      });
    case 'rmsprop': {
      const { centered, momentum } = o;
      const slots = [0, ...(momentum > 0 ? [0] : []), ...(centered ? [0] : [])];
      return new LeanOptimizer({ rho: o.rho, rho1: 1 - o.rho, eps: o.epsilon, lr: o.learningRate, m: momentum }, slots, (v, g, s, k) => {
        const [ms, mom, mg] = momentum > 0 ? s : [s[0], null, s[1]];
        const nextMs = tf.add(tf.mul(ms, k.rho), tf.mul(tf.square(g), k.rho1));
        let denominator: tf.Tensor;
        if (centered) {
          const nextMg = tf.add(tf.mul(mg!, k.rho), tf.mul(g, k.rho1));
          // Keras' sqrt(ms − mg² + ε); tfjs 4.22 takes sqrt(ms − mg² − ε), NaN wherever a gradient is 0.
          denominator = tf.sqrt(tf.add(tf.sub(nextMs, tf.square(nextMg)), k.eps));
          mg!.assign(nextMg);
        } else {
          denominator = tf.sqrt(tf.add(nextMs, k.eps));
        }
        let update = tf.div(tf.mul(g, k.lr), denominator);
        if (mom) {
          update = tf.add(tf.mul(mom, k.m), update);
          mom.assign(update);
        }
        ms.assign(nextMs);
        v.assign(tf.sub(v, update));
      });
    }
    case 'adam': {
      const { beta1, beta2, epsilon, learningRate } = o;
      return new LeanOptimizer({ b1: beta1, b1c: 1 - beta1, b2: beta2, b2c: 1 - beta2, eps: epsilon }, [0, 0], (v, g, [m, u], k) => {
        const nextM = tf.add(tf.mul(m, k.b1), tf.mul(g, k.b1c));
        const nextU = tf.add(tf.mul(u, k.b2), tf.mul(tf.square(g), k.b2c));
        // m̂ / (√v̂ + ε) with the bias corrections as per-step scalars.
        const step = tf.div(tf.mul(nextM, k.c1), tf.add(tf.sqrt(tf.mul(nextU, k.c2)), k.eps));
        v.assign(tf.add(tf.mul(step, k.c), v));
        m.assign(nextM);
        u.assign(nextU);
      }, (t) => ({ c1: 1 / (1 - beta1 ** t), c2: 1 / (1 - beta2 ** t), c: -learningRate }));
    }
    case 'adamax': {
      const { beta1, beta2, epsilon, learningRate } = o;
      return new LeanOptimizer({ b1: beta1, b1c: 1 - beta1, b2: beta2, eps: epsilon }, [0, 0], (v, g, [m, u], k) => {
        const nextM = tf.add(tf.mul(m, k.b1), tf.mul(g, k.b1c));
        const nextU = fastMaximum(tf.mul(u, k.b2), tf.abs(g));
        v.assign(tf.add(tf.mul(k.c, tf.div(nextM, tf.add(nextU, k.eps))), v));
        m.assign(nextM);
        u.assign(nextU);
      }, (t) => ({ c: -learningRate / (1 - beta1 ** t) }));
    }
  }
}
