import { Logger, NotFoundException, type ArgumentsHost } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { AssayExceptionFilter } from './assay-exception.filter';
import { AssayException } from './assay.exception';
import { markDatabaseConnectionError } from './database-unavailable';

function render(exception: unknown): { status: number; headers: Record<string, string>; body: { error: { code: string; message: string } } } {
  const sent = { status: 0, headers: {} as Record<string, string>, body: undefined as unknown };
  const response = {
    headersSent: false,
    setHeader: (name: string, value: string) => (sent.headers[name.toLowerCase()] = value),
    status(code: number) {
      sent.status = code;
      return this;
    },
    json: (body: unknown) => (sent.body = body),
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => ({ id: 'req-1', path: '/models' }) }) } as unknown as ArgumentsHost;
  new AssayExceptionFilter().catch(exception, host);
  return sent as ReturnType<typeof render>;
}

describe('AssayExceptionFilter', () => {
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterAll(() => {
    Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose']);
  });

  it('answers a lost database with 503 DATABASE_UNAVAILABLE and Retry-After, without the driver message', () => {
    const terminated = new QueryFailedError(
      'SELECT secret FROM t',
      [],
      Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
    );
    const refused = markDatabaseConnectionError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', syscall: 'connect' }));
    for (const exception of [terminated, refused, new Error('timeout exceeded when trying to connect')]) {
      const { status, headers, body } = render(exception);
      expect(status).toBe(503);
      expect(headers['retry-after']).toBe('5');
      expect(body.error.code).toBe('DATABASE_UNAVAILABLE');
      expect(JSON.stringify(body)).not.toMatch(/SELECT|127\.0\.0\.1|administrator/);
    }
  });

  it('sets Retry-After on an AssayException DATABASE_UNAVAILABLE too (the health check)', () => {
    const { status, headers } = render(new AssayException('DATABASE_UNAVAILABLE', 'down'));
    expect([status, headers['retry-after']]).toEqual([503, '5']);
  });

  it('keeps other failures as they were: 500 for the unknown, 404 for routes, no Retry-After', () => {
    expect(render(new Error('boom'))).toMatchObject({ status: 500, headers: {}, body: { error: { code: 'INTERNAL_ERROR', message: 'Internal error' } } });
    expect(render(new QueryFailedError('INSERT', [], Object.assign(new Error('duplicate'), { code: '23505' })))).toMatchObject({ status: 500, headers: {} });
    expect(render(new NotFoundException())).toMatchObject({ status: 404, body: { error: { code: 'ROUTE_NOT_FOUND' } } });
  });
});
