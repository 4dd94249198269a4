/** A comparison of runs and groups, as `compare:runs` returns it (computed by ./stats). */
export type { StatsComparison as Comparison } from './stats/index.js';
