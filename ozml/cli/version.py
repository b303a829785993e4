"""`ozml version`: ozml's version and the versions of what it runs on, for bug reports.

``ozml --version`` prints the same facts on one line. The XML parser's versions matter most:
lxml, and libxml2 both as lxml was built against and as it runs (they can differ when lxml uses
the system's library).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys

from ozml.cli.common import one_of
from ozml.cli.exits import OK

HELP = "Print ozml's version and those of Python, lxml and libxml2 (for bug reports)."


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", "--output-format", dest="format", **one_of(("text", "json")), default="text",
        help="text (one fact per line, the default) or json",
    )


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def facts() -> dict[str, str]:
    """Name → version: ozml, python, lxml, libxml2, libxml2-compiled, platform."""
    from lxml import etree

    from ozml import __version__

    return {
        "ozml": __version__,
        "python": platform.python_version(),
        "lxml": str(etree.__version__),
        "libxml2": _dotted(etree.LIBXML_VERSION),
        "libxml2-compiled": _dotted(etree.LIBXML_COMPILED_VERSION),
        "platform": platform.platform(terse=True),
    }


def one_line() -> str:
    """``ozml 0.1.0 (Python 3.11.2, lxml 6.0.0, libxml2 2.14.4)``."""
    found = facts()
    libxml2 = found["libxml2"]
    if found["libxml2-compiled"] != libxml2:
        libxml2 += f", compiled against {found['libxml2-compiled']}"
    return (
        f"ozml {found['ozml']} (Python {found['python']}, lxml {found['lxml']},"
        f" libxml2 {libxml2})"
    )


def run(args: argparse.Namespace) -> int:
    found = facts()
    if args.format == "json":
        print(json.dumps(found, indent=2))
        return OK
    width = max(len(name) for name in found)
    for name, version in found.items():
        print(f"{name + ':':<{width + 1}} {version}")
    sys.stdout.flush()
    return OK
