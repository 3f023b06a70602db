/**
 * The ECS error model: domain rules, the store and handlers throw EcsError with the documented
 * Code and message. How it is answered (the HTTP status from the action's metadata, the body
 * shape) is the API layer's business (src/api/errors.ts, src/api/dispatch.ts), so a handler
 * rarely names a status.
 */
export class EcsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Set only where the metadata has no entry and the fallback would be wrong. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export const errors = {
  missing: (name: string) =>
    new EcsError('MissingParameter', `The input parameter "${name}" that is mandatory for processing this request is not supplied.`),
  invalid: (name: string, why?: string) =>
    new EcsError('InvalidParameter', `The specified parameter "${name}" is not valid.${why ? ' ' + why : ''}`),
  notFound: (code: string, what: string) => new EcsError(code, `The specified ${what} does not exist.`),
  dryRun: () => new EcsError('DryRunOperation', 'Request validation has been passed with DryRun flag set.'),
  internal: () => new EcsError('InternalError', 'The request processing has failed due to some unknown error.', 500),
};
