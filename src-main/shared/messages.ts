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
  'import.headerTruncated': '{file}: is truncated inside its header',
  'import.idxMagic': '{file}: is not an IDX file (wrong magic number: the first two bytes must be zero)',
  'import.idxType': '{file}: has unknown IDX data type 0x{type}',
  'import.idxTruncated': '{file}: is truncated: the header [{shape}] {dtype} needs {expected} bytes, the file has {have}',
  'import.idxLonger': '{file}: is longer than its header says: the header [{shape}] {dtype} needs {expected} bytes, the file has {have}',
  'import.idxCounts': '{file}: has {labels} labels but {images} has {count} images; they must be a matching pair',
  'import.idxLabel': '{file}: label {index} is {value}; labels must be whole numbers from 0',
  'import.idxOneFile': '{file}: is one IDX file; import the folder that holds the images and labels files (train-images-idx3-ubyte, train-labels-idx1-ubyte, …)',
  'import.idxNone': '{file}: holds no train-images-idx3-ubyte / train-labels-idx1-ubyte / t10k-… files (plain or .gz)',
  'import.idxNoneFound': '{file}: holds no train-images-idx3-ubyte / train-labels-idx1-ubyte / t10k-… files (plain or .gz); found {found}',
  'import.idxTestShape': '{file}: images are {test} but the training images are {train}',
  'import.npyMagic': '{file}: is not a NumPy .npy file (no \\x93NUMPY magic); save arrays with np.save',
  'import.npyObject': "{file}: holds Python objects (dtype 'O'), which would need unpickling; Layerlab never unpickles. Save a numeric array: np.save(path, x.astype('float32'))",
  'import.npyDtype': "{file}: has dtype '{dtype}', which is not supported; use uint8, int8–int64 or float32/float64 (x.astype('float32'))",
  'import.npyStructured': '{file}: holds a structured (record) dtype; save one plain numeric array per file',
  'import.npyFortran': '{file}: is stored in Fortran order (fortran_order: True); save it in C order: np.save(path, np.ascontiguousarray(x))',
  'import.npyTooLarge': '{file}: declares shape ({shape}) of {dtype}: {need} bytes, more than the {limit}-byte limit',
  'import.npyTruncated': '{file}: is truncated: the header ({shape}) {dtype} needs {need} data bytes, the file has {have}',
  'import.npyTrailing': '{file}: has {extra} bytes after its array; it may hold several arrays saved one after another: save each to its own file, or use np.savez',
  'import.npyLabelShape': '{file}: has shape ({shape}); labels need shape (n,) or (n, 1)',
  'import.npyOneHot': '{file}: has shape ({n}, {k}) but row {row} is not one-hot; labels need shape (n,) of class indices',
  'import.npyLabel': '{file}: label {index} is {value}; labels must be whole numbers from 0 to {max} (class indices)',
  'import.npyFeatureShape': '{file}: has shape ({shape}); features need at least 2 dimensions (samples, features…)',
  'import.npyCounts': '{file}: has {labels} labels but {features} has {count} samples; they must match',
  'import.npyNoSamples': '{file}: holds no samples',
  'import.npyNonFinite': '{file}: has a NaN or infinite value at flat index {index}; clean or impute the data first',
  'import.npySplitShapes': '{file}: train samples are [{train}] but test samples are [{test}]; they must match',
  'import.npyOneClass': '{file}: has only one class (every label is 0); a classifier needs at least 2',
  'import.npyFeaturesOnly': '{file}: is a single .npy of features; give the .npy of labels too (--labels FILE), or save both with np.savez',
  'import.npzNotZip': '{file}: is not a readable .npz (zip) archive: {why}',
  'import.npzEncrypted': '{file}: member {name} is encrypted; save the arrays without a password',
  'import.npzMemberTooLarge': '{file}: member {name} declares {size} uncompressed, more than the {limit} limit',
  'import.npzMemberTruncated': '{file}: member {name} is truncated (the archive ends inside it)',
  'import.npzCrc': '{file}: member {name} fails its CRC-32 check (stored {stored}, computed {computed}); the file is corrupt: re-download or re-save it',
  'import.npzNoArray': "{file}: has no array named '{name}'; it holds {names}",
  'import.npzOneTest': '{file}: has only one of x_test and y_test; a test split needs both',
  'import.npzArrays': '{file}: holds arrays {names}; expected x_train/y_train (and x_test/y_test) or x/y: choose which arrays are the samples and which the labels',
  'import.imagesNoClasses': '{file}: has no class sub-folders; an image dataset needs one sub-folder per class, at least 2 (root/<class>/<image>)',
  'import.imagesOneClass': '{file}: has only one class sub-folder ({name}); an image dataset needs one sub-folder per class, at least 2 (root/<class>/<image>)',
  'import.imagesEmptyClass': '{file}: has no images; every class folder needs at least one (or remove the folder)',
  'import.imagesTooMany': '{file}: holds more than {max} files; split the dataset',
  'import.imagesMemory': '{file}: would need {size} as {width}×{height}×{channels} uint8 images, more than can be loaded; choose a smaller size',
  'import.imagesProblems': '{file}: has {count} files that cannot be imported: {list}. Remove them or move them out of the class folders',
  'import.imageNotImage': '{file}: not an image (unrecognised format); remove it or move it out of the class folders',
  'import.imageUnreadable': '{file}: cannot be read as an image ({detail}); re-save it or remove it',
  'import.imagePixels': '{file}: is {width}×{height} pixels, more than the {limit}-megapixel limit; shrink it or remove it',
  'import.classCount': '{file}: has {count} class; a classifier needs at least 2',
  'import.tooLarge': '{file}: is {size}, more than the import limit of {limit}; raise the limit with {variable}=<MiB> if the file is genuine',
  'import.declaresTooMuch': '{file}: declares {size} of data, more than the import limit of {limit}; raise the limit with {variable}=<MiB> if the file is genuine',
  'import.inflatesTooMuch': '{file}: decompresses to more than the import limit of {limit}; refusing it (raise the limit with {variable}=<MiB> if the file is genuine)',
  'import.inflatesPastHeader': '{file}: decompresses to more than the {expected} bytes its header declares; refusing it (a corrupt or hostile archive?)',
  'import.gzipBomb': '{file}: decompresses to more than {limit}; refusing it (a corrupt or hostile archive?)',
  'import.gzipBad': '{file}: is not a valid gzip file ({detail}); re-download or re-compress it',
  'run.notFound': "no run with id {id}: see 'layerlab runs list'",
  'run.notFoundShort': 'no run with id {id}',
  'run.stillTraining': 'run {id} is still training: stop it before deleting it',
  'run.otherProcessTraining': 'run {id} is training in another Layerlab process (pid {pid}); stop it there (or wait for it to finish) before deleting it',
  'run.otherProcessQueued': 'run {id} is queued in another Layerlab process (pid {pid}); stop it there (or wait for it to finish) before deleting it',
  'run.exportUnfinished': 'run {id} is {status}: export it once it has finished',
  'run.exportExists': '{path}: already exists; choose another file, or replace it with --force',
  'run.noModel': 'run {id} kept no model: train with --save-model (or the "keep the model" box, or a checkpoint) to evaluate or continue it later',
  'dataset.notFound': "no dataset with id {id}: see 'layerlab datasets list'",
  'dataset.builtIn': '{id} is built in and cannot be deleted',
  'dataset.noImported': "no imported dataset with id {id}: see 'layerlab datasets list'",
  'experiment.notFound': 'no experiment with id {id}',
  'compare.nothing': 'nothing to compare: name runs or groups',
  'compare.noCompleted': 'group {group} has no completed runs',
  'file.handleExpired': '{field}: this file handle is unknown or has expired; choose the file again',
  'file.relative': "{field}: '{path}' is a relative path; give an absolute one",
  'file.outsideRoot': '{field}: a page cannot name a file by path ({path}); only files inside {root} may be named by path here; upload the file instead',
  'file.noRoot': '{field}: a page cannot name a file by path ({path}); upload the file (drop it on the page or use Browse), or start layerlab serve with --import-root FOLDER',
  'file.download': '{field}: a page cannot name a file by path ({path}); the file comes back as a download instead',
  'runFile.notJson': '{file}: (file): not JSON: not a Layerlab run export',
  'runFile.format': "{file}: format: expected '{format}': not a Layerlab run export",
  'runFile.newer': '{file}: version: made by a newer Layerlab (format {version}, this one reads {reads}): update Layerlab',
  'runFile.bytes': '{file}: {field}: says {declared}, the data has {have}: the file was changed or damaged',
  'runFile.sha': '{file}: {field}: does not match the data: the file was changed or damaged',
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
  const text = fill(MESSAGE_TEXT[m.code], m.params);
  // A problem inside one array of an .npz: '<file>: member <name> <problem>' (every import.* text starts with '{file}: ').
  if (m.params.member === undefined || !m.code.startsWith('import.')) return text;
  const file = String(m.params.file);
  return `${file}: member ${m.params.member} ${text.slice(file.length + 2)}`;
}

export function message(code: MessageCode, params: MessageParams = {}): Message {
  return { code, params };
}

/**
 * The coded message whose English text this is, among the codes starting with `prefix`: for text
 * stored before it was coded (a run's skipped backend rungs keep only their English reason).
 */
export function recognise(text: string, prefix: string): Message | undefined {
  for (const [code, template] of Object.entries(MESSAGE_TEXT)) {
    if (!code.startsWith(prefix)) continue;
    const names: string[] = [];
    const pattern = template.split(/\{(\w+)\}/)
      .map((part, i) => (i % 2 ? (names.push(part), '(.+?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
    const m = new RegExp(`^${pattern}$`, 's').exec(text);
    if (m) return { code: code as MessageCode, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1]])) };
  }
  return undefined;
}
