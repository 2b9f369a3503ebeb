"""Writing the whole site: every page computed from the graph, written to a fresh folder, and that
folder put in the place of the old site only when it is complete.

The layout of the site (all links relative, so it works from disk and from any folder of a server):

- `index.html` the start page, `sok.html` search, one list page per category (`aktorer.html`, …);
- `e/NAME.html` one page per entity (`urls.page_name`), documents with their text and
  consultations with their answer matrices;
- `vyer/*.html` the network views and `rapport.html` the report, single files as `render` writes them;
- `assets/` styles, scripts, vis-network and the search index; `sitemap.txt` and `entities.json`.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import networkx as nx

from samverkan.graphs.backends.persons import names_of_people
from samverkan.graphs.presentation.html import embed_json, page_assets, render_page, report_html, view_data, view_html
from samverkan.graphs.presentation.report import CATEGORY_LABELS, build_report
from samverkan.graphs.presentation.site.changes import latest_changes
from samverkan.graphs.presentation.site.pages import ego_view, entity_fields, relation_anchor, relation_groups
from samverkan.graphs.presentation.site.passages import Citation, DocumentText
from samverkan.graphs.presentation.site.search import build_index, index_script
from samverkan.graphs.presentation.site.urls import entity_path, page_name
from samverkan.graphs.presentation.views import build_view, node_weight
from samverkan.registry.errors import WriteError, os_reason
from samverkan.registry.names import sort_key
from samverkan.registry.store import Registry
from samverkan.registry.vocabulary import RELATION_LABELS, Category

__all__ = ["SiteError", "SiteOptions", "build_site"]

LIST_PAGES = {
    "actor": "aktorer",
    "structure": "strukturer",
    "area": "omraden",
    "theme": "teman",
    "group": "malgrupper",
    "document": "dokument",
    "decision": "beslut",
    "consultation": "remisser",
    "person": "personer",
}
VIEW_PAGES = {
    "full": ("vyer/hela.html", "Hela samverkansstrukturen"),
    "bipartite": ("vyer/aktorer-och-forum.html", "Aktörer och forum"),
    "overlaps": ("vyer/parallella.html", "Parallella strukturer"),
}
ASSETS = ("site.css", "site.js", "sok.js", "ego.js")


class SiteError(WriteError):
    """The site cannot be written where it was asked to be."""


@dataclass
class SiteOptions:
    """How the site is built."""

    title: str = "Samverkansstrukturen"
    base_url: str | None = None  # for sitemap.txt; links inside the site are always relative
    subtitle: str = ""  # the filters, in words
    view_limit: int = 3000  # nodes: larger views are left out (the browser could not draw them)
    area_views: int = 60  # at most so many area views, the areas with most going on first


GENERATOR_MARK = '<meta name="generator" content="samverkan">'


def _is_site(folder: Path) -> bool:
    """Whether a folder holds a site samverkan wrote (its start page carries the mark)."""
    try:
        with (folder / "index.html").open(encoding="utf-8") as fh:
            head = fh.read(4096)
    except (OSError, UnicodeDecodeError):
        return False
    return GENERATOR_MARK in head and (folder / "entities.json").is_file()


def _check_target(out: Path, registry_root: Path) -> None:
    """Refuse a folder in or around the registry, a file, or a folder holding anything but a site."""
    target, root = out.resolve(), registry_root.resolve()
    if target == root or root in target.parents or target in root.parents:
        raise SiteError(f"{out} och registret ({registry_root}) ligger i varandra; skriv webbplatsen utanför registret")
    if out.exists() and not out.is_dir():
        raise SiteError(f"{out} finns redan och är ingen katalog")
    if out.is_dir() and any(out.iterdir()) and not _is_site(out):
        raise SiteError(f"{out} är inte tom och innehåller ingen tidigare webbplats; välj en ny katalog")


def _replace(tmp: Path, out: Path) -> None:
    """Put the finished site in place: the old one moves aside first and is removed last."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.gammal")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
    tmp.rename(out)
    if old is not None:
        shutil.rmtree(old)


