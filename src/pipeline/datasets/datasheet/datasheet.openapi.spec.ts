import { Body, Controller, Put } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { DatasheetDto } from './datasheet.dto';
import { DATASHEET_SCHEMA } from './datasheet.schema';

@Controller()
class DatasheetProbeController {
  @Put('datasets/:id/versions/:version/datasheet')
  put(@Body() datasheet: DatasheetDto): DatasheetDto {
    return datasheet;
  }
}

type Schema = { properties?: Record<string, Schema>; items?: Schema; $ref?: string; allOf?: Schema[]; required?: string[] };

/** Property names and required names of every object, by path, from a schema resolving OpenAPI $refs. */
function shape(schema: Schema, resolve: (ref: string) => Schema, at = '', out: Record<string, string> = {}): Record<string, string> {
  const target = schema.$ref ? resolve(schema.$ref) : schema.allOf?.[0]?.$ref ? resolve(schema.allOf[0].$ref) : schema;
  if (target.items) return shape(target.items, resolve, at, out);
  if (!target.properties) return out;
  out[at || '(root)'] = `${Object.keys(target.properties).sort().join(',')} | required ${[...(target.required ?? [])].sort().join(',')}`;
  for (const [key, child] of Object.entries(target.properties)) shape(child, resolve, `${at}${key}.`, out);
  return out;
}

describe('DatasheetDto in OpenAPI', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ controllers: [DatasheetProbeController] }).compile();
    const app = moduleRef.createNestApplication();
    document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
    await app.close();
  });

  it('documents the same fields, and the same required ones, as the ledger schema', () => {
    const schemas = document.components!.schemas! as Record<string, Schema>;
    const resolve = (ref: string) => schemas[ref.replace('#/components/schemas/', '')]!;
    expect(shape(schemas.DatasheetDto!, resolve)).toEqual(shape(DATASHEET_SCHEMA as Schema, resolve));
  });

  it('names the GDPR vocabularies as reusable enums', () => {
    const schemas = document.components!.schemas! as Record<string, { enum?: string[] }>;
    expect(schemas.GdprArticle6Basis?.enum).toEqual(['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests']);
    expect(schemas.GdprArticle9Condition?.enum).toHaveLength(10);
  });
});
