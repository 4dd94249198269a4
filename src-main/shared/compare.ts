/**
 * A comparison of runs and groups, as `compare:runs` returns it. Computed by the statistics module
 * (src-main/shared/stats); this file only names the shape every face shows.
 */
export interface Comparison {
  /** Filled by the statistics module; see src-main/shared/stats. */
  [key: string]: unknown;
}
