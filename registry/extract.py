"""Reading a new document into text with its pages: PDF, Word (.docx) and plain text.

The text is what the registry keeps under `sources/` and what every quote is checked against, so
it is stored the way `SourceText` pages it: pages separated by form feeds, and, where the printed
page numbers are not simply 1, 2, 3 … (a PDF's page labels), a `N (M)` marker at the top of each
page. Words hyphenated across a line break are joined ("Fritids-⏎nämnden" → "Fritidsnämnden"), but
"Arbetsmarknads- och socialnämnden" keeps its hyphen.

A file that cannot be read as a document (a scanned PDF without text, an encrypted or damaged PDF,
a .docx that is not one, a text that is not UTF-8) is an ExtractError with a one-line reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import RegistryError

__all__ = ["ExtractError", "Extracted", "dehyphenate", "read_document"]

_CONJUNCTIONS = {"och", "eller", "samt", "respektive", "resp", "till", "som", "men"}
_HYPHEN_BREAK = re.compile(r"([a-zåäöé])-[ \t]*\n[ \t]*([a-zåäöé]\w*)[ \t]?")
_ISO_DATE = re.compile(r"\b(20\d\d|19\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
_SWEDISH_DATE = re.compile(r"\b([12]?\d|3[01]) (" + "|".join(_MONTHS) + r") (\d{4})\b", re.IGNORECASE)
_DIARIENUMMER = re.compile(
    r"(?:\b(?:dnr|diarienummer|diarienr)\.?:?\s*([A-ZÅÄÖ]{2,}[-\s]?\d{4}[-/]\d+(?:[-/]\d+)?))"
    r"|\b([A-ZÅÄÖ]{2,6}-\d{4}-\d{1,6})\b",
    re.IGNORECASE,
)


class ExtractError(RegistryError):
    """A file that cannot be read as a document's text."""


@dataclass
class Extracted:
    """A document's text by page, and what its first page says about it."""

    pages: list[tuple[int, str]]  # (printed page number, text)
    title: str | None = None

    def text(self) -> str:
        """The text as the registry stores it: form feeds between pages, markers where needed."""
        numbered = [n for n, _ in self.pages] != list(range(1, len(self.pages) + 1))
        parts = []
        for i, (number, body) in enumerate(self.pages):
            marker = f"{number} ({self.pages[-1][0]})\n" if numbered else ""
            parts.append(("\f" if i else "") + marker + body.strip("\n") + "\n")
        return "".join(parts)

    @property
    def date(self) -> str | None:
        """The first date the text gives (ISO, or '26 september 2024')."""
        return find_date(self.text())

    @property
    def diarienummer(self) -> str | None:
        """The first case number the text gives ('Dnr STK-2024-1374')."""
        m = _DIARIENUMMER.search(self.text())
        return (m.group(1) or m.group(2)).replace(" ", "-") if m else None


def find_date(text: str) -> str | None:
    """The first date written in a text, as ISO.

    >>> find_date("Malmö den 26 september 2024, ersätter 2023-01-01")
    '2024-09-26'
    """
    iso = _ISO_DATE.search(text)
    swedish = _SWEDISH_DATE.search(text)
    if swedish and (iso is None or swedish.start() < iso.start()):
        day, month, year = swedish.groups()
        return f"{year}-{_MONTHS.index(month.lower()) + 1:02d}-{int(day):02d}"
    return iso.group(0) if iso else None


def dehyphenate(text: str) -> str:
    """Join words split by a hyphen at a line break, keep "X- och Y".

    >>> dehyphenate("Fritids-\\nnämnden och Arbetsmarknads-\\noch socialnämnden")
    'Fritidsnämnden\\noch Arbetsmarknads-\\noch socialnämnden'
    """

    def join(m: re.Match[str]) -> str:
        if m.group(2).lower() in _CONJUNCTIONS:
            return m.group(0)
        return f"{m.group(1)}{m.group(2)}\n"

    return _HYPHEN_BREAK.sub(join, text)


def _clean(text: str, strip_lines: bool = False) -> str:
    """Unix newlines, hyphenation joined; a PDF's or Word file's lines without edge spaces (a line
    that starts with a space means a new page in the extractions `SourceText` knows)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if strip_lines:
        text = "\n".join(line.strip() for line in text.split("\n"))
    return dehyphenate(text)


def _title(pages: list[tuple[int, str]]) -> str | None:
    for _, body in pages:
        for line in body.splitlines():
            if len(line.strip()) > 3:
                return " ".join(line.split())
    return None


def read_document(path: Path) -> Extracted:
    """The text of a PDF, .docx or plain-text file, by page."""
    path = Path(path)
    if not path.is_file():
        raise ExtractError(f"{path}: filen finns inte")
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        pages, title = _read_pdf(path)
    elif suffix == ".docx":
        pages, title = _read_docx(path), None
    else:
        pages, title = _read_text(path), None
    if not any(body.strip() for _, body in pages):
        raise ExtractError(f"{path}: dokumentet har ingen text")
    return Extracted(pages, _title(pages) or title)  # metadata titles are often "untitled" or a file name


def _read_text(path: Path) -> list[tuple[int, str]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExtractError(
            f"{path}: texten är inte UTF-8 (byte {exc.start}); spara den som UTF-8 och försök igen"
        ) from None
    pages = _clean(text).split("\f")
    return [(i + 1, body) for i, body in enumerate(pages)]


def _read_pdf(path: Path) -> tuple[list[tuple[int, str]], str | None]:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError(f"{path}: PDF-filen är krypterad; spara en okrypterad kopia och försök igen")
        labels = list(reader.page_labels)
        texts = [_clean(page.extract_text() or "", strip_lines=True) for page in reader.pages]
        meta = reader.metadata
        title = str(meta.title).strip() if meta and meta.title else None
    except ExtractError:
        raise
    except FileNotDecryptedError:
        raise ExtractError(f"{path}: PDF-filen är krypterad; spara en okrypterad kopia och försök igen") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError) as exc:
        raise ExtractError(f"{path}: PDF-filen är skadad eller ingen PDF ({type(exc).__name__})") from None
    if texts and not any(t.strip() for t in texts):
        raise ExtractError(f"{path}: PDF-filen har inget textlager (inskannad?); kör OCR först")
    numbers = [int(label) if label.isdigit() else i + 1 for i, label in enumerate(labels)]
    if len(set(numbers)) != len(numbers):
        numbers = list(range(1, len(texts) + 1))
    return list(zip(numbers, texts, strict=True)), title


def _read_docx(path: Path) -> list[tuple[int, str]]:
    import zipfile

    from docx import Document as Docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = Docx(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ExtractError(f"{path}: filen är inget Word-dokument (.docx) ({type(exc).__name__})") from None
    pages = [""]
    qn = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            for br in run._element.iter(f"{qn}br"):
                if br.get(f"{qn}type") == "page":
                    pages.append("")
            pages[-1] += run.text
        pages[-1] += "\n"
    for table in document.tables:
        for row in table.rows:
            pages[-1] += " | ".join(cell.text for cell in row.cells) + "\n"
    return [(i + 1, _clean(body, strip_lines=True)) for i, body in enumerate(pages)]
