/**
 * Student's t distribution, written out because the renderer imports this module too and we take no
 * numeric dependency for two functions. The incomplete beta follows Numerical Recipes (3rd ed.,
 * §6.4): a Lentz continued fraction, evaluated on whichever side of the mean converges fast.
 */

const EPS = 1e-15;
const TINY = 1e-300;

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~15 significant digits). */
export function logGamma(x: number): number {
  if (x < 0.5) {
    // Reflection keeps the Lanczos series in the range where it is accurate.
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  }
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7,
  ];
  const z = x - 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The continued fraction of I_x(a, b) (NR `betacf`), modified Lentz. */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  // Iterations grow like sqrt(max(a, b)); Welch df can be large, so the cap is generous.
  const maxIterations = 10000;
  for (let m = 1; m <= maxIterations; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) return h;
  }
  return h;
}

/** The regularized incomplete beta function I_x(a, b), a, b > 0, 0 ≤ x ≤ 1. */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0) || Number.isNaN(x)) return Number.NaN;
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  const front = Math.exp(lnFront);
  // The fraction converges quickly only for x below the mean; use the symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(a, b, x)) / a;
  return 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/**
 * P(|T| ≥ |t|) for T ~ t(df): the two-sided p-value, computed directly rather than as 2·(1 − cdf)
 * so that small p-values keep their digits.
 */
export function studentTTwoSided(t: number, df: number): number {
  if (!(df > 0) || Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  return regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
}

/** P(T ≤ t) for T ~ t(df); df may be fractional (Welch). */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * studentTTwoSided(t, df);
  return t >= 0 ? 1 - tail : tail;
}

/** The density of t(df), for Newton steps. */
function studentTPdf(t: number, df: number): number {
  const ln = logGamma((df + 1) / 2) - logGamma(df / 2) - 0.5 * Math.log(df * Math.PI)
    - ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(ln);
}

/**
 * The t with P(T ≤ t) = p for T ~ t(df). Safeguarded Newton on the upper tail: Newton converges in
 * a handful of steps, and the bisection bracket catches the steps that overshoot in the heavy tails
 * of small df.
 */
export function studentTQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Solve tail(t) = q on t > 0, with tail(t) = P(T > t), which is decreasing.
  const q = 1 - p;
  const tail = (t: number): number => 0.5 * studentTTwoSided(t, df);
  let lo = 0;
  let hi = 1;
  while (tail(hi) > q) {
    lo = hi;
    hi *= 2;
    if (hi > 1e300) return Infinity;
  }
  let t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = tail(t) - q;
    if (f === 0) return t;
    if (f > 0) lo = t; else hi = t;
    const next = t + f / studentTPdf(t, df);
    const stepped = next > lo && next < hi ? next : (lo + hi) / 2;
    if (Math.abs(stepped - t) <= 1e-14 * Math.max(1, Math.abs(t))) return stepped;
    t = stepped;
  }
  return t;
}
