import { createReadStream, createWriteStream } from 'node:fs';
import { ingestDelimited } from '../src/pipeline/datasets/ingest';
(async () => {
  const file = process.argv[2]!;
  const t = performance.now();
  const r = await ingestDelimited(createReadStream(file));
  console.log(r.profile.rowCount, ((performance.now() - t) / 1000).toFixed(2), 's');
})();
