/**
 * The OzML extension: starts `ozml lsp` for OzML documents and lends the XML extension
 * (redhat.vscode-xml, when installed) the bundled schema for them.
 */

import * as path from "path";
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";

import {
  OzmlSettings,
  documentSelector,
  initializationOptions,
  needsRestart,
  readSettings,
  serverCommand,
} from "./server";

let client: LanguageClient | undefined;
let current: OzmlSettings | undefined;
let output: vscode.OutputChannel | undefined;

function settings(): OzmlSettings {
  const section = vscode.workspace.getConfiguration("ozml");
  return readSettings((key) => section.get(key));
}

function workspaceFolder(): string | undefined {
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function start(): Promise<void> {
  current = settings();
  const executable = serverCommand(current, workspaceFolder());
  const serverOptions: ServerOptions = executable;
  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(current),
    initializationOptions: initializationOptions(current),
    synchronize: { configurationSection: "ozml" },
    outputChannel: output,
  };
  client = new LanguageClient("ozml", "OzML", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    const shown = [executable.command, ...executable.args].join(" ");
    void vscode.window.showErrorMessage(
      `OzML: could not start the language server (${shown}): ${String(error)}.` +
        " Install it with pip install 'ozml[lsp]' or set ozml.path.",
    );
  }
}

async function stop(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) {
    await running.stop();
  }
}

interface XmlExtensionApi {
  addXMLFileAssociations(associations: { systemId: string; pattern: string }[]): void;
}

/** The schema for `*.ozml` in the XML extension, by its API (settings need no editing). */
async function associateSchema(context: vscode.ExtensionContext): Promise<void> {
  const xml = vscode.extensions.getExtension<XmlExtensionApi>("redhat.vscode-xml");
  if (xml === undefined) {
    return;
  }
  try {
    const api = await xml.activate();
    const systemId = path.join(context.extensionPath, "schema", "ozml.xsd");
    api.addXMLFileAssociations([{ systemId, pattern: "**/*.ozml" }]);
  } catch (error) {
    output?.appendLine(`The XML extension did not take the OzML schema: ${String(error)}`);
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel("OzML");
  context.subscriptions.push(output);
  context.subscriptions.push(
    vscode.commands.registerCommand("ozml.restartServer", async () => {
      await stop();
      await start();
    }),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration("ozml") || current === undefined) {
        return;
      }
      // The server pulls the editor options itself; the command line and the documents
      // served are fixed when it starts.
      if (needsRestart(current, settings())) {
        await stop();
        await start();
      }
    }),
  );
  await start();
  await associateSchema(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}
