import { DataSource } from 'typeorm';
import { User } from '../src/platform/identity/user.entity';
import { startTestApp, type TestApp, type TestUser } from './support/test-app';

describe('HTTP edge: hostile input', () => {
  let t: TestApp;
  let engineer: TestUser;
  let admin: TestUser;
  beforeAll(async () => {
    t = await startTestApp({ ASSAY_BODY_LIMIT_BYTES: '4096', ASSAY_SIGNIN_MAX_FAILURES: '3' });
    engineer = await t.createUser('engineer');
    admin = await t.createUser('admin');
  });
  afterAll(() => t.close());

  const errorBody = (code: string) => ({ error: expect.objectContaining({ code, message: expect.any(String) }) });

  it('serves health and the OpenAPI document with the error codes', async () => {
    expect((await t.http().get('/health')).body).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    expect((await t.http().get('/api/docs')).status).toBe(200);
    const doc = await t.http().get('/api/docs-json');
    expect(doc.body.paths['/users']).toBeDefined();
    expect(doc.body.components.schemas.ErrorCode.enum).toEqual(expect.arrayContaining(['ACCESS_DENIED', 'PAYLOAD_TOO_LARGE']));
  });

  it('refuses unknown fields with 400 UNKNOWN_FIELD', async () => {
    const response = await t.http().post('/auth/sign-in').send({ email: 'a@b.c', password: 'x', admin: true });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('UNKNOWN_FIELD'));
    expect(response.body.error.details.fields).toEqual(['admin']);
  });

  it('refuses __proto__ and constructor keys anywhere in a body', async () => {
    for (const raw of ['{"name":"x","__proto__":{"role":"admin"}}', '{"name":"x","nested":{"constructor":{"prototype":{}}}}']) {
      const response = await t
        .http()
        .post('/tokens')
        .set('Authorization', `Bearer ${engineer.token}`)
        .set('Content-Type', 'application/json')
        .send(raw);
      expect(response.status).toBe(400);
      expect(response.body).toEqual(errorBody('FORBIDDEN_FIELD'));
    }
    expect(({} as Record<string, unknown>).role).toBeUndefined();
  });

  it('refuses an engineer setting their own role (400 FORBIDDEN_FIELD), and changes nothing', async () => {
    const response = await t
      .http()
      .patch(`/users/${engineer.id}`)
      .set('Authorization', `Bearer ${engineer.token}`)
      .send({ role: 'admin', displayName: 'Mallory' });
    expect(response.status).toBe(400);
    expect(response.body).toEqual(errorBody('FORBIDDEN_FIELD'));
    const stored = await t.app.get(DataSource).getRepository(User).findOneByOrFail({ id: engineer.id });
    expect(stored.role).toBe('engineer');
    expect(stored.displayName).not.toBe('Mallory');
  });

  it('lets users change their own display name, and admins roles', async () => {
    const own = await t.http().patch(`/users/${engineer.id}`).set('Authorization', `Bearer ${engineer.token}`).send({ displayName: 'Eve' });
    expect(own.status).toBe(200);
    expect(own.body.displayName).toBe('Eve');
    const other = await t.createUser('engineer');
    const promoted = await t.http().patch(`/users/${other.id}`).set('Authorization', `Bearer ${admin.token}`).send({ role: 'regulator' });
    expect(promoted.body.role).toBe('regulator');
    const forbidden = await t.http().patch(`/users/${other.id}`).set('Authorization', `Bearer ${engineer.token}`).send({ displayName: 'x' });
    expect(forbidden.status).toBe(403);
  });

  it('keeps the last active admin', async () => {
    const fresh = await startTestApp();
    try {
      const only = await fresh.createUser('admin');
      const response = await fresh.http().patch(`/users/${only.id}`).set('Authorization', `Bearer ${only.token}`).send({ role: 'engineer' });
      expect(response.status).toBe(409);
      expect(response.body).toEqual(errorBody('USER_LAST_ADMIN'));
    } finally {
      await fresh.close();
    }
  });

  it('validates field values with details', async () => {
    const response = await t.http().post('/users').set('Authorization', `Bearer ${admin.token}`).send({ email: 'not-an-email', displayName: '', role: 'root' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_FAILED');
    expect(response.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['displayName', 'email', 'role']);
  });

  it('answers 413 PAYLOAD_TOO_LARGE for an oversized body', async () => {
    const response = await t.http().post('/auth/sign-in').set('Content-Type', 'application/json').send(JSON.stringify({ email: 'x'.repeat(10_000), password: 'y' }));
    expect(response.status).toBe(413);
    expect(response.body).toEqual(errorBody('PAYLOAD_TOO_LARGE'));
  });

  it('answers 400 MALFORMED_JSON without echoing parser internals', async () => {
    const response = await t.http().post('/auth/sign-in').set('Content-Type', 'application/json').send('{"email": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: { code: 'MALFORMED_JSON', message: 'Request body is not valid JSON' } });
  });

  it('answers 404 ROUTE_NOT_FOUND and 400 for a bad id, never a stack trace', async () => {
    const missing = await t.http().get('/no-such-thing');
    expect(missing.body).toEqual(errorBody('ROUTE_NOT_FOUND'));
    const badId = await t.http().get('/users/not-a-uuid').set('Authorization', `Bearer ${admin.token}`);
    expect(badId.status).toBe(400);
    expect(JSON.stringify(badId.body)).not.toMatch(/at .*\.ts|node_modules|SELECT/);
  });

  it('limits repeated failed sign-ins with 429, even with the right password afterwards', async () => {
    const victim = await t.createUser('compliance_officer');
    for (let i = 0; i < 3; i++) {
      const failed = await t.http().post('/auth/sign-in').send({ email: victim.email, password: 'wrong password' });
      expect(failed.status).toBe(401);
      expect(failed.body.error.code).toBe('AUTH_INVALID_CREDENTIALS');
    }
    const limited = await t.http().post('/auth/sign-in').send({ email: victim.email, password: victim.password });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual(errorBody('AUTH_TOO_MANY_FAILURES'));
  });

  it('does not reveal whether an account exists', async () => {
    const unknown = await t.http().post('/auth/sign-in').send({ email: 'nobody@example.org', password: 'whatever' });
    const wrong = await t.http().post('/auth/sign-in').send({ email: admin.email, password: 'whatever' });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('returns a request id on every response', async () => {
    const response = await t.http().get('/health').set('X-Request-Id', 'trace-123');
    expect(response.headers['x-request-id']).toBe('trace-123');
    expect((await t.http().get('/health')).headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
