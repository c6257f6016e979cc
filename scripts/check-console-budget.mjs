// Fails when the console's JavaScript, gzipped, exceeds the budget (README "Console").
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KIB = 60;
const dir = join(import.meta.dirname, '..', 'console', 'dist', 'assets');
const files = readdirSync(dir).filter((f) => f.endsWith('.js'));
const total = files.reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
const kib = (total / 1024).toFixed(1);
if (total > BUDGET_KIB * 1024) {
  console.error(`console bundle: ${kib} KiB gzip of JavaScript exceeds the budget of ${BUDGET_KIB} KiB`);
  process.exit(1);
}
console.log(`console bundle: ${kib} KiB gzip of JavaScript (budget ${BUDGET_KIB} KiB)`);
