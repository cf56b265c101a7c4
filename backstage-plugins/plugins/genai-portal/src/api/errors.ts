/**
 * The portal does not serve this route (yet): the feature is not available on this portal.
 * @public
 */
export class NotAvailableError extends Error {
  readonly name = 'NotAvailableError';
  constructor(readonly path: string) {
    super(`The GenAI Portal does not serve ${path}`);
  }
}

/**
 * The portal answered with an error: its `{"error", "detail"}` body is kept.
 * @public
 */
export class PortalResponseError extends Error {
  readonly name = 'PortalResponseError';
  constructor(
    readonly status: number,
    readonly kind: string,
    readonly detail: string,
    readonly path: string,
  ) {
    super(`GenAI Portal ${path}: ${status} ${kind}: ${detail}`);
  }
}

/** True when the error says the route is not there. @public */
export function isNotAvailable(error: unknown): error is NotAvailableError {
  return error instanceof Error && error.name === 'NotAvailableError';
}
