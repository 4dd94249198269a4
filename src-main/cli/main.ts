/**
 * The `layerlab` command. Every command runs through the same service the app uses.
 * A user's mistake prints one line on stderr and exits 2; never a stack trace.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../shared/errors.js';
import { bookText, PRESETS } from '../shared/presets.js';
import { BACKEND_CHOICES } from '../shared/backends.js';
import type { Api } from '../shared/contract.js';
import { summarize, formatSummary } from '../shared/summary.js';
import { Service, type ServiceOptions } from '../service/service.js';
import { directApi } from '../service/local-api.js';
import { resolveHome } from '../data/home.js';
import { HOME_OPTION, intOption, parse, stringOption } from './args.js';
import { choice } from './flags.js';
import { TRAIN_OPTIONS, trainCommand, specFromOptions } from './train.js';
import { datasetsCommand, mirrorOption } from './datasets.js';
import { runsCommand, compareCommand, COMPARE_FORMATS, COMPARE_METRICS } from './runs.js';
import { localWorkersOption, redisOption, stallSeconds, workerCommand, WORKER_OPTIONS } from './worker.js';
import { LAYERLAB_VERSION } from '../shared/version.js';
import { reportFailure } from './failure.js';
import { trace } from '../workers/trace.js';

trace('cli: modules imported');

const HELP = `layerlab — build, train and compare Keras-style networks without code

  layerlab train [--preset NAME | --model spec.json] [--dataset fashion-mnist|ID|FOLDER]
                 [--optimizer NAME] [--lr X] [--epochs N] [--batch-size N] [--validation-split F]
                 [--limit N] [--seed N] [--repeat N] [--backend auto|webgpu|webgl|native|wasm|cpu [--reprobe]]
                 [--name NAME] [--tag TAG]… [--notes TEXT] [--save-model] [--json]
                 [--patience N] [--monitor valLoss|valAccuracy|loss|accuracy] [--min-delta X] [--restore-best] [--checkpoint]
                 [--probe N]   layer statistics after each epoch on N validation samples (default 256; 0: none)
                 [--continue RUN_ID]   more epochs from a run's saved model (its own spec and dataset)
                 [--redis URL [--local-workers N]]   train on 'layerlab worker' processes through a Redis queue
                                 (docs/scaling.md); --local-workers: this machine takes N runs at a time from it too
  layerlab presets [--json]              the textbook's models
  layerlab summary [--preset NAME | --model spec.json] [--json]
  layerlab datasets list|show ID|import PATH|delete ID|generate KIND [--json]
  layerlab datasets download fashion-mnist|mnist [--mirror URL]   when online; resumes
  layerlab runs list|show ID [--layers]|delete ID…|export ID [--out FILE [--force]]|import FILE|evaluate ID [--json]
                 list [--group G] [--tag T] [--status S] [--dataset D] [--worker NAME] [--format table|csv]:
                 a worker column when a queue worker trained some run; --worker: only the runs it trained
                 --layers: per layer, activations (mean, sd, zeros, saturated) and gradient norms by epoch
  layerlab predict RUN_ID IMAGE… [--sample N]… [--json]
                                           a saved model on your PNG/JPEG files (resized, grayscale, scaled as in training)
                                           or on test samples by index; --maps DIR: a convolutional model's first
                                           filters and each input's feature maps there, as PNG files in DIR
  layerlab compare ID|GROUP… [--metric valAccuracy|trainAccuracy|valLoss] [--json] [--format table|markdown|csv]
  layerlab serve [--port N] [--import-root DIR] [--max-upload-mb N] [--host ADDR --allow-remote] [--redis URL]   the app in a browser
  layerlab worker --redis URL [--concurrency N] [--name NAME] [--stall-seconds N]
                 this machine trains runs others put on the queue; URL: redis://[user:password@]host:port, rediss:// for TLS
                 --stall-seconds: how long a worker may go without renewing its run's lock (default 30); a killed
                 worker's run is taken up again from epoch 1 by another worker within about twice that (~60 s)

  --home DIR   Layerlab's data folder (default: $LAYERLAB_HOME or the user data folder)
  --debug      print the full error (with its stack) when something goes wrong
`;

/**
 * Runs `fn` against a service on the data folder, through the contract: every request the CLI
 * makes is parsed like a page's, as the caller 'cli' (which may name any absolute path).
 */
async function withService<T>(home: string | undefined, fn: (api: Api, service: Service) => Promise<T>, options: Omit<ServiceOptions, 'home'> = {}): Promise<T> {
  const service = new Service({ home: resolveHome(home), ...options });
  await service.start();
  trace('cli: service started (data folder, store)');
  try {
    return await fn(directApi(service, { face: 'cli' }), service);
  } finally {
    await service.close('quit');
  }
}

/**
 * `layerlab COMMAND --help`: the help's lines for that command (its usage and the lines under it),
 * then the options every command takes; the whole help for a command it does not name.
 */
