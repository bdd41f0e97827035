/** An error with an HTTP status and a stable machine-readable code. Services throw these; one middleware renders them. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class BadRequestError extends HttpError {
  constructor(message: string, details?: unknown, code = 'bad_request') {
    super(400, code, message, details);
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = 'You are not logged in.', code = 'unauthorized') {
    super(401, code, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = 'Your role does not allow this.', code = 'forbidden', details?: unknown) {
    super(403, code, message, details);
  }
}

export class NotFoundError extends HttpError {
  constructor(message = 'Not found.', code = 'not_found') {
    super(404, code, message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string, details?: unknown, code = 'conflict') {
    super(409, code, message, details);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    code = 'rate_limited',
    details?: Record<string, unknown>,
  ) {
    super(429, code, message, { ...details, retryAfterSeconds });
  }
}

export class ServiceUnavailableError extends HttpError {
  /** `cause`: the error behind the outage, which the error middleware logs (the client sees only the message). */
  constructor(message = 'The database is unavailable. Try again shortly.', cause?: unknown) {
    super(503, 'database_unavailable', message);
    if (cause !== undefined) this.cause = cause;
  }
}

/**
 * The unique index or constraint a write violated, when `err` is a unique
 * violation: Prisma's P2002, or PostgreSQL's 23505 from a statement sent
 * through the pool directly (anywhere in the error's cause chain). Null for
 * any other error.
 */
export function uniqueViolation(err: unknown): { constraint: string | null } | null {
  for (let e: unknown = err, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const o = e as { code?: unknown; constraint?: unknown; meta?: { target?: unknown }; cause?: unknown; originalCode?: unknown };
    if (o.code === 'P2002') {
      const target = o.meta?.target;
      return { constraint: typeof target === 'string' ? target : Array.isArray(target) ? target.join(', ') : null };
    }
    if (o.code === '23505' || o.originalCode === '23505') return { constraint: typeof o.constraint === 'string' ? o.constraint : null };
    e = o.cause;
  }
  return null;
}
