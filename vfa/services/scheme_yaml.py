"""Reading a scheme file's bytes and YAML, refusing what a scheme file never needs.

A scheme file is plain YAML: mappings, lists, text, numbers, true/false and null. It
is refused, with a ``SchemeError`` naming the file, the line and the reason, when it

- is not a regular file (a folder, a FIFO, a device: reading one could hang), or is
  larger than ``MAX_BYTES``;
- uses anchors or aliases (``&x`` / ``*x``): with them 12 bytes recurse forever and a
  few hundred bytes expand to gigabytes ("billion laughs"); they are refused as the
  events arrive, before any node is built;
- nests deeper than ``MAX_DEPTH`` or holds more than ``MAX_NODES`` values;
- uses a tag other than the JSON-like ones (``!!binary``, ``!!set``, ``!!timestamp``,
  ``!!python/...``), a number that is not finite, or one beyond ``MAX_NUMBER``.

The parser's events are checked first (libyaml's, when installed), so an anchor, an
alias or deep nesting is refused before any node is composed; then libyaml composes.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    NodeEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from vfa.domain.schemes import PathPart, place_text
from vfa.errors import SchemeError
from vfa.files import NotReadable, read_regular

MAX_BYTES = 1024 * 1024  # the shipped schemes are under 10 KB
MAX_DEPTH = 40  # the deepest shipped value is 6 levels down
MAX_NODES = 100_000
MAX_NUMBER = 10**15
_MAX_NUMBER_TEXT = 40  # characters of a number's text, underscores and signs included

_JSON_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float", "str", "seq", "map")
}


# -- the file ------------------------------------------------------------------------------


def read_scheme_bytes(path: str | os.PathLike[str]) -> bytes:
    """A scheme file's bytes: a regular file of at most MAX_BYTES, else SchemeError.

    A FIFO or device in a scheme folder is refused before it can block the caller.
    """
    name = os.fspath(path)
    try:
        return read_regular(name, MAX_BYTES)
    except NotReadable as exc:
        raise SchemeError(name, "", exc.reason) from None


# -- YAML --------------------------------------------------------------------------------


class _Refused(Exception):
    """Something a scheme file may not hold, found at a place in the text."""

    def __init__(self, reason: str, mark: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = mark.line + 1 if mark is not None else None


class _Values(SafeConstructor):
    """Safe values without dates, and only numbers a scheme can mean."""

    def construct_yaml_int(self, node: ScalarNode) -> int:
        _check_number_text(node)
        try:
            value = int(super().construct_yaml_int(node))
        except (ValueError, IndexError):  # "!!int x", "!!int" with no value
            raise _Refused(f"{node.value!r} is not a whole number", node.start_mark) from None
        if abs(value) > MAX_NUMBER:
            raise _Refused(f"the number {node.value} is too large", node.start_mark)
        return value

    def construct_yaml_float(self, node: ScalarNode) -> float:
        _check_number_text(node)
        try:
            value = float(super().construct_yaml_float(node))
        except (ValueError, IndexError):
            raise _Refused(f"{node.value!r} is not a number", node.start_mark) from None
        if not math.isfinite(value):
            raise _Refused(f"{node.value} is not a finite number", node.start_mark)
        if abs(value) > MAX_NUMBER:
            raise _Refused(f"the number {node.value} is too large", node.start_mark)
        return value


def _check_number_text(node: ScalarNode) -> None:
    if len(node.value) > _MAX_NUMBER_TEXT:
        raise _Refused(f"the number {node.value[:20]}… is too long", node.start_mark)


# only the JSON-like tags construct (any other is refused while the nodes are walked)
_Values.yaml_constructors = {
    tag: constructor
    for tag, constructor in SafeConstructor.yaml_constructors.items()
    if tag in _JSON_TAGS
}
_Values.yaml_constructors["tag:yaml.org,2002:int"] = _Values.construct_yaml_int
_Values.yaml_constructors["tag:yaml.org,2002:float"] = _Values.construct_yaml_float


class _Resolver(Resolver):
    """YAML 1.1's implicit types without timestamps: values stay JSON-ready."""


_Resolver.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}


_NO_ALIASES = "scheme files use no anchors or aliases (write the value out)"
_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep: not a scheme file"

