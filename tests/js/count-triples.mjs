// Read JSON-LD files with jsonld.js and its default document loader, and print each file's
// distinct triples (the N-Quads lines of toRDF) as "<count>\t<path>".
// Usage: node --import ./no-network.mjs count-triples.mjs FILE.jsonld [FILE.jsonld ...]
import { readFile } from 'node:fs/promises';
import jsonld from 'jsonld';

for (const path of process.argv.slice(2)) {
  const document = JSON.parse(await readFile(path, 'utf8'));
  const nquads = await jsonld.toRDF(document, { format: 'application/n-quads' });
  const lines = new Set(nquads.split('\n').filter((line) => line.length > 0));
  process.stdout.write(`${lines.size}\t${path}\n`);
}
