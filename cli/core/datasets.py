"""Readers for evaluation data: EASC, ARGEn, NTREX-128, UN v1, and generic JSONL.

Each reader takes a path (a folder or a file) and yields plain records; the
format is recognised from what is there, so `mujaz eval` needs only a path.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from mujaz.core.source import cannot_read, permission_denied
from mujaz.core.text import arabic_share, as_read, as_written, loads_keeping_numbers, normalise, words
from mujaz.errors import BadInput


@dataclass
class SummaryItem:
    id: str
    text: str  # the article
    references: list[str]  # human summaries (ARGEn: its real title)
    title: str | None = None  # what the summariser is shown as the headline
    headline: str | None = None  # the real title, which `eval headlines` compares with


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
        data = path.read_bytes()
        text = data.decode("utf-8-sig")  # line ends as they are: a TSV field may hold a "\r"
        if b"\x00" in data:
            # UTF-16 without a byte-order mark is valid UTF-8 (Arabic letters and their other byte, ASCII
            # and a NUL): it was read as lines of other counts, or blank ones, and said so.
            line = data.count(b"\n", 0, data.index(b"\x00")) + 1
            raise BadInput(f"{path}: NUL bytes (the first on line {line}): UTF-16 text without a byte-order mark?",
                           hint="datasets are read as UTF-8: iconv -f utf-16le -t utf-8 (or utf-16be)")
        return text
    except UnicodeDecodeError as error:
        # Said by its line, as an editor shows it; a UTF-16 file (PowerShell's) by its name.
        if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise BadInput(f"{path}: UTF-16 text", hint="datasets are read as UTF-8: iconv -f utf-16 -t utf-8") from error
        line = data.count(b"\n", 0, error.start) + 1
        raise BadInput(f"{path}: line {line} is not UTF-8",
                       hint="datasets are read as UTF-8: convert it (iconv -f windows-1256 -t utf-8 ...)") from error
    except OSError as error:
        raise cannot_read(str(path), error) from error


def _lines(text: str) -> list[str]:
    """A line-aligned file's lines: ended by "\n", "\r\n" or a lone "\r" (an old Mac's: such a file read
    as one line was scored as one item); str.splitlines() would also end one at U+2028 or U+0085
    inside a sentence, and misalign a pair."""
    lines = _LINE_END.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


_LINE_END = re.compile(r"\r\n|\n|\r")


def _need(path: Path) -> Path:
    if not path.exists():
        raise BadInput(f"{path}: no such dataset file or folder",
                       hint="check the path; the README's Evaluation section says where each dataset comes from")
    # A folder that cannot be listed read as "not a dataset I know", or ended the run with a traceback.
    if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
        raise permission_denied(str(path))
    return path


def _unreadable_is_bad_input(read):
    """A reader for which a file or folder inside the dataset that cannot be read is bad input, named."""
    @functools.wraps(read)
    def reading(path: Path, *args, **kwargs):
        try:
            return read(path, *args, **kwargs)
        except OSError as error:
            raise cannot_read(str(error.filename or path), error) from error
    return reading


# What a JSONL field must hold.
TEXT, OPTIONAL_TEXT, REFERENCES = "a text", "optional, a text", "a list of non-blank texts"
SENTENCES = "a list of texts, each on one line"


def read_jsonl(path: Path, needs: dict[str, str] | None = None) -> list[dict]:
    """The objects of a JSONL file, each checked for what it `needs` ({key: TEXT, OPTIONAL_TEXT, REFERENCES or SENTENCES});
    one without an "id" gets its line number, as errors count lines (an output's id finds its line).
    An id is one line's alone: --outputs' records are told apart by it."""
    needs = needs or {}
    shape = ", ".join(f"{key} ({kind})" for key, kind in needs.items())
    rows = []
    line_of: dict[str, int] = {}  # each id's line
    # JSON lines end at "\n" only: splitlines() would also split at U+2028 or U+0085 inside a text.
    for number, line in enumerate(_read(path).split("\n"), start=1):
        if line.strip():
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise BadInput(f"{path}:{number}: not JSON ({error.msg})",
                               hint=f"JSON Lines: one whole JSON object on each line, with {shape}") from error
            except RecursionError as error:  # '[' * 100000: Python's parser gives up, no fault of mujaz's
                raise BadInput(f"{path}:{number}: not a JSON object (nested too deep)",
                               hint=f"JSON Lines: one whole JSON object on each line, with {shape}") from error
            problem = _unfit(row, needs)
            if problem:
                raise BadInput(f"{path}:{number}: {problem}", hint=f"each line is a JSON object with {shape}")
            numbered = row.get("id") is None
            if numbered:
                row = {**row, "id": str(number)}
            elif not isinstance(row["id"], str):  # 1.10, 1E2, true: as written, as batch keeps them (not "1.1", "True")
                try:
                    row = {**row, "id": as_written(loads_keeping_numbers(line)["id"])}
                except RecursionError as error:
                    raise BadInput(f"{path}:{number}: its id is nested too deep", hint="give each line a plain id") from error
            first = line_of.setdefault(row["id"], number)
            if first != number:
                said = "no id, and its number, which stands in for one," if numbered else f"the id {row['id']!r}"
                one_document = " (one line a document, all its sentences in its list)" if SENTENCES in needs.values() else ""
                raise BadInput(f"{path}:{number}: {said} is line {first}'s too",
                               hint=f"give each line its own id{one_document}: each item's --outputs record is found by it")
            rows.append(row)
    return rows


def _unfit(row: object, needs: dict[str, str]) -> str | None:
    if not isinstance(row, dict):
        return "not a JSON object"
    for key, kind in needs.items():
        value = row.get(key)
        if kind == TEXT and not (isinstance(value, str) and words(value)):
            return f"{key!r} missing, or not a text with words"  # "...", "\u200b": it would score 0
        if kind == OPTIONAL_TEXT and not (value is None or isinstance(value, str)):
            return f"{key!r} is not a text"
        if kind in (REFERENCES, SENTENCES) and not (isinstance(value, list) and value
                                                   and all(isinstance(v, str) for v in value)):
            return f"{key!r} missing, empty, or not a list of texts"
        if kind == SENTENCES and any("\n" in normalise(v) for v in value):  # a line break in gold is no boundary
            return f"{key!r}: a sentence holds a line break"
        if kind == REFERENCES and not all(words(as_read(v)) for v in value):  # "", "...": it would score every summary 0
            return f"{key!r} holds a blank reference"
    return None


# -- summaries --------------------------------------------------------------
_EASC_SUMMARY = re.compile(r"^(?P<article>.+)_(?P<who>[A-Za-z])$")


@_unreadable_is_bad_input
def read_summaries(path: Path, notes: list[str] | None = None, *, titles_only: bool = False) -> list[SummaryItem]:
    """EASC folder (Articles/, Summaries/), ARGEn TSV (document, title) or JSONL {id, text, references}.

    References and titles are read as articles are (text.as_read), so that both sides of a
    score are alike. What a dataset holds that cannot be scored is said in `notes`.
    `titles_only`: for `eval headlines`, a JSONL needs no references (they are not read)."""
    path = _need(path)
    notes = notes if notes is not None else []
    found = summary_format(path)
    if found == "easc":
        return _read_easc(path, notes, titles_only=titles_only)
    if found == "argen":
        return _read_argen(path / "train.tsv" if path.is_dir() else path)
    if found == "jsonl":
        needs = {"text": TEXT, "title": OPTIONAL_TEXT, **({} if titles_only else {"references": REFERENCES})}
        rows = read_jsonl(path, needs=needs)
        return [
            SummaryItem(id=row["id"], text=row["text"],
                        references=[] if titles_only else [as_read(r) for r in row["references"]],
                        title=_title(row.get("title")), headline=_title(row.get("title")))
            for row in rows
        ]
    if titles_only:
        raise BadInput(f"{path}: not a headline dataset I know (ARGEn .tsv, EASC folder with Titles.txt, or .jsonl "
                       "with titles)")
    raise BadInput(f"{path}: not a summary dataset I know (EASC folder, ARGEn .tsv, or .jsonl)")


def suffix(path: Path) -> str:
    """A dataset file's suffix as its kind, whatever its case: DATA.JSONL (a Windows copy) is JSONL."""
    return path.suffix.lower()


def is_ntrex_arabic(path: Path) -> bool:
    """NTREX-128's Arabic file (newstest2019-ref.arb.txt): named as the dataset names its files, in lower case."""
    return path.name.endswith(".arb.txt")


SUMMARY_REFERENCES = {
    "easc": "EASC's human extractive summaries",
    "argen": "the article's real title (ARGEn): one short reference",
    "jsonl": "the dataset's references",
}


def summary_format(path: Path) -> str | None:
    """"easc", "argen" or "jsonl": what read_summaries reads `path` as (None: none of them)."""
    if path.is_dir() and (path / "Articles").is_dir():
        return "easc"
    if (path.is_dir() and (path / "train.tsv").is_file()) or suffix(path) == ".tsv":
        return "argen"
    if suffix(path) in (".jsonl", ".json"):
        return "jsonl"
    return None


def _title(text: str | None) -> str | None:
    """A title as read, or None for none, or one without words ("..."), which would score 0."""
    read = as_read(text) if text else ""
    return read if words(read) else None


def _read_easc(folder: Path, notes: list[str], *, titles_only: bool = False) -> list[SummaryItem]:
    """The articles with their summaries (and titles); `titles_only` (`eval headlines`): every
    article with its title, summaries playing no part."""
    titles = {}
    if (folder / "Titles.txt").is_file():
        for line in _lines(_read(folder / "Titles.txt")):
            if "*" in line:
                name, title = line.split("*", 1)
                titles[name.strip().lower()] = _title(title.strip())
    references: dict[str, list[str]] = {}
    if not titles_only:
        if not (folder / "Summaries").is_dir():
            raise BadInput(f"{folder}: an EASC folder needs Summaries/ beside Articles/")
        for summary in sorted((folder / "Summaries").iterdir()):
            match = _EASC_SUMMARY.match(summary.stem)
            if match:
                text = as_read(_read(summary))
                if not words(text):
                    raise BadInput(f"{summary}: an empty summary", hint="remove it, or give its text")
                references.setdefault(match["article"].strip().lower(), []).append(text)
    items = []
    articles = sorted((path for path in (folder / "Articles").iterdir() if path.is_file()), key=lambda p: p.name.lower())
    for article in articles:
        key = article.stem.strip().lower()
        if titles_only or key in references:
            text = _read(article)
            if not words(text):  # it would score 0 and pull the mean down
                raise BadInput(f"{article}: an article without words", hint="remove it and its summaries, or give its text")
            items.append(SummaryItem(id=article.stem, text=text, references=references.get(key, []),
                                     title=titles.get(key), headline=titles.get(key)))
    unsummarised = len(articles) - len(items)
    orphans = set(references) - {article.stem.strip().lower() for article in articles}
    if unsummarised:
        notes.append(f"{unsummarised} article(s) in {folder / 'Articles'} have no summaries: left out")
    if orphans:
        notes.append(f"summaries of {len(orphans)} article(s) not in {folder / 'Articles'}: left out")
    return items


ARGEN_COLUMNS = ("document", "title")


def _read_argen(path: Path) -> list[SummaryItem]:
    csv.field_size_limit(1 << 30)  # ARGEn documents are long fields
    # newline="": csv sees line ends as they are in the file (a field may hold a "\r").
    with io.StringIO(_read(path), newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [column for column in ARGEN_COLUMNS if column not in (reader.fieldnames or [])]
        if missing:
            raise BadInput(f"{path}: no {' or '.join(missing)} column in its header line",
                           hint="an ARGEn TSV's header names document and title")
        items = []
        for row in reader:
            # Words, not only characters: a title "..." scored 0, as a blank one would have been refused.
            if not words(as_read(row.get("document") or "")) or not words(as_read(row.get("title") or "")) or None in row:
                raise BadInput(f"{path}:{reader.line_num}: a row without words in its document or title, or with more "
                               "fields than the header names")
            # Not shown the title (title=None): it is the reference, and a summariser would copy the answer.
            title = as_read(row["title"])
            items.append(SummaryItem(id=str(reader.line_num), text=row["document"], references=[title], headline=title))
        return items


# -- translations -----------------------------------------------------------
@_unreadable_is_bad_input
def read_parallel(path: Path) -> list[ParallelItem]:
    """NTREX-128 folder, UN v1 folder, a pair of files FOO.ar / FOO.en, or JSONL {ar, en}."""
    path = _need(path)
    if path.is_dir():
        arabic = sorted(path.glob("*.arb.txt")) + sorted(path.glob("*.ar"))
        if len(arabic) > 1:  # scoring the first alone would leave the others out unsaid
            raise BadInput(f"{path}: {len(arabic)} Arabic files ({', '.join(a.name for a in arabic[:3])}"
                           f"{', ...' if len(arabic) > 3 else ''}): which one to score?", hint="give that file's path")
        if arabic:
            return _read_pair(arabic[0], _english_twin(arabic[0]))
    elif suffix(path) in (".jsonl", ".json"):
        rows = read_jsonl(path, needs={"ar": TEXT, "en": TEXT})
        return _arabic_to_english(path, "ar", "en", [ParallelItem(id=row["id"], ar=row["ar"], en=row["en"])
                                                     for row in rows])
    elif suffix(path) == ".ar" or is_ntrex_arabic(path):
        return _read_pair(path, _english_twin(path))
    raise BadInput(f"{path}: not a parallel dataset I know (NTREX-128 or UN folder, its Arabic file, FILE.ar + FILE.en, "
                   "or .jsonl)")


def line_pair_twins(arabic: Path) -> list[Path]:
    """The names FILE.ar's English side may have: FILE.en, or FILE.EN beside a FILE.AR copied from Windows."""
    return [arabic.with_suffix(".en"), arabic.with_suffix(".EN")]


def _english_twin(arabic: Path) -> Path:
    """FILE.ar's FILE.en; beside an NTREX-128 Arabic file (newstest2019-ref.arb.txt), its English one (*.eng.txt)."""
    if not is_ntrex_arabic(arabic):
        twins = line_pair_twins(arabic)
        return next((twin for twin in twins if twin.is_file()), twins[0])
    candidates = sorted(arabic.parent.glob("*.eng.txt"))
    ntrex = arabic.with_name(arabic.name.replace("-ref.arb.txt", "-src.eng.txt"))
    if len(candidates) > 1 and ntrex in candidates:  # NTREX's own, beside a system's output (mymodel-hyp.eng.txt)
        return ntrex
    if len(candidates) != 1:
        raise BadInput(f"{arabic}: {'no' if not candidates else len(candidates)} English file(s) (*.eng.txt) beside it",
                       hint="NTREX-128's English side is newstest2019-src.eng.txt, in the same folder")
    return candidates[0]


def _read_pair(arabic: Path, english: Path) -> list[ParallelItem]:
    if not english.is_file():
        raise BadInput(f"{arabic}: no English twin ({english.name})")
    ar_lines, en_lines = _lines(_read(arabic)), _lines(_read(english))
    if len(ar_lines) != len(en_lines):
        raise BadInput(f"{arabic}: {len(ar_lines)} lines but {english.name} has {len(en_lines)}",
                       hint="the files are line-aligned: line N of each translates line N of the other")
    for file, lines in ((arabic, ar_lines), (english, en_lines)):
        blank = next((number for number, line in enumerate(lines, start=1) if not words(line)), None)
        if blank:  # a blank reference scores any translation 0; a blank source has nothing to translate
            raise BadInput(f"{file}:{blank}: a blank line", hint="each line holds one sentence, in both files")
    return _arabic_to_english(arabic, arabic.name, english.name,
                              [ParallelItem(id=str(n), ar=a, en=e) for n, (a, e) in enumerate(zip(ar_lines, en_lines), start=1)])


SIDE_SAMPLE_LINES = 500  # enough to tell the languages apart; a whole UN file is a megabyte
ARABIC_SIDE_MIN_SHARE = 0.5  # of the letters, as an article must have (mujaz.core.source)


def _arabic_to_english(path: Path, arabic_side: str, english_side: str, items: list[ParallelItem]) -> list[ParallelItem]:
    """The items, when the Arabic side is Arabic and the English side is not: swapped files (or keys)
    were translated English to English and scored 0, with exit 0 (as brief refuses English, exit 4).
    No items at all is said by the command (not "swapped")."""
    if not items:
        return items
    arabic = arabic_share(" ".join(item.ar for item in items[:SIDE_SAMPLE_LINES]))
    english = arabic_share(" ".join(item.en for item in items[:SIDE_SAMPLE_LINES]))
    if arabic < ARABIC_SIDE_MIN_SHARE or english >= ARABIC_SIDE_MIN_SHARE:
        wrong, share = (arabic_side, arabic) if arabic < ARABIC_SIDE_MIN_SHARE else (english_side, english)
        raise BadInput(f"{path}: {wrong} is the {'Arabic' if wrong == arabic_side else 'English'} side, and "
                       f"{share:.0%} of its letters are Arabic", hint="are the two sides swapped?")
    return items


# -- segmentation -----------------------------------------------------------
@_unreadable_is_bad_input
def read_segmentation(path: Path) -> list[SegmentationDoc]:
    """NTREX-128 folder (Arabic side, documents by DOCUMENT_IDS.tsv) or JSONL {id, sentences: [...]}.

    The first gold line of a document is its headline.
    """
    path = _need(path)
    if path.is_dir() or is_ntrex_arabic(path):  # the folder, or its Arabic file (as eval translations takes it)
        folder = path if path.is_dir() else path.parent
        arabic = sorted(path.glob("*.arb.txt")) if path.is_dir() else [path]
        ids_file = folder / "DOCUMENT_IDS.tsv"
        if len(arabic) > 1:  # as read_parallel refuses it: the first alone was scored, unsaid
            raise BadInput(f"{path}: {len(arabic)} Arabic files ({', '.join(p.name for p in arabic)}): which one to score?",
                           hint="keep one *.arb.txt in the folder")
        if arabic and not ids_file.is_file():
            raise BadInput(f"{folder}: no DOCUMENT_IDS.tsv beside {arabic[0].name}: without it the documents (each "
                           "a headline and its sentences) cannot be told apart", hint="give NTREX-128's folder whole")
        if arabic:
            lines = [normalise(line) for line in _lines(_read(arabic[0]))]
            for number, line in enumerate(lines, start=1):  # U+2028 and the like, made line ends by normalise
                if "\n" in line:
                    raise BadInput(f"{arabic[0]}:{number}: a sentence holds a line break (U+2028, U+2029 or U+0085)",
                                   hint="a line break in gold is no boundary: remove it")
            ids = [doc_id.split("\t", 1)[0].strip() for doc_id in _lines(_read(ids_file))]  # the id, before any other column
            if len(ids) != len(lines):
                raise BadInput(f"{ids_file}: {len(ids)} lines but {arabic[0].name} has {len(lines)}",
                               hint="each line of the text needs its document's id")
            docs: dict[str, list[str]] = {}
            for number, (doc_id, line) in enumerate(zip(ids, lines), start=1):
                if doc_id in docs and doc_id != ids[number - 2]:
                    raise BadInput(f"{ids_file}:{number}: document {doc_id} again, after another one",
                                   hint="a document's lines are consecutive")
                docs.setdefault(doc_id, []).append(line)
            kept = {doc_id: [line for line in doc_lines if line] for doc_id, doc_lines in docs.items()}
            return _with_boundaries(path, [SegmentationDoc(id=doc_id, lines=doc_lines)
                                           for doc_id, doc_lines in kept.items() if doc_lines])
    elif suffix(path) in (".jsonl", ".json"):
        rows = [(row["id"], [line for line in map(normalise, row["sentences"]) if line])
                for row in read_jsonl(path, needs={"sentences": SENTENCES})]
        # a blank document has no boundaries
        return _with_boundaries(path, [SegmentationDoc(id=doc_id, lines=lines) for doc_id, lines in rows if lines])
    raise BadInput(f"{path}: not a segmentation dataset I know (NTREX-128 folder or .jsonl with sentences)")


def _with_boundaries(path: Path, docs: list[SegmentationDoc]) -> list[SegmentationDoc]:
    """The documents, when one at least has a boundary to score: none (one sentence a document,
    as a JSONL line per sentence or document ids that differ on every line give) scored 0 for all."""
    if docs and not any(len(doc.lines) > 1 for doc in docs):
        raise BadInput(f"{path}: no document of two sentences or more: no boundary to score",
                       hint="a document's sentences go together: one JSONL line a document, its sentences in a list; "
                            "in NTREX, the same id on each of its lines")
    return docs
