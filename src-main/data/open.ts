/**
 * Opens a dataset for training or preview: a catalog dataset (IDX files in the known places) or a
 * dataset in our cache. A user's own files never come here: they are imported first.
 */
import type { Dataset, RowsOfRun } from '../shared/dataset.js';
import type { DatasetRef } from '../shared/dataset-ref.js';
import { loadCatalogIdx } from './catalog/idx-datasets.js';
import { loadDataset } from './cache/index.js';

/** `rows`: only these rows of a catalog dataset are needed (a --limit run): the rest may stay unread. */
export function openDataset(home: string, ref: DatasetRef, rows?: RowsOfRun): Dataset {
  switch (ref.kind) {
    case 'catalog': return loadCatalogIdx(ref.id, home, rows);
    case 'cache': return loadDataset(home, ref.id);
  }
}
