/**
 * Opens a dataset by id for training or preview: a built-in catalog id, `idx:<folder>` for a folder
 * of IDX files given on the command line, or an imported dataset in the cache.
 */
import { resolve } from 'node:path';
import type { Dataset } from '../shared/dataset.js';
import { IDX_CATALOG, loadCatalogIdx, loadIdxFolder } from './catalog/idx-datasets.js';
import { loadDataset } from './cache/index.js';

export function openDataset(home: string, id: string): Dataset {
  const entry = IDX_CATALOG.find((e) => e.id === id);
  if (entry) return loadCatalogIdx(entry.id, home);
  if (id.startsWith('idx:')) {
    const dir = resolve(id.slice(4));
    return loadIdxFolder(dir, { id, name: dir });
  }
  return loadDataset(home, id);
}
