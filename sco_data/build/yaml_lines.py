"""Read a YAML file and remember the line every value came from.

Error messages must name the line to fix, so the loader keeps a map from each value's path
(``(3, "sources", 0, "evidence")``) to its 1-based line. It also refuses duplicate keys, which
PyYAML would otherwise resolve silently by keeping the last one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.composer
import yaml.constructor
import yaml.reader
import yaml.resolver

Location = tuple[int | str, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file, with the line of every value and the problems seen while reading."""

    path: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[Location, int, int]] = field(default_factory=list)

    def line_of(self, location: Location) -> int:
        """The line of the value at ``location``, or of its nearest enclosing value."""
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return self.lines.get((), 1)


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


class _Loader(_Guarded, yaml.SafeLoader):
    """PyYAML's safe loader, pure Python, guarded; dates stay text (see below)."""


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: the same results, slower
    CParser = None

if CParser is not None:
    class _FastLoader(_Guarded, CParser, yaml.constructor.SafeConstructor,
                      yaml.resolver.Resolver):
        """libyaml scans and parses (about three times faster); the guarded composer above
        builds the nodes, so the same checks and the same line marks apply."""

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            _Guarded.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    LOADER: type = _FastLoader
else:
    LOADER = _Loader


# Dates stay text: ``2024-02-30`` then fails validation by name instead of crashing the parser,
# and every date keeps the precision it was written with.
LOADER.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    """The file is not valid YAML."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}")


def read_text(path: Path) -> str:
    """The file's text; YamlSyntaxError naming the byte and its line when it is not UTF-8."""
    data = path.read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise YamlSyntaxError(path, line, (
            f"not UTF-8: byte 0x{data[error.start]:02x} at byte offset {error.start} cannot be "
            "decoded; save the file as UTF-8"
        )) from None


def load_yaml(path: Path) -> YamlDocument:
    """Parse ``path``; raise YamlSyntaxError with the line PyYAML stopped at."""
    text = read_text(path)
    loader = None
    try:
        loader = LOADER(text)  # the reader refuses a control character here
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
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
    finally:
        if loader is not None:
            loader.dispose()
    document = YamlDocument(path=path, data=data)
    if node is not None:
        _map_lines(node, (), document)
    return document


def _code(character: Any) -> int:
    return ord(character) if isinstance(character, str) else int(character)


def _map_lines(node: yaml.Node, location: Location, document: YamlDocument) -> None:
    document.lines[location] = node.start_mark.line + 1
    if isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, (*location, index), document)
    elif isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            key_line = key_node.start_mark.line + 1
            if key in seen:
                document.duplicate_keys.append(((*location, key), seen[key], key_line))
            seen[key] = key_line
            _map_lines(value_node, (*location, key), document)
            # A key's own line is where a reader looks for it, even when its value is a block.
            document.lines[(*location, key)] = key_line
