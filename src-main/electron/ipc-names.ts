/**
 * The IPC channel names between our preload and main. Few on purpose: every contract command
 * travels on one channel and is parsed against the contract in main (ipc.ts). No dependencies:
 * the sandboxed preload bundles this file.
 */
export const IPC = {
  /** (channel, request) → Result: every contract command. */
  invoke: 'layerlab:invoke',
  /** main → renderer: (eventName, payload) for every contract event. */
  event: 'layerlab:event',
  /** (options?) → Result<PickedFile | null>: a native open-file dialog. */
  pickFile: 'layerlab:pick-file',
  /** () → Result<PickedFile | null>: a native choose-folder dialog. */
  pickFolder: 'layerlab:pick-folder',
  /** ({ id }) → Result<null>: the run the renderer shows, for File › Export run…. */
  selectRun: 'layerlab:select-run',
  /** ({ path }) → Result<null>: a file dropped onto the window, imported as a dataset. */
  importDropped: 'layerlab:import-dropped',
} as const;

/** Options of pickFile, as the renderer may pass them. */
export interface PickFileOptions {
  title?: string;
  filters?: { name: string; extensions: string[] }[];
}

/**
 * What a dialog gives the page: an opaque handle the service maps back to the chosen path
 * (service/file-refs.ts), and the file's name to show. The path itself stays in main.
 */
export interface PickedFile {
  handle: string;
  name: string;
}