function commandHelp(command: string): string {
  const lines = HELP.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`  layerlab ${command} `) || l === `  layerlab ${command}`);
  if (start < 0) return HELP;
  let end = start + 1;
  while (end < lines.length && /^ {3,}\S/.test(lines[end])) end++;
  const common = lines.filter((l) => /^ {2}--(home|debug)\b/.test(l));
  return `${[...lines.slice(start, end), '', ...common].join('\n')}\n`;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command && rest.some((a) => a === '--help' || a === '-h')) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  switch (command) {
    case 'train': {
      const { values } = parse(rest, { ...TRAIN_OPTIONS, ...COMMON }, 'train');
      const backend = choice(values, 'backend', BACKEND_CHOICES);
      const trainingPath = choice(values, 'path', ['fast', 'stock'] as const);
      const redis = redisOption(values, false);
      const stall = stallSeconds(values);
      const localWorkers = localWorkersOption(values);
      return withService(stringOption(values, 'home'), (api) => trainCommand(api, values), {
        backend, trainingPath, concurrency: intOption(values, 'concurrency', 1), reprobe: values.reprobe === true,
        ...(redis ? { redis: { url: redis, ...(stall ? { stallSeconds: stall } : {}), ...localWorkers, onStatus: (line: string) => process.stderr.write(`layerlab: ${line}\n`) } } : {}),
      });
    }
    case 'presets': {
      const { values } = parse(rest, { json: { type: 'boolean' }, ...COMMON }, 'presets');
      if (values.json) process.stdout.write(`${JSON.stringify(PRESETS, null, 2)}\n`);
      else for (const p of PRESETS) process.stdout.write(`${p.name.padEnd(14)} ${p.description}${p.book ? `\n${' '.repeat(15)}book: ${bookText(p.book)}` : ''}\n`);
      return 0;
    }
    case 'predict': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, sample: { type: 'string', multiple: true }, maps: { type: 'string' }, ...COMMON }, 'predict');
      const { predictCommand } = await import('./predict.js');
      return withService(stringOption(values, 'home'), (api) => predictCommand(api, positionals, values));
    }
    case 'summary': {
      const { values } = parse(rest, { preset: { type: 'string' }, model: { type: 'string' }, json: { type: 'boolean' }, debug: { type: 'boolean' }, ...HOME_OPTION }, 'summary');
      const summary = summarize(specFromOptions(values).spec);
      process.stdout.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : `${formatSummary(summary)}\n`);
      return 0;
    }
    case 'datasets': {
      const { values, positionals } = parse(rest, DATASET_OPTIONS, 'datasets');
      return withService(stringOption(values, 'home'), (api) => datasetsCommand(api, positionals, values), { datasetMirror: mirrorOption(values) });
    }
    case 'runs': {
      const { values, positionals } = parse(rest, RUNS_OPTIONS, 'runs');
      return withService(stringOption(values, 'home'), (api) => runsCommand(api, positionals, values));
    }
    case 'compare': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, format: { type: 'string' }, metric: { type: 'string' }, ...COMMON }, 'compare');
      // Checked before the data folder is opened; compareCommand reads them again, typed.
      choice(values, 'format', COMPARE_FORMATS);
      choice(values, 'metric', COMPARE_METRICS);
      return withService(stringOption(values, 'home'), (api) => compareCommand(api, positionals, values));
    }
    case 'serve': {
      // Loaded by the commands that need them: ws and the server are no part of a train's start.
      const { serveCommand, SERVE_OPTIONS } = await import('./serve.js');
      const { values } = parse(rest, SERVE_OPTIONS, 'serve');
      return serveCommand(values, join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer'));
    }
    case 'worker': {
      const { values } = parse(rest, WORKER_OPTIONS, 'worker');
      return workerCommand(values);
    }
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(HELP);
      return 0;
    case '--version': case 'version':
      process.stdout.write(`layerlab ${LAYERLAB_VERSION}\n`);
      return 0;
    default:
      throw new UserError(`unknown command '${command}'; see 'layerlab help'`);
  }
}

/** Every command takes --home and --debug. */
const COMMON = { ...HOME_OPTION, debug: { type: 'boolean' } } as const;

const DATASET_OPTIONS = {
  json: { type: 'boolean' }, format: { type: 'string' }, mirror: { type: 'string' }, 'label-column': { type: 'string' }, 'image-shape': { type: 'string' },
  name: { type: 'string' }, samples: { type: 'string' }, noise: { type: 'string' }, seed: { type: 'string' }, labels: { type: 'string' },
  ...COMMON,
} as const;
const RUNS_OPTIONS = {
  json: { type: 'boolean' }, out: { type: 'string' }, force: { type: 'boolean' }, group: { type: 'string' }, tag: { type: 'string' }, status: { type: 'string' },
  dataset: { type: 'string' }, worker: { type: 'string' }, format: { type: 'string' }, layers: { type: 'boolean' }, ...COMMON,
} as const;

const argv = process.argv.slice(2);
// A reader that stops early (`| head`) closes the pipe: that ends the output, it is no error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw err; });
}
main(argv).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => { process.exitCode = reportFailure(err, argv.includes('--debug')); },
);
