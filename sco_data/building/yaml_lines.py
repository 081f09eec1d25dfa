"""Read a YAML file and remember the line every value came from.

Error messages must name the line to fix, so the loader keeps a map from each value's path
(``(3, "sources", 0, "evidence")``) to its 1-based line. It also refuses duplicate keys, which
PyYAML would otherwise resolve silently by keeping the last one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml
import yaml.composer
import yaml.constructor
import yaml.reader
import yaml.resolver

from sco_data.building.input_files import UnreadableInput, read_input
from sco_data.paths import display_path
from sco_data.text_rules import MAX_RECORDS_BYTES, hidden_character

Location = tuple[int | str, ...]

@dataclass
class YamlDocument:
    """A parsed YAML file, its duplicate keys, and the line of every value.

    The lines are mapped when first asked for, that is when a message must name one: a build
    that finds nothing wrong never holds a map of millions of locations. The file is read again
    for them (it is an input of the running build, which nothing changes meanwhile)."""

    path: Path
    data: Any
    duplicate_keys: list[tuple[Location, int, int]] = field(default_factory=list)
    # Whether a value may hold a hidden character or only spaces: the text holds a hidden
    # character, an escape that may make one (any backslash but the \" and \\ that quote a
    # value's own quotation marks and backslashes, as "\u200b" or "\t" do), a quoted
    # value of spaces or a block kept with its trailing newlines. When not, no value needs
    # looking at one by one.
    may_hide_characters: bool = True
    _lines: dict[Location, int] | None = field(default=None, repr=False)

    @cached_property
    def shown(self) -> str:
        """The file's path as messages show it (worked out once: it resolves the folder)."""
        return display_path(self.path)

    @property
    def lines(self) -> dict[Location, int]:
        if self._lines is None:
            node, _ = _compose(read_text(self.path), self.path, construct=False)
            self._lines = {}
            if node is not None:
                _map_lines(node, (), self._lines)
        return self._lines

    def line_of(self, location: Location) -> int:
        """The line of the value at ``location``, or of its nearest enclosing value."""
        lines = self.lines
        while location:
            if location in lines:
                return lines[location]
            location = location[:-1]
        return lines.get((), 1)


MAX_DEPTH = 12
"""How deep values may nest. The records need five levels (a list of records, a record, its
aliases, an alias's sources, a source); a deeper file is refused before PyYAML's recursive
composer could exhaust the stack."""


class _Guarded(yaml.composer.Composer):
    """A composer that refuses anchors and aliases (``&a``, ``*a``), which the records never
    need: a self-referencing alias would loop, and nested aliases expand exponentially (an
    alias bomb); and that refuses nesting deeper than ``MAX_DEPTH``."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed: write the "
                "value out in full", event.start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"values nest deeper than {MAX_DEPTH} levels; records need "
                    "five (record, aliases, alias, sources, source)", event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


MAX_NUMBER_DIGITS = 18
"""The most digits a number may have: every number the records hold is a line, a count or a
year, and SQLite stores none beyond 2**63 (19 digits). A longer one is refused by name before
Python converts it (which for 5,000 digits would raise on its own limit)."""

# The types a record's value may have. Any other explicit tag (!!timestamp, !!binary, !!set,
# !!python/…) would make a value of a type no model expects.
_ALLOWED_TAGS = frozenset(f"tag:yaml.org,2002:{name}"
                          for name in ("str", "int", "float", "bool", "null", "seq", "map"))


class _Constructing(yaml.constructor.SafeConstructor):
    """Safe construction that names, on their line, a tag the records never use, a number too
    long to be one, and a value its explicit tag cannot read (``!!int China``)."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node.tag not in _ALLOWED_TAGS:
            raise yaml.constructor.ConstructorError(
                None, None, f"the tag {_short_tag(node.tag)} is not allowed: records hold text, "
                "numbers, "
                "true/false, lists and mappings; remove the tag", node.start_mark)
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as error:
            kind = node.tag.rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"{_shown(node.value)} cannot be read as {kind}: {error}",
                node.start_mark) from None

    def construct_yaml_int(self, node: yaml.Node) -> int:
        written = str(node.value)
        if len(written) > MAX_NUMBER_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {len(written):,} characters is longer than any line, "
                f"count or year ({MAX_NUMBER_DIGITS} at most); quote it if it is text",
                node.start_mark)
        return super().construct_yaml_int(node)


