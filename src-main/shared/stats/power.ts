/**
 * How many runs per group a difference would need: the power of the two-sample t-test, exactly
 * (noncentral t, by numerical integration), because the shortcut formulas are off by one run for
 * the small groups people actually train (checked against scipy.stats.nct).
 */
import { logGamma, studentTQuantile } from './distribution.js';
import { ALPHA } from './hypothesis.js';

/** Runs per group the observed difference would need; a cap keeps absurd numbers out of sentences. */
export type RunsNeeded =
  | { kind: 'estimate'; perGroup: number }
  | { kind: 'more-than'; limit: number }
  /** No finite number of runs: the observed difference is zero. */
  | { kind: 'never' };

export const RUNS_NEEDED_CAP = 100;
export const POWER = 0.8;

/** Φ(x), from erfc by its Chebyshev fit (Numerical Recipes `erfcc`, relative error < 1.2e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
    + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
    + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}

/**
 * Power of the two-sided two-sample t-test with n runs per group, α = 0.05, for a true difference of
 * `effect` SDs. T = (Z + δ)/√(V/ν) with V ~ χ²(ν), so P(T > c) = E_V[Φ(δ − c·√(V/ν))]; the
 * expectation is a Simpson integral over the bulk of the χ² density.
 */
export function twoSampleTPower(n: number, effect: number, alpha = ALPHA): number {
  const df = 2 * n - 2;
  const delta = Math.abs(effect) * Math.sqrt(n / 2);
  const c = studentTQuantile(1 - alpha / 2, df);
  const lnNorm = -(df / 2) * Math.LN2 - logGamma(df / 2);
  const density = (v: number): number => {
    // χ²(2) is the only df here with a non-zero density at 0.
    if (v <= 0) return df === 2 ? 0.5 : 0;
    return Math.exp(lnNorm + (df / 2 - 1) * Math.log(v) - v / 2);
  };
  const spread = 12 * Math.sqrt(2 * df);
  const lo = Math.max(0, df - spread);
  const hi = df + spread + 20;
  const steps = 2000;
  const h = (hi - lo) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const v = lo + i * h;
    const s = c * Math.sqrt(v / df);
    // Both tails: the far one is tiny but keeps the answer exact for small effects.
    const f = density(v) * (normalCdf(delta - s) + normalCdf(-delta - s));
    sum += f * (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2);
  }
  return (sum * h) / 3;
}

/**
 * Runs per group for 80% power, two-sided α = 0.05, equal groups, for a true difference equal to
 * `difference` with a common SD `sd`: the smallest n whose exact power reaches 80%. The search starts
 * from the normal approximation n = 2·((z₁₋α/₂ + z_power)·sd/d)², which is never above the answer.
 * At least 2 (an SD needs two); above `cap`, `more-than`.
 */
export function runsNeeded(difference: number, sd: number, cap = RUNS_NEEDED_CAP): RunsNeeded {
  const d = Math.abs(difference);
  if (d === 0) return { kind: 'never' };
  if (sd === 0) return { kind: 'estimate', perGroup: 2 };
  const effect = d / sd;
  const zSum = 1.959963984540054 + 0.8416212335729143;
  const normal = 2 * (zSum / effect) ** 2;
  if (normal > cap) return { kind: 'more-than', limit: cap };
  let n = Math.max(2, Math.floor(normal));
  while (twoSampleTPower(n, effect) < POWER) {
    n++;
    if (n > cap) return { kind: 'more-than', limit: cap };
  }
  // The start is a lower bound in theory; step down anyway in case rounding put it one above.
  while (n > 2 && twoSampleTPower(n - 1, effect) >= POWER) n--;
  return { kind: 'estimate', perGroup: n };
}
