import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  logGamma, regularizedIncompleteBeta, studentTCdf, studentTQuantile, studentTTwoSided,
} from '../../../../src-main/shared/stats/distribution.js';

/** |actual − expected| ≤ rel·|expected|, with a message that shows both. */
function close(actual: number, expected: number, rel: number): void {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

describe('Student t CDF', () => {
  // scipy 1.10.1: scipy.stats.t.cdf(t, df) for each (t, df) below.
  const cases: [number, number, number][] = [
    [2.0, 1, 0.8524163823495667],
    [-1.5, 3, 0.11529193262241141],
    [0.5, 10, 0.6860531971285135],
    [2.5, 4.7, 0.9712039203265663],
    [3.0, 30, 0.997305017967174],
    [-6.0, 2.5, 0.007640864942761447],
    [1.0, 1000, 0.8412237909576636],
  ];
  it.each(cases)('cdf(%f, df=%f) matches scipy', (t, df, expected) => {
    close(studentTCdf(t, df), expected, 1e-12);
  });

  it('keeps the digits of a small two-sided p', () => {
    // scipy: 2 * scipy.stats.t.sf(12.0, 5)
    close(studentTTwoSided(12, 5), 7.089492517161528e-05, 1e-12);
    close(studentTTwoSided(-12, 5), 7.089492517161528e-05, 1e-12);
  });

  it('is symmetric, 1/2 at zero, and limits at ±infinity', () => {
    expect(studentTCdf(0, 3)).toBe(0.5);
    close(studentTCdf(-1.7, 6) + studentTCdf(1.7, 6), 1, 1e-15);
    expect(studentTTwoSided(Infinity, 4)).toBe(0);
    expect(studentTCdf(-Infinity, 4)).toBe(0);
    expect(studentTTwoSided(1, 0)).toBeNaN();
  });
});

describe('Student t quantile', () => {
  // scipy 1.10.1: scipy.stats.t.ppf(p, df). Its ppf is good to ~1e-10 relative (mpmath.findroot on
  // the exact CDF gives 2.364624251592785 for (0.025, 7) where scipy says -2.3646242510103), so the
  // tolerance here is 1e-9, not the CDF's 1e-12.
  const cases: [number, number, number][] = [
    [0.975, 1, 12.706204736432095],
    [0.975, 2, 4.302652729911275],
    [0.975, 4.7, 2.6207260753531694],
    [0.8, 9, 0.8834038596855205],
    [0.995, 30, 2.7499956535670305],
    [0.025, 7, -2.3646242510103],
    [0.975, 1000, 1.9623390808264074],
  ];
  it.each(cases)('quantile(%f, df=%f) matches scipy', (p, df, expected) => {
    close(studentTQuantile(p, df), expected, 1e-9);
  });

  it('matches the closed form at df = 1 (Cauchy: tan(π(p − 1/2))), where scipy is looser', () => {
    // scipy.stats.t.ppf(0.9995, 1) = 636.6192494318557, ~1e-9 off the closed form; ours is tighter.
    for (const p of [0.9995, 0.975, 0.6, 0.01]) {
      close(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-12);
    }
  });

  it('inverts the CDF across p and df', () => {
    fc.assert(fc.property(
      fc.double({ min: 1e-6, max: 1 - 1e-6, noNaN: true }),
      fc.double({ min: 0.5, max: 500, noNaN: true }),
      (p, df) => {
        const t = studentTQuantile(p, df);
        expect(Math.abs(studentTCdf(t, df) - p)).toBeLessThan(1e-11);
      },
    ));
  });

  it('gives the ends and the middle exactly', () => {
    expect(studentTQuantile(0.5, 3)).toBe(0);
    expect(studentTQuantile(1, 3)).toBe(Infinity);
    expect(studentTQuantile(0, 3)).toBe(-Infinity);
    expect(studentTQuantile(1.2, 3)).toBeNaN();
  });
});

describe('building blocks', () => {
  it('logGamma matches known values', () => {
    // scipy.special.gammaln(3.5) = 1.2009736023470743; ln Γ(1/2) = ln √π; ln Γ(4) = ln 6.
    close(logGamma(3.5), 1.2009736023470743, 1e-14);
    close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-14);
    close(logGamma(4), Math.log(6), 1e-14);
  });

  it('regularized incomplete beta matches scipy and its closed forms', () => {
    // scipy 1.10.1: scipy.special.betainc(2.5, 0.5, 0.3) = 0.01892712407194565
    close(regularizedIncompleteBeta(0.3, 2.5, 0.5), 0.01892712407194565, 1e-12);
    // I_x(1, 1) = x and I_x(a, 1) = x^a.
    close(regularizedIncompleteBeta(0.37, 1, 1), 0.37, 1e-14);
    close(regularizedIncompleteBeta(0.6, 3, 1), 0.216, 1e-13);
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });
});