_Constructing.add_constructor("tag:yaml.org,2002:int", _Constructing.construct_yaml_int)


def _short_tag(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


class _Loader(_Guarded, _Constructing, yaml.SafeLoader):
    """PyYAML's safe loader, pure Python, guarded; dates stay text (see below)."""


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: the same results, slower
    CParser = None

if CParser is not None:
    class _CLoader(CParser, _Constructing, yaml.resolver.Resolver):
        """libyaml scans, parses and composes: for text that ``_plain`` shows holds no anchor,
        alias or flow collection and cannot nest deep, so libyaml's recursive composer is safe
        and the depth is checked on the composed nodes (``_map_lines``)."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Constructing.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    class _FastLoader(_Guarded, CParser, _Constructing, yaml.resolver.Resolver):
        """libyaml scans and parses (about three times faster); the guarded composer above
        builds the nodes, so the same checks and the same line marks apply."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Guarded.__init__(self)
            _Constructing.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    LOADER: type = _FastLoader
    PLAIN_LOADER: type | None = _CLoader
else:
    LOADER = _Loader
    PLAIN_LOADER = None

# Text libyaml may compose on its own: no "&" or "*" anywhere (so no anchor or alias) and nothing
# that may nest deep (below). Its nesting then stays far below what libyaml's recursive composer
# survives (thousands of levels; a hundred thousand crash it).
#
# Text that may nest deep never reaches libyaml at all: flow collections ("[", "{" outside quoted
# strings) nested deeper than MAX_DEPTH, a line opening with two dashes ("- - x" nests without
# indenting), or indentation of 80 columns or more. libyaml scans ahead over a run of brackets
# and, since PyYAML 6.0.4, refuses deep nesting with its own words ("exceeded maximum nesting
# depth") before any composer sees an event; the pure-Python guarded loader reads such text and
# refuses it with the project's message and limit, whatever libyaml version is installed. The
# test over-counts (a bracket in a plain scalar or a comment counts): such a file is read more
# slowly, never differently.
_DEEP_BLOCK = re.compile(r"^[ \t]*-[ \t]+-(?:[ \t]|$)|^[ \t]{80}", re.MULTILINE)
_QUOTED = re.compile(r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\n]|'')*'")
_BRACKET = re.compile(r"[][{}]")


def _may_nest_deep(text: str) -> bool:
    if _DEEP_BLOCK.search(text):
        return True
    if "[" not in text and "{" not in text:
        return False
    depth = 0
    for bracket in _BRACKET.finditer(_QUOTED.sub("", text)):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > MAX_DEPTH:
            return True
    return False


def _plain(text: str) -> bool:
    return "&" not in text and "*" not in text and not _may_nest_deep(text)


def _loader_for(text: str) -> type:
    """The pure-Python guarded loader for text that may nest deep; libyaml alone for plain
    text; otherwise libyaml's parser under the guarded composer."""
    if _may_nest_deep(text):
        return _Loader
    if PLAIN_LOADER is not None and LOADER is not _Loader and "&" not in text and "*" not in text:
        return PLAIN_LOADER  # _plain(text), the nesting already ruled out
    return LOADER


# Dates stay text: ``2024-02-30`` then fails validation by name instead of crashing the parser,
# and every date keeps the precision it was written with.
_RESOLVERS = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _loader in (LOADER, _Loader, PLAIN_LOADER):
    if _loader is not None:
        _loader.yaml_implicit_resolvers = _RESOLVERS


class _Resolver(yaml.resolver.Resolver):
    yaml_implicit_resolvers = _RESOLVERS


_RESOLVER = _Resolver()


