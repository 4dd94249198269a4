/** The stores, created once by App and handed to views through Svelte context. */
import { getContext, setContext } from 'svelte';
import type { Api } from '../../../../src-main/shared/contract.js';
import type { Connection } from '../api.js';
import { DatasetsStore } from './datasets.svelte.js';
import { ModelStore } from './model.svelte.js';
import { TrainingStore } from './training.svelte.js';
import { RunsStore } from './runs.svelte.js';
import { QueueStore } from './queue.svelte.js';

export interface Stores {
  api: Api;
  pickFile: Connection['pickFile'];
  pickFolder: Connection['pickFolder'];
  transfers: Connection['transfers'];
  datasets: DatasetsStore;
  model: ModelStore;
  training: TrainingStore;
  runs: RunsStore;
  queue: QueueStore;
}

const KEY = Symbol('layerlab.stores');

export function createStores(api: Api, files: Pick<Connection, 'pickFile' | 'pickFolder' | 'transfers'> = { pickFile: null, pickFolder: null, transfers: null }): Stores {
  return {
    api, pickFile: files.pickFile, pickFolder: files.pickFolder, transfers: files.transfers,
    datasets: new DatasetsStore(api),
    model: new ModelStore(),
    training: new TrainingStore(api),
    runs: new RunsStore(api),
    queue: new QueueStore(api),
  };
}

export function provideStores(stores: Stores): void { setContext(KEY, stores); }

export function useStores(): Stores {
  const s = getContext<Stores | undefined>(KEY);
  if (!s) throw new Error('useStores() outside App');
  return s;
}
