"""Readers for evaluation data: EASC, ARGEn, NTREX-128, UN v1, and generic JSONL.

Each reader takes a path (a folder or a file) and yields plain records; the
format is recognised from what is there, so `mujaz eval` needs only a path.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mujaz.core.text import normalise
from mujaz.errors import BadInput


@dataclass
class SummaryItem:
    id: str
    text: str  # the article
    references: list[str]  # human summaries (or the real title, for headlines)
    title: str | None = None


@dataclass
class ParallelItem:
    id: str
    ar: str
    en: str


@dataclass
class SegmentationDoc:
    id: str
    lines: list[str]  # gold: the headline, then one sentence each
    text: str = ""  # the document as a reader sees it: headline, newline, body on one line
    gold: list[int] = field(default_factory=list)  # offsets in `text` where a sentence ends

    def __post_init__(self):
        if not self.text:
            self.text = self.lines[0] + "\n" + " ".join(self.lines[1:]) if len(self.lines) > 1 else self.lines[0]
            self.gold, offset = [], 0
            for line in self.lines[:-1]:
                offset += len(line)
                self.gold.append(offset)
                offset += 1  # the newline after the headline, or the space between sentences


def _read(path: Path) -> str:
    """A dataset file's text; one that cannot be read or is not UTF-8 is bad input, said with its name."""
    try:
        return path.read_bytes().decode("utf-8-sig")  # line ends as they are: a TSV field may hold a "\r"
    except UnicodeDecodeError as error:
        raise BadInput(f"{path}: not UTF-8 text (byte {error.start})", hint="datasets are read as UTF-8") from error
    except OSError as error:
        raise BadInput(f"{path}: cannot read it: {error.strerror or error}") from error


def _need(path: Path) -> Path:
    if not path.exists():
        raise BadInput(f"{path}: no such dataset file or folder")
    return path


TEXT, TEXTS, OPTIONAL_TEXT = "a text", "a list of texts", "optional, a text"  # what a JSONL field must hold