@lru_cache(maxsize=1 << 12)
def _plain_tag(value: str) -> str:
    """The tag of a plain (unquoted) scalar, as the loaders resolve it. The same few plain
    values (keys, ids, true, numbers) stand thousands of times in a records file."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, (True, False))


class YamlSyntaxError(Exception):
    """The file is not valid YAML."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


def read_text(path: Path) -> str:
    """The file's text; YamlSyntaxError naming the byte and its line when it is not UTF-8, and
    why, when it is no file to read (a folder, a FIFO, a broken link, too large, …)."""
    try:
        data = read_input(path, MAX_RECORDS_BYTES)
    except UnreadableInput as error:
        raise YamlSyntaxError(path, 1, error.message) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlSyntaxError(path, line, (
            f"not UTF-8: byte 0x{data[error.start]:02x} at byte offset {error.start} cannot be "
            "decoded; save the file as UTF-8"
        )) from None


# Each backslash with the character after it, read left to right as a double-quoted value's
# escapes are. Any but \" \\ \/ (a quotation mark, a backslash, a slash) may make a hidden
# character or a space; over-counting (a backslash in plain or single-quoted text is itself)
# only has the values looked at one by one.
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_PLAIN_ESCAPES = frozenset({'\\"', "\\\\", "\\/"})


def _may_escape(text: str) -> bool:
    return any(match.group() not in _PLAIN_ESCAPES for match in _ESCAPE.finditer(text))


# A quoted value of nothing but spaces: two quotation marks with only white space between,
# ending where a value ends (a line's end, a comment, ",", "]", "}" or ":"; so not the first
# two marks of a single-quoted value that opens with a quotation mark, written twice). It is one
# where a value starts, after "key:", "-", "[", "," or "?" and any spaces (``_may_be_blank``:
# '", "' between two values of a flow list is none). A search opening with a look back at
# every character took a tenth of a second a records file of the 100× corpus.
_QUOTED_BLANK = re.compile(r"""(["'])\s*\1(?=[ \t]*(?:[,\]}:#\r\n]|$))""")
_VALUE_STARTS = frozenset(":-[,{?")
# A block scalar that keeps its trailing newlines ("|+", ">+").
_KEPT_BLOCK = re.compile(r"[|>][1-9]?\+")


def _may_be_blank(text: str) -> bool:
    if "+" in text and _KEPT_BLOCK.search(text):  # the plain look first: ten times faster
        return True
    for match in _QUOTED_BLANK.finditer(text):
        before = match.start() - 1
        while before >= 0 and text[before] in " \t":
            before -= 1
        if before >= 0 and text[before] in _VALUE_STARTS:
            return True
    return False


def load_yaml(path: Path) -> YamlDocument:
    """Parse ``path``; raise YamlSyntaxError with the line PyYAML stopped at."""
    text = read_text(path)
    node, data = _compose(text, path, construct=True)
    document = _document(path, text, data)
    if node is not None:
        _check_nodes(node, (), 1, document)
    return document


def stream_yaml(path: Path) -> tuple[YamlDocument, Iterator[tuple[int, Any]]]:
    """Parse ``path`` one item of its top-level list at a time: the document, and the items
    with their positions. Only one item's nodes and values are held at once, so a records file
    of any length is read in the memory of its longest record. The document's ``data`` is
    ``None`` for an empty file, ``[]`` for an empty list, and the whole value when it is no
    list, once the items are read. Reading them raises YamlSyntaxError, as ``load_yaml`` does;
    the items read before stand, so a caller that must not use them on an error gathers first.
    """
    text = read_text(path)
    document = _document(path, text, None)
    loader_class = _loader_for(text)
    # libyaml's own composer builds the whole document at once: compose in Python instead
    # (libyaml still scans and parses).
    return document, _items(LOADER if loader_class is PLAIN_LOADER else loader_class, text,
                            document)


