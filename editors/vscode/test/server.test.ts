// The extension's start-up logic against the real `ozml lsp`, under plain node: the command
// line and initialize options of `src/server.ts`, spoken to over stdio with vscode-jsonrpc.
//
// OZML_PATH names the ozml executable to test (default: `ozml` on PATH).
import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { after, test } from "node:test";
import assert from "node:assert/strict";

import {
  createMessageConnection,
  Diagnostic,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  MessageConnection,
  PublishDiagnosticsNotification,
  PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
} from "vscode-languageserver-protocol/node";

import {
  DEFAULTS,
  OzmlSettings,
  documentSelector,
  initializationOptions,
  readSettings,
  serverCommand,
} from "../src/server";

const folder = mkdtempSync(join(tmpdir(), "ozml-vscode-"));
after(() => rmSync(folder, { recursive: true, force: true }));

const settings = (changes: Partial<OzmlSettings> = {}): OzmlSettings => ({
  ...DEFAULTS,
  path: process.env.OZML_PATH || "ozml",
  ...changes,
});

interface Session {
  connection: MessageConnection;
  server: ChildProcess;
  diagnostics: (uri: string) => Promise<Diagnostic[]>;
  stderr: () => string;
}

/** Start the server as the extension does, and initialize it. */
async function startSession(chosen: OzmlSettings): Promise<Session> {
  const command = serverCommand(chosen, folder);
  const server = spawn(command.command, command.args, { cwd: command.options?.cwd });
  let stderr = "";
  server.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createMessageConnection(
    new StreamMessageReader(server.stdout!),
    new StreamMessageWriter(server.stdin!),
  );
  const waiting = new Map<string, (found: Diagnostic[]) => void>();
  const published = new Map<string, Diagnostic[]>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params: PublishDiagnosticsParams) => {
    const resolve = waiting.get(params.uri);
    if (resolve !== undefined) {
      waiting.delete(params.uri);
      resolve(params.diagnostics);
    } else {
      published.set(params.uri, params.diagnostics);
    }
  });
  connection.listen();
  const result = await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: pathToFileURL(folder).href,
    capabilities: {},
    initializationOptions: initializationOptions(chosen),
  });
  assert.equal(result.serverInfo?.name, "ozml");
  await connection.sendNotification(InitializedNotification.type, {});
  return {
    connection,
    server,
    stderr: () => stderr,
    diagnostics: (uri) =>
      new Promise((resolve, reject) => {
        const ready = published.get(uri);
        if (ready !== undefined) {
          published.delete(uri);
          resolve(ready);
          return;
        }
        const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri}: ${stderr}`)), 30000);
        waiting.set(uri, (found) => {
          clearTimeout(timer);
          resolve(found);
        });
      }),
  };
}

async function stopSession(session: Session): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => session.server.on("exit", resolve));
  await session.connection.sendRequest(ShutdownRequest.type);
  await session.connection.sendNotification(ExitNotification.type);
  const status = await exited;
  session.connection.dispose();
  return status;
}

async function open(session: Session, name: string, text: string): Promise<Diagnostic[]> {
  const file = join(folder, name);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const found = session.diagnostics(uri);
  await session.connection.sendNotification(DidOpenTextDocumentNotification.type, {
    textDocument: { uri, languageId: "ozml", version: 1, text },
  });
  return found;
}

test("the command line is ozml lsp, with --config when ozml.config names a file", () => {
  assert.deepEqual(serverCommand(settings({ path: "ozml" })).args, ["lsp"]);
  const chosen = settings({ path: "${workspaceFolder}/.venv/bin/ozml", config: "${workspaceFolder}/ci.toml" });
  assert.deepEqual(serverCommand(chosen, "/work"), {
    command: "/work/.venv/bin/ozml",
    args: ["lsp", "--config", "/work/ci.toml"],
    options: { cwd: "/work" },
  });
  assert.deepEqual(initializationOptions(settings({ context: "3pcc" })), { debounceMs: 0, context: "3pcc" });
  assert.deepEqual(initializationOptions(settings()), { debounceMs: 0 });
  assert.deepEqual(documentSelector(settings({ xmlFiles: ["**/ivr/*.xml"] })).slice(2), [
    { scheme: "file", language: "xml", pattern: "**/ivr/*.xml" },
  ]);
  const read = readSettings((key) => ({ path: " ", context: 3, xmlFiles: ["a", 1] } as Record<string, unknown>)[key]);
  assert.deepEqual(read, { ...DEFAULTS, xmlFiles: ["a"] });
});

test("the real server publishes the diagnostics of a document with a mistake", async () => {
  const session = await startSession(settings());
  const found = await open(session, "mistake.ozml", "<Response>\n  <ForwardCall/>\n</Response>\n");
  assert.deepEqual(
    found.map((d) => [d.code, d.message, d.range.start.line, d.range.start.character]),
    [["OZ201", "ForwardCall needs Destination", 1, 3]],
  );
  const clean = await open(session, "clean.ozml", "<Response>\n  <Hangup/>\n</Response>\n");
  assert.deepEqual(clean, []);
  assert.equal(await stopSession(session), 0);
  assert.equal(session.stderr(), "");
});

test("ozml.context and ozml.config reach the server", async () => {
  const script = '<Response>\n  <Var Id="x">1</Var>\n  <Hangup/>\n</Response>\n';
  const codes = (found: Diagnostic[]) => found.map((d) => d.code);
  let session = await startSession(settings({ context: "3pcc" }));
  assert.ok(codes(await open(session, "context.ozml", script)).includes("OZ601"));
  assert.equal(await stopSession(session), 0);

  const config = join(folder, "three.toml");
  writeFileSync(config, 'context = "3pcc"\n');
  session = await startSession(settings({ config }));
  assert.ok(codes(await open(session, "config.ozml", script)).includes("OZ601"));
  assert.equal(await stopSession(session), 0);

  session = await startSession(settings());
  assert.ok(!codes(await open(session, "default.ozml", script)).includes("OZ601"));
  assert.equal(await stopSession(session), 0);
});
