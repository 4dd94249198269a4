/** Hash routes: they work from app:// and from `layerlab serve` alike, with no server help. */
export const ROUTES = ['data', 'model', 'train', 'runs'] as const;
export type Route = (typeof ROUTES)[number];

export function parseRoute(hash: string): Route {
  const name = hash.replace(/^#\/?/, '').split(/[/?]/)[0];
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'data';
}

export function href(route: Route): string {
  return `#/${route}`;
}
