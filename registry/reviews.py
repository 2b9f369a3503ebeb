"""Analysts' judgements on overlap pairs and duplicate candidates, remembered in the registry.

The overlap and duplicate analyses propose pairs; a person decides. A judgement (is this a real
parallel structure? are these two entries one body?) is kept in `reviews/`, one YAML file per pair
with every judgement made on it (who, when, why), so the history is versioned with the registry
and the latest judgement is what counts. A pair judged "inte" is no longer proposed.

>>> review_id("överlapp", "sbum", "ctc")
'överlapp--ctc--sbum'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, Protocol, TypeVar

from pydantic import Field, ValidationError, field_validator, model_validator

from .dates import PartialDate, parse_partial_date
from .models import EntityId, Strict
from .problems import Problem

__all__ = [
    "REVIEW_FOLDER",
    "VERDICT_WORDS",
    "Judgement",
    "Review",
    "Verdict",
    "add_judgement",
    "apply_reviews",
    "judged",
    "load_reviews",
    "record_judgement",
    "review_id",
    "review_text",
    "reviewed_top",
    "suppressed_count",
]

REVIEW_FOLDER = "reviews"


class Verdict(StrEnum):
    """What an analyst concluded; the first three for overlap pairs, the rest for duplicates."""

    BEKRAFTAD_PARALLELL = "bekräftad_parallell"
    INTE_PARALLELL = "inte_parallell"
    SAMMA = "samma"
    INTE_SAMMA = "inte_samma"
    OSAKER = "osäker"


SUBJECT_VERDICTS = {
    "överlapp": {Verdict.BEKRAFTAD_PARALLELL, Verdict.INTE_PARALLELL, Verdict.OSAKER},
    "dubblett": {Verdict.SAMMA, Verdict.INTE_SAMMA, Verdict.OSAKER},
}
SUPPRESSING = {Verdict.INTE_PARALLELL, Verdict.INTE_SAMMA}
# the short words an analyst types, per subject, for each verdict
VERDICT_WORDS = {
    "överlapp": {"bekräftad": Verdict.BEKRAFTAD_PARALLELL, "inte": Verdict.INTE_PARALLELL, "osäker": Verdict.OSAKER},
    "dubblett": {"samma": Verdict.SAMMA, "inte": Verdict.INTE_SAMMA, "osäker": Verdict.OSAKER},
}


class Judgement(Strict):
    """One analyst's judgement at one time."""

    verdict: Verdict
    by: str = Field(min_length=1, description="who judged (name or role)")
    date: PartialDate = Field(description="when, ÅÅÅÅ-MM-DD")
    why: str | None = Field(default=None, description="the reason, in Swedish")


class Review(Strict):
    """Every judgement on one pair, oldest first; the last one counts."""

    id: str
    subject: Literal["överlapp", "dubblett"]
    pair: list[EntityId] = Field(min_length=2, max_length=2)
    judgements: list[Judgement] = Field(min_length=1)

    @field_validator("pair")
    @classmethod
    def _sorted_pair(cls, v: list[str]) -> list[str]:
        if v[0] == v[1]:
            raise ValueError("ett par består av två olika entiteter")
        return sorted(v)

    @model_validator(mode="after")
    def _consistent(self) -> Review:
        if self.id != review_id(self.subject, *self.pair):
            raise ValueError(f"id ska vara {review_id(self.subject, *self.pair)!r}")
        allowed = SUBJECT_VERDICTS[self.subject]
        for j in self.judgements:
            if j.verdict not in allowed:
                names = ", ".join(sorted(v.value for v in allowed))
                raise ValueError(f"bedömningen {j.verdict.value!r} passar inte {self.subject} (välj: {names})")
        return self

    @property
    def latest(self) -> Judgement:
        return self.judgements[-1]

    def to_dict(self) -> dict[str, Any]:
        j = self.latest
        return {
            "subject": self.subject,
            "pair": list(self.pair),
            "verdict": j.verdict.value,
            "by": j.by,
            "date": str(j.date),
            "why": j.why,
            "judgements": len(self.judgements),
        }


def review_id(subject: str, a: str, b: str) -> str:
    """The file name (without .yaml) of a pair's review: subject and the two ids, sorted."""
    first, second = sorted((a, b))
    return f"{subject}--{first}--{second}"


