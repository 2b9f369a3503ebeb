"""Printing a page to PDF with headless Chromium, where it is installed.

The browser is the system's (Debian's `chromium`), found on the PATH or through
`SAMVERKAN_CHROMIUM`; nothing is downloaded. It runs with a fresh profile and with background
networking off, so printing touches nothing but the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from samverkan.registry.errors import RegistryError

__all__ = ["chromium_path", "print_to_pdf", "write_pdf"]

FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-pdf-header-footer",
    "--virtual-time-budget=10000",
]


def chromium_path() -> str | None:
    """The Chromium executable to use, or None when there is none."""
    explicit = os.environ.get("SAMVERKAN_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def print_to_pdf(html: Path, pdf: Path, timeout: int = 120) -> None:
    """Print an HTML file to a PDF file; the PDF appears whole or not at all."""
    exe = chromium_path()
    if exe is None:
        raise RegistryError("Chromium finns inte på datorn; installera Debians paket 'chromium' för --pdf")
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        partial = pdf.with_name(f".{pdf.name}.partial")
        cmd = [
            exe,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={partial}",
            html.resolve().as_uri(),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=timeout, check=True)
        except (subprocess.SubprocessError, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise RegistryError(f"Chromium kunde inte skriva ut PDF: {exc}") from None
        if not partial.exists() or partial.stat().st_size == 0:
            raise RegistryError("Chromium skrev ingen PDF")
        os.replace(partial, pdf)


def write_pdf(pdf: Path, page: str) -> None:
    """Print an HTML page (a string) to a PDF file, by way of a temporary file Chromium can open;
    called like `store.write_atomic`, so a caller chooses either by the format asked for."""
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "rapport.html"
        html.write_text(page, encoding="utf-8")
        print_to_pdf(html, pdf)
