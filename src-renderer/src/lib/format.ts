/** Small pure helpers for what the views print. */

/** Seconds left, from the fraction done and the time spent so far; null until there is a basis. */
export function etaSeconds(fractionDone: number, elapsedSeconds: number): number | null {
  if (!(fractionDone > 0) || fractionDone >= 1 || !(elapsedSeconds > 0)) return null;
  return (elapsedSeconds * (1 - fractionDone)) / fractionDone;
}

/** 75 → "1:15"; 3725 → "1:02:05". */
export function clock(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** Fraction of a run done, counting batches inside the current epoch. */
export function runFraction(epochsDone: number, epochs: number, batch: number | null, batches: number | null): number {
  if (epochs <= 0) return 0;
  const inEpoch = batch !== null && batches ? Math.min(1, batch / batches) : 0;
  return Math.min(1, (epochsDone + (epochsDone < epochs ? inEpoch : 0)) / epochs);
}

export function parseTags(text: string): string[] {
  return [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))].slice(0, 32);
}

/** "0.5" → 0.5, "true" → true, "relu" → "relu": what a learner types as an experiment value. */
export function parseValue(text: string): number | boolean | string {
  const s = text.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s !== '' && Number.isFinite(Number(s))) return Number(s);
  return s;
}

/** An id the service can echo back in datasets:progress events. */
export function newImportId(): string {
  return `import-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
