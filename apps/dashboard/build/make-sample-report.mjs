// Makes the bundled sample report from a real CLI report:
//   node apps/dashboard/build/make-sample-report.mjs reports/latest.json
// Plain JavaScript so it runs on Node without a TypeScript loader.
//
// Two changes, both reported by the banner and the README: each check's per-tensor list
// (`tensors`) is dropped to keep the bundle small (the worst tensor and error stay), and the
// repository's absolute path is removed from messages so no machine path is committed.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
const target = new URL('../src/sample/sample-report.json', import.meta.url);

const source = process.argv[2];
if (!source) {
  console.error('usage: node apps/dashboard/build/make-sample-report.mjs <report.json>');
  process.exit(2);
}
const report = JSON.parse(await readFile(source, 'utf8'));
if (report.format !== 'recurrent-conformance-report') {
  console.error(
    `${source}: format is ${JSON.stringify(report.format)}; expected "recurrent-conformance-report"`,
  );
  process.exit(1);
}
const checks = report.checks.map(({ tensors: _tensors, ...check }) => check);
const text = JSON.stringify({ ...report, checks }, null, 2).replaceAll(repositoryRoot, '');
await writeFile(target, `${text}\n`);
console.log(`wrote ${fileURLToPath(target)} from ${source}`);