class _Site:
    """The pages of one build, with the citations that connect them."""

    def __init__(self, registry: Registry, backend: Any, options: SiteOptions) -> None:
        self.graph: nx.MultiDiGraph = backend.graph
        self.registry = registry
        self.backend = backend
        self.options = options
        people = [(e.name, e.aliases, e.short_name) for e in registry if e.category is Category.PERSON]
        filters = getattr(backend, "filters", None)
        # a source text is shown whole: where people are left out, their names in it are blacked out
        self.people = [] if filters is None or filters.include_persons else names_of_people(people)
        self.ids = sorted(self.graph.nodes, key=lambda n: (sort_key(self.graph.nodes[n]["name"]), n))
        names = Counter(page_name(n) for n in self.graph)
        clash = sorted(n for n in self.graph if names[page_name(n)] > 1)
        if clash:
            raise SiteError(f"id som skulle få samma sidnamn: {', '.join(clash)}")
        self.weights = {n: node_weight(self.graph, n) for n in self.graph}
        self.documents: dict[str, DocumentText] = {}
        self.cited: dict[tuple[str, str, int], tuple[str, tuple[int, int]]] = {}
        self._cite_all()

    # ---- citations ---------------------------------------------------------------------------
    def _document(self, doc: str) -> DocumentText | None:
        if doc not in self.documents:
            text = self.registry.source_text(doc)
            if text is None:
                return None
            if self.people:
                text = text.redacted(self.people)
            self.documents[doc] = DocumentText(text)
        return self.documents[doc]

    def _cite(self, owner: str, anchor: str, owners: tuple[str, ...], label: str, evidence: list[dict]) -> None:
        for i, ev in enumerate(evidence):
            doc = self._document(ev["source"])
            if doc is None:
                continue
            key = doc.cite(ev["quote"], ev.get("page"), owners, Citation(owner, anchor, label))
            if key is not None:
                self.cited[(owner, anchor, i)] = (ev["source"], key)

    def _cite_all(self) -> None:
        graph = self.graph
        for node in sorted(graph):
            data = graph.nodes[node]
            self._cite(
                node,
                "uppgifter",
                (node,),
                f"{data['name']} ({data['kind'].replace('_', ' ')})",
                data.get("evidence", []),
            )
        for src, dst, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2]):
            label = RELATION_LABELS.get(data["type"], (data["type"], ""))[0]
            text = f"{graph.nodes[src]['name']} {label} {graph.nodes[dst]['name']}"
            if data.get("role") and data["role"] != "deltar":
                text += f" ({data['role']})"
            self._cite(src, relation_anchor(key), (src, dst), text, data.get("evidence", []))

    def passage_href(self, owner: str, anchor: str, index: int, depth: int) -> str | None:
        found = self.cited.get((owner, anchor, index))
        if found is None:
            return None
        doc, key = found
        number = self.documents[doc].passage(key).number
        return "../" * depth + f"{entity_path(doc)}#c-{number}"

    def evidence_items(self, owner: str, anchor: str, evidence: list[dict], depth: int) -> list[dict[str, Any]]:
        items = []
        for i, ev in enumerate(evidence):
            doc = ev["source"]
            items.append(
                {
                    "document": self.graph.nodes[doc]["name"] if doc in self.graph else doc,
                    "document_href": "../" * depth + entity_path(doc) if doc in self.graph else None,
                    "page": ev.get("page"),
                    "quote": " ".join(str(ev["quote"]).split()),
                    "note": ev.get("note"),
                    "href": self.passage_href(owner, anchor, i, depth),
                }
            )
        return items

    def quote_href(self, doc: str, quote: str, owner: str, depth: int) -> str | None:
        """A passage of a quote an analysis reports (the first cited by `owner`, else the first)."""
        text = self.documents.get(doc)
        if text is None:
            return None
        found = text.occurrences(quote)
        spans = {(s, e) for s, e, _, _ in found}
        best = None
        for passage in text.passages():
            if (passage.start, passage.end) in spans:
                if any(c.owner == owner for c in passage.citations):
                    best = passage
                    break
                best = best or passage
        return None if best is None else "../" * depth + f"{entity_path(doc)}#c-{best.number}"

    # ---- pages -------------------------------------------------------------------------------
    def link(self, depth: int) -> Callable[[str], str]:
        prefix = "../" * depth

        def href(node: str) -> str:
            return prefix + entity_path(node)

        return href

    def entity_page(self, node: str, positions: dict[str, dict[str, Any]]) -> str:
        graph = self.graph
        data = graph.nodes[node]
        link = self.link(1)
        groups = relation_groups(graph, node)
        for group in groups:
            for item in group["items"]:
                item["href"] = link(item["other"]["id"])
                item["evidence"] = self.evidence_items(item["owner"], item["anchor"], item["evidence"], 1)
                for field in ("proposes", "jointly", "concerns"):
                    for ref in item[field]:
                        ref["href"] = link(ref["id"]) if ref["id"] in graph else None
        ego = ego_view(graph, node, lambda n: entity_path(n).removeprefix("e/"), self.weights)
        text = self.documents.get(node)
        pages = text.pages_html(lambda c: f"{page_name(c.owner)}.html#{c.anchor}") if text else None
        category = data.get("category", "")
        return render_page(
            "site/entity.html",
            site=self.options,
            root="../",
            node=node,
            data=data,
            category_label=CATEGORY_LABELS.get(category, ""),
            category_href=f"../{LIST_PAGES[category]}.html" if category in LIST_PAGES else None,
            fields=entity_fields(graph, node, link),
            evidence=self.evidence_items(node, "uppgifter", data.get("evidence", []), 1),
            groups=groups,
            ego=ego,
            ego_json=embed_json({"nodes": ego["nodes"], "edges": ego["edges"]}) if ego else "",
            pages=pages,
            consultation=positions.get(node),
            href=link,
        )

    def list_page(self, category: str) -> str:
        graph = self.graph
        rows = [
            {
                "href": entity_path(n),
                "name": graph.nodes[n]["name"],
                "kind": graph.nodes[n]["kind"].replace("_", " "),
                "status": graph.nodes[n].get("status", "befintlig"),
                "degree": graph.degree(n),
            }
            for n in self.ids
            if graph.nodes[n].get("category") == category
        ]
        return render_page("site/list.html", site=self.options, root="", heading=CATEGORY_LABELS[category], rows=rows)

    def search_entries(self) -> tuple[list[tuple[str, str, str, list[str]]], list[tuple[str, str, str]]]:
        graph = self.graph
        entities = []
        for n in self.ids:
            data = graph.nodes[n]
            names = [x for x in [data.get("short_name"), *data.get("aliases", [])] if x]
            entities.append((entity_path(n), data["name"], data["kind"], names))
        passages = []
        for doc in sorted(self.documents, key=lambda d: (sort_key(graph.nodes[d]["name"]) if d in graph else d, d)):
            text = self.documents[doc]
            name = graph.nodes[doc]["name"] if doc in graph else doc
            for p in text.passages():
                quote = text.text[p.start : p.end]
                passages.append((f"{entity_path(doc)}#c-{p.number}", f"{name}, s. {p.page}", quote))
        return entities, passages


