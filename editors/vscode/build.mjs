// Bundles the extension (and its node tests) with esbuild and copies the schema into the
// extension: `npm run compile`. The bundle holds vscode-languageclient, so the .vsix needs no
// node_modules (`vsce package --no-dependencies`).
import { build } from "esbuild";
import { copyFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const common = { bundle: true, platform: "node", target: "node18", format: "cjs", sourcemap: true, logLevel: "warning" };

await build({
  ...common,
  entryPoints: [join(here, "src", "extension.ts")],
  outfile: join(here, "out", "extension.js"),
  external: ["vscode"],
  minify: true,
});
await build({
  ...common,
  entryPoints: [join(here, "test", "server.test.ts")],
  outfile: join(here, "out", "test", "server.test.js"),
});
mkdirSync(join(here, "schema"), { recursive: true });
copyFileSync(join(here, "..", "..", "schema", "ozml.xsd"), join(here, "schema", "ozml.xsd"));
