/**
 * The worker's side of the channel to the service: child_process IPC under Node, the parentPort
 * under Electron's utilityProcess. Worker code uses only these two functions.
 */
interface ElectronParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

function electronPort(): ElectronParentPort | undefined {
  return (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
}

export function sendToParent(message: unknown): void {
  const port = electronPort();
  if (port) port.postMessage(message);
  else process.send?.(message as object);
}

export function onParentMessage(listener: (message: unknown) => void): void {
  const port = electronPort();
  if (port) port.on('message', (e) => listener(e.data));
  else process.on('message', listener);
}

/** Exit when the service goes away, so no worker outlives a crashed CLI or app. */
export function exitWithParent(): void {
  if (!electronPort()) process.on('disconnect', () => process.exit(0));
}
