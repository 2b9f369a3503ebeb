"""Self-contained HTML pages: every script, style and datum inline, nothing fetched when opened.

The pages work from an intranet folder or an e-mail attachment on a closed network. vis-network
(the drawing library pyvis wraps) is read from the pyvis package and inlined; pyvis's own page
template is not used, since it loads Bootstrap and vis from public CDNs. Text reaches the page
either through Jinja's autoescaping or as JSON inside a data script, so a name with markup in it
stays text.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

from samverkan.graphs.presentation.views import View

__all__ = ["embed_json", "page_assets", "render_page", "report_html", "view_html"]


def embed_json(data: Any) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' left unescaped.

    >>> embed_json({"name": "</script><script>alert(1)</script>"})
    '{"name": "\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


@cache
def page_assets() -> dict[str, str]:
    """The drawing library and the project's own styles and script, as text."""
    import pyvis  # only pages need it

    vis = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    own = resources.files("samverkan.graphs.presentation") / "templates"
    return {
        "vis_js": (vis / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (vis / "vis-network.css").read_text(encoding="utf-8"),
        "base_css": (own / "base.css").read_text(encoding="utf-8"),
        "network_js": (own / "network.js").read_text(encoding="utf-8"),
    }


@cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("samverkan.graphs.presentation", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_page(template: str, **context: Any) -> str:
    """Render one of the project's templates with the inline assets available as `assets`."""
    return _environment().get_template(template).render(assets=page_assets(), **context)


def view_data(view: View) -> dict[str, Any]:
    return {"nodes": view.nodes, "edges": view.edges, "physics": view.physics}


def report_html(report: dict[str, Any], title: str, subtitle: str = "") -> str:
    """The whole report as one page."""
    return render_page(
        "report.html",
        report=report,
        title=title,
        subtitle=subtitle,
        data_json=embed_json(view_data(report["view"])),
    )


def view_html(view: View, subtitle: str = "") -> str:
    """A whole page showing one network view."""
    return render_page("view.html", view=view, data_json=embed_json(view_data(view)), subtitle=subtitle)
