"""A static site of the registry: plain files that open from a file share or any web server.

`build_site` writes a start page, a page per entity (documents with their highlighted text,
consultations with their answer matrices), the network views and the report, a search index in a
script file, `sitemap.txt` and `entities.json`.
"""

from samverkan.graphs.presentation.site.build import SiteError, SiteOptions, build_site

__all__ = ["SiteError", "SiteOptions", "build_site"]