def load_reviews(
    root: Path, known: Iterable[str] = (), controls: bool = False
) -> tuple[dict[str, Review], list[Problem]]:
    """Every review under `root/reviews`, and the problems with them: each id must be one of the
    `known` names (folded), since a merged-away id lives on as a name of the kept entity; with
    `controls`, also the control characters in any text (as `validate` reports them)."""
    from .controls import control_characters, texts_in
    from .problems import format_loc
    from .store import _pydantic_problems
    from .yamlio import YamlProblem, load_yaml

    reviews: dict[str, Review] = {}
    problems: list[Problem] = []
    from .names import fold

    ids = set(known)
    folder = root / REVIEW_FOLDER
    if not folder.is_dir():
        return reviews, problems
    for path in sorted(folder.glob("*.yaml")):
        rel = path.relative_to(root).as_posix()
        try:
            data, lines = load_yaml(path.read_text(encoding="utf-8"))
        except YamlProblem as exc:
            problems.append(Problem(rel, exc.line, exc.field, exc.message))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, 1, "", f"filen kan inte läsas: {exc}"))
            continue
        try:
            review = Review.model_validate(data)
        except ValidationError as exc:
            problems.extend(_pydantic_problems(rel, exc, lines))
            continue
        for loc, text in texts_in(data) if controls else ():
            found = control_characters(text)
            if found:
                message = f"innehåller styrtecken ({', '.join(found)}); ta bort dem"
                problems.append(Problem(rel, lines.get(loc, 1), format_loc(loc), message))
        if review.id != path.stem:
            problems.append(Problem(rel, lines.get(("id",), 1), "id", f"id {review.id!r} stämmer inte med filnamnet"))
        for k, entity_id in enumerate(review.pair):
            if ids and fold(entity_id) not in ids:
                problems.append(Problem(rel, lines.get(("pair", k), 1), f"pair[{k}]", f"okänt id {entity_id!r}"))
        reviews[review.id] = review
    return reviews, problems


def review_text(review: Review) -> str:
    """A review's canonical file: fixed key order, one judgement after another."""
    from .yamlio import dump_yaml

    data = review.model_dump(mode="json", exclude_none=True)
    for j in data["judgements"]:
        j["date"] = str(j["date"])
    return dump_yaml(data)


def judged(reviews: dict[str, Review], subject: str, a: str, b: str) -> Review | None:
    """The review of a pair, if anyone has judged it."""
    return reviews.get(review_id(subject, a, b))


def add_judgement(
    reviews: dict[str, Review], subject: str, a: str, b: str, verdict: Verdict, by: str, why: str | None, on: date
) -> Review:
    """The pair's review with one more judgement (a new review for a pair never judged)."""
    judgement = Judgement(verdict=verdict, by=by, date=parse_partial_date(on.isoformat()), why=why)
    old = judged(reviews, subject, a, b)
    history = [*old.judgements, judgement] if old else [judgement]
    first, second = sorted((a, b))
    return Review(id=review_id(subject, a, b), subject=subject, pair=[first, second], judgements=history)  # type: ignore[arg-type]


class Pair(Protocol):
    """A proposed pair (an overlap or a duplicate): its two entities and any judgement on it."""

    a: dict[str, str]
    b: dict[str, str]
    review: dict[str, Any] | None


P = TypeVar("P", bound=Pair)


def apply_reviews(rows: list[P], reviews: dict[str, Review], subject: str) -> list[P]:
    """Pairs with their latest judgement beside them, as `review` (None when never judged); pairs
    whose latest judgement says they are not one are dropped."""
    kept = []
    for row in rows:
        review = judged(reviews, subject, row.a["id"], row.b["id"])
        if review is not None and review.latest.verdict in SUPPRESSING:
            continue
        kept.append(replace(row, review=review.to_dict() if review else None))  # type: ignore[type-var]
    return kept


def reviewed_top(pairs: Callable[[int], list[P]], reviews: dict[str, Review], subject: str, top: int) -> list[P]:
    """The first `top` pairs with their judgements, where `pairs(n)` ranks the first n: it is asked
    for as many more as are judged "inte", since those are dropped."""
    return apply_reviews(pairs(top + suppressed_count(reviews, subject)), reviews, subject)[:top]


def suppressed_count(reviews: dict[str, Review], subject: str) -> int:
    """How many pairs of a subject are judged "inte": a query asks for that many more."""
    return sum(1 for r in reviews.values() if r.subject == subject and r.latest.verdict in SUPPRESSING)


def record_judgement(
    root: Path, subject: str, a: str, b: str, verdict: str, by: str, why: str | None, on: date
) -> Review:
    """Add a judgement to a pair's review file (created if new), under the registry's lock and
    through the journal like every registry write."""
    from .journal import Change, apply_changes
    from .lock import registry_lock

    with registry_lock(root):
        reviews, problems = load_reviews(root)
        if problems:
            from .errors import ValidationFailedError

            raise ValidationFailedError(problems)
        review = add_judgement(reviews, subject, a, b, Verdict(verdict), by, why, on)
        rel = f"{REVIEW_FOLDER}/{review.id}.yaml"
        path = root / rel
        old = path.read_text(encoding="utf-8") if path.is_file() else None
        apply_changes(root, [Change(rel, old, review_text(review))], f"review {subject} {a} {b}")
    return review
