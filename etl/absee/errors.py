"""Typed errors of the EX-102 reader: each message says what was wrong and what to do about it."""

from __future__ import annotations


class AbsEeError(ValueError):
    """Base of every error the ABS-EE asset-data reader raises."""


class UnsafeXmlError(AbsEeError):
    """A DOCTYPE (entity declarations, external DTD): EX-102 files never carry one."""


class UnknownNamespaceError(AbsEeError):
    """The root element is not in one of the five Schedule AL asset-data namespaces."""


class MalformedXmlError(AbsEeError):
    """Not well-formed XML (truncated, garbage, undefined entity); the message names the line."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


class RepeatedElementError(AbsEeError):
    """An element the schema allows once per record appears twice (raised with strict=True)."""