def read_jsonl(path: Path, needs: dict[str, str] | None = None) -> list[dict]:
    """The objects of a JSONL file, each checked for what it `needs` ({key: TEXT, TEXTS or OPTIONAL_TEXT})."""
    needs = needs or {}
    shape = ", ".join(f"{key} ({kind})" for key, kind in needs.items())
    rows = []
    # JSON lines end at "\n" only: splitlines() would also split at U+2028 or U+0085 inside a text.
    for number, line in enumerate(_read(path).split("\n"), start=1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise BadInput(f"{path}:{number}: not JSON ({error.msg})") from error
            problem = _unfit(row, needs)
            if problem:
                raise BadInput(f"{path}:{number}: {problem}", hint=f"each line is a JSON object with {shape}")
            rows.append(row)
    return rows


def _unfit(row: object, needs: dict[str, str]) -> str | None:
    if not isinstance(row, dict):
        return "not a JSON object"
    for key, kind in needs.items():
        value = row.get(key)
        if kind == TEXT and not (isinstance(value, str) and value.strip()):
            return f"{key!r} missing or not a text"
        if kind == OPTIONAL_TEXT and not (value is None or isinstance(value, str)):
            return f"{key!r} is not a text"
        if kind == TEXTS and not (isinstance(value, list) and value and all(isinstance(v, str) for v in value)):
            return f"{key!r} missing, empty, or not a list of texts"
    return None


# -- summaries --------------------------------------------------------------
_EASC_SUMMARY = re.compile(r"^(?P<article>.+)_(?P<who>[A-Z])$")


def read_summaries(path: Path) -> list[SummaryItem]:
    """EASC folder (Articles/, Summaries/), ARGEn TSV (document, title) or JSONL {id, text, references}."""
    path = _need(path)
    if path.is_dir() and (path / "Articles").is_dir():
        return _read_easc(path)
    if path.is_dir() and (path / "train.tsv").is_file():
        path = path / "train.tsv"
    if path.suffix == ".tsv":
        return _read_argen(path)
    if path.suffix in (".jsonl", ".json"):
        return [
            SummaryItem(id=str(row.get("id", n)), text=row["text"], references=list(row["references"]), title=row.get("title"))
            for n, row in enumerate(read_jsonl(path, needs={"text": TEXT, "references": TEXTS, "title": OPTIONAL_TEXT}))
        ]
    raise BadInput(f"{path}: not a summary dataset I know (EASC folder, ARGEn .tsv, or .jsonl)")


def _read_easc(folder: Path) -> list[SummaryItem]:
    titles = {}
    if (folder / "Titles.txt").is_file():
        for line in _read(folder / "Titles.txt").splitlines():
            if "*" in line:
                name, title = line.split("*", 1)
                titles[name.strip().lower()] = title.strip()
    if not (folder / "Summaries").is_dir():
        raise BadInput(f"{folder}: an EASC folder needs Summaries/ beside Articles/")
    references: dict[str, list[str]] = {}
    for summary in sorted((folder / "Summaries").iterdir()):
        match = _EASC_SUMMARY.match(summary.stem)
        if match:
            references.setdefault(match["article"].strip().lower(), []).append(_read(summary))
    items = []
    for article in sorted((folder / "Articles").iterdir(), key=lambda p: p.name.lower()):
        key = article.stem.strip().lower()
        if key in references:
            items.append(SummaryItem(id=article.stem, text=_read(article), references=references[key], title=titles.get(key)))
    return items


def _read_argen(path: Path) -> list[SummaryItem]:
    csv.field_size_limit(1 << 30)  # ARGEn documents are long fields
    # newline="": csv sees line ends as they are in the file (a field may hold a "\r").
    with io.StringIO(_read(path), newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            # No title: the title is the reference, and a summariser shown it would copy the answer.
            SummaryItem(id=str(n), text=row["document"], references=[row["title"]], title=None)
            for n, row in enumerate(reader)
            if row.get("document") and row.get("title")
        ]


# -- translations -----------------------------------------------------------
def read_parallel(path: Path) -> list[ParallelItem]:
    """NTREX-128 folder, UN v1 folder, a pair of files FOO.ar / FOO.en, or JSONL {ar, en}."""
    path = _need(path)
    if path.is_dir():
        arabic = sorted(path.glob("*.arb.txt")) + sorted(path.glob("*.ar"))
        if arabic:
            return _read_pair(arabic[0], _english_twin(arabic[0]))
    elif path.suffix in (".jsonl", ".json"):
        rows = read_jsonl(path, needs={"ar": TEXT, "en": TEXT})
        return [ParallelItem(id=str(row.get("id", n)), ar=row["ar"], en=row["en"]) for n, row in enumerate(rows)]
    elif path.suffix == ".ar":
        return _read_pair(path, path.with_suffix(".en"))
    raise BadInput(f"{path}: not a parallel dataset I know (NTREX-128 or UN folder, FILE.ar + FILE.en, or .jsonl)")


def _english_twin(arabic: Path) -> Path:
    if arabic.name.endswith(".arb.txt"):
        candidates = sorted(arabic.parent.glob("*.eng.txt"))
        if candidates:
            return candidates[0]
    return arabic.with_suffix(".en")


def _read_pair(arabic: Path, english: Path) -> list[ParallelItem]:
    if not english.is_file():
        raise BadInput(f"{arabic}: no English twin ({english.name})")
    ar_lines, en_lines = _read(arabic).splitlines(), _read(english).splitlines()
    if len(ar_lines) != len(en_lines):
        raise BadInput(f"{arabic}: {len(ar_lines)} lines but {english.name} has {len(en_lines)}")
    return [ParallelItem(id=str(n), ar=a, en=e) for n, (a, e) in enumerate(zip(ar_lines, en_lines))]


# -- segmentation -----------------------------------------------------------
def read_segmentation(path: Path) -> list[SegmentationDoc]:
    """NTREX-128 folder (Arabic side, documents by DOCUMENT_IDS.tsv) or JSONL {id, sentences: [...]}.

    The first gold line of a document is its headline.
    """
    path = _need(path)
    if path.is_dir():
        arabic = sorted(path.glob("*.arb.txt"))
        ids_file = path / "DOCUMENT_IDS.tsv"
        if arabic and ids_file.is_file():
            lines = [normalise(line) for line in _read(arabic[0]).splitlines()]
            ids = _read(ids_file).splitlines()
            docs: dict[str, list[str]] = {}
            for doc_id, line in zip(ids, lines):
                docs.setdefault(doc_id.strip(), []).append(line)
            kept = {doc_id: [line for line in doc_lines if line] for doc_id, doc_lines in docs.items()}
            return [SegmentationDoc(id=doc_id, lines=doc_lines) for doc_id, doc_lines in kept.items() if doc_lines]
    elif path.suffix in (".jsonl", ".json"):
        rows = [(str(row.get("id", n)), [normalise(s) for s in row["sentences"] if s.strip()])
                for n, row in enumerate(read_jsonl(path, needs={"sentences": TEXTS}))]
        return [SegmentationDoc(id=doc_id, lines=lines) for doc_id, lines in rows if lines]  # a blank document has no boundaries
    raise BadInput(f"{path}: not a segmentation dataset I know (NTREX-128 folder or .jsonl with sentences)")
