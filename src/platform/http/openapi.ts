import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CODES } from '../errors/error-codes';

/** Builds the OpenAPI document from the DTOs, with the stable error codes listed. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Assay API')
    .setDescription(
      'Self-hosted, compliance-audited ML platform. Errors are `{error: {code, message, details}}`; ' +
        'the codes are listed in the ErrorCode schema.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'assay_pat_… API token or assay_ses_… session token' })
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components ??= {};
  document.components.schemas ??= {};
  document.components.schemas.ErrorCode = {
    type: 'string',
    enum: Object.keys(ERROR_CODES),
    description: Object.entries(ERROR_CODES)
      .map(([code, { status, description }]) => `- \`${code}\` (${status}): ${description}`)
      .join('\n'),
  };
  document.components.schemas.ErrorResponse = {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { $ref: '#/components/schemas/ErrorCode' },
          message: { type: 'string' },
          details: { type: 'object', additionalProperties: true },
        },
      },
    },
  };
  return document;
}

export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
}
