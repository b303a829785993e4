// Mermaid's own parser, run headless for tests/test_graph_mermaid.py.
//
// Reads a JSON array of diagram texts on standard input and prints, for each, a JSON object:
// {"ok": true, "type": ..., "vertices": {id: label}, "edges": [[from, to, label], ...]}
// as Mermaid's flowchart database holds them after parsing, or {"ok": false, "error": ...}.
// Mermaid sanitises labels with DOMPurify, which needs a DOM: jsdom provides one.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });

const texts = JSON.parse(readFileSync(0, 'utf8'));
const results = [];
for (const text of texts) {
  try {
    const parsed = await mermaid.parse(text);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const vertices = {};
    for (const [id, vertex] of db.getVertices()) vertices[id] = vertex.text;
    const edges = db.getEdges().map((e) => [e.start, e.end, e.text]);
    const subgraphs = db.getSubGraphs().map((s) => [s.id, s.title, s.nodes.length]);
    const classes = {};
    for (const [name, cls] of db.getClasses()) classes[name] = cls.styles;
    results.push({ ok: true, type: parsed.diagramType, vertices, edges, subgraphs, classes });
  } catch (error) {
    results.push({ ok: false, error: String(error && error.message ? error.message : error) });
  }
}
process.stdout.write(JSON.stringify(results));
