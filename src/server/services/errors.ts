/**
 * An answer the API gives a client for its request: an ErrorCode of the wire protocol, the HTTP
 * status it goes with, a Japanese message to show as it is, and a detail for the developer.
 */
import type { ErrorCode } from '../../protocol/sync';

const STATUS: Readonly<Record<ErrorCode, number>> = {
  'bad-request': 400,
  'too-large': 413,
  'signed-out': 401,
  'bad-credentials': 401,
  throttled: 429,
  forbidden: 403,
  'unknown-device': 403,
  retired: 410,
  exists: 409,
  'not-found': 404,
  unavailable: 503,
};

export class ServiceError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    /** Japanese, for the user */
    message: string,
    readonly detail?: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ServiceError';
    this.status = STATUS[code];
  }
}
