"""Stream an EX-102 asset data file into typed records, one at a time, in constant memory.

The file's first bytes are read once to find the root element: its namespace names the asset
class, and a DOCTYPE (the only way to declare entities or pull an external DTD) is refused
before any record is read. The body is then read with ``lxml.etree.iterparse`` filtered to the
record element, each record cleared (and the records before it deleted) as soon as it is
turned into an :class:`AssetRecord`, so a 1 GB file costs no more memory than a 1 MB one.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterator
from typing import IO, Any, NoReturn

from lxml import etree

from etl.absee.errors import (
    AbsEeError,
    MalformedXmlError,
    RepeatedElementError,
    UnknownNamespaceError,
    UnsafeXmlError,
)
from etl.absee.fields import (
    CLASS_BY_NAMESPACE,
    CLASSES,
    COLUMNS,
    CONVERTERS,
    PROPERTY_COLUMNS,
    AssetRecord,
    ClassSpec,
    Converter,
    PropertyRecord,
)

Source = str | os.PathLike[str] | IO[bytes]

#: parser options for untrusted XML: no entity expansion, no network, no DTD, libxml2's size limits
SAFE_PARSER_OPTIONS: dict[str, bool] = {
    "resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False,
    "recover": False,
}
_CHUNK = 64 * 1024
#: the root element must start within this many bytes (an EX-102 starts with it)
SNIFF_LIMIT = 1024 * 1024

_UNSET: Any = object()
_ENTITY_RE = re.compile(rb"<!ENTITY\s+(?:%\s+)?([^\s>]+)")
_SYSTEM_RE = re.compile(rb"<!DOCTYPE\s+\S+\s+(?:SYSTEM|PUBLIC)\s+[\"']([^\"']*)")


class _Prefixed(io.RawIOBase):
    """The bytes already read to sniff the root, then the rest of the underlying stream."""

    def __init__(self, prefix: bytes, rest: IO[bytes]) -> None:
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self._prefix:
            n = len(self._prefix) if size is None or size < 0 else min(size, len(self._prefix))
            out = self._prefix[:n].tobytes()
            self._prefix = self._prefix[n:]
            return out
        return self._rest.read(size)


class AssetDataReader:
    """An EX-102 file opened and its asset class known; iterate it once for its records.

    ``strict=True`` raises :class:`RepeatedElementError` on an element repeated where the
    schema allows one; by default the record keeps every value in ``extra`` and says so in
    ``problems``. A file that turns out malformed (truncated, say) raises
    :class:`MalformedXmlError` after the records before the damage: treat the file as failed.
    """

    def __init__(self, source: Source, *, strict: bool = False, name: str | None = None) -> None:
        if isinstance(source, str | os.PathLike):
            self._stream: IO[bytes] = open(source, "rb")  # noqa: SIM115 (closed by close() or at the end of iteration)
            self._owned = True
            self.name = name or os.fspath(source)
        else:
            self._stream = source
            self._owned = False
            self.name = name or str(getattr(source, "name", "<stream>"))
        self.strict = strict
        self._consumed = False
        try:
            prefix, root_tag = self._sniff()
        except BaseException:
            self.close()
            raise
        namespace = etree.QName(root_tag).namespace or ""
        class_name = CLASS_BY_NAMESPACE.get(namespace)
        if class_name is None:
            self.close()
            known = ", ".join(sorted(CLASS_BY_NAMESPACE))
            raise UnknownNamespaceError(
                f"{self.name}: root element {root_tag!r} is not Schedule AL asset data; expected "
                f"a root in one of the asset-data namespaces ({known}). Is this the EX-102 "
                f"exhibit of a Form ABS-EE (not EX-103, or another form's XML)?")
        self.spec: ClassSpec = CLASSES[class_name]
        self.asset_class: str = class_name
        self._body = _Prefixed(_drop_default_namespace(prefix, self.spec.namespace), self._stream)
        # record-level table: mapped tag -> (slot, converter, local name); unmapped tags are
        # added as they are met, tag -> local name
        self._fields: dict[str, tuple[int, Converter, str] | str] = {
            **_field_table(self.spec, COLUMNS)}
        self._prop_fields = _field_table(self.spec, PROPERTY_COLUMNS, property_level=True)
        ns = "{" + self.spec.namespace + "}"
        self._ns = ns
        self._property_tags = ({ns + self.spec.property, self.spec.property} if self.spec.property
                               else set())
        self._local: dict[str, str] = {}
        self.records_read = 0

    # --- opening ---

    def _sniff(self) -> tuple[bytes, str]:
        """Read until the root element starts; refuse a DOCTYPE; return the bytes read and its tag.

        The DOCTYPE is looked for in the raw bytes before libxml2 sees them, so entity
        declarations are refused unparsed; the parser's own check (its docinfo at the root)
        covers encodings a byte search cannot see (UTF-16).
        """
        parser = etree.XMLPullParser(events=("start",), **SAFE_PARSER_OPTIONS)
        chunks: list[bytes] = []
        size = 0
        while size < SNIFF_LIMIT:
            chunk = self._stream.read(_CHUNK)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            seen = b"".join(chunks[-2:])
            if b"<!DOCTYPE" in seen or b"<!ENTITY" in seen:
                self._refuse(b"".join(chunks))
            try:
                parser.feed(chunk)
                for _event, root in parser.read_events():
                    self._refuse_doctype(root)
                    return b"".join(chunks), str(root.tag)
            except etree.XMLSyntaxError as e:
                if "entity" in str(e.msg).lower() and "amplification" in str(e.msg).lower():
                    self._refuse(b"".join(chunks))
                raise _malformed(self.name, e, 0, parser.error_log) from None
        if not chunks:
            raise MalformedXmlError(f"{self.name}: the file is empty; expected an EX-102 XML "
                                    f"asset data file (re-fetch the exhibit)", line=None)
        raise MalformedXmlError(
            f"{self.name}: no root element in the first {size:,} bytes; an EX-102 file starts "
            f"with its <assetData> element (is this XML at all?)", line=None)

    def _refuse(self, head: bytes, entities: list[str] | None = None, system: str | None = None,
                ) -> NoReturn:
        entities = entities or [m.decode("ascii", "replace") for m in _ENTITY_RE.findall(head)]
        found = _SYSTEM_RE.search(head)
        system = system or (found.group(1).decode("ascii", "replace") if found else None)
        what = (f"declares entities {entities[:5]}" if entities
                else f"references an external DTD {system!r}" if system else "has a DOCTYPE")
        raise UnsafeXmlError(
            f"{self.name}: the XML {what}; EX-102 asset data never carries a DOCTYPE, and "
            f"entities are how entity-expansion (billion laughs) and external-entity attacks "
            f"work, so the file is refused unread. Check where it came from.")

    def _refuse_doctype(self, root: Any) -> None:
        info = root.getroottree().docinfo
        dtd = info.internalDTD
        if info.doctype or dtd is not None or info.system_url or info.public_id:
            self._refuse(b"", [e.name for e in dtd.iterentities()] if dtd is not None else None,
                         info.system_url)

    # --- reading ---

    def __iter__(self) -> Iterator[AssetRecord]:
        if self._consumed:
            raise AbsEeError(f"{self.name}: an AssetDataReader is read once; open the file again")
        self._consumed = True
        record_tags = (self._ns + self.spec.record, self.spec.record)
        # remove_blank_text: the indentation between elements is not data, and skipping it
        # halves the nodes libxml2 builds
        context = etree.iterparse(self._body, events=("end",), tag=record_tags, remove_comments=True,
                                  remove_pis=True, remove_blank_text=True, **SAFE_PARSER_OPTIONS)
        try:
            for _event, rec in context:
                record = self._record(rec)
                # constant memory: drop this record's subtree and every finished sibling before it
                rec.clear(keep_tail=False)
                parent = rec.getparent()
                if parent is not None:
                    while rec.getprevious() is not None:
                        del parent[0]
                self.records_read += 1
                yield record
        except etree.XMLSyntaxError as e:
            raise _malformed(self.name, e, self.records_read, context.error_log) from None
        finally:
            self.close()
        root = context.root
        if self.records_read == 0 and root is not None and len(root):
            # a record element under another name or namespace would otherwise vanish silently
            found = sorted({etree.QName(c).localname for c in root if isinstance(c.tag, str)})
            raise AbsEeError(
                f"{self.name}: no <{self.spec.record}> records under the root, but elements "
                f"{found[:5]}; is this a {self.asset_class} EX-102 in another layout?")

    def _localname(self, tag: str) -> str:
        local = self._local.get(tag)
        if local is None:
            local = tag.rpartition("}")[2]
            if len(self._local) < 10_000:
                self._local[tag] = local
        return local

    def _learn(self, tag: str) -> str:
        """An unmapped tag's local name, remembered in the field table (bounded: hostile files
        can invent millions of names)."""
        local = tag.rpartition("}")[2]
        if len(self._fields) < 10_000:
            self._fields[tag] = local
        return local

    def _record(self, rec: Any) -> AssetRecord:
        # the hot loop (7 million elements for a 100,000-asset file): locals only, one dict
        # lookup per element, the converter precompiled per element, rare cases out of line
        fields = self._fields
        vals: list[Any] = [_UNSET] * len(COLUMNS)
        extra: dict[str, Any] = {}
        problems: list[str] = []
        properties: list[PropertyRecord] = []
        for child in rec:
            tag = child.tag
            text = child.text
            if text is not None:
                text = text.strip()
            slot: Any = fields.get(tag) or self._learn(tag)
            if type(slot) is str:  # unmapped: the slot is the element's local name
                if not text and len(child):
                    if tag in self._property_tags:
                        properties.append(self._property(child, len(properties) + 1))
                    elif slot in extra:
                        self._repeat(slot, child, extra, problems)
                    else:
                        extra[slot] = _nested(child)
                elif slot in extra:
                    self._repeat(slot, child, extra, problems)
                else:
                    extra[slot] = text or ""
                continue
            index, convert, local = slot
            if vals[index] is not _UNSET:
                values = self._repeat(local, child, extra, problems)
                if local in self.spec.repeatable and convert is None:
                    vals[index] = ",".join(v for v in values if v) or None
            elif not text:
                vals[index] = None
                if len(child):  # a mapped item with children instead of a value: keep them
                    extra[local] = _nested(child)
                    problems.append(f"line {child.sourceline}: {local} has child elements, not a value")
            elif convert is None:
                vals[index] = text
            else:
                try:
                    vals[index] = convert(text)
                except ValueError as e:
                    vals[index] = None
                    extra[local] = text
                    problems.append(f"line {child.sourceline}: {local}: {e}")
        record = AssetRecord(self.asset_class, rec.sourceline or 0, extra, problems, properties,
                             *[None if v is _UNSET else v for v in vals])
        for prop in properties:
            prop.asset_number = record.asset_number
        return record

    def _property(self, elem: Any, index: int) -> PropertyRecord:
        fields = self._prop_fields
        vals: list[Any] = [_UNSET] * len(PROPERTY_COLUMNS)
        extra: dict[str, Any] = {}
        problems: list[str] = []
        for child in elem:
            tag = child.tag
            text = child.text
            if text is not None:
                text = text.strip()
            if not text and len(child):
                self._put_extra(extra, problems, self._localname(tag), _nested(child), child)
                continue
            slot = fields.get(tag)
            if slot is None:
                self._put_extra(extra, problems, self._localname(tag), text or "", child)
                continue
            index_, convert, local = slot
            if vals[index_] is not _UNSET:
                self._repeat(local, child, extra, problems)
                continue
            try:
                vals[index_] = None if not text else text if convert is None else convert(text)
            except ValueError as e:
                vals[index_] = None
                extra[local] = text
                problems.append(f"line {child.sourceline}: property {index}: {local}: {e}")
        return PropertyRecord(None, index, elem.sourceline or 0, extra, problems,
                              *[None if v is _UNSET else v for v in vals])

    def _put_extra(self, extra: dict[str, Any], problems: list[str], local: str, value: Any,
                   child: Any) -> None:
        if local in extra:
            self._repeat(local, child, extra, problems)
        else:
            extra[local] = value

    def _repeat(self, local: str, child: Any, extra: dict[str, Any], problems: list[str]) -> list[Any]:
        """An element seen again in one record: every occurrence goes to extra[local] as a list.

        Rare, so it re-reads the record's children with this tag (the record is not cleared
        yet) rather than keeping each field's raw text on the fast path.
        """
        first_repeat = not isinstance(extra.get(local), list)
        values = [_nested(c) if len(c) and not (c.text or "").strip() else (c.text or "").strip()
                  for c in child.getparent().iterchildren(tag=child.tag)]
        extra[local] = values
        if first_repeat and local not in self.spec.repeatable:
            self._repeated(local, child, problems)
        return values

    def _repeated(self, local: str, child: Any, problems: list[str]) -> None:
        message = (f"line {child.sourceline}: {local} appears more than once in one "
                   f"{self.spec.record} record where the schema allows it once")
        if self.strict:
            raise RepeatedElementError(f"{self.name}: {message}")
        problems.append(f"{message}; the first value is kept, every value is in extra[{local!r}]")

    def close(self) -> None:
        """Close the file if this reader opened it (a caller's stream is left open)."""
        if self._owned:
            self._stream.close()

    def __enter__(self) -> AssetDataReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _drop_default_namespace(prefix: bytes, namespace: str) -> bytes:
    """The body without the root's default namespace declaration, once the class is known.

    Pure speed: lxml builds a "{namespace}name" string for every element it hands to Python,
    7 million times for a 100,000-asset file (~15% of the reading time). The field table and
    the record filter know both spellings, so if the declaration is not found (a prefixed
    root, another layout) or elements redeclare it, the records read the same, only slower.
    """
    ns = re.escape(namespace.encode())
    pattern = re.compile(rb"(<[A-Za-z_][\w.-]*\b[^<>]*?)\s+xmlns\s*=\s*([\"'])" + ns + rb"\2")
    return pattern.sub(rb"\1", prefix, count=1)


def _field_table(spec: ClassSpec, columns: dict[str, str], *, property_level: bool = False,
                 ) -> dict[str, tuple[int, Converter, str]]:
    """Element tag (with and without the namespace) -> (column slot, converter, local name).

    Built once per file, so the per-field work is one dict lookup and one precompiled call.
    """
    canonical = spec.property_canonical if property_level else spec.canonical
    order = {name: i for i, name in enumerate(columns)}
    table: dict[str, tuple[int, Converter, str]] = {}
    for column, element in canonical.items():
        slot = (order[column], CONVERTERS[columns[column]], element)
        table["{" + spec.namespace + "}" + element] = slot
        table[element] = slot
    return table


def _nested(elem: Any) -> dict[str, Any]:
    """An unmapped element with children, kept whole as {child: text} (lists for repeats)."""
    out: dict[str, Any] = {}
    for child in elem:
        local = etree.QName(child).localname
        value: Any = _nested(child) if len(child) else (child.text or "").strip()
        if local in out:
            previous = out[local]
            out[local] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[local] = value
    return out


def _malformed(name: str, e: etree.XMLSyntaxError, records: int, error_log: Any) -> MalformedXmlError:
    # this parser's first logged error names the real cause and line; the exception itself can
    # say "no element found (line 0)" after an undefined entity
    logged = [entry for entry in (error_log or []) if entry.line]
    if logged:
        line, message = logged[0].line, logged[0].message
    else:
        line, message = (e.position[0] if e.position else e.lineno), e.msg
    return MalformedXmlError(
        f"{name}: not well-formed XML at line {line}: {message} ({records:,} records read before "
        f"it). A truncated or damaged EX-102: treat the whole file as failed and fetch it again.",
        line=line)


def read_assets(source: Source, *, strict: bool = False, name: str | None = None) -> AssetDataReader:
    """Open an EX-102 file (a path or a binary stream) for streaming; see :class:`AssetDataReader`.

    >>> with read_assets("ex102.xml") as reader:       # doctest: +SKIP
    ...     print(reader.asset_class)
    ...     for asset in reader:
    ...         print(asset.asset_number, asset.end_balance, asset.extra.get("vehicleModelName"))
    """
    return AssetDataReader(source, strict=strict, name=name)
