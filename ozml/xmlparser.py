"""The one lxml parser configuration ozml reads XML with.

Secure on hostile input (DESIGN.md, Reliability): entities are never expanded, no DTD or anything
external is loaded, nothing touches the network, and libxml2's limits on depth and size stay on
(``huge_tree=False``). The parser (`ozml.parser`) and the lint quick check (`ozml.lint.quick`)
share it, so that both accept and refuse exactly the same documents. Kept apart from
`ozml.parser` so that the quick check does not load the syntax-tree modules.
"""

from __future__ import annotations

import threading

from lxml import etree

_local = threading.local()


def xml_parser() -> etree.XMLParser:
    """This thread's parser (lxml parsers are not thread-safe; reusing one saves its setup)."""
    parser: etree.XMLParser | None = getattr(_local, "parser", None)
    if parser is None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            dtd_validation=False,
            huge_tree=False,
            remove_blank_text=False,
            remove_comments=False,
            remove_pis=False,
            strip_cdata=False,
            # Not collect_ids=False: with libxml2 before 2.15, lxml implements it by setting
            # XML_SKIP_IDS in the context's loadsubset flags, and libxml2 2.14 then loads the
            # external DTD subset and external parameter entities: it would open local files a
            # DOCTYPE names (tests/test_security.py proves it does not).
        )
        _local.parser = parser
    return parser
