/**
 * The statistics module's verdict as a sentence in the chosen language. It mirrors
 * shared/stats/format.ts (formatVerdict), which stays the English wording for the CLI.
 */
import type { Change, ComparisonWarning, Verdict, FinalMetric } from '../../../src-main/shared/stats/index.js';
import { METRIC_INFO, formatSigned, formatPValue } from '../../../src-main/shared/stats/index.js';
import { isMessageCode, type Message } from '../../../src-main/shared/messages.js';
import type { MessageKey, Translate } from '../i18n/translate.js';

const MINUS = '\u2212';

/** Module-level so inUnit can write "pp" in the chosen language; set by each exported function. */
let tr: Translate | null = null;

function inUnit(value: number, metric: FinalMetric): string {
  const unit = METRIC_INFO[metric].unit;
  if (unit === 'pp') return tr ? tr('unit.pp', { value: formatSigned(value * 100, 1) }) : `${formatSigned(value * 100, 1)} pp`;
  if (unit === 's') return `${formatSigned(value, 1)} s`;
  return formatSigned(value, 3);
}

function p(value: number, alpha: number): string {
  const text = formatPValue(value, alpha);
  return text.startsWith('<') ? text : `= ${text}`;
}

export function verdictText(v: Verdict, t: Translate): string {
  tr = t;
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


/** The plain sentence for one verdict, no jargon: "relu vs sigmoid: no real difference yet; about 71 runs each would be needed." */
export function plainVerdictText(v: Verdict, t: Translate): string {
  const a = v.a.label, b = v.b.label;
  if (v.difference === null) return t('plain.noData', { a, b, empty: v.a.n === 0 ? a : b });
  if (v.reason === 'too-few-runs') return t('plain.tooFew', { a, b });
  const winner = v.better === 'A' ? a : v.better === 'B' ? b : null;
  const loser = v.better === 'A' ? b : a;
  const unit = METRIC_INFO[v.metric].unit;
  const magnitude = Math.abs(v.difference);
  const size = unit === 'pp'
    ? `${t('unit.points', { value: (magnitude * 100).toFixed(1) })} ${t(`compare.metric.${v.metric}`)}`
    : `${magnitude.toFixed(unit === 's' ? 1 : 3)} ${t(`compare.metric.${v.metric}`)}`;
  if (v.reason === 'no-spread') return winner ? t('plain.betterExact', { winner, loser, size }) : t('plain.same', { a, b });
  if (winner) return t('plain.better', { winner, loser, size });
  const r = v.runsNeeded;
  if (r?.kind === 'estimate') return t('plain.noDifferenceRuns', { a, b, n: r.perGroup });
  if (r?.kind === 'more-than') return t('plain.noDifferenceMore', { a, b, n: r.limit });
  return t('plain.noDifference', { a, b });
}

const count = (n: number): string => n.toLocaleString('en-US');

/** A fairness warning in the chosen language. */
export function warningText(w: ComparisonWarning, t: Translate): string {
  const groups = w.groups.map((g) => `${g.label} ${g.values.length ? g.values.map(count).join(' / ') : '?'}`).join(', ');
  if (w.code === 'samples') return t('compare.warn.samples', { groups, of: w.of ? t('compare.warn.samplesOf', { n: count(w.of) }) : '' });
  return t(w.code === 'split' ? 'compare.warn.split' : 'compare.warn.epochs', { groups });
}

/** One change of "what differs" in the chosen language. */
export function changeText(c: Change, t: Translate): string {
  switch (c.kind) {
    case 'layerAdded': return c.after ? t('change.layerAdded', { layer: c.layer, after: c.after }) : t('change.layerAddedFirst', { layer: c.layer });
    case 'layerRemoved': return c.after ? t('change.layerRemoved', { layer: c.layer, after: c.after }) : t('change.layerRemovedFirst', { layer: c.layer });
    case 'layerChanged': return t('change.layerChanged', { from: c.from, to: c.to });
    case 'input': return t('change.input', { from: c.from, to: c.to });
    case 'optimizer': return t('change.optimizer', { from: c.from, to: c.to });
    case 'field': {
      const key = `field.${c.field}` as MessageKey;
      const field = t(key) === key ? c.field : t(key);
      return t('change.field', { field, from: String(c.from ?? '–'), to: String(c.to ?? '–') });
    }
    case 'samples': return c.of === null ? t('change.samplesAll', { count: count(c.count) }) : t('change.samples', { count: count(c.count), of: count(c.of) });
  }
}

const FIELD_KEYS = new Set(['source', 'labels', 'out']);

/** A coded message (service error, dataset reason, skipped backend) in the chosen language; else its English text. */
export function messageIn(coded: Message | undefined, english: string, t: Translate): string {
  if (!coded || !isMessageCode(coded.code)) return english;
  // A problem inside one array of an .npz names the file and the array.
  let params = coded.code.startsWith('import.') && coded.params.member !== undefined
    ? { ...coded.params, file: t('msg.import.inMember', { file: coded.params.file, member: coded.params.member }) }
    : coded.params;
  // A request's field named in a file refusal (source, labels, out) in the chosen language.
  if (coded.code.startsWith('file.') && FIELD_KEYS.has(String(coded.params.field))) {
    params = { ...params, field: t(`msg.field.${String(coded.params.field)}` as MessageKey) };
  }
  return t(`msg.${coded.code}` as MessageKey, params);
}
