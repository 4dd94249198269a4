/** `layerlab compare` as text: the book's table per run, then per group (mean ± sd), the spec fields that differ, the verdicts. */
import type { Comparison } from '../shared/compare.js';
import type { ModelSpec } from '../shared/spec.js';
import { formatMeanSd, formatVerdict, specDiff } from '../shared/stats/index.js';
import { describeLayers } from '../shared/summary.js';
import { csvTable, fixed, markdownTable, table } from './format.js';

/**
 * What sets the groups apart: the layer stacks, one line per group, when they differ; else the spec
 * fields that differ, with each group's value ("optimizer.type: sgd / adam").
 */
function formatDifferences(c: Comparison, models: ReadonlyMap<string, ModelSpec>): string[] {
  const firsts = c.groups.map((g) => models.get(g.runIds[0]));
  if (firsts.some((m) => m === undefined)) return [];
  const specs = firsts as ModelSpec[];
  const stacks = specs.map((s) => describeLayers(s));
  const stacksDiffer = new Set(stacks).size > 1;
  const lines: string[] = [];
  if (stacksDiffer) {
    const width = Math.max(...c.groups.map((g) => g.label.length));
    lines.push('', 'models:', ...c.groups.map((g, i) => `  ${g.label.padEnd(width)}  ${stacks[i]}`));
  }
  const rest = specDiff(specs.map((spec) => ({ spec })))
    .filter((d) => d.path !== 'training.seed' && (!stacksDiffer || !/^(layers|inputShape)\./.test(d.path)));
  if (rest.length) lines.push('', `differs: ${rest.map((d) => `${d.path} (${d.values.map((v) => String(v ?? '—')).join(' / ')})`).join('; ')}`);
  return lines;
}

/** `models`: each run's spec by run id (the comparison carries ids, not specs). */
export function formatComparison(c: Comparison, format: 'table' | 'markdown' | 'csv', models: ReadonlyMap<string, ModelSpec> = new Map()): string {
  const render = format === 'markdown' ? markdownTable : format === 'csv' ? csvTable : table;
  const runs = render([
    ['run', 'group', 'seed', 'train score', 'val score', 'val loss', 'epochs', 'seconds'],
    ...c.table.map((r) => [r.name, r.group ?? '-', String(r.seed), fixed(r.trainScore), fixed(r.valScore), fixed(r.valLoss), String(r.epochs), fixed(r.seconds, 1)]),
  ]);
  const meanSd = (d: { mean: number | null; sd: number | null }) => (d.mean === null ? '-' : d.sd === null ? fixed(d.mean) : formatMeanSd(d));
  const ciName = { valAccuracy: 'val score', trainAccuracy: 'train score', valLoss: 'val loss', seconds: 'seconds' }[c.metric];
  const groups = render([
    ['group', 'runs', 'train score', 'val score', 'val loss', `${ciName} 95% CI`, 'seconds'],
    ...c.groups.map((g) => [
      g.label, String(g.runIds.length), meanSd(g.final.trainAccuracy), meanSd(g.final.valAccuracy), meanSd(g.final.valLoss),
      g.final[c.metric].ciLow === null ? '-' : `${fixed(g.final[c.metric].ciLow)} to ${fixed(g.final[c.metric].ciHigh)}`,
      meanSd(g.final.seconds),
    ]),
  ]);
  if (format === 'csv') return `${runs}\n\n${groups}`;
  const parts = [runs, '', groups];
  parts.push(...formatDifferences(c, models));
  if (c.verdict) parts.push('', formatVerdict(c.verdict));
  else if (c.pairwise) {
    parts.push('', `pairwise, ${c.pairwise.correction === 'holm' ? 'Holm–Bonferroni' : ''} corrected:`);
    for (const v of c.pairwise.pairs) parts.push(`  ${formatVerdict(v)}`);
  }
  return parts.join('\n');
}
