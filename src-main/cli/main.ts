/**
 * The `layerlab` command. Every command runs through the same service the app uses.
 * A user's mistake prints one line on stderr and exits 2; never a stack trace.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUserError, UserError } from '../shared/errors.js';
import { PRESETS } from '../shared/presets.js';
import { BACKEND_CHOICES } from '../shared/backends.js';
import { summarize, formatSummary } from '../shared/summary.js';
import { Service } from '../service/service.js';
import { resolveHome } from '../data/home.js';
import { HOME_OPTION, intOption, parse, stringOption } from './args.js';
import { TRAIN_OPTIONS, trainCommand, specFromOptions } from './train.js';
import { datasetsCommand } from './datasets.js';
import { runsCommand, compareCommand } from './runs.js';
import { serve } from '../server/server.js';

const HELP = `layerlab — build, train and compare Keras-style networks without code

  layerlab train [--preset NAME | --model spec.json] [--dataset fashion-mnist|ID|FOLDER]
                 [--optimizer NAME] [--lr X] [--epochs N] [--batch-size N] [--validation-split F]
                 [--limit N] [--seed N] [--repeat N] [--backend auto|webgpu|webgl|native|wasm|cpu]
                 [--name NAME] [--tag TAG]… [--notes TEXT] [--save-model] [--json]
  layerlab presets [--json]              the textbook's models
  layerlab summary [--preset NAME | --model spec.json]
  layerlab datasets list|show ID|import PATH|delete ID|generate KIND [--json]
  layerlab datasets download fashion-mnist|mnist [--mirror URL]   when online; resumes
  layerlab runs list|show ID|delete ID…|export ID --out FILE|import FILE [--json]
  layerlab compare ID|GROUP… [--metric valAccuracy|trainAccuracy|valLoss] [--json] [--format table|markdown|csv]
  layerlab serve [--port N] [--host 127.0.0.1]   the app in a browser

  --home DIR   Layerlab's data folder (default: $LAYERLAB_HOME or the user data folder)
`;

async function withService<T>(home: string | undefined, fn: (s: Service) => Promise<T>, options: { backend?: string; path?: string; concurrency?: number } = {}): Promise<T> {
  const service = new Service({
    home: resolveHome(home),
    backend: options.backend as 'auto' | undefined,
    trainingPath: options.path as 'fast' | undefined,
    concurrency: options.concurrency,
  });
  await service.start();
  try {
    return await fn(service);
  } finally {
    await service.close('quit');
  }
}

function checkChoice(value: string | undefined, allowed: string[], flag: string): void {
  if (value !== undefined && !allowed.includes(value)) throw new UserError(`${flag}: '${value}' is not one of ${allowed.join(', ')}`);
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'train': {
      const { values } = parse(rest, { ...TRAIN_OPTIONS, ...HOME_OPTION }, 'train');
      checkChoice(stringOption(values, 'backend'), [...BACKEND_CHOICES], '--backend');
      checkChoice(stringOption(values, 'path'), ['fast', 'stock'], '--path');
      return withService(stringOption(values, 'home'), (s) => trainCommand(s, values), {
        backend: stringOption(values, 'backend'), path: stringOption(values, 'path'), concurrency: intOption(values, 'concurrency', 1),
      });
    }
    case 'presets': {
      const { values } = parse(rest, { json: { type: 'boolean' } }, 'presets');
      if (values.json) process.stdout.write(`${JSON.stringify(PRESETS, null, 2)}\n`);
      else for (const p of PRESETS) process.stdout.write(`${p.name.padEnd(14)} ${p.description}${p.book ? `  (book: train ${p.book.trainAccuracy.toFixed(3)} / val ${p.book.valAccuracy.toFixed(3)})` : ''}\n`);
      return 0;
    }
    case 'summary': {
      const { values } = parse(rest, { preset: { type: 'string' }, model: { type: 'string' } }, 'summary');
      process.stdout.write(`${formatSummary(summarize(specFromOptions(values).spec))}\n`);
      return 0;
    }
    case 'datasets': {
      const { values, positionals } = parse(rest, DATASET_OPTIONS, 'datasets');
      return withService(stringOption(values, 'home'), (s) => datasetsCommand(s, positionals, values));
    }
    case 'runs': {
      const { values, positionals } = parse(rest, RUNS_OPTIONS, 'runs');
      return withService(stringOption(values, 'home'), (s) => runsCommand(s, positionals, values));
    }
    case 'compare': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' }, format: { type: 'string' }, metric: { type: 'string' }, ...HOME_OPTION }, 'compare');
      checkChoice(stringOption(values, 'format'), ['table', 'markdown', 'csv'], '--format');
      checkChoice(stringOption(values, 'metric'), ['valAccuracy', 'trainAccuracy', 'valLoss'], '--metric');
      return withService(stringOption(values, 'home'), (s) => compareCommand(s, positionals, values));
    }
    case 'serve': {
      const { values } = parse(rest, { port: { type: 'string' }, host: { type: 'string' }, ...HOME_OPTION }, 'serve');
      const service = new Service({ home: resolveHome(stringOption(values, 'home')) });
      await service.start();
      const staticDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'renderer');
      const server = await serve({ service, staticDir, port: intOption(values, 'port', 0) ?? 7860, host: stringOption(values, 'host') });
      process.stdout.write(`Layerlab is running at ${server.url}\n(data folder: ${service.home}; press Ctrl+C to stop)\n`);
      await new Promise<void>((done) => {
        const stop = () => done();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await server.close();
      await service.close('quit');
      return 0;
    }
    case undefined: case 'help': case '--help': case '-h':
      process.stdout.write(HELP);
      return 0;
    case '--version': case 'version':
      process.stdout.write('layerlab 0.1.0\n');
      return 0;
    default:
      throw new UserError(`unknown command '${command}'; see 'layerlab help'`);
  }
}

const DATASET_OPTIONS = {
  json: { type: 'boolean' }, format: { type: 'string' }, mirror: { type: 'string' }, 'label-column': { type: 'string' }, 'image-shape': { type: 'string' },
  name: { type: 'string' }, samples: { type: 'string' }, noise: { type: 'string' }, seed: { type: 'string' }, labels: { type: 'string' },
  ...HOME_OPTION,
} as const;
const RUNS_OPTIONS = {
  json: { type: 'boolean' }, out: { type: 'string' }, group: { type: 'string' }, tag: { type: 'string' }, status: { type: 'string' },
  dataset: { type: 'string' }, ...HOME_OPTION,
} as const;

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err: unknown) => {
    if (isUserError(err)) {
      process.stderr.write(`layerlab: ${(err as Error).message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`layerlab: internal error: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
