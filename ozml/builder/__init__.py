"""Generating OzML from Python: typed, checked elements that write canonical XML.

One class per OzML element, generated from the catalog, with keyword arguments in snake_case::

    >>> from ozml.builder import Response, Speak, Delay, BlindTransfer
    >>> print(Response(
    ...     Speak("You will be transferred to 102.", language="en-US"),
    ...     Delay(1),
    ...     BlindTransfer("102"),
    ... ).to_xml())
    <?xml version="1.0" encoding="UTF-8"?>
    <Response>
      <Speak Language="en-US">You will be transferred to 102.</Speak>
      <Delay>1</Delay>
      <BlindTransfer>102</BlindTransfer>
    </Response>
    <BLANKLINE>

Values are checked as they are given, with the linter's codes and messages (`BuildError`);
docs/builder.md is the guide.
"""

from ozml.builder import _generated
from ozml.builder._generated import *  # noqa: F403
from ozml.builder.base import (
    BuildError,
    CommandChild,
    CommandElement,
    Comment,
    Dynamic,
    OzmlElement,
    PartElement,
    RootElement,
    UnknownElement,
)

__all__ = [
    "BuildError",
    "CommandChild",
    "CommandElement",
    "Comment",
    "Dynamic",
    "OzmlElement",
    "PartElement",
    "RootElement",
    "UnknownElement",
]
__all__ += _generated.__all__
