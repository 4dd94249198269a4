import { describe as group, it, expect } from 'vitest';
import fc from 'fast-check';
import { describe } from '../../../../src-main/shared/stats/describe.js';
import { holmAdjust, holmThresholds, pairBySeed, pairedTest, pooledSd, welchTest } from '../../../../src-main/shared/stats/hypothesis.js';
import { runsNeeded, twoSampleTPower, welchPower } from '../../../../src-main/shared/stats/power.js';
import { formatMeanSd, formatPp, formatPValue, formatSigned, formatTest } from '../../../../src-main/shared/stats/format.js';

function close(actual: number | null, expected: number, rel: number): void {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected));
}

group('describe', () => {
  it('gives mean, sample SD and the Student t interval', () => {
    // numpy/scipy 1.10.1: x = [0.871, 0.868, 0.877, 0.874]; m = np.mean(x); s = np.std(x, ddof=1)
    // scipy.stats.t.interval(0.95, 3, loc=m, scale=s/np.sqrt(4)) = (0.8663372192297173, 0.8786627807702826)
    const d = describe([0.871, 0.868, 0.877, 0.874]);
    expect(d.n).toBe(4);
    close(d.mean, 0.8724999999999999, 1e-14);
    close(d.sd, 0.0038729833462074204, 1e-12);
    close(d.ciLow, 0.8663372192297173, 1e-12);
    close(d.ciHigh, 0.8786627807702826, 1e-12);
    expect([d.min, d.max]).toEqual([0.868, 0.877]);
  });

  it('leaves out missing values and has no SD or interval for one run', () => {
    expect(describe([0.9, null, undefined, Number.NaN])).toEqual({ n: 1, mean: 0.9, sd: null, ciLow: null, ciHigh: null, min: 0.9, max: 0.9 });
    expect(describe([])).toEqual({ n: 0, mean: null, sd: null, ciLow: null, ciHigh: null, min: null, max: null });
  });

  it('gives a zero-width interval for a group that does not vary', () => {
    expect(describe([0.5, 0.5, 0.5])).toMatchObject({ n: 3, mean: 0.5, sd: 0, ciLow: 0.5, ciHigh: 0.5 });
  });
});

group('Welch t-test (B − A)', () => {
  it('matches scipy with unequal n', () => {
    // scipy 1.10.1: scipy.stats.ttest_ind(b, a, equal_var=False) with
    // a = [0.871, 0.868, 0.877], b = [0.879, 0.874, 0.881, 0.876, 0.883]
    // → statistic 2.1235151918897825, pvalue 0.10961739414144453. scipy 1.10 reports neither df nor
    // CI for Welch, so: va, vb = a.var(ddof=1)/3, b.var(ddof=1)/5; df = (va+vb)**2/(va**2/2 + vb**2/4)
    // = 3.5523223279238945; CI = d ± scipy.stats.t.ppf(0.975, df)*sqrt(va+vb)
    // = (-0.0024756263286770854, 0.015675626328677632).
    const r = welchTest([0.871, 0.868, 0.877], [0.879, 0.874, 0.881, 0.876, 0.883])!;
    expect(r.n).toEqual([3, 5]);
    close(r.t, 2.1235151918897825, 1e-10);
    close(r.pValue, 0.10961739414144453, 1e-10);
    close(r.df, 3.5523223279238945, 1e-12);
    close(r.difference, 0.006600000000000272, 1e-10);
    close(r.ciLow, -0.0024756263286770854, 1e-8);
    close(r.ciHigh, 0.015675626328677632, 1e-8);
    expect(r.zeroSpread).toBe(false);
  });

  it('matches scipy when one group does not vary (df = n − 1 of the other)', () => {
    // scipy.stats.ttest_ind([0.52, 0.55, 0.51, 0.56], [0.5, 0.5, 0.5], equal_var=False)
    // → statistic 2.9405881764588204, pvalue 0.06048150257206972; df by hand = 3
    const r = welchTest([0.5, 0.5, 0.5], [0.52, 0.55, 0.51, 0.56])!;
    close(r.t, 2.9405881764588204, 1e-10);
    close(r.pValue, 0.06048150257206972, 1e-10);
    close(r.df, 3, 1e-12);
  });

  it('gives the limit, in JSON-safe numbers, when neither group varies', () => {
    const apart = welchTest([0.5, 0.5], [0.6, 0.6, 0.6])!;
    expect(apart).toMatchObject({ t: null, df: null, pValue: 0, zeroSpread: true });
    close(apart.ciLow, 0.1, 1e-12);
    close(apart.ciHigh, 0.1, 1e-12);
    expect(welchTest([0.5, 0.5], [0.5, 0.5])).toMatchObject({ difference: 0, pValue: 1, zeroSpread: true });
    expect(JSON.parse(JSON.stringify(apart))).toEqual(apart);
  });

  it('is not defined for a group of one', () => {
    expect(welchTest([0.9], [0.8, 0.85])).toBeNull();
  });

  it('answers NaN, as scipy does, for NaN or infinite values, never p = 0', () => {
    // scipy.stats.ttest_ind([1, nan, 2], [3, 4], equal_var=False) → (nan, nan); the same for inf.
    for (const bad of [Number.NaN, Infinity, -Infinity]) {
      const r = welchTest([1, bad, 2], [3, 4])!;
      expect(r.pValue).toBeNaN();
      expect(r).toMatchObject({ t: null, df: null, zeroSpread: false });
      expect(r.ciLow).toBeNaN();
      expect(welchTest([3, 4], [bad, 2])!.pValue).toBeNaN();
      expect(pairedTest([1, 2, 3], [2, bad, 4])!.pValue).toBeNaN();
    }
  });
});

