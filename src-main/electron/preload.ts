/**
 * The preload: runs sandboxed, bundled to one CommonJS file whose only import is `electron`.
 * It exposes `window.api` (see preload-api.ts) and turns file drops into dataset imports.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createApi, installDropImport, type DropTarget } from './preload-api.js';

contextBridge.exposeInMainWorld('api', createApi(ipcRenderer));
installDropImport(globalThis as unknown as DropTarget, (file) => webUtils.getPathForFile(file as File), ipcRenderer);
