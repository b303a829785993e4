// Reads diagrams separated by a line "=====" on standard input and parses each with Mermaid's
// own parser; prints one JSON line per diagram: its participants and messages (entity codes
// decoded, as Mermaid's renderer decodes them), or the parse error.
// Mermaid is the one installed for the Mermaid tests: node_modules under tests/mermaid/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const modules = path.resolve(here, '..', '..', 'mermaid', 'node_modules');
const { JSDOM } = await import(pathToFileURL(path.join(modules, 'jsdom', 'lib', 'api.js')).href);
const dom = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const mermaid = (await import(
  pathToFileURL(path.join(modules, 'mermaid', 'dist', 'mermaid.core.mjs')).href
)).default;

const decode = (text) => text
  .replace(/\uFB02\u00B0\u00B0(\d+)\u00B6\u00DF/g, (_, n) => String.fromCodePoint(Number(n)))
  .replace(/\uFB02\u00B0(\w+)\u00B6\u00DF/g, (_, n) => `&${n};`);

const diagrams = fs.readFileSync(0, 'utf8').split('\n=====\n');
for (const text of diagrams) {
  if (!text.trim()) continue;
  try {
    await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const actors = [...db.getActors().values()].map((a) => [a.name, decode(a.description)]);
    const messages = db.getMessages().map((m) => [m.from ?? null, m.to ?? null, decode(m.message ?? ''), m.type]);
    console.log(JSON.stringify({ ok: true, actors, messages }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, error: String(error.message ?? error).split('\n').slice(0, 4).join(' | ') }));
  }
}
