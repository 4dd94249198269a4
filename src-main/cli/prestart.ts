/**
 * Whether a command line will train in a local trainer process: `train`, unless it trains through
 * a Redis queue or on a GPU rung (a browser page), or only asks for help. cli/entry.ts forks the
 * trainer ahead when it will. A wrong guess costs a trainer started for nothing, or started later:
 * never a different result.
 */
export function trainsHere(argv: string[]): boolean {
  if (argv[0] !== 'train') return false;
  const at = argv.findIndex((a) => a === '--backend' || a.startsWith('--backend='));
  const backend = at < 0 ? 'auto' : argv[at].includes('=') ? argv[at].slice(argv[at].indexOf('=') + 1) : argv[at + 1];
  return !argv.some((a) => a === '--redis' || a.startsWith('--redis=') || a === '--help' || a === '-h') && backend !== 'webgpu' && backend !== 'webgl';
}
