/**
 * A dataset reference as a typed value: a catalog dataset (Fashion-MNIST, MNIST) or a dataset in
 * the cache (imported or generated). There is no third kind: a folder or file of the user's goes
 * through the importer first and is referred to by the cache id it gets, so nothing outside the
 * importer ever parses a user's file. The contract turns the wire's string into this value once;
 * everything after it switches on `kind`.
 */
import { z } from 'zod';

export const CATALOG_IDS = ['fashion-mnist', 'mnist'] as const;
export type CatalogId = (typeof CATALOG_IDS)[number];

export type DatasetRef =
  | { readonly kind: 'catalog'; readonly id: CatalogId }
  | { readonly kind: 'cache'; readonly id: string };

/** What writeDatasetCache names a dataset: a slug and random hex ('iris-3fa9c2'); no dots, no slashes. */
export const CACHE_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,99}$/;

function isCatalogId(text: string): text is CatalogId {
  return (CATALOG_IDS as readonly string[]).includes(text);
}

/** The reference a string names, or why it names none (a path, an old `idx:` id, stray characters). */
export function toDatasetRef(text: string): DatasetRef | { problem: string } {
  if (isCatalogId(text)) return { kind: 'catalog', id: text };
  if (CACHE_ID_PATTERN.test(text)) return { kind: 'cache', id: text };
  if (/^idx:|[/\\]|^\.|^~/.test(text)) {
    return { problem: `'${text.slice(0, 200)}' is a path, not a dataset id: import the folder or file first (layerlab datasets import PATH, or the Data page), then use the id it gets` };
  }
  return { problem: `'${text.slice(0, 200)}' is not a dataset id (ids look like fashion-mnist or iris-3fa9c2; see layerlab datasets list)` };
}

/** The id a run records and a face shows. */
export function datasetKey(ref: DatasetRef): string {
  return ref.id;
}

/** A dataset id on the wire, parsed into a DatasetRef. */
export const DatasetRefSchema = z.string().min(1).max(200).transform((text, ctx): DatasetRef => {
  const r = toDatasetRef(text);
  if ('problem' in r) {
    ctx.addIssue({ code: 'custom', message: r.problem });
    return z.NEVER;
  }
  return r;
});
