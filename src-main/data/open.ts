/**
 * Opens a dataset for training or preview: a catalog dataset (IDX files in the known places) or a
 * dataset in our cache. A user's own files never come here: they are imported first.
 */
import type { Dataset } from '../shared/dataset.js';
import type { DatasetRef } from '../shared/dataset-ref.js';
import { loadCatalogIdx } from './catalog/idx-datasets.js';
import { loadDataset } from './cache/index.js';

export function openDataset(home: string, ref: DatasetRef): Dataset {
  switch (ref.kind) {
    case 'catalog': return loadCatalogIdx(ref.id, home);
    case 'cache': return loadDataset(home, ref.id);
  }
}
