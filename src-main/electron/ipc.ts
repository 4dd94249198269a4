/**
 * The one door from the renderer into main. Every handler goes through `guarded`: the sender must
 * be our window's main frame on our origin, the arguments are parsed before anything runs, and
 * every outcome travels as a Result envelope `{ ok, value } | { ok: false, error: { name, message } }`.
 * A raw ipcMain.handle anywhere else is a review finding.
 */
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import { parseRequest, type AnyParsed, type Caller, type Channel, type Events, type EventName, type Parsed, type Responses, type Result } from '../shared/contract.js';
import { EVENT_NAMES } from '../shared/channels.js';
import { isUserError, toErrorInfo, type ErrorInfo } from '../shared/errors.js';
import { originOf } from './guards.js';
import { IPC, type PickedFile, type PickFileOptions } from './ipc-names.js';

/** What the faces need of the service; `Service` satisfies it, tests hand in a fake. */
export interface ServiceLike {
  /** Takes only what the contract parsed (contract.ts Parsed): the one door. */
  invoke<C extends Channel>(parsed: Parsed<C>, caller?: Caller): Promise<Responses[C]>;
  dispatch(parsed: AnyParsed, caller?: Caller): Promise<unknown>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  close(reason: 'quit' | 'shutdown'): Promise<void>;
}

/** The parts of an invoke event the sender check reads. */
export interface SenderInfo {
  sender: unknown;
  senderFrame: { url: string; parent: unknown } | null;
}

type ParseResult<A> = { ok: true; value: A } | { ok: false; error: ErrorInfo };

/**
 * True when the message comes from `contents()`'s top frame showing one of our origins. A frame
 * that navigated away, a subframe, or another WebContents is refused.
 */
export function trustedSender(contents: () => WebContents | null, origins: readonly string[]): (event: SenderInfo) => boolean {
  return (event) => {
    const wc = contents();
    const frame = event.senderFrame;
    if (!wc || event.sender !== wc || !frame || frame.parent !== null) return false;
    const origin = originOf(frame.url);
    return origin !== null && origins.includes(origin);
  };
}

const REFUSED: ErrorInfo = { name: 'SecurityError', message: "refused: the request did not come from Layerlab's window" };

/** The wrapper every handler goes through. */
export function guarded<A, T>(
  trusted: (event: SenderInfo) => boolean,
  parse: (args: unknown[]) => ParseResult<A>,
  run: (arg: A) => Promise<T> | T,
): (event: SenderInfo, ...args: unknown[]) => Promise<Result<T>> {
  return async (event, ...args) => {
    if (!trusted(event)) return { ok: false, error: REFUSED };
    const parsed = parse(args);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    try {
      return { ok: true, value: await run(parsed.value) };
    } catch (err) {
      // The user's mistakes are shown to them; anything else is our bug and keeps its stack here.
      if (!isUserError(err)) console.error(err);
      return { ok: false, error: toErrorInfo(err) };
    }
  };
}

/** (channel, request) → the contract's schema → service.dispatch. */
export function contractParse([channel, request]: unknown[]): ParseResult<AnyParsed> {
  return parseRequest(channel, request);
}

/** The window is a page: it names files by the handles its dialogs gave it, never by path. */
export const WINDOW: Caller = { face: 'page' };

/** Parses the first argument with a zod schema; failures read like the contract's. */
function first<S extends z.ZodType>(label: string, schema: S): (args: unknown[]) => ParseResult<z.infer<S>> {
  return ([arg]) => {
    const r = schema.safeParse(arg);
    if (r.success) return { ok: true, value: r.data };
    const issue = r.error.issues[0];
    return { ok: false, error: { name: 'ContractError', message: `${label}: ${issue.path.map(String).join('.') || 'argument'}: ${issue.message}` } };
  };
}

/** pickFile's options: a title and extension filters, nothing that could preset a path. */
export const parsePickFileOptions = first('pickFile', z.object({
  title: z.string().min(1).max(200).optional(),
  filters: z.array(z.object({
    name: z.string().min(1).max(100),
    extensions: z.array(z.string().regex(/^[\w*]{1,20}$/)).min(1).max(20),
  }).strict()).max(20).optional(),
}).strict().optional().transform((o): PickFileOptions => o ?? {}));

export const parseNothing = first('pickFolder', z.undefined());
export const parseRunSelection = first('selectRun', z.object({ id: z.string().min(1).max(200).nullable() }).strict().transform((o) => o.id));
export const parseDroppedPath = first('importDropped', z.object({ path: z.string().min(1).max(4096) }).strict().transform((o) => o.path));

export interface IpcDeps {
  service: ServiceLike;
  trusted: (event: SenderInfo) => boolean;
  pickFile: (options: PickFileOptions) => Promise<PickedFile | null>;
  pickFolder: () => Promise<PickedFile | null>;
  selectRun: (id: string | null) => void;
  importDropped: (path: string) => Promise<void>;
}

type Handle = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** Registers every handler; returns a function that removes them. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, deps: IpcDeps): () => void {
  const handlers: [string, Handle][] = [
    [IPC.invoke, guarded(deps.trusted, contractParse, (parsed) => deps.service.dispatch(parsed, WINDOW))],
    [IPC.pickFile, guarded(deps.trusted, parsePickFileOptions, deps.pickFile)],
    [IPC.pickFolder, guarded(deps.trusted, parseNothing, () => deps.pickFolder())],
    [IPC.selectRun, guarded(deps.trusted, parseRunSelection, (id) => { deps.selectRun(id); return null; })],
    [IPC.importDropped, guarded(deps.trusted, parseDroppedPath, async (path) => { await deps.importDropped(path); return null; })],
  ];
  for (const [name, handler] of handlers) ipcMain.handle(name, handler);
  return () => { for (const [name] of handlers) ipcMain.removeHandler(name); };
}

/** Forwards every contract event to the window; returns a function that stops forwarding. */
export function forwardEvents(service: ServiceLike, contents: () => Pick<WebContents, 'send' | 'isDestroyed'> | null): () => void {
  const offs = EVENT_NAMES.map((name) => service.on(name, (payload) => {
    const wc = contents();
    if (wc && !wc.isDestroyed()) wc.send(IPC.event, name, payload);
  }));
  return () => { for (const off of offs) off(); };
}
