/**
 * `layerlab compare` as text: a plain sentence first, the book's table per run, then per group
 * (mean ± sd), the models side by side, what differs in words, the caveats, a note when the
 * groups trained on different devices, the verdicts.
 */
import type { Comparison } from '../shared/compare.js';
import type { ModelSpec } from '../shared/spec.js';
import { formatChange, formatMeanSd, formatVerdict, formatWarning, plainSentence } from '../shared/stats/index.js';
import { describeLayers } from '../shared/summary.js';
import { messageText } from '../shared/messages.js';
import { csvTable, fixed, markdownTable, table } from './format.js';

/** The layer stacks, one line per group, when they differ; then each group's changes against the first, in words. */
function formatDifferences(c: Comparison, models: ReadonlyMap<string, ModelSpec>): string[] {
  const lines: string[] = [];
  const specs = c.groups.map((g) => models.get(g.runIds[0]));
  if (specs.every((m) => m !== undefined)) {
    const stacks = (specs as ModelSpec[]).map((s) => describeLayers(s));
    if (new Set(stacks).size > 1) {
      const width = Math.max(...c.groups.map((g) => g.label.length));
      lines.push('', 'models:', ...c.groups.map((g, i) => `  ${g.label.padEnd(width)}  ${stacks[i]}`));
    }
  }
  const told = c.changes.filter((g) => g.changes.length);
  if (told.length) {
    const first = c.groups[0]?.label ?? '';
    lines.push('', 'what differs:');
    told.forEach((g) => {
      const vs = g.label === first ? '' : ` (against ${first})`;
      lines.push(`  ${g.label}${vs}: ${g.changes.map(formatChange).join('; ')}`);
    });
  }
  return lines;
}

/**
 * Which queue workers trained a group's runs, how many each ("lab-1 (3), lab-2 (2), this machine (1)");
 * '' when none did.
 */
export function groupWorkersText(g: Comparison['groups'][number]): string {
  if (!g.workers.length) return '';
  const local = g.runIds.length - g.workers.reduce((n, w) => n + w.runs, 0);
  return [...g.workers.map((w) => `${w.name} (${w.runs})`), ...(local > 0 ? [`this machine (${local})`] : [])].join(', ');
}

/** `models`: each run's spec by run id (the comparison carries ids, not specs). */
export function formatComparison(c: Comparison, format: 'table' | 'markdown' | 'csv', models: ReadonlyMap<string, ModelSpec> = new Map()): string {
  const verdicts = c.verdict ? [c.verdict] : c.pairwise?.pairs ?? [];
  // The queue workers, only when one trained some run (a comparison of local runs reads as before).
  const workers = c.table.some((r) => r.worker);
  if (format === 'csv') {
    // One value per cell: mean and sd apart, and the verdicts as rows of their own.
    const runs = csvTable([
      ['run', 'group', 'seed', 'train score', 'val score', 'val loss', 'epochs', 'seconds', 'backend', 'device', ...(workers ? ['worker'] : [])],
      ...c.table.map((r) => [r.name, r.group ?? '', String(r.seed), fixed(r.trainScore), fixed(r.valScore), fixed(r.valLoss, 4), String(r.epochs), fixed(r.seconds, 1), r.backend ?? '', r.device ?? '',
        ...(workers ? [r.worker ?? ''] : [])]),
    ]);
    const cell = (v: number | null, d = 4) => (v === null ? '' : v.toFixed(d));
    const groups = csvTable([
      ['group', 'runs', 'train score mean', 'train score sd', 'val score mean', 'val score sd', 'val loss mean', 'val loss sd', 'ci low', 'ci high', 'seconds mean', ...(workers ? ['workers'] : [])],
      ...c.groups.map((g) => [g.label, String(g.runIds.length), cell(g.final.trainAccuracy.mean), cell(g.final.trainAccuracy.sd), cell(g.final.valAccuracy.mean), cell(g.final.valAccuracy.sd),
        cell(g.final.valLoss.mean), cell(g.final.valLoss.sd), cell(g.final[c.metric].ciLow), cell(g.final[c.metric].ciHigh), cell(g.final.seconds.mean, 1), ...(workers ? [groupWorkersText(g)] : [])]),
    ]);
    const verdictRows = csvTable([
      ['b', 'a', 'metric', 'difference', 'ci low', 'ci high', 'p', 'holm p', 'better', 'verdict'],
      ...verdicts.map((v) => [v.b.label, v.a.label, v.metric, cell(v.difference), cell(v.ciLow), cell(v.ciHigh), cell(v.pValue, 6), cell(v.adjustedPValue, 6),
        v.better === 'A' ? v.a.label : v.better === 'B' ? v.b.label : '', formatVerdict(v)]),
    ]);
    return `${runs}\n\n${groups}${verdicts.length ? `\n\n${verdictRows}` : ''}`;
  }
  const render = format === 'markdown' ? markdownTable : table;
  const runs = render([
    ['run', 'group', 'seed', 'train score', 'val score', 'val loss', 'epochs', 'seconds', 'backend', ...(workers ? ['worker'] : [])],
    ...c.table.map((r) => [r.name, r.group ?? '-', String(r.seed), fixed(r.trainScore), fixed(r.valScore), fixed(r.valLoss), String(r.epochs), fixed(r.seconds, 1), r.backend ?? '-', ...(workers ? [r.worker ?? '-'] : [])]),
  ]);
  const meanSd = (d: { mean: number | null; sd: number | null }) => (d.mean === null ? '-' : d.sd === null ? fixed(d.mean) : formatMeanSd(d));
  const ciName = { valAccuracy: 'val score', trainAccuracy: 'train score', valLoss: 'val loss', seconds: 'seconds' }[c.metric];
  const groups = render([
    ['group', 'runs', 'train score', 'val score', 'val loss', `${ciName} 95% CI`, 'seconds', ...(workers ? ['workers'] : [])],
    ...c.groups.map((g) => [
      g.label, String(g.runIds.length), meanSd(g.final.trainAccuracy), meanSd(g.final.valAccuracy), meanSd(g.final.valLoss),
      g.final[c.metric].ciLow === null ? '-' : `${fixed(g.final[c.metric].ciLow)} to ${fixed(g.final[c.metric].ciHigh)}`,
      meanSd(g.final.seconds), ...(workers ? [groupWorkersText(g) || '-'] : []),
    ]),
  ]);
  const lead = plainSentence(c);
  const parts = lead ? [lead, '', runs, '', groups] : [runs, '', groups];
  parts.push(...formatDifferences(c, models));
  if (c.warnings.length) parts.push('', ...c.warnings.map((w) => `warning: ${formatWarning(w)}`));
  if (c.deviceNote) parts.push('', `note: ${messageText(c.deviceNote)}`);
  if (c.verdict) parts.push('', formatVerdict(c.verdict));
  else if (c.pairwise) {
    parts.push('', `pairwise, ${c.pairwise.correction === 'holm' ? 'Holm–Bonferroni' : ''} corrected:`);
    for (const v of c.pairwise.pairs) parts.push(`  ${formatVerdict(v)}`);
  }
  return parts.join('\n');
}