def _items(loader_class: type, text: str, document: YamlDocument) -> Iterator[tuple[int, Any]]:
    with _syntax_errors(text, document.path):
        loader = loader_class(text)  # the pure-Python reader refuses controls here
        try:
            loader.get_event()  # the stream's start
            if loader.check_event(yaml.StreamEndEvent):
                return
            loader.get_event()  # the document's start
            start = loader.peek_event()
            if not isinstance(start, yaml.SequenceStartEvent) or start.anchor or (
                    start.tag not in (None, "!")):
                # No list (or an unusual one): composed whole, for the caller's message.
                node = loader.compose_node(None, None)
                document.data = loader.construct_document(node)
                _check_nodes(node, (), 1, document)
                if isinstance(document.data, list):
                    yield from enumerate(document.data)
                    document.data = None
            else:
                loader.get_event()
                index = 0
                while not loader.check_event(yaml.SequenceEndEvent):
                    # The list is the first level of nesting, its entries the second.
                    entry = _Entry(loader, document).value((index,), 2)
                    # The constructor remembers every node it constructed, until told to forget.
                    loader.constructed_objects.clear()
                    yield index, entry
                    index += 1
                loader.get_event()
                document.data = None if index else []
            loader.get_event()  # the document's end
            if not loader.check_event(yaml.StreamEndEvent):
                event = loader.get_event()
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream", start.start_mark,
                    "but found another document", event.start_mark)
        finally:
            loader.dispose()


_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_KEY_TAGS_AS_TEXT = frozenset({"tag:yaml.org,2002:value"})  # "=" as a key is the text "="
_MERGE = "tag:yaml.org,2002:merge"


class _Entry:
    """One entry's value built straight from the parser's events: no node is made for a list
    or a mapping (half the time of composing nodes and constructing from them, measured), and
    each scalar is constructed as the safe loader constructs it, with the same checks: no
    anchor or alias, no nesting deeper than MAX_DEPTH, no tag the records never use, no number
    too long; keys given twice are noted on the document with their lines."""

    def __init__(self, loader: Any, document: YamlDocument) -> None:
        self.loader, self.document = loader, document

    def value(self, location: Location, depth: int, event: Any = None) -> Any:
        """The value that starts with ``event`` (by default the parser's next), at
        ``location``, nested ``depth`` levels deep."""
        loader = self.loader
        if event is None:
            event = loader.get_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor:
            raise yaml.composer.ComposerError(
                None, None, "anchors and aliases (&name, *name) are not allowed: write the "
                "value out in full", event.start_mark)
        if depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"values nest deeper than {MAX_DEPTH} levels; records need "
                "five (record, aliases, alias, sources, source)", event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            return self._scalar_value(event)
        kind = "sequence" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
        self._check_tag(event, _SEQ if kind == "sequence" else _MAP, kind)
        # Most values are plain text one level down: read in place, with the checks of
        # ``value`` (no anchor, not too deep), without a call or a location of their own.
        if kind == "sequence":
            items = []
            while not isinstance(item := loader.get_event(), yaml.SequenceEndEvent):
                if isinstance(item, yaml.ScalarEvent) and not item.anchor and depth < MAX_DEPTH:
                    items.append(self._scalar_value(item))
                else:
                    items.append(self.value((*location, len(items)), depth + 1, item))
            return items
        mapping: dict[Any, Any] = {}
        seen: dict[str, int] = {}
        while not isinstance(key_event := loader.get_event(), yaml.MappingEndEvent):
            if not isinstance(key_event, yaml.ScalarEvent) or key_event.anchor:
                self.value(location, depth + 1, key_event)  # refused there, or here
                raise yaml.constructor.ConstructorError(
                    "while constructing a mapping", event.start_mark, "found unhashable key",
                    key_event.start_mark)
            key = self._scalar_value(key_event, key=True)
            written, line = str(key_event.value), key_event.start_mark.line + 1
            if written in seen:
                self.document.duplicate_keys.append(((*location, written), seen[written], line))
            seen[written] = line
            item = loader.get_event()
            if isinstance(item, yaml.ScalarEvent) and not item.anchor and depth < MAX_DEPTH:
                mapping[key] = self._scalar_value(item)
            else:
                mapping[key] = self.value((*location, written), depth + 1, item)
        return mapping

    def _scalar_value(self, event: Any, key: bool = False) -> Any:
        """The scalar's value, as the safe loader constructs it. Text, nearly every value the
        records hold, is the event's own string: no node is made for it."""
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:  # quoted, or a block: text, as the resolver says
                return event.value
            tag = _plain_tag(event.value)
        if key and tag == _MERGE:
            raise yaml.constructor.ConstructorError(
                None, None, "merge keys (<<) are not allowed: write the values out in full",
                event.start_mark)
        if tag == _STR or (key and tag in _KEY_TAGS_AS_TEXT):
            return event.value
        return self.loader.construct_object(yaml.ScalarNode(
            tag, event.value, event.start_mark, event.end_mark, style=event.style))

    def _check_tag(self, event: Any, default: str, kind: str) -> None:
        """A list or mapping's explicit tag, refused as the safe loader refuses it."""
        tag = event.tag
        if tag is None or tag == "!" or tag == default:
            return
        if tag not in _ALLOWED_TAGS:
            raise yaml.constructor.ConstructorError(
                None, None, f"the tag {_short_tag(tag)} is not allowed: records hold text, "
                "numbers, true/false, lists and mappings; remove the tag", event.start_mark)
        wanted = {_SEQ: "a sequence", _MAP: "a mapping"}.get(tag, "a scalar")
        raise yaml.constructor.ConstructorError(
            None, None, f"expected {wanted} node, but found {kind}", event.start_mark)


