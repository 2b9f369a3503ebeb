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
from .vocabulary import RelationType

__all__ = ["MAX_DEPTH", "YamlProblem", "dump_entity", "dump_yaml", "entity_to_data", "load_yaml"]

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
        if getattr(event, "anchor", None):
            message = f"YAML-ankare (&{event.anchor}) används inte i registerfiler; skriv ut värdet där det behövs"
            raise YamlProblem(line, "", message)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1  # the top mapping is depth 1, nesting 0
            if depth - 1 > MAX_DEPTH:
                raise YamlProblem(line, "", f"för djup nästling (mer än {MAX_DEPTH} nivåer)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def load_yaml(text: str) -> tuple[Any, dict[Loc, int]]:
    """Parse one YAML document into plain data and a map from value location to line number."""
    try:
        if "&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH or len(text) > 1_000_000:
            _check_events(text)  # only text that could hold an alias or deep nesting pays for a second parse
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


def _convert(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if len(loc) > MAX_DEPTH and isinstance(node, yaml.CollectionNode):
        raise YamlProblem(lines[loc], _dotted(loc[:MAX_DEPTH]), f"för djup nästling (mer än {MAX_DEPTH} nivåer)")
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem(key_node.start_mark.line + 1, _dotted(loc), "nycklar ska vara vanlig text")
            key = key_node.value
            if key in out:
                raise YamlProblem(
                    key_node.start_mark.line + 1,
                    _dotted((*loc, key)),
                    f"nyckeln {key!r} står två gånger i samma mappning",
                )
            out[key] = _convert(value_node, (*loc, key), lines)
            lines[(*loc, key)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, (*loc, i), lines) for i, item in enumerate(node.value)]
    value = node.value
    if not node.style and value in _NULLS:
        return None
    return value


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
