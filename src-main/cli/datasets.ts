/** `layerlab datasets …`: list, show, import and download (with a progress bar), delete, generate. */
import { resolve } from 'node:path';
import { UserError } from '../shared/errors.js';
import type { DatasetInfo } from '../shared/datasets.js';
import type { Api } from '../shared/contract.js';
import { CATALOG_IDS } from '../shared/dataset-ref.js';
import { intOption, numberOption, stringOption } from './args.js';
import { choice, isOneOf } from './flags.js';
import { bar, StatusLine, table } from './format.js';

const FORMATS = ['idx', 'csv', 'images', 'npy', 'npz'] as const;
const KINDS = ['circle', 'xor', 'gaussian', 'spiral'] as const;

/** `--mirror URL`: a base address for catalog downloads; the CLI's (and the environment's) alone, never a page's. */
export function mirrorOption(v: Record<string, unknown>): string | undefined {
  const mirror = stringOption(v, 'mirror');
  if (mirror === undefined) return undefined;
  let url: URL | null = null;
  try { url = new URL(mirror); } catch { url = null; }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) throw new UserError(`--mirror: must be an http:// or https:// address (not '${mirror.slice(0, 200)}')`);
  return mirror;
}

function describe(d: DatasetInfo): string {
  return `${d.id}  ${d.name}  [${d.featureShape.join('×')}]  ${d.classNames.length} classes  ${d.trainCount} train${d.testCount ? ` / ${d.testCount} test` : ''}${d.available ? '' : '  (not on this machine)'}`;
}

function parseShape(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const parts = v.toLowerCase().split('x').map(Number);
  if (parts.length < 2 || parts.length > 3 || parts.some((n) => !Number.isInteger(n) || n <= 0)) {
    throw new UserError(`--image-shape: '${v}' should look like 28x28 or 32x32x3`);
  }
  return parts;
}

export async function datasetsCommand(api: Api, args: string[], v: Record<string, unknown>): Promise<number> {
  const [sub, ...rest] = args;
  const json = v.json === true;
  const print = (value: unknown, text: string) => process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
  switch (sub) {
    case 'list': case undefined: {
      const list = await api.invoke('datasets:list', {});
      print(list, table([['id', 'name', 'shape', 'classes', 'train', 'test', 'available'], ...list.map((d) => [d.id, d.name, d.featureShape.join('×'), String(d.classNames.length), String(d.trainCount), String(d.testCount), d.available ? 'yes' : 'no'])]));
      return 0;
    }
    case 'show': {
      if (!rest[0]) throw new UserError('datasets show: give a dataset id (see layerlab datasets list)');
      const d = await api.invoke('datasets:show', { id: rest[0] });
      const counts = d.classCounts ? d.classNames.map((c, i) => `  ${c}: ${d.classCounts![i]}`).join('\n') : '';
      print(d, `${describe(d)}\nsource: ${d.sourcePath ?? '-'}\nformat: ${d.format ?? '-'}${d.reason ? `\n${d.reason}` : ''}${counts ? `\nclasses (train):\n${counts}` : ''}`);
      return 0;
    }
    case 'import': {
      if (!rest[0]) throw new UserError('datasets import: give the path of a file or folder');
      const status = new StatusLine();
      const importId = `cli-${process.pid}`;
      api.on('datasets:progress', (e) => {
        if (e.importId !== importId || json) return;
        if (e.total > 0) status.update(`${e.phase} ${bar(e.done / e.total)} ${Math.round((100 * e.done) / e.total)}%`);
      });
      const labelColumn = stringOption(v, 'label-column');
      const labels = stringOption(v, 'labels');
      // Relative paths are the user's: resolved against their working directory, here and only here.
      const d = await api.invoke('datasets:import', {
        source: { path: resolve(rest[0]) }, importId,
        labels: labels === undefined ? undefined : { path: resolve(labels) },
        options: {
          format: choice(v, 'format', FORMATS),
          labelColumn: labelColumn !== undefined && /^\d+$/.test(labelColumn) ? Number(labelColumn) : labelColumn,
          imageShape: parseShape(stringOption(v, 'image-shape')),
          name: stringOption(v, 'name'),
        },
      });
      status.clear();
      print(d, d.reused ? `already imported as ${d.name} (${d.id}); using it\n${describe(d)}` : `imported ${describe(d)}`);
      return 0;
    }
    case 'download': {
      const id = rest[0];
      if (id === undefined || !isOneOf(id, CATALOG_IDS)) throw new UserError(`datasets download: give ${CATALOG_IDS.join(' or ')}`);
      const status = new StatusLine();
      const importId = `cli-${process.pid}`;
      api.on('datasets:progress', (e) => {
        if (e.importId !== importId || json || e.phase === 'done') return;
        const mb = (n: number) => (n / 1048576).toFixed(1);
        status.update(`${e.phase} ${bar(e.total ? e.done / e.total : 0)} ${mb(e.done)} / ${mb(e.total)} MB`);
      });
      const d = await api.invoke('datasets:download', { id, importId });
      status.clear();
      print(d, d.fetched.length
        ? `downloaded ${d.fetched.map((f) => `${f}.gz`).join(', ')}, each checked against its published sha256\n${describe(d)}`
        : `${d.name}: the data folder already holds all four files, intact; nothing to download\n${describe(d)}`);
      return 0;
    }
    case 'delete': {
      if (!rest.length) throw new UserError('datasets delete: give a dataset id');
      for (const id of rest) await api.invoke('datasets:delete', { id });
      if (!json) process.stdout.write(`deleted ${rest.join(', ')}\n`);
      return 0;
    }
    case 'generate': {
      const kind = rest[0];
      if (kind === undefined || !isOneOf(kind, KINDS)) throw new UserError(`datasets generate: give one of ${KINDS.join(', ')}`);
      const d = await api.invoke('datasets:generate', {
        kind, samples: intOption(v, 'samples', 10), noise: numberOption(v, 'noise'), seed: intOption(v, 'seed', 0), name: stringOption(v, 'name'),
      });
      print(d, d.reused ? `already made as ${d.name} (${d.id}); using it\n${describe(d)}` : `generated ${describe(d)}`);
      return 0;
    }
    default:
      throw new UserError(`datasets: unknown subcommand '${sub}': use list, show, import, download, delete or generate`);
  }
}
