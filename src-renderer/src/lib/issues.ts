/** Field errors in the chosen language, from the codes validateDraft keeps. */
import type { Translate } from '../i18n/translate.js';
import type { SpecIssue } from './spec-draft.js';
import type { LayerProblem } from '../../../src-main/shared/layers/index.js';

/** Why a layer cannot take its input, in the chosen language. */
export function problemText(p: LayerProblem, t: Translate): string {
  const shape = (s: readonly number[]) => `(${s.join(', ')})`;
  switch (p.code) {
    case 'needsImage': return t('err.layer.needsImage', { layer: p.layer, input: shape(p.input) });
    case 'windowTooLarge': return t('err.layer.windowTooLarge', { layer: p.layer, window: p.window.join('×'), input: p.input.join('×') });
    case 'reshapeSize': return t('err.layer.reshapeSize', { target: shape(p.target), want: p.target.reduce((a, b) => a * b, 1), input: shape(p.input), have: p.input.reduce((a, b) => a * b, 1) });
  }
}

export function issueText(i: SpecIssue, t: Translate): string {
  switch (i.kind) {
    case 'required': return t('err.required');
    case 'notInteger': return t('err.notInteger');
    case 'tooSmall':
      if (i.path === 'layers') return t('err.layersEmpty');
      return i.inclusive ? t('err.tooSmall', { limit: i.limit ?? 0 }) : t('err.tooSmallStrict', { limit: i.limit ?? 0 });
    case 'tooBig': return i.inclusive ? t('err.tooBig', { limit: i.limit ?? 0 }) : t('err.tooBigStrict', { limit: i.limit ?? 0 });
    case 'choice': return t('err.choice');
    case 'lastDense': return t('err.lastDense');
    case 'shape': return i.problem ? problemText(i.problem, t) : i.message;
    default: return i.message;
  }
}

/** Messages for one field path ("layers.1.units"). */
export function messagesAt(issues: Map<string, SpecIssue[]>, path: string, t: Translate): string[] {
  return (issues.get(path) ?? []).map((i) => issueText(i, t));
}

/** Messages for paths under `prefix` that no field shows ("inputShape.1" shown at inputShape). */
export function messagesUnder(issues: Map<string, SpecIssue[]>, prefix: string, t: Translate): string[] {
  return [...issues.entries()].filter(([p]) => p === prefix || p.startsWith(`${prefix}.`)).flatMap(([, list]) => list.map((i) => issueText(i, t)));
}
