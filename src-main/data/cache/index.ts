/**
 * The dataset cache: <home>/datasets/cache/<id>/ holds manifest.json and little-endian binary
 * train-x.bin ([count, ...featureShape] uint8 or float32), train-y.bin ([count] int32), and
 * test-x.bin / test-y.bin when the source has a test split. Writes go through
 * <home>/datasets/.tmp-<pid>-<random>/ and a rename, so a folder in cache/ is always complete.
 */
export { CACHE_VERSION, ManifestSchema, manifestToInfo, cacheDir, type Manifest } from './manifest.js';
export { writeDatasetCache, writeDatasetCacheOnce, withCommitLock, cleanStaleTemps, type CacheMeta } from './write.js';
export { listDatasets, readManifest, loadDataset, deleteDataset } from './read.js';
