import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import express from 'express';
import request from 'supertest';
import { Routes } from '../../server/http/routes';
import { idParams, note, paragraphParams } from '../../server/http/schemas';
import { HttpError } from '../../server/errors';

const open = () => (_req: express.Request, _res: express.Response, next: express.NextFunction) => next();

/** A bare app around one route table, with an error handler in the API's shape. */
function appOf(r: Routes): express.Express {
  const app = express();
  app.use(express.json());
  app.use(r.base, r.router);
  app.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const e = err as HttpError;
    res.status(e.status ?? 500).json({ error: { code: e.code, message: e.message, details: e.details } });
  });
  return app;
}

describe('route schemas: path parameters, notes', () => {
  test('a route with a path parameter must declare its schema', () => {
    const r = new Routes('/api/things', open);
    assert.throws(() => r.get('/:id', { access: 'public' }, () => undefined), /GET \/api\/things\/:id has path parameters but declares no params schema/);
    r.get('/:id', { access: 'public', params: idParams }, () => undefined);
    assert.equal(r.table.length, 1);
  });

  test('ids: parsed once, a bad one answers 400 invalid_id naming the parameter', async () => {
    const r = new Routes('/api/things', open);
    r.get('/:id', { access: 'public', params: idParams }, (_req, res, { params }) => res.json({ id: params.id, type: typeof params.id }));
    const app = appOf(r);
    assert.deepEqual((await request(app).get('/api/things/42')).body, { id: 42, type: 'number' });
    for (const bad of ['abc', '0', '-1', '007', '1e3', '9007199254740993']) {
      const res = await request(app).get(`/api/things/${bad}`);
      assert.equal(res.status, 400, bad);
      assert.equal(res.body.error.code, 'invalid_id');
      assert.equal(res.body.error.details.field, 'id');
      assert.match(res.body.error.message, new RegExp(`^id: "${bad}" is not a valid id`));
    }
  });

  test('paragraph indexes are whole numbers from 0', () => {
    assert.deepEqual(paragraphParams.parse({ id: '3', index: '0' }), { id: 3, index: 0 });
    const r = paragraphParams.safeParse({ id: '3', index: '-1' });
    assert.equal(r.success, false);
    if (!r.success) assert.match(r.error.issues[0].message, /Paragraph index "-1" must be a whole number from 0/);
  });

  test('one note: NFC, trimmed, null when blank, at most 2000 characters', () => {
    assert.equal(note.parse('  Cafe\u0301 fixed  '), 'Café fixed');
    assert.equal(note.parse('   '), null);
    assert.equal(note.parse(null), null);
    assert.equal(note.parse(undefined), null);
    assert.equal(note.safeParse('x'.repeat(2001)).success, false);
  });
});