def _views(graph: nx.MultiDiGraph, options: SiteOptions, overlap_view: Any) -> list[dict[str, Any]]:
    """The network views to write: (path, title, view), those the browser can draw; the overlap
    view is the report's."""
    out = []
    size = sum(1 for _, d in graph.nodes(data=True) if d.get("category") != "document")
    if size <= options.view_limit:
        for name in ("full", "bipartite"):
            path, title = VIEW_PAGES[name]
            out.append({"path": path, "title": title, "view": build_view(graph, name, title=title)})
    path, title = VIEW_PAGES["overlaps"]
    out.append({"path": path, "title": title, "view": overlap_view})
    areas = sorted(
        (n for n, d in graph.nodes(data=True) if d.get("category") == "area"),
        key=lambda n: (sort_key(graph.nodes[n]["name"]), n),
    )
    total = len(areas)
    if len(areas) > options.area_views:
        activity = {a: graph.in_degree(a) for a in areas}
        areas = sorted(sorted(areas, key=lambda a: (-activity[a], a))[: options.area_views], key=areas.index)
    for area in areas:
        name = graph.nodes[area]["name"]
        view = build_view(graph, "area", title=f"Samverkan i {name}", area=area)
        if 1 < len(view.nodes) <= options.view_limit:
            path = f"vyer/omrade-{page_name(area)}.html"
            out.append({"path": path, "title": view.title, "view": view, "of_areas": total})
    return out


