/**
 * What API tests check of an answer, said once: `ok` asserts the status and gives the body,
 * `refused` asserts the status and the error code (the platform's error format) and gives the error.
 */
import assert from 'node:assert/strict';

export interface Answer { status: number; body: any }
/** `details` as the route gave them (often `reason: { id, en }`): each test reads what its route documents */
export interface RefusedError { code: string; message: string; details?: any }

export function ok<T = any>(res: Answer, status = 200): T {
  assert.equal(res.status, status, JSON.stringify(res.body));
  return res.body as T;
}

export function refused(res: Answer, status: number, code: string): RefusedError {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.body.error.code, code, res.body.error.message);
  return res.body.error as RefusedError;
}