try:  # libyaml when installed, as PyYAML's CSafeLoader
    from yaml._yaml import CParser

    class _Loader(CParser, _Values, _Resolver):
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _Values.__init__(self)
            _Resolver.__init__(self)

    def _events(text: str) -> Iterator[Event]:
        parser = CParser(text)
        try:
            while (event := parser.get_event()) is not None:
                yield event
        finally:
            parser.dispose()

except ImportError:  # pragma: no cover - PyYAML without libyaml

    class _Loader(  # type: ignore[no-redef]
        yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, Composer, _Values, _Resolver
    ):
        def __init__(self, text: str) -> None:
            yaml.reader.Reader.__init__(self, text)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            Composer.__init__(self)
            _Values.__init__(self)
            _Resolver.__init__(self)

    def _events(text: str) -> Iterator[Event]:
        return yaml.parse(text, Loader=yaml.SafeLoader)


def _check_events(text: str) -> None:
    """Refuse an anchor, an alias, a foreign tag, deep nesting or too many values, from
    the parser's events, before any node is composed."""
    depth = values = 0
    for event in _events(text):
        if isinstance(event, AliasEvent):
            raise _Refused(f"alias *{event.anchor}: {_NO_ALIASES}", event.start_mark)
        if isinstance(event, NodeEvent):
            if event.anchor is not None:
                raise _Refused(f"anchor &{event.anchor}: {_NO_ALIASES}", event.start_mark)
            tag = getattr(event, "tag", None)
            if tag not in (None, "!") and tag not in _JSON_TAGS:
                raise _Refused(_foreign_tag(tag), event.start_mark)
            values += 1
            if values > MAX_NODES:
                raise _Refused(
                    f"more than {MAX_NODES:,} values: not a scheme file", event.start_mark
                )
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(_TOO_DEEP, event.start_mark)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


def _foreign_tag(tag: str) -> str:
    shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
    return (
        f"the tag {shown} is not used in scheme files (only text, numbers, true/false, "
        "null, lists and mappings)"
    )


def read_yaml(text: str, file: str) -> tuple[Any, dict[tuple[PathPart, ...], int]]:
    """The data and a map of each value's path to its line (1-based); SchemeError when
    the text is not YAML or holds what a scheme file may not (see the module's notes)."""
    try:
        _check_events(text)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                raise SchemeError(file, "", "the file is empty")
            lines: dict[tuple[PathPart, ...], int] = {}
            _walk(node, (), lines, file, [0])
            data = loader.construct_document(node)
        finally:
            loader.dispose()
    except _Refused as exc:
        raise SchemeError(file, "", exc.reason, exc.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or "malformed YAML"
        if exc.context:
            started = exc.context_mark
            since = f" started on line {started.line + 1}" if started and started != mark else ""
            reason += f" ({exc.context}{since})"
        line = mark.line + 1 if mark else None
        column = f" at column {mark.column + 1}" if mark else ""
        raise SchemeError(file, "", f"YAML syntax error{column}: {reason}", line) from None
    except yaml.YAMLError as exc:
        raise SchemeError(file, "", f"YAML: {exc}") from None
    return data, lines


def _walk(
    node: Node,
    path: tuple[PathPart, ...],
    lines: dict[tuple[PathPart, ...], int],
    file: str,
    count: list[int],
) -> None:
    """Check every node (depth, count, tag, keys) and note each path's line."""
    if len(path) >= MAX_DEPTH:
        raise _Refused(_TOO_DEEP, node.start_mark)
    count[0] += 1
    if count[0] > MAX_NODES:
        raise _Refused(f"more than {MAX_NODES:,} values: not a scheme file", node.start_mark)
    if node.tag not in _JSON_TAGS:
        raise _Refused(_foreign_tag(node.tag), node.start_mark)
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        seen: set[Any] = set()
        for key, value in node.value:
            if not isinstance(key, ScalarNode) or key.tag != "tag:yaml.org,2002:str":
                shown = key.value if isinstance(key, ScalarNode) else "a list or mapping"
                raise SchemeError(
                    file,
                    place_text(path),
                    f"keys must be words, not {shown!r}",
                    key.start_mark.line + 1,
                )
            if key.value in seen:
                here = (*path, key.value)
                raise SchemeError(
                    file,
                    place_text(here),
                    f"{key.value!r} is given twice in the same block",
                    key.start_mark.line + 1,
                )
            seen.add(key.value)
            _walk(value, (*path, key.value), lines, file, count)
    elif isinstance(node, SequenceNode):
        for i, value in enumerate(node.value):
            _walk(value, (*path, i), lines, file, count)
