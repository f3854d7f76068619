// The error catalogue: every error a user can cause has a code here with its status and
// title, and every error answer is one application/problem+json shape (RFC 9457).

export const ERRORS = {
  bad_request: { status: 400, title: 'Bad request' },
  validation_failed: { status: 400, title: 'The request is not valid' },
  malformed_json: { status: 400, title: 'The request body is not valid JSON' },
  invalid_cursor: { status: 400, title: 'The cursor is not valid' },
  weak_password: { status: 400, title: 'The password is too weak' },
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Invalid credentials' },
  csrf_token_missing: { status: 403, title: 'CSRF token missing or wrong' },
  forbidden: { status: 403, title: 'Not allowed' },
  not_found: { status: 404, title: 'Not found' },
  route_not_found: { status: 404, title: 'No such route' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  username_taken: { status: 409, title: 'Username already taken' },
  email_taken: { status: 409, title: 'E-mail already registered' },
  conflict: { status: 409, title: 'Conflict' },
  already_available: { status: 409, title: 'Already available' },
  booking_in_the_way: { status: 409, title: 'A booking is in the way' },
  slot_unavailable: { status: 409, title: 'Slot not available' },
  schedule_in_use: { status: 409, title: 'Schedule in use' },
  meeting_conflict: { status: 409, title: 'Participants are not free' },
  idempotency_key_reused: { status: 422, title: 'Idempotency key reused with another request' },
  idempotency_key_in_progress: { status: 409, title: 'A request with this idempotency key is in progress' },
  calendar_unreachable: { status: 422, title: 'The calendar could not be read' },
  gone: { status: 410, title: 'No longer available' },
  payload_too_large: { status: 413, title: 'Request body too large' },
  uri_too_long: { status: 414, title: 'URI too long' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Too many requests' },
  internal_error: { status: 500, title: 'Internal server error' },
  service_unavailable: { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export interface FieldError {
  field: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

/** An error a user caused (or may see): carries its catalogue code and any extension members. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail?: string,
    readonly extensions: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? ERRORS[code].title);
    this.status = ERRORS[code].status;
  }
}

export function problemType(code: ErrorCode): string {
  return `/problems/${code.replace(/_/g, '-')}`;
}

export function toProblem(error: AppError): Problem {
  return {
    type: problemType(error.code),
    title: ERRORS[error.code].title,
    status: error.status,
    detail: error.message,
    ...error.extensions,
  };
}

export const validationError = (errors: FieldError[], detail?: string): AppError =>
  new AppError('validation_failed', detail ?? errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });

/** A 400 naming one field. */
export const invalidField = (field: string, message: string): AppError => validationError([{ field, message }]);

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
