/** `layerlab compare` as text: the book's table per run, then per group (mean ± sd), the spec fields that differ, the verdicts. */
import type { Comparison } from '../shared/compare.js';
import { formatMeanSd, formatVerdict } from '../shared/stats/index.js';
import { csvTable, fixed, markdownTable, table } from './format.js';

export function formatComparison(c: Comparison, format: 'table' | 'markdown' | 'csv'): string {
  const render = format === 'markdown' ? markdownTable : format === 'csv' ? csvTable : table;
  const runs = render([
    ['run', 'group', 'seed', 'train score', 'val score', 'val loss', 'epochs', 'seconds'],
    ...c.table.map((r) => [r.name, r.group ?? '-', String(r.seed), fixed(r.trainScore), fixed(r.valScore), fixed(r.valLoss), String(r.epochs), fixed(r.seconds, 1)]),
  ]);
  const meanSd = (d: { mean: number | null; sd: number | null }) => (d.mean === null ? '-' : d.sd === null ? fixed(d.mean) : formatMeanSd(d));
  const groups = render([
    ['group', 'runs', 'train score', 'val score', 'val loss', 'val score 95% CI', 'seconds'],
    ...c.groups.map((g) => [
      g.label, String(g.runIds.length), meanSd(g.final.trainAccuracy), meanSd(g.final.valAccuracy), meanSd(g.final.valLoss),
      g.final.valAccuracy.ciLow === null ? '-' : `${fixed(g.final.valAccuracy.ciLow)} to ${fixed(g.final.valAccuracy.ciHigh)}`,
      meanSd(g.final.seconds),
    ]),
  ]);
  if (format === 'csv') return `${runs}\n\n${groups}`;
  const parts = [runs, '', groups];
  const diffs = c.specDiff.filter((d) => d.path !== 'training.seed');
  if (diffs.length) parts.push('', `differs: ${diffs.map((d) => `${d.path} (${d.values.map((v) => String(v ?? '—')).join(' / ')})`).join('; ')}`);
  if (c.verdict) parts.push('', formatVerdict(c.verdict));
  else if (c.pairwise) {
    parts.push('', `pairwise, ${c.pairwise.correction === 'holm' ? 'Holm–Bonferroni' : ''} corrected:`);
    for (const v of c.pairwise.pairs) parts.push(`  ${formatVerdict(v)}`);
  }
  return parts.join('\n');
}
