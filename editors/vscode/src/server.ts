/**
 * How the extension starts `ozml lsp` and what it tells it at start-up.
 *
 * This module does not import `vscode`, so the start-up logic runs (and is tested) under plain
 * node against the real language server: `test/server.test.ts`.
 */

/** The extension's settings that decide how the server is started. */
export interface OzmlSettings {
  /** The `ozml` executable (`ozml.path`): a name on PATH or a full path. */
  path: string;
  /** A configuration file for every document (`ozml.config`, `ozml lsp --config FILE`). */
  config: string;
  /** Lint every document in this context (`ozml.context`); empty: from the configuration. */
  context: string;
  /** Milliseconds to wait after a keystroke before linting (`ozml.debounceMs`). */
  debounceMs: number;
  /** Link template for the rule pages (`ozml.ruleDocsUrl`); empty: the default. */
  ruleDocsUrl: string;
  /** Globs of `*.xml` files that are OzML scripts (`ozml.xmlFiles`). */
  xmlFiles: string[];
}

export const DEFAULTS: OzmlSettings = {
  path: "ozml",
  config: "",
  context: "",
  debounceMs: 0,
  ruleDocsUrl: "",
  xmlFiles: [],
};

/** The settings read from a configuration section, each missing or mistyped one defaulted. */
export function readSettings(get: (key: string) => unknown): OzmlSettings {
  const text = (key: keyof OzmlSettings): string => {
    const value = get(key);
    return typeof value === "string" ? value.trim() : (DEFAULTS[key] as string);
  };
  const debounce = get("debounceMs");
  const globs = get("xmlFiles");
  return {
    path: text("path") || DEFAULTS.path,
    config: text("config"),
    context: text("context"),
    debounceMs: typeof debounce === "number" && debounce >= 0 ? Math.floor(debounce) : 0,
    ruleDocsUrl: text("ruleDocsUrl"),
    xmlFiles: Array.isArray(globs) ? globs.filter((g): g is string => typeof g === "string") : [],
  };
}

/** The server's process: what `vscode-languageclient`'s `Executable` holds (stdio transport). */
export interface ServerCommand {
  command: string;
  args: string[];
  options?: { cwd?: string; env?: NodeJS.ProcessEnv };
}

/**
 * The command line of the language server: `ozml lsp`, with `--config FILE` when
 * `ozml.config` names one. `${workspaceFolder}` in the path or the config file is replaced by
 * `workspaceFolder` (the first folder of the workspace) when given.
 */
export function serverCommand(settings: OzmlSettings, workspaceFolder?: string): ServerCommand {
  const expand = (value: string): string =>
    workspaceFolder === undefined ? value : value.split("${workspaceFolder}").join(workspaceFolder);
  const args = ["lsp"];
  if (settings.config) {
    args.push("--config", expand(settings.config));
  }
  const command: ServerCommand = { command: expand(settings.path), args };
  if (workspaceFolder !== undefined) {
    command.options = { cwd: workspaceFolder };
  }
  return command;
}

/** The `initializationOptions` of the initialize request: the server's editor options. */
export function initializationOptions(settings: OzmlSettings): Record<string, unknown> {
  const options: Record<string, unknown> = { debounceMs: settings.debounceMs };
  if (settings.context) {
    options.context = settings.context;
  }
  if (settings.ruleDocsUrl) {
    options.ruleDocsUrl = settings.ruleDocsUrl;
  }
  return options;
}

/** A document filter of the LSP (`vscode-languageclient`'s `DocumentFilter`, plain data). */
export interface DocumentFilter {
  language: string;
  scheme?: string;
  pattern?: string;
}

/**
 * The documents the server handles: every `ozml` document (`*.ozml`), saved or not, and the
 * `*.xml` files matching `ozml.xmlFiles`.
 */
export function documentSelector(settings: OzmlSettings): DocumentFilter[] {
  const selector: DocumentFilter[] = [
    { scheme: "file", language: "ozml" },
    { scheme: "untitled", language: "ozml" },
  ];
  for (const pattern of settings.xmlFiles) {
    selector.push({ scheme: "file", language: "xml", pattern });
  }
  return selector;
}

/** Whether a change of these settings needs the server started again (not just told). */
export function needsRestart(before: OzmlSettings, after: OzmlSettings): boolean {
  return (
    before.path !== after.path ||
    before.config !== after.config ||
    before.xmlFiles.join("\n") !== after.xmlFiles.join("\n")
  );
}