def build_site(registry: Registry, backend: Any, out: Path | str, options: SiteOptions | None = None) -> dict[str, Any]:
    """Write the site of the backend's graph to `out`; what was written, in numbers.

    `out` must be new, empty, or a site written before (it is replaced as a whole, only once the
    new one is complete).
    """
    options = options or SiteOptions()
    out = Path(out)
    _check_target(out, registry.root)
    site = _Site(registry, backend, options)
    graph = site.graph
    report = build_report(backend)
    positions = {c["id"]: c for c in report["positions"]}
    views = _views(graph, options, report["view"])
    tmp = None
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
        umask = os.umask(0)
        os.umask(umask)
        tmp.chmod(0o777 & ~umask)  # an ordinary folder a web server can read, not mkdtemp's private one
        files = _write(site, tmp, report, positions, views)
        _replace(tmp, out)
    except OSError as exc:
        raise SiteError(f"kan inte skriva webbplatsen {out}: {os_reason(exc)}") from None
    finally:
        if tmp is not None and tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return {
        "entities": graph.number_of_nodes(),
        "relations": graph.number_of_edges(),
        "documents": len(site.documents),
        "passages": sum(len(d.passages()) for d in site.documents.values()),
        "views": len(views),
        "files": files,
    }


def _write(site: _Site, root: Path, report: dict[str, Any], positions: dict, views: list[dict]) -> int:
    graph, options = site.graph, site.options
    written: list[str] = []

    def write(rel: str, text: str) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(rel)

    own = Path(__file__).resolve().parents[1] / "templates" / "site"
    for name in ASSETS:
        write(f"assets/{name}", (own / name).read_text(encoding="utf-8"))
    write("assets/vis-network.min.js", page_assets()["vis_js"])
    write("assets/vis-network.css", page_assets()["vis_css"])
    entities, passages = site.search_entries()
    write("assets/sok-index.js", index_script(build_index(entities, passages)))

    for node in site.ids:
        write(entity_path(node), site.entity_page(node, positions))
    categories = [c.value for c in Category if any(d.get("category") == c.value for _, d in graph.nodes(data=True))]
    for category in categories:
        write(f"{LIST_PAGES[category]}.html", site.list_page(category))
    for view in views:
        write(view["path"], view_html(view["view"], subtitle=options.subtitle))
    write("rapport.html", report_html(report, f"{options.title} – rapport", options.subtitle))
    write("sok.html", render_page("site/search.html", site=options, root=""))
    write("index.html", _start_page(site, report, views, categories))

    pages = sorted(written_page for written_page in written if written_page.endswith(".html"))
    base = (options.base_url or "").rstrip("/")
    write("sitemap.txt", "".join(f"{base}/{p}\n" if base else f"{p}\n" for p in pages))
    listing = [
        {
            "id": n,
            "name": graph.nodes[n]["name"],
            "kind": graph.nodes[n]["kind"],
            "category": graph.nodes[n].get("category"),
            "status": graph.nodes[n].get("status", "befintlig"),
            "aliases": list(graph.nodes[n].get("aliases", [])),
            "url": f"{base}/{entity_path(n)}" if base else entity_path(n),
        }
        for n in sorted(graph)
    ]
    write("entities.json", json.dumps({"entities": listing}, ensure_ascii=False, indent=1) + "\n")
    return len(written)


def _short(graph: nx.MultiDiGraph, node: str) -> str:
    if node not in graph:
        return node
    return graph.nodes[node].get("short_name") or graph.nodes[node]["name"]


def _start_page(site: _Site, report: dict[str, Any], views: list[dict], categories: list[str]) -> str:
    graph = site.graph
    link = site.link(0)
    warnings = []
    for w in report["warnings"]:
        voices = []
        for v in w["voices"]:
            quotes = [
                {
                    "quote": " ".join(ev["quote"].split()),
                    "page": ev.get("page"),
                    "document": _short(graph, ev["source"]),
                    "href": site.quote_href(ev["source"], ev["quote"], v["speaker"]["id"], 0),
                }
                for ev in v["evidence"]
            ]
            voices.append({**v, "quotes": quotes})
        warnings.append({**w, "voices": voices})
    gaps = defaultdict(list)
    for group in report["gaps"]:
        gaps[group["label"]] = group["items"]
    changes = latest_changes(site.registry.root)
    for change in changes:
        change["entities"] = [{"name": graph.nodes[i]["name"], "href": link(i)} for i in change["ids"] if i in graph]
    return render_page(
        "site/start.html",
        site=site.options,
        root="",
        report=report,
        warnings=warnings,
        link=link,
        in_graph=lambda n: n in graph,
        lists=[{"href": f"{LIST_PAGES[c]}.html", "label": CATEGORY_LABELS[c]} for c in categories],
        views=views,
        changes=changes,
        view_data=view_data,
    )
