/**
 * The statistics module's verdict as a sentence in the chosen language. It mirrors
 * shared/stats/format.ts (formatVerdict), which stays the English wording for the CLI.
 */
import type { Verdict, FinalMetric } from '../../../src-main/shared/stats/index.js';
import { METRIC_INFO, formatSigned, formatPValue } from '../../../src-main/shared/stats/index.js';
import type { Translate } from '../i18n/translate.js';

const MINUS = '\u2212';

function inUnit(value: number, metric: FinalMetric): string {
  const unit = METRIC_INFO[metric].unit;
  if (unit === 'pp') return `${formatSigned(value * 100, 1)} pp`;
  if (unit === 's') return `${formatSigned(value, 1)} s`;
  return formatSigned(value, 3);
}

function p(value: number, alpha: number): string {
  const text = formatPValue(value, alpha);
  return text.startsWith('<') ? text : `= ${text}`;
}

export function verdictText(v: Verdict, t: Translate): string {
  const head = `${v.b.label} ${MINUS} ${v.a.label}`;
  const winner = v.better === 'A' ? v.a.label : v.better === 'B' ? v.b.label : null;
  if (v.difference === null) return t('verdict.noData', { head, empty: v.a.n === 0 ? v.a.label : v.b.label });
  const metric = t(`compare.metric.${v.metric}`);
  const diff = `${inUnit(v.difference, v.metric)} ${metric}`;
  if (v.reason === 'too-few-runs') return t('verdict.tooFew', { head, diff });
  if (v.reason === 'no-spread') return winner ? t('verdict.exactWinner', { head, diff, winner }) : t('verdict.identical', { head, diff });
  let s = t('verdict.stats', { head, diff, lo: inUnit(v.ciLow ?? 0, v.metric), hi: inUnit(v.ciHigh ?? 0, v.metric), p: p(v.pValue ?? 1, v.alpha) });
  if (v.correction === 'holm' && v.adjustedPValue !== null) s += t('verdict.holm', { p: p(v.adjustedPValue, v.alpha) });
  if (winner) return s + t('verdict.winner', { winner });
  s += t('verdict.same', { a: v.a.n, b: v.b.n });
  if (v.runsNeeded?.kind === 'estimate') s += t('verdict.runsNeeded', { n: v.runsNeeded.perGroup });
  else if (v.runsNeeded?.kind === 'more-than') s += t('verdict.moreThan', { n: v.runsNeeded.limit });
  return s;
}
