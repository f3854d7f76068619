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

const MAX_DEPTH = 32;
// An unpaired UTF-16 surrogate: JSON allows it, but no UTF-8 text (PostgreSQL's) can hold it.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The first problem in a parsed input that no field schema catches: a string with a NUL or a
 * lone surrogate (PostgreSQL text can hold neither), or nesting deeper than any of our
 * shapes. Walks with its own stack: a 10 KB body can nest thousands of levels deep.
 */
function inputProblem(root: unknown, prefix: string): { field: string; message: string } | null {
  const stack: { value: unknown; at: string; depth: number }[] = [{ value: root, at: prefix, depth: 0 }];
  while (stack.length) {
    const { value, at, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { field: at || 'body', message: 'must not contain NUL characters' };
      if (LONE_SURROGATE.test(value)) return { field: at || 'body', message: 'must be valid Unicode text' };
    } else if (value && typeof value === 'object') {
      if (depth >= MAX_DEPTH) return { field: at || 'body', message: `nests deeper than ${MAX_DEPTH} levels` };
      const entries = Array.isArray(value)
        ? value.map((v, i) => [`[${i}]`, v] as const)
        : Object.entries(value).map(([k, v]) => [k, v] as const);
      for (const [key, item] of entries) {
        if (!Array.isArray(value) && LONE_SURROGATE.test(key))
          return { field: at || 'body', message: 'has a key that is not valid Unicode text' };
        const path = key.startsWith('[') ? `${at}${key}` : at ? `${at}.${key}` : key;
        stack.push({ value: item, at: path, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** Refuses such inputs with a 400 before they reach a handler or the database. */
export function refuseUnstorableInput(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const problem =
      inputProblem(request.body, '') ?? inputProblem(request.query, '') ?? inputProblem(request.params, '');
    if (problem) throw invalidField(problem.field, problem.message);
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