def _document(path: Path, text: str, data: Any) -> YamlDocument:
    return YamlDocument(path=path, data=data, may_hide_characters=(
        _may_escape(text) or hidden_character(text) is not None or _may_be_blank(text)))


def _compose(text: str, path: Path, construct: bool) -> tuple[Any, Any]:
    """The root node, and its value when ``construct``; YamlSyntaxError naming the line."""
    loader = None
    with _syntax_errors(text, path):
        try:
            loader = _loader_for(text)(text)  # the reader refuses controls here
            node = loader.get_single_node()
            data = loader.construct_document(node) if construct and node is not None else None
        finally:
            if loader is not None:
                loader.dispose()
    return node, data


@contextmanager
def _syntax_errors(text: str, path: Path) -> Iterator[None]:
    """PyYAML's errors as YamlSyntaxError, naming the line."""
    try:
        yield
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = f"not valid YAML: {error.problem}"
        if error.context and error.context_mark and error.context_mark.line + 1 != line:
            message += f" ({error.context} on line {error.context_mark.line + 1})"
        raise YamlSyntaxError(path, line, message) from None
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise YamlSyntaxError(path, line, (
            f"holds the control character U+{_code(error.character):04X}, which YAML does not "
            "allow: remove it"
        )) from None


def _code(character: Any) -> int:
    return ord(character) if isinstance(character, str) else int(character)


def _check_nodes(node: yaml.Node, location: Location, depth: int,
                 document: YamlDocument) -> None:
    """Refuse nesting deeper than MAX_DEPTH (as the guarded composer words it, for text libyaml
    composed alone) and note every key given twice in one mapping."""
    if depth > MAX_DEPTH:
        raise YamlSyntaxError(document.path, node.start_mark.line + 1, (
            f"not valid YAML: values nest deeper than {MAX_DEPTH} levels; records need five "
            "(record, aliases, alias, sources, source)"))
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _check_nodes(item, (*location, index), depth + 1, document)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key in seen:
                document.duplicate_keys.append(((*location, key), seen[key], key_line))
            seen[key] = key_line
            _check_nodes(value_node, (*location, key), depth + 1, document)


def _map_lines(node: yaml.Node, location: Location, lines: dict[Location, int]) -> None:
    lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, (*location, index), lines)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = str(key_node.value)
            _map_lines(value_node, (*location, key), lines)
            # A key's own line is where a reader looks for it, even when its value is a block.
            lines[(*location, key)] = key_node.start_mark.line + 1
