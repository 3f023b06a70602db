/**
 * How an ECS error is answered over HTTP: the status comes from the action's metadata (see
 * answerStatus), with a fallback by code. The error type itself lives in the domain
 * (src/domain/errors.ts), which knows nothing of HTTP.
 */
import { EcsError } from '../domain/errors.js';

/**
 * A validation error of the request codec (src/api/params.ts): the codec decides its status (400,
 * or the action's own 4xx for a code it names after the parameter), so a table listing the same
 * code under another cause (DeleteInstances: `InvalidParameter` 500) does not apply.
 */
export class CodecError extends EcsError {
  constructor(code: string, message: string, override readonly status: number) {
    super(code, message, status);
  }
}

/**
 * The status an error answers with, given its action's table entry. A table status outside 4xx
 * describes the real service's own faults (or is a typo: 4003); an error raised for a client's
 * request is never answered 5xx unless it was raised as a server fault (explicit status >= 500).
 */
export function answerStatus(err: EcsError, listed: number | undefined): number {
  if (err instanceof CodecError) return err.status;
  if (listed !== undefined && listed >= 400 && listed < 500) return listed;
  if (listed !== undefined && listed >= 500 && listed < 600 && err.status !== undefined && err.status >= 500) return listed;
  return err.status ?? fallbackStatus(err.code);
}

/** Fallback HTTP status for codes the action's metadata does not list (api-protocol.md §1.5). */
export function fallbackStatus(code: string): number {
  if (code === 'DryRunOperation' || code === 'DRYRUN.SUCCESS') return 400;
  if (/NotFound$/i.test(code) || code.startsWith('NoSuch') || code.endsWith('.NotExist') || code === 'InvalidAction.NotFound') return 404;
  if (/^Incorrect\w*Status/.test(code) || code.startsWith('QuotaExceed') || code.startsWith('Forbidden')
    || code === 'IdempotentParameterMismatch' || code.startsWith('DependencyViolation')
    || code.startsWith('OperationDenied') || code === 'UnsupportedHTTPMethod' || code.startsWith('InvalidOperation')) return 403;
  if (code === 'OperationConflict') return 409;
  if (code === 'InternalError') return 500;
  if (code === 'ServiceUnavailable') return 503;
  return 400;
}
