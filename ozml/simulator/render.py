"""The simulator's answers as the API's response XML (ozml-spec.md §6.2).

The form is the one on the vendor's pages, namespace declarations included::

    <?xml version="1.0"?>
    <Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
      <Code>200</Code>
      <Message>Command successfully executed</Message>
    </Response>
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final
from xml.sax.saxutils import escape

from ozml.simulator.commands import Node, Reply

__all__ = ["render"]

HEAD: Final = (
    '<?xml version="1.0"?>\n'
    '<Response xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema">\n'
)


#: Characters XML 1.0 cannot carry; a request may hold them, and messages echo request values.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def _nodes(nodes: Iterable[Node], depth: int, out: list[str]) -> None:
    pad = "  " * depth
    for name, content in nodes:
        if isinstance(content, str):
            out.append(f"{pad}<{name}>{_text(content)}</{name}>\n")
        elif not content:
            out.append(f"{pad}<{name} />\n")
        else:
            out.append(f"{pad}<{name}>\n")
            _nodes(content, depth + 1, out)
            out.append(f"{pad}</{name}>\n")


def render(reply: Reply) -> bytes:
    """The response document for `reply`, UTF-8 encoded."""
    out = [HEAD]
    _nodes((("Code", str(reply.code)), ("Message", reply.message), *reply.payload), 1, out)
    out.append("</Response>\n")
    return "".join(out).encode("utf-8")
