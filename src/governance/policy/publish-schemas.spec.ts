import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { publishedSchemas } from './publish-schemas';

describe(publishedSchemas.name, () => {
  it.each(publishedSchemas(resolve(__dirname, '../../..')).map((file) => [file.path.replace(/^.*?(src|policies)\//, '$1/'), file] as const))(
    '%s is the schema in code (regenerate: node -r @swc-node/register src/governance/policy/publish-schemas.ts)',
    (_name, file) => {
      expect(JSON.parse(readFileSync(file.path, 'utf8'))).toEqual(JSON.parse(file.content));
    },
  );
});