group('paired t-test (B − A, by seed)', () => {
  it('matches scipy ttest_rel and its interval', () => {
    // scipy 1.10.1: r = scipy.stats.ttest_rel(b, a) with a = [0.8712, 0.8680, 0.8745],
    // b = [0.8751, 0.8712, 0.8790] → statistic 10.293335509227106, pvalue 0.00930661802098923, df 2,
    // r.confidence_interval(0.95) = (0.0022503855424308174, 0.005482947790902479)
    const r = pairedTest([0.8712, 0.868, 0.8745], [0.8751, 0.8712, 0.879])!;
    close(r.t, 10.293335509227106, 1e-9);
    close(r.pValue, 0.00930661802098923, 1e-9);
    expect(r.df).toBe(2);
    close(r.ciLow, 0.0022503855424308174, 1e-9);
    close(r.ciHigh, 0.005482947790902479, 1e-9);
    // The same numbers unpaired: scipy.stats.ttest_ind(b, a, equal_var=False).pvalue = 0.2596660500448151
    close(welchTest([0.8712, 0.868, 0.8745], [0.8751, 0.8712, 0.879])!.pValue, 0.2596660500448151, 1e-10);
  });

  it('pairs only when both groups ran exactly the same seeds, each once', () => {
    const v = (seed: number, value: number | null) => ({ seed, value });
    expect(pairBySeed([v(2, 0.1), v(1, 0.2)], [v(1, 0.3), v(2, 0.4)])).toEqual({ seeds: [1, 2], a: [0.2, 0.1], b: [0.3, 0.4] });
    expect(pairBySeed([v(1, 0.1), v(2, 0.2)], [v(1, 0.3), v(3, 0.4)])).toBeNull();
    expect(pairBySeed([v(1, 0.1), v(2, 0.2)], [v(1, 0.3), v(2, 0.4), v(3, 0.5)])).toBeNull();
    expect(pairBySeed([v(1, 0.1), v(1, 0.2)], [v(1, 0.3), v(1, 0.4)])).toBeNull();
    expect(pairBySeed([v(1, 0.1), v(2, null)], [v(1, 0.3), v(2, 0.4)])).toBeNull();
  });
});

