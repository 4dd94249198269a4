/** Types for bin/electron-check.js (plain JS, so `npm start` can run it before any build). */
export const DESKTOP_NODE: [number, number];
export function electronBinary(electronDir?: string | null, env?: Record<string, string | undefined>): string | null;
export function desktopProblem(version?: string, binary?: string | null): string | null;
