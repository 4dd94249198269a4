/**
 * Messages that reach a page, as codes with parameters: the service keeps saying them in English
 * (CLI, logs: `messageText`), and the renderer writes each code in the user's language
 * (src-renderer/src/i18n, keys `msg.<code>`). Parameters are plain values (names, paths, numbers).
 */
export const MESSAGE_TEXT = {
  'compare.datasets': 'cannot compare {a} (trained on {aDataset}) with {b} (trained on {bDataset}): runs on different datasets are not comparable; compare runs of one dataset',
  'dataset.missing': "{name} not found (looked in {dirs}): download it with 'layerlab datasets download {id}', or put {files} in {folder}, or pass --dataset <folder>",
  'dataset.missingApt': "{name} not found (looked in {dirs}): install it with 'sudo apt-get install {apt}', or download it with 'layerlab datasets download {id}', or put {files} in {folder}, or pass --dataset <folder>",
  'compare.devices': '{a} trained on {aDevice} and {b} on {bDevice}: their speed differs, their scores should not (beyond rounding), so this is a note, not a warning',
  'backend.notInstalled': '{package} is not installed (its install needs to download libtensorflow)',
  'backend.stockPath': 'the stock path (tf.LayersModel.fit) was asked for, which runs on tfjs',
  'backend.noTfjs': 'no TensorFlow.js backend starts under it (wasm, cpu)',
  'backend.packageMissing': '{package} is not installed',
  'backend.nativeAtRun': 'the addon loads in the trainer process',
  'backend.browserAtRun': 'a browser was found; its adapter is known at the run',
  'backend.noGpuPage': 'this face has no GPU page',
  'backend.browserOff': 'LAYERLAB_BROWSER=none turns the browser rungs off',
  'backend.browserNoFile': 'LAYERLAB_BROWSER={path}: no such file; point it at a Chrome, Chromium or Edge executable',
  'backend.noBrowser': 'no Chromium-family browser found (Chrome, Chromium or Edge); install one or set LAYERLAB_BROWSER to its executable',
  'backend.pageNotBuilt': 'the GPU trainer page is not built (out/gpu-page): run npm run build',
  'backend.noGpuDevice': 'no GPU device ({devices}), not timed; LAYERLAB_WEBGPU_ADAPTER=swiftshader times the software adapter',
  'import.notFound': '{file}: does not exist; check the path',
  'import.denied': '{file}: cannot be read: permission denied; check its permissions',
  'import.isFolder': '{file}: is a folder; give a file inside it',
  'import.notFolder': '{file}: is not a folder; give the folder that holds it',
  'import.unknownFormat': "{file}: has an unknown format ('{ext}'); give --format idx, csv, images, npy or npz",
  'import.utf16': '{file}: is UTF-16 text; save it as UTF-8 (in Excel: CSV UTF-8)',
  'import.empty': '{file}: is empty',
  'import.headerOnly': '{file}: has a header but no data rows',
  'import.noRows': '{file}: has no data rows',
  'import.ragged': '{file}: line {line}: {count} fields, expected {expected} as on the first line; fix or remove that line',
  'import.raggedOne': '{file}: line {line}: 1 field, expected {expected} as on the first line; fix or remove that line',
  'import.unclosedQuote': '{file}: line {line}: a quoted field is not closed (a missing \'"\')',
  'import.afterQuote': '{file}: line {line}: text after a closing quote; a quote inside a quoted field is written as ""',
  'import.labelEmpty': '{file}: line {line}: the label (column {column}) is empty',
  'import.missingValue': '{file}: line {line}, column {column} is empty; missing values are not supported (fill or drop them first)',
  'import.notNumber': "{file}: line {line}, column {column}: '{value}' is not a number; features must be numeric (if this column holds the classes, choose it as the label column)",
  'import.oneClass': "{file}: has only one class ('{name}'); a classifier needs at least 2 (is the label column '{column}' right?)",
  'spec.inputMismatch': "the model's input shape [{shape}] ({want} values) does not fit {dataset}'s samples [{featureShape}] ({have} values): set inputShape to [{featureShape}]",
  'spec.unitsMismatch': "the output layer has {units} units but {dataset} has {classes} classes: set the last Dense layer's units to {classes}",
  'dataset.downloadFailed': 'could not download {name} ({details}). Without a network: copy the four .gz files into {dir}',
  'dataset.downloadFailedApt': "could not download {name} ({details}). Without a network: install it with 'sudo apt-get install {apt}', or copy the four .gz files into {dir}",
  'dataset.downloadFailedKept': 'could not download {name} ({details}); the {size} that arrived are kept and the next download resumes. Without a network: copy the four .gz files into {dir}',
  'dataset.downloadFailedKeptApt': "could not download {name} ({details}); the {size} that arrived are kept and the next download resumes. Without a network: install it with 'sudo apt-get install {apt}', or copy the four .gz files into {dir}",
  'train.nonFinite': 'the loss became NaN or infinite in epoch {epoch}: lower the learning rate (now {rate}) or check the data for extreme values',
  'predict.notImage': '{file}: not an image: give a PNG or JPEG file',
  'predict.format': '{file}: a {format} image: give a PNG or JPEG file',
  'predict.unreadable': '{file}: cannot read it ({reason})',
  'predict.shape': '{file}: a {width}×{height} picture is too far from the model\'s {modelWidth}×{modelHeight} shape to resize without distorting it: crop it to about that shape first',
  'predict.numbers': '{file}: the model takes {count} numbers per sample, not an image: predict needs a model trained on images (height × width, 1 or 3 channels)',
  'predict.inputShape': '{file}: the model takes input of shape ({shape}), not an image: predict needs a model trained on images (height × width, 1 or 3 channels)',
  'predict.noSample': 'test sample {index}: there is none: the test split has {count} samples (0 to {last})',
  'queue.settingUnreadable': '{file}: the saved queue setting cannot be read ({reason}); runs train on this machine: fix its permissions, or set the queue again in Settings',
  'queue.settingDamaged': '{file}: the saved queue setting is damaged ({detail}) and is ignored; runs train on this machine: set the queue again in Settings',
  'queue.notAddress': "{field}: '{url}' is not an address; write redis://[user:password@]host[:port][/db], or rediss://… for TLS",
  'queue.notRedis': "{field}: '{url}' is not a Redis address (it starts with {protocol}); write redis://host:port or rediss://host:port for TLS",
  'queue.noHost': "{field}: '{url}' names no host; write redis://host:port",
  'queue.password': '{field} {url}: refused the password ({detail}): check user and password in the address',
  'queue.unreachable': '{field} {url}: cannot be reached ({detail}); is redis-server running there?',
  'queue.fromFlag': 'this Layerlab was started with --redis (or LAYERLAB_REDIS): its queue is set there; start it without that to use the saved setting',
  'queue.noSetting': 'this face has no queue setting: give --redis to train or serve instead',
  'predict.noTestSplit': 'test sample {index}: the dataset has no test split; give an image file instead',
} as const;

export type MessageCode = keyof typeof MESSAGE_TEXT;
export type MessageParams = Record<string, string | number>;
/** A message as data: what a page translates. */
export interface Message { code: MessageCode; params: MessageParams }

export function isMessageCode(code: unknown): code is MessageCode {
  return typeof code === 'string' && Object.hasOwn(MESSAGE_TEXT, code);
}

/** Fills `{name}` placeholders. */
export function fill(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The English text of a message (what the CLI prints). */
export function messageText(m: Message): string {
  return fill(MESSAGE_TEXT[m.code], m.params);
}

export function message(code: MessageCode, params: MessageParams = {}): Message {
  return { code, params };
}
