// Assertions the spec-only acceptance tests share: the problem+json shape of every error,
// validation errors naming a field, and a private resource answered without its content.
import assert from 'node:assert/strict';
import type { Answer } from '../helpers/app';

export function assertProblem(res: Answer, status: number, what = ''): void {
  assert.equal(res.status, status, `${what} expected ${status}, got ${res.status}: ${res.text}`);
  const ct = String(res.headers['content-type'] ?? '');
  assert.ok(ct.startsWith('application/problem+json'), `${what} content-type ${ct}`);
  assert.equal(typeof res.body?.type, 'string', `${what} type: ${res.text}`);
  // README: "`type` is `/problems/<code>`".
  assert.match(res.body.type, /^\/problems\/[a-z0-9_-]+$/, `${what} type: ${res.text}`);
  assert.equal(typeof res.body?.title, 'string', `${what} title: ${res.text}`);
  assert.equal(res.body?.status, status, `${what} status member: ${res.text}`);
  assert.equal(typeof res.body?.detail, 'string', `${what} detail: ${res.text}`);
  assert.ok(!/\n\s+at .+:\d+:\d+/.test(res.text), `${what} looks like a stack trace: ${res.text}`);
}

export function assertValidation(res: Answer, field?: string, what = ''): void {
  assertProblem(res, 400, what);
  const errors = res.body.errors;
  assert.ok(Array.isArray(errors) && errors.length > 0, `${what} errors[] expected: ${res.text}`);
  for (const e of errors) {
    assert.equal(typeof e.field, 'string', `${what} errors[].field: ${res.text}`);
    assert.equal(typeof e.message, 'string', `${what} errors[].message: ${res.text}`);
  }
  if (field) {
    assert.ok(
      errors.some((e: any) => String(e.field).includes(field)),
      `${what} expected an error on field ${field}: ${res.text}`,
    );
  }
}

export function assertHidden(res: Answer, secret: string, what = ''): void {
  assert.ok(res.status === 404 || res.status === 403, `${what} expected 404/403, got ${res.status}: ${res.text}`);
  assertProblem(res, res.status, what);
  assert.ok(!res.text.includes(secret), `${what} leaks content: ${res.text}`);
}
