/**
 * How many runs per group a difference would need: the power of the test the verdict rests on
 * (Welch's, at the verdict's level, Holm's threshold for one of several pairs), exactly (noncentral
 * t, by numerical integration), because the shortcut formulas are off by one run for the small
 * groups people actually train (checked against scipy.stats.nct).
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
 * Power of a two-sided t-test with `df` degrees of freedom (fractional for Welch) and noncentrality
 * `delta`, at level `alpha`. T = (Z + δ)/√(V/ν) with V ~ χ²(ν), so P(T > c) = E_V[Φ(δ − c·√(V/ν))];
 * the expectation is a Simpson integral over the bulk of the χ² distribution.
 */
export function tTestPower(df: number, delta: number, alpha = ALPHA): number {
  const c = studentTQuantile(1 - alpha / 2, df);
  const d = Math.abs(delta);
  const lnNorm = -(df / 2) * Math.LN2 - logGamma(df / 2);
  // Integrated over u = √V: the χ² density diverges at 0 for df < 2 (Welch's df can be 1), while
  // 2u·f(u²) ∝ u^(df−1)·e^(−u²/2) stays finite for every df ≥ 1.
  const weight = (u: number): number => {
    if (u === 0) return df === 1 ? 2 * Math.exp(lnNorm) : 0;
    return 2 * Math.exp(lnNorm + (df - 1) * Math.log(u) - (u * u) / 2);
  };
  const spread = 12 * Math.sqrt(2 * df);
  const lo = Math.sqrt(Math.max(0, df - spread));
  const hi = Math.sqrt(df + spread + 20);
  const steps = 2000;
  const h = (hi - lo) / steps;
  let sum = 0;
  for (let i = 0; i <= steps; i++) {
    const u = lo + i * h;
    const s = c * (u / Math.sqrt(df));
    // Both tails: the far one is tiny but keeps the answer exact for small effects.
    const f = weight(u) * (normalCdf(d - s) + normalCdf(-d - s));
    sum += f * (i === 0 || i === steps ? 1 : i % 2 === 1 ? 4 : 2);
  }
  return (sum * h) / 3;
}

/** Power of the pooled two-sample t-test, n per group, for a true difference of `effect` SDs. */
export function twoSampleTPower(n: number, effect: number, alpha = ALPHA): number {
  return tTestPower(2 * n - 2, Math.abs(effect) * Math.sqrt(n / 2), alpha);
}

/**
 * Power of Welch's test with n runs in each group, for a true difference `difference` and group SDs
 * `sdA`, `sdB`: noncentral t with the Welch–Satterthwaite df of those SDs (equal SDs: the pooled test).
 */
export function welchPower(n: number, difference: number, sdA: number, sdB: number, alpha = ALPHA): number {
  const va = sdA * sdA;
  const vb = sdB * sdB;
  const df = ((va + vb) ** 2 * (n - 1)) / (va * va + vb * vb);
  return tTestPower(df, Math.abs(difference) / Math.sqrt((va + vb) / n), alpha);
}

export interface RunsNeededOptions {
  /** The level the verdict is held to (α, or Holm's threshold for this pair). */
  alpha?: number;
  cap?: number;
  /** The smallest answer that makes sense, e.g. one more than the runs that could not tell. */
  atLeast?: number;
}

/**
 * Runs per group for 80% power of Welch's test at `alpha`, equal groups, if the true difference and
 * SDs were the observed ones: the smallest n (≥ 2, ≥ atLeast) whose power reaches 80%, by bisection
 * (power grows with n). Above `cap`, `more-than`.
 */
export function runsNeeded(difference: number, sdA: number, sdB = sdA, options: RunsNeededOptions = {}): RunsNeeded {
  const { alpha = ALPHA, cap = RUNS_NEEDED_CAP } = options;
  const floor = Math.max(2, options.atLeast ?? 2);
  const d = Math.abs(difference);
  if (!Number.isFinite(d) || !Number.isFinite(sdA) || !Number.isFinite(sdB)) return { kind: 'more-than', limit: cap };
  if (d === 0) return { kind: 'never' };
  if (floor > cap) return { kind: 'more-than', limit: cap };
  if (sdA === 0 && sdB === 0) return { kind: 'estimate', perGroup: floor };
  const enough = (n: number) => welchPower(n, d, sdA, sdB, alpha) >= POWER;
  if (!enough(cap)) return { kind: 'more-than', limit: cap };
  let lo = floor - 1; // not known to be enough (or below the floor)
  let hi = cap; // enough
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (enough(mid)) hi = mid; else lo = mid;
  }
  return { kind: 'estimate', perGroup: hi };
}
