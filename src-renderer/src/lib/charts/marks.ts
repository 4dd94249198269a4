/**
 * The epochs a run's callbacks marked (the best one, the one early stopping ended training after),
 * as chart markers. A finished run has them from the store; a live one's best epoch so far is
 * worked out from its epochs by the same rule the trainer uses.
 */
import { bestEpochOf, type Monitor } from '../../../../src-main/shared/callbacks.js';
import type { EpochRecord, RunSummary } from '../../../../src-main/shared/runs.js';
import type { EpochMetric, LineSeries } from './series.js';

export interface EpochMarks { best: number | null; stopped: number | null; kept: number | null }

export function epochMarks(epochs: readonly EpochRecord[], stored: Pick<RunSummary, 'bestEpoch' | 'stoppedEpoch' | 'modelEpoch'> | null, monitor: Monitor | null): EpochMarks {
  if (stored) return { best: stored.bestEpoch, stopped: stored.stoppedEpoch, kept: stored.modelEpoch };
  return { best: monitor ? bestEpochOf(epochs, monitor) : null, stopped: null, kept: null };
}

/** One marker series per marked epoch, on the `metric` curve. */
export function markerSeries(epochs: readonly EpochRecord[], metric: EpochMetric, marks: EpochMarks, labels: { best: string; stopped: string }, colors: { best: string; stopped: string }): LineSeries[] {
  const at = (epoch: number | null) => {
    const e = epochs.find((x) => x.epoch === epoch);
    return e && Number.isFinite(e[metric]) ? [{ x: e.epoch, y: e[metric] }] : [];
  };
  const out: LineSeries[] = [];
  const best = at(marks.best);
  if (best.length) out.push({ label: labels.best, color: colors.best, points: best, marker: true });
  const stopped = at(marks.stopped);
  if (stopped.length) out.push({ label: labels.stopped, color: colors.stopped, points: stopped, marker: true });
  return out;
}
