import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Replaces the text between `<!-- name:start -->` and `<!-- name:end -->` in the package README
 * with `content`, so the measured tables there are generated, never typed.
 */
export function writeReadmeSection(name: string, content: string): void {
  const path = new URL('../README.md', import.meta.url);
  const readme = readFileSync(path, 'utf8');
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md has no ${start} … ${end} section`);
  writeFileSync(path, `${readme.slice(0, from + start.length)}\n${content}\n${readme.slice(to)}`);
}
