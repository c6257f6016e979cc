import { DataSource } from 'typeorm';
import { ApiToken } from '../src/platform/identity/api-token.entity';
import { Session } from '../src/platform/identity/session.entity';
import { generateSecret } from '../src/platform/identity/token-secret';
import { startTestApp, type TestApp } from './support/test-app';

describe('bearer tokens', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const me = (token: string) => t.http().get('/auth/me').set('Authorization', `Bearer ${token}`);
  const expect401 = async (token: string) => {
    const response = await me(token);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ error: { code: 'AUTH_INVALID_TOKEN', message: expect.any(String) } });
  };

  it('accepts a valid API token and records its last use', async () => {
    const user = await t.createUser('engineer');
    const response = await me(user.token);
    expect(response.status).toBe(200);
    expect(response.body.user).toMatchObject({ id: user.id, role: 'engineer' });
    expect(response.body.credentialType).toBe('api_token');
    // Recorded off the request path: wait for it.
    let token: ApiToken | null = null;
    for (let i = 0; i < 50 && !token?.lastUsedAt; i++) {
      await new Promise((r) => setTimeout(r, 20));
      token = await t.app.get(DataSource).getRepository(ApiToken).findOneBy({ userId: user.id });
    }
    expect(token?.lastUsedAt).toBeInstanceOf(Date);
  });

  it('rejects malformed tokens and headers', async () => {
    await expect401('nonsense');
    await expect401(`${generateSecret('pat')}x`);
    const response = await t.http().get('/auth/me').set('Authorization', 'Basic abc');
    expect(response.status).toBe(401);
    expect((await t.http().get('/auth/me')).body.error.code).toBe('AUTH_REQUIRED');
  });

  it('rejects a well-formed token that was never issued', async () => {
    await expect401(generateSecret('pat'));
    await expect401(generateSecret('ses'));
  });

  it('rejects an expired API token', async () => {
    const user = await t.createUser('engineer');
    await t.app.get(DataSource).getRepository(ApiToken).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1000) });
    await expect401(user.token);
  });

  it('rejects a revoked API token, revoked over the API by its owner', async () => {
    const user = await t.createUser('engineer');
    const created = await t.http().post('/tokens').set('Authorization', `Bearer ${user.token}`).send({ name: 'ci' });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^assay_pat_/);
    expect((await me(created.body.token)).status).toBe(200);
    const revoked = await t.http().delete(`/tokens/${created.body.id}`).set('Authorization', `Bearer ${user.token}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    await expect401(created.body.token);
    // the secret is never listed again
    const listed = await t.http().get('/tokens').set('Authorization', `Bearer ${user.token}`);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.token);
  });

  it("refuses to revoke another user's token", async () => {
    const owner = await t.createUser('engineer');
    const other = await t.createUser('engineer');
    const [token] = await t.app.get(DataSource).getRepository(ApiToken).findBy({ userId: owner.id });
    const response = await t.http().delete(`/tokens/${token!.id}`).set('Authorization', `Bearer ${other.token}`);
    expect(response.status).toBe(403);
    expect((await me(owner.token)).status).toBe(200);
  });

  it("rejects a disabled user's token and session", async () => {
    const admin = await t.createUser('admin');
    const user = await t.createUser('engineer');
    const session = await t.http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    expect(session.status).toBe(200);
    const disabled = await t
      .http()
      .patch(`/users/${user.id}`)
      .set('Authorization', `Bearer ${admin.token}`)
      .send({ status: 'disabled' });
    expect(disabled.status).toBe(200);
    await expect401(user.token);
    await expect401(session.body.token);
    const signIn = await t.http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    expect(signIn.status).toBe(401);
  });

  it('expires sessions and ends them on sign-out', async () => {
    const user = await t.createUser('regulator');
    const first = await t.http().post('/auth/sign-in').send({ email: user.email.toUpperCase(), password: user.password });
    expect(first.body.token).toMatch(/^assay_ses_/);
    expect((await me(first.body.token)).body.credentialType).toBe('session');
    expect((await t.http().post('/auth/sign-out').set('Authorization', `Bearer ${first.body.token}`)).status).toBe(204);
    await expect401(first.body.token);

    const second = await t.http().post('/auth/sign-in').send({ email: user.email, password: user.password });
    await t.app.get(DataSource).getRepository(Session).update({ userId: user.id }, { expiresAt: new Date(Date.now() - 1) });
    await expect401(second.body.token);
  });

  it('refuses a token lifetime beyond the configured maximum', async () => {
    const user = await t.createUser('engineer');
    const response = await t
      .http()
      .post('/tokens')
      .set('Authorization', `Bearer ${user.token}`)
      .send({ name: 'long', expiresInDays: t.config.ASSAY_TOKEN_MAX_TTL_DAYS + 1 });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('TOKEN_TTL_TOO_LONG');
  });
});
