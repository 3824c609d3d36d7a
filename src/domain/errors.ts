/**
 * The closed set of error codes a user may see. Anything that is not an AppError is a bug or an
 * infrastructure failure: it is logged with context and answered with a generic message.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}

/** Message safe to show a user: the AppError's own text, or a generic line for anything else. */
export function publicMessage(err: unknown): string {
  if (isAppError(err)) return err.message;
  return 'internal error — the details are in the log';
}
