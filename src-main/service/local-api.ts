/**
 * The in-memory transport: the contract's Api over a Service in the same process, with the same
 * validation and the same wire envelope as IPC and WebSocket (values pass through JSON, so nothing
 * the other transports could not carry slips through).
 */
import { parseRequest, parseTyped, type Api, type Caller, type Channel, type EventName, type Events, type RequestOf, type Responses } from '../shared/contract.js';
import { toErrorInfo } from '../shared/errors.js';
import type { Service } from './service.js';

export function localApi(service: Service, caller: Caller = { face: 'page' }): Api {
  return {
    async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> {
      const parsed = parseRequest(channel, JSON.parse(JSON.stringify(request ?? {})));
      let envelope: string;
      if (!parsed.ok) envelope = JSON.stringify({ ok: false, error: parsed.error });
      else {
        try {
          envelope = JSON.stringify({ ok: true, value: await service.dispatch(parsed.value, caller) });
        } catch (err) {
          envelope = JSON.stringify({ ok: false, error: toErrorInfo(err) });
        }
      }
      const r = JSON.parse(envelope) as { ok: boolean; value?: Responses[C]; error?: { name: string; message: string } };
      if (!r.ok) throw Object.assign(new Error(r.error!.message), { name: r.error!.name });
      return r.value as Responses[C];
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      return service.on(event, (p) => listener(JSON.parse(JSON.stringify(p)) as Events[E]));
    },
  };
}

/**
 * The contract's Api over a Service in this process without the JSON round trip, for a face that
 * runs the service itself (the CLI, benchmarks): each request is still parsed by the contract.
 */
export function directApi(service: Service, caller: Caller): Api {
  return {
    invoke: <C extends Channel>(channel: C, request: RequestOf<C>): Promise<Responses[C]> => service.invoke(parseTyped(channel, request), caller),
    on: (event, listener) => service.on(event, listener),
  };
}
