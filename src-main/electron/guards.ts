/**
 * What the window may do besides showing our own pages: nothing. Navigation away from our origin,
 * new windows, <webview>s and permission requests are refused; a few documentation links open in
 * the user's browser. The decisions are pure functions so they are tested without Electron.
 */
import type { Session, WebContents } from 'electron';

/** Hosts whose https links may open in the user's browser (docs the app links to). */
export const EXTERNAL_HOSTS: readonly string[] = [
  'keras.io',
  'www.tensorflow.org',
  'js.tensorflow.org',
  'github.com',
  'developer.nvidia.com',
];

/** `scheme://host[:port]`, also for custom schemes (where URL.origin is the string "null"). */
export function originOf(url: string): string | null {
  try {
    const u = new URL(url);
    return u.host ? `${u.protocol}//${u.host}` : null;
  } catch {
    return null;
  }
}

/** Navigation stays on our own origins (app://layerlab, and the dev server in development). */
export function navigationAllowed(url: string, origins: readonly string[]): boolean {
  const origin = originOf(url);
  return origin !== null && origins.includes(origin);
}

/** Only plain https links to allow-listed hosts, without credentials or odd ports. */
export function externalLinkAllowed(url: string, hosts: readonly string[] = EXTERNAL_HOSTS): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && u.username === '' && u.password === '' && u.port === '' && hosts.includes(u.hostname);
}

/** window.open and target=_blank: never a new Electron window; maybe the user's browser. */
export function windowOpenDecision(url: string): { action: 'deny'; openExternal: boolean } {
  return { action: 'deny', openExternal: externalLinkAllowed(url) };
}

/** Layerlab needs no camera, microphone, notifications, geolocation, clipboard-read… */
export function permissionAllowed(_permission: string): boolean {
  return false;
}

interface GuardDeps {
  origins: readonly string[];
  openExternal: (url: string) => void;
}

/** Applied to every WebContents the app creates (app 'web-contents-created'). */
export function guardContents(contents: WebContents, deps: GuardDeps): void {
  const onNavigate = (event: { preventDefault(): void }, url: string) => {
    if (navigationAllowed(url, deps.origins)) return;
    event.preventDefault();
    // A plain link to the docs: open it where the user reads the web, not in our window.
    if (externalLinkAllowed(url)) deps.openExternal(url);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternal) deps.openExternal(url);
    return { action: decision.action };
  });
}

/** Applied to the session our window uses. */
export function guardSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(permissionAllowed(permission)));
  session.setPermissionCheckHandler((_contents, permission) => permissionAllowed(permission));
  session.setDevicePermissionHandler(() => false);
}
