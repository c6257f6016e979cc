import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { AssayException } from '../errors/assay.exception';

/** body-parser marks its errors with a `type`; see its README. */
function toAssayException(error: Error & { type?: string }): AssayException | Error {
  switch (error.type) {
    case 'entity.too.large':
      return new AssayException('PAYLOAD_TOO_LARGE', 'Request body exceeds the size limit');
    case 'entity.parse.failed':
      return new AssayException('MALFORMED_JSON', 'Request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AssayException('UNSUPPORTED_MEDIA_TYPE', 'Unsupported body encoding or charset');
    case 'request.aborted':
    case 'request.size.invalid':
    case 'stream.encoding.set':
      return new AssayException('VALIDATION_FAILED', 'Request body could not be read');
    default:
      return error;
  }
}

/** JSON bodies up to `limit` bytes; parser failures become coded 4xx errors. */
export function jsonBodyParser(limit: number): RequestHandler {
  const parse = json({ limit });
  return (request: Request, response: Response, next: NextFunction) =>
    parse(request, response, (error?: unknown) => next(error instanceof Error ? toAssayException(error) : error));
}
