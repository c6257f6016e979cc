import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

/** `console/dist` from the sources (src/console) and from the build (dist/src/console). */
export function consoleDistDir(): string {
  const candidates = [resolve(__dirname, '..', '..', 'console', 'dist'), resolve(__dirname, '..', '..', '..', 'console', 'dist')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

const NOT_BUILT = 'The Assay web console is not built. Run `npm run build:console` (or `npm run build`), then reload.\nThe API is unaffected: see /api/docs.\n';

/**
 * Serves the web console: `index.html` at `GET /` and the built assets under `/console/`. Static
 * files only, outside the API's guard (they hold no data; every API call the console makes carries
 * its own bearer token). Helmet's CSP stays as is: the bundle is same-origin scripts and styles
 * with no inline script.
 */
export function mountConsole(app: NestExpressApplication, dir = consoleDistDir()): void {
  app.useStaticAssets(dir, { prefix: '/console/', index: false, fallthrough: true, immutable: true, maxAge: '1y' });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.path !== '/' || (request.method !== 'GET' && request.method !== 'HEAD')) return next();
    const index = join(dir, 'index.html');
    if (!existsSync(index)) {
      response.status(404).type('text/plain; charset=utf-8').send(NOT_BUILT);
      return;
    }
    response.status(200).set('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(readFileSync(index, 'utf8'));
  });
}
