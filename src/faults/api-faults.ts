/**
 * API faults: before a request's handler runs, a matching rule waits its latency and/or answers
 * the action's own documented error (code, HTTP status and message from the action's error table),
 * so nothing changes and the client sees the real shape. Only the `x-openecs-fault` response
 * header says the error was injected.
 */
import { EcsError } from '../domain/errors.js';
import type { Db } from '../store/db.js';
import type { ActionSpec } from '../api/spec-types.js';
import { API_TARGET, activeRules, globMatches, sleep, take } from './rules.js';

/**
 * Errors the API gateway answers for any action (api-protocol.md, "Gateway-level errors"), with
 * their usual status; an action's own table, where it lists the code, decides the status.
 */
export const GATEWAY_CODES: Record<string, [number, string]> = {
  Throttling: [400, 'Request was denied due to request throttling.'],
  'Throttling.User': [400, 'Request was denied due to user flow control.'],
  ServiceUnavailable: [503, 'The request has failed due to a temporary failure of the server.'],
  InternalError: [500, 'The request processing has failed due to some unknown error.'],
};

/** The error an action answers for `code`, or undefined when the action does not document it. */
export function documentedError(spec: ActionSpec, code: string): { status: number; message: string } | undefined {
  const listed = spec.e[code] ?? GATEWAY_CODES[code];
  if (!listed) return undefined;
  const [status, message] = listed;
  // A table status outside 4xx/5xx is a typo of the metadata (4003): the gateway's or the family's then.
  const valid = status >= 400 && status < 600 ? status : (GATEWAY_CODES[code]?.[0] ?? (status >= 4000 ? Math.floor(status / 10) : 400));
  return { status: valid, message: message || code };
}

/** An injected error: raised as the action would, answered with the rule's id in a header. */
export class InjectedFault extends EcsError {
  constructor(readonly ruleId: string, code: string, message: string, status: number) {
    super(code, message, status);
  }
}

export interface ApiCall { product: string; action: string; accountId: string; spec: ActionSpec }

/** Waits and/or throws as the first matching rule says; the fault-rule actions themselves are never faulted (the way back). */
export async function injectApiFault(db: Db, call: ApiCall): Promise<void> {
  if (call.product === 'openecs' && /FaultRule/.test(call.action)) return;
  const rules = await activeRules(db);
  if (!rules.length) return;
  for (const rule of rules) {
    if (rule.target !== API_TARGET) continue;
    if (rule.product !== '*' && rule.product !== call.product) continue;
    if (!globMatches(rule.api_name, call.action)) continue;
    if (rule.account_id && rule.account_id !== call.accountId) continue;
    // A wildcard rule faults only the actions that document its code.
    const err = rule.error_code ? documentedError(call.spec, rule.error_code) : undefined;
    if (rule.error_code && !err) continue;
    if (!(await take(db, rule))) continue;
    if (rule.latency_ms > 0) await sleep(rule.latency_ms);
    if (err) throw new InjectedFault(rule.id, rule.error_code, rule.error_message || err.message, err.status);
    return;
  }
}

/** The header naming the rule behind an injected answer; empty for any other answer. */
export function faultHeaders(e: unknown): Record<string, string> {
  return e instanceof InjectedFault ? { 'x-openecs-fault': e.ruleId } : {};
}
