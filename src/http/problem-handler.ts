// Turns every failure into an application/problem+json answer: catalogue errors as they
// are, Fastify's own 4xx errors mapped onto the catalogue, anything else a generic 500
// that is logged with the request id and never shows its message or stack.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type FieldError, toProblem, validationError } from './errors';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

interface AjvIssue {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** '/weekly/monday/0/start' -> 'weekly.monday[0].start' */
function fieldName(pointer: string, extra?: string): string {
  const parts = pointer.split('/').filter(Boolean);
  if (extra) parts.push(extra);
  return parts
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '');
}

function fieldErrors(issues: readonly AjvIssue[], context: string | undefined): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const missing = issue.keyword === 'required' ? String(issue.params.missingProperty) : undefined;
    const field = fieldName(issue.instancePath, missing) || context || 'body';
    let message = issue.message ?? 'is not valid';
    if (missing) message = 'is required';
    else if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
      message = `must be one of ${issue.params.allowedValues.join(', ')}`;
    }
    const key = `${field}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ field, message });
  }
  return errors;
}

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
};

const BY_STATUS: Record<number, ErrorCode> = {
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

function toAppError(error: FastifyError & { validation?: AjvIssue[]; validationContext?: string }): AppError | null {
  if (error instanceof AppError) return error;
  if (error.validation) return validationError(fieldErrors(error.validation, error.validationContext));
  if (error instanceof SyntaxError && (error as FastifyError).statusCode === 400) {
    return new AppError('malformed_json', 'The request body is not valid JSON');
  }
  const status = error.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (error.code && FASTIFY_CODES[error.code]) || BY_STATUS[status] || 'bad_request';
    // Fastify's own 4xx messages describe the request, not our internals.
    const detail = error.code?.startsWith('FST_') ? error.message : undefined;
    return new AppError(code, detail);
  }
  return null;
}

export function sendProblem(reply: FastifyReply, error: AppError): FastifyReply {
  for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
  return reply.code(error.status).type(PROBLEM_JSON).send(toProblem(error));
}

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = toAppError(error);
    if (known) {
      if (known.status >= 500) request.log.error({ err: error }, known.message);
      return sendProblem(reply, known);
    }
    request.log.error({ err: error }, 'unexpected failure');
    return reply
      .code(500)
      .type(PROBLEM_JSON)
      .send({
        type: '/problems/internal-error',
        title: 'Internal server error',
        status: 500,
        detail: `An unexpected error occurred. Quote request id ${request.id} when reporting it.`,
        request_id: request.id,
      });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, new AppError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
