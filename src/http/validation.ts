// Request validation: bodies are checked strictly (a number is not a string), while
// query strings and path parameters are coerced from text, as they can only be text.
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { invalidField } from './errors';

export function installValidators(app: FastifyInstance): void {
  const common = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false } as const;
  const strict = new Ajv({ ...common, coerceTypes: false });
  const lenient = new Ajv({ ...common, coerceTypes: 'array' });
  addFormats.default(strict);
  addFormats.default(lenient);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    httpPart === 'body' ? strict.compile(schema) : lenient.compile(schema),
  );
}

/** The path of the first string containing NUL (which PostgreSQL text cannot hold), or null. */
function nulPath(value: unknown, at: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? at : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${at}[${i}]`);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(item, at ? `${at}.${key}` : key);
      if (found) return found;
    }
  }
  return null;
}

/** Refuses NUL characters anywhere in the input with a 400, before they reach the database. */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const field = nulPath(request.body, '') ?? nulPath(request.query, '') ?? nulPath(request.params, '');
    if (field !== null) throw invalidField(field || 'body', 'must not contain NUL characters');
  });
}

/**
 * JSON bodies as Fastify parses them, except that an empty body counts as no body: clients
 * send `Content-Type: application/json` on body-less POSTs (cancel, log-out) all the time.
 */
export function acceptEmptyJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body.toString();
    if (text.trim() === '') return done(null, undefined);
    return parseJson(request, text, done);
  });
}