group('Holm–Bonferroni', () => {
  it('adjusts step-down and keeps the input order', () => {
    // By hand, m = 4: sorted 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → max(0.06, 0.04)
    // = 0.06 (monotone). In input order: [0.03, 0.06, 0.06, 0.02].
    const adj = holmAdjust([0.01, 0.04, 0.03, 0.005]);
    [0.03, 0.06, 0.06, 0.02].forEach((e, i) => close(adj[i], e, 1e-12));
  });

  it('leaves a NaN p (a test that could not run) out of the family', () => {
    expect(holmAdjust([Number.NaN, 0.02, 0.04])).toEqual([null, 0.04, 0.04]);
  });

  it('gives each pair the threshold Holm holds its raw p to', () => {
    expect(holmThresholds([0.15, 0.03, 0.004])).toEqual([0.05, 0.025, 0.05 / 3]);
    expect(holmThresholds([null, 0.2])).toEqual([null, 0.05]);
  });

  it('caps at 1 and leaves tests that could not run out of the family', () => {
    // [0.5, 0.6]: 0.5·2 = 1, 0.6·1 = 0.6 → max(1, 0.6) = 1.
    expect(holmAdjust([0.5, 0.6])).toEqual([1, 1]);
    // m = 2, not 3: 0.02·2 = 0.04, 0.04·1 = 0.04.
    const adj = holmAdjust([null, 0.02, 0.04]);
    expect(adj[0]).toBeNull();
    close(adj[1], 0.04, 1e-12);
    close(adj[2], 0.04, 1e-12);
  });
});

group('runs needed for 80% power', () => {
  it('matches the exact noncentral-t answer', () => {
    // scipy 1.10.1, smallest n with power(n) ≥ 0.8 where, for effect size es,
    // power(n) = nct.sf(tc, 2n−2, es·sqrt(n/2)) + nct.cdf(−tc, 2n−2, es·sqrt(n/2)), tc = t.ppf(0.975, 2n−2)
    const cases: [number, number][] = [[0.5, 64], [1, 17], [1.5, 9], [2, 6], [3, 4], [4, 3], [6, 2]];
    for (const [es, n] of cases) expect(runsNeeded(es * 0.004, 0.004), `es ${es}`).toEqual({ kind: 'estimate', perGroup: n });
  });

  it('matches scipy power', () => {
    // power(5, 2) and power(17, 1) with the formula above: 0.790542378017714, 0.80703671514722
    close(twoSampleTPower(5, 2), 0.790542378017714, 1e-6);
    close(twoSampleTPower(17, 1), 0.80703671514722, 1e-6);
  });

  it('caps, and handles no difference and no spread', () => {
    // es = 0.3 needs 176 (scipy, as above).
    expect(runsNeeded(0.3, 1)).toEqual({ kind: 'more-than', limit: 100 });
    expect(runsNeeded(0.3, 1, 1, { cap: 200 })).toEqual({ kind: 'estimate', perGroup: 176 });
    expect(runsNeeded(0, 0.01)).toEqual({ kind: 'never' });
    expect(runsNeeded(0, 0)).toEqual({ kind: 'never' });
    expect(runsNeeded(-0.01, 0)).toEqual({ kind: 'estimate', perGroup: 2 });
  });

  it('uses Welch\'s test, with each group\'s SD, like the verdict', () => {
    // scipy 1.17: power(n) = nct.sf(tc, df, δ) + nct.cdf(−tc, df, δ), df = (va+vb)²(n−1)/(va²+vb²),
    // δ = |d|/sqrt((va+vb)/n), tc = t.ppf(1 − α/2, df)
    close(welchPower(5, 0.01, 0.004, 0.006), 0.7573093059070584, 1e-7);
    close(welchPower(3, 0.017, 0.003, 0.0036), 0.993697168050322, 1e-6);
    // One group without spread: df = n − 1 = 1, where the χ² density is unbounded at 0.
    close(welchPower(2, 1, 0.5, 0), 0.1757074110977601, 1e-6);
    // a = [0.871, 0.868, 0.877], b = [0.879, 0.874, 0.881, 0.876, 0.883]: the smallest n with
    // power ≥ 0.8 is 8 at α = 0.05 (scipy, as above); the pooled formula said 7.
    expect(runsNeeded(0.0066, 0.004582575694955844, 0.003646916505762097)).toEqual({ kind: 'estimate', perGroup: 8 });
    // At Holm's threshold α/2 for a = [0.871, 0.868, 0.877], b = [0.861, 0.858, 0.864]: 5.
    expect(runsNeeded(-0.011, 0.004582575694955844, 0.003, { alpha: 0.025 })).toEqual({ kind: 'estimate', perGroup: 5 });
    expect(runsNeeded(-0.011, 0.004582575694955844, 0.003, { alpha: 0.025, atLeast: 7 })).toEqual({ kind: 'estimate', perGroup: 7 });
    expect(runsNeeded(Number.NaN, 0.1)).toEqual({ kind: 'more-than', limit: 100 });
  });

  it('never says fewer runs would settle a difference than the runs that could not (property)', () => {
    const value = fc.double({ min: 0.5, max: 0.9, noNaN: true });
    fc.assert(fc.property(fc.array(value, { minLength: 2, maxLength: 8 }), fc.array(value, { minLength: 2, maxLength: 8 }), (a, b) => {
      const w = welchTest(a, b)!;
      if (w.zeroSpread || w.pValue <= 0.05) return;
      const sd = (xs: number[]) => Math.sqrt(xs.reduce((s, x) => s + (x - xs.reduce((p, q) => p + q, 0) / xs.length) ** 2, 0) / (xs.length - 1));
      const r = runsNeeded(w.difference, sd(a), sd(b), { atLeast: Math.max(a.length, b.length) + 1 });
      if (r.kind === 'estimate') expect(r.perGroup).toBeGreaterThan(Math.max(a.length, b.length));
      // Without the floor, the power calculation alone already agrees in all but rounding cases.
      const free = runsNeeded(w.difference, sd(a), sd(b));
      if (free.kind === 'estimate' && a.length === b.length) expect(free.perGroup).toBeGreaterThanOrEqual(a.length);
    }), { numRuns: 200, seed: 7 });
  });

  it('pools the SD of both groups', () => {
    // np.sqrt((2*np.var(a, ddof=1) + 4*np.var(b, ddof=1)) / 6) for the Welch inputs above = 0.003983298465677245
    close(pooledSd([0.871, 0.868, 0.877], [0.879, 0.874, 0.881, 0.876, 0.883]), 0.003983298465677245, 1e-10);
    expect(pooledSd([0.9], [0.8, 0.85])).toBeNull();
  });
});

