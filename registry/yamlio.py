"""Reading and writing registry YAML: line numbers in, canonical bytes out.

Reading keeps the line of every value so a problem can be reported as `path:line: field`. All
scalars are read as strings (no YAML 1.1 guessing: `no` stays "no", `2024` stays "2024") and the
models convert what is numeric. Writing is canonical: a fixed key order, defaults left out, and
relations sorted, so the same registry always becomes the same bytes.

Registry files are untrusted input, so reading is bounded: YAML aliases (`&a` … `*a`), which a
registry file never needs and which can make a small file expand without limit or refer to
itself, are refused, and so is nesting deeper than `MAX_DEPTH`; each is reported with its line.
"""

from __future__ import annotations

from typing import Any

import yaml

from .canonical import entity_to_data
from .models import RELATION_CLASSES, Entity
from .problems import format_loc
from .vocabulary import RelationType

__all__ = ["MAX_DEPTH", "YamlProblem", "dump_entity", "dump_yaml", "entity_to_data", "load_yaml", "load_yaml_fast"]

MAX_DEPTH = 32  # a registry file nests five or six levels deep

Loc = tuple[Any, ...]
_NULLS = {"", "~", "null", "Null", "NULL"}
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class YamlProblem(Exception):
    """A file that is not well-formed YAML, or has a key twice; carries the line."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.field = field
        self.message = message


def _check_events(text: str) -> None:
    """Refuse aliases and deep nesting from the parser's events, before any tree is built."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(line, "", f"YAML-alias (*{event.anchor}) används inte i registerfiler; skriv ut värdet")
        anchor = getattr(event, "anchor", None)  # scalars and collections may carry one
        if anchor:
            message = f"YAML-ankare (&{anchor}) används inte i registerfiler; skriv ut värdet där det behövs"
            raise YamlProblem(line, "", message)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1  # the top mapping is depth 1, nesting 0
            if depth - 1 > MAX_DEPTH:
                raise YamlProblem(line, "", f"för djup nästling (mer än {MAX_DEPTH} nivåer)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _refuse_untrusted(text: str) -> None:
    """YamlProblem for aliases, anchors and deep nesting; only text that could hold them pays for
    a second parse."""
    if "&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH or len(text) > 1_000_000:
        _check_events(text)


def load_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document into plain data and a map from value location to line number."""
    try:
        _refuse_untrusted(text)
        node = yaml.compose(text, Loader=_Loader)
    except YamlProblem:
        raise
    except RecursionError:
        raise YamlProblem(1, "", f"för djup nästling (mer än {MAX_DEPTH} nivåer)") from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise YamlProblem(line, "", f"ogiltig YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(1, "", f"ogiltig YAML: {exc}") from None
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    return _convert(node, (), lines), lines


_KIND_TAG = {
    yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
    yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
    yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
}

if yaml.__with_libyaml__:
    # libyaml's parser; the PyYAML stubs do not re-export it from yaml.cyaml
    from yaml.cyaml import CParser as _Parser  # type: ignore[attr-defined]
else:  # pragma: no cover - libyaml is a dependency; pure Python gives the same data, slower
    # the same name for the pure-Python parser (hence no-redef)

    class _Parser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)


class _FastComposer(_Parser, yaml.resolver.BaseResolver):
    """libyaml's parser and composer, with no implicit typing: every node gets its kind's tag."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _KIND_TAG[kind]


class _NotPlain(Exception):
    """Something `load_yaml` reports or reads differently: leave the file to it."""


def _plain_node(node: yaml.Node, depth: int = 0) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return None if not node.style and node.value in _NULLS else node.value
    if depth > MAX_DEPTH:
        raise _NotPlain
    if isinstance(node, yaml.SequenceNode):
        return [_plain_node(item, depth + 1) for item in node.value]
    out: dict[str, Any] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value in out:
            raise _NotPlain
        out[key_node.value] = _plain_node(value_node, depth + 1)
    return out


def load_yaml_fast(text: str) -> Any:
    """The data `load_yaml` would return, several times faster, for a file with nothing wrong.

    Raises `YamlProblem` for anything `load_yaml` would report (a key twice, a non-text key,
    bad syntax, aliases, anchors, deep nesting); the caller then asks `load_yaml` for the line.
    """
    _refuse_untrusted(text)
    loader = _FastComposer(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _plain_node(node)
    except (yaml.YAMLError, _NotPlain, RecursionError) as exc:
        raise YamlProblem(1, "", "ogiltig YAML") from exc
    finally:
        loader.dispose()


def _convert(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if len(loc) > MAX_DEPTH and isinstance(node, yaml.CollectionNode):
        raise YamlProblem(lines[loc], format_loc(loc[:MAX_DEPTH]), f"för djup nästling (mer än {MAX_DEPTH} nivåer)")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(key_node.start_mark.line + 1, format_loc(loc), "nycklar ska vara vanlig text")
            key = key_node.value
            if key in out:
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    format_loc((*loc, key)),
                    f"nyckeln {key!r} står två gånger i samma mappning",
                )
            out[key] = _convert(value_node, (*loc, key), lines)
            lines[(*loc, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*loc, i), lines) for i, item in enumerate(node.value)]
    assert isinstance(node, yaml.ScalarNode)  # what is neither a mapping nor a sequence
    value = node.value
    if not node.style and value in _NULLS:
        return None
    return value


# ---- writing -------------------------------------------------------------------------------


def dump_entity(entity: Entity) -> str:
    """The canonical YAML text of an entity's file."""
    return dump_yaml(entity_to_data(entity))


def dump_yaml(data: Any) -> str:
    """Plain data as the registry writes YAML: keys in the given order, UTF-8, 100 columns."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
        indent=2,
    )


assert set(RELATION_CLASSES) == set(RelationType)