group('formatting', () => {
  it('writes mean ± sd as the book does', () => {
    expect(formatMeanSd({ mean: 0.87312, sd: 0.0061 })).toBe('0.873 ± 0.006');
    expect(formatMeanSd({ mean: 0.87312, sd: null })).toBe('0.873');
    expect(formatMeanSd({ mean: null, sd: null })).toBe('\u2014');
  });

  it('writes differences in percentage points with a real minus sign', () => {
    expect(formatPp(0.004)).toBe('+0.4 pp');
    expect(formatPp(-0.0031)).toBe('\u22120.3 pp');
    expect(formatPp(-0.0002)).toBe('0.0 pp');
    expect(formatSigned(-0.0123, 3)).toBe('\u22120.012');
  });

  it('writes p-values without contradicting α', () => {
    expect(formatPValue(0.2132)).toBe('0.21');
    expect(formatPValue(0.0036633)).toBe('0.0037');
    expect(formatPValue(0.0004)).toBe('< 0.001');
    expect(formatPValue(0.0496)).toBe('0.0496');
    expect(formatPValue(0.0503)).toBe('0.0503');
    // Opposite verdicts never share a text (issue 11 item 13: both were "0.0500").
    expect(formatPValue(0.04996)).toBe('0.04996');
    expect(formatPValue(0.050004)).toBe('0.050004');
    expect(formatPValue(0.05)).toBe('0.050');
    expect(formatPValue(Number.NaN)).toBe('n/a');
  });

  it('never prints the same text for p-values on opposite sides of α (property)', () => {
    const near = fc.double({ min: 0.045, max: 0.055, noNaN: true });
    fc.assert(fc.property(near, near, (p, q) => {
      if ((p <= 0.05) !== (q <= 0.05)) expect(formatPValue(p)).not.toBe(formatPValue(q));
      const shown = Number(formatPValue(p));
      expect(shown <= 0.05).toBe(p <= 0.05);
    }), { numRuns: 2000, seed: 11 });
  });

  it('writes a test in one line', () => {
    const r = pairedTest([0.8712, 0.868, 0.8745], [0.8751, 0.8712, 0.879])!;
    expect(formatTest(r, 'valAccuracy')).toBe('+0.4 pp, 95% CI +0.2 to +0.5, p = 0.0093');
  });
});
