"""Sentence segmentation: mujaz against peer splitters, scored by mujaz's own scorer.

What it measures: on NTREX-128's Arabic side (one gold sentence a line; each
document shown as its headline, a newline, then its body on one line), the
boundary precision, recall and F1 of every system, the share of documents
whose boundaries are all exactly right, and the share whose headline comes out
as a piece of its own (`mujaz.core.evaluate.score_segmentation`).

Systems: mujaz (`segment_article`); NLTK Punkt untrained; a plain punctuation
rule; EasyNMT's rule for Arabic; pysbd (English and Arabic rules); pyarabic's
`sentence_tokenize` (what sumy uses for Arabic). Every peer is run line by line
(the text is split at newlines first), so each can find the headline the way
mujaz does; mujaz gets the whole text.

Rerun (from the repository root):
    .venv/bin/pip install -r bench/requirements-peers.txt
    .venv/bin/python bench/segmentation_peers.py [DATASET] [--json]
DATASET defaults to ../shared/eval/ntrex128 next to the repository.
"""

from __future__ import annotations

import argparse
import datetime
import difflib
import json
import re
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO / ".." / "shared" / "eval" / "ntrex128"
PER_LINE_NOTE = "every peer splits at newlines first and runs on each line; mujaz gets the whole text"


# -- mapping a tool's pieces back onto the text -----------------------------
def recut(pieces: list[str], text: str) -> list[str]:
    """`text` cut where the tool's pieces end, so that every piece is an exact slice of it.

    The scorer needs pieces that occur verbatim and in order. Most tools return
    slices already: each piece is found from where the previous one ended. A
    tool that alters text (pyarabic turns "؟." or "..." into one mark) gets a
    character alignment instead: its output, concatenated, is aligned with the
    text by difflib, and each piece ends just after the text character matched
    to its last matched character, moved on to the end of that word (difflib
    matches the collapsed "." of "..." to the first dot, and these tools only
    cut at whitespace). The last piece always runs to the end of `text`, so
    text a tool dropped at the end never makes a boundary.
    """
    pieces = [p.strip() for p in pieces if p.strip()]
    ends = _verbatim_ends(pieces, text)
    if ends is None:
        ends = _aligned_ends(pieces, text)
    out, start = [], 0
    for end in ends[:-1] + [len(text)]:
        chunk = text[start:end].strip()
        if chunk:
            out.append(chunk)
        start = max(start, end)
    return out


def _verbatim_ends(pieces: list[str], text: str) -> list[int] | None:
    ends, cursor = [], 0
    for piece in pieces:
        at = text.find(piece, cursor)
        if at < 0:
            return None
        cursor = at + len(piece)
        ends.append(cursor)
    return ends


def _aligned_ends(pieces: list[str], text: str) -> list[int]:
    joined = "".join(pieces)
    to_text: dict[int, int] = {}  # index in `joined` -> index in `text`, for matched characters
    for block in difflib.SequenceMatcher(None, joined, text, autojunk=False).get_matching_blocks():
        for k in range(block.size):
            to_text[block.a + k] = block.b + k
    ends, offset, last = [], 0, 0
    for piece in pieces:
        offset += len(piece)
        matched = [to_text[i] for i in range(offset - len(piece), offset) if i in to_text]
        if matched:  # an unmatched piece ends where the last one did
            last = max(last, matched[-1] + 1)
            while last < len(text) and not text[last].isspace():
                last += 1
        ends.append(last)
    return ends


def per_line(tool: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    """A splitter that cuts at newlines, then runs `tool` on each line."""

    def split(text: str) -> list[str]:
        return [piece for line in text.split("\n") for piece in recut(tool(line), line)]

    return split


# -- the systems -------------------------------------------------------------
def mujaz_split(text: str) -> list[str]:
    from mujaz.core.segment import segment_article

    return recut([s.text for s in segment_article(text)], text)


def punkt_tool() -> Callable[[str], list[str]]:
    # Untrained on purpose: NLTK ships no Arabic Punkt model, and no data is downloaded.
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    return PunktSentenceTokenizer().tokenize


_PLAIN = re.compile(r"(?<=[.!?؟])\s+")


def plain_rule(line: str) -> list[str]:
    """Split after . ! ? ؟ followed by whitespace (newlines are handled by `per_line`)."""
    return _PLAIN.split(line)


# EasyNMT (UKPLab/EasyNMT, easynmt/EasyNMT.py, EasyNMT.sentence_splitting) has no
# splitter of its own for 'ar', 'jp', 'ko', 'zh': it uses exactly this regex, on
# each paragraph (it splits documents at "\n" first), then strips the pieces and
# drops empty ones. Note that it does not know the Arabic question mark ؟.
_EASYNMT = re.compile("[^!?。\\.]+[!?。\\.]*", flags=re.U)


def easynmt_rule(line: str) -> list[str]:
    return _EASYNMT.findall(line.strip())


def pysbd_tool(language: str) -> Callable[[str], list[str]]:
    import pysbd

    return pysbd.Segmenter(language=language, clean=False).segment


def pyarabic_tool() -> Callable[[str], list[str]]:
    # Splits at . , : ; ، ؟ ? and newlines followed by whitespace: clauses more than sentences.
    from pyarabic.araby import sentence_tokenize

    return sentence_tokenize


def systems() -> dict[str, Callable[[str], list[str]]]:
    return {
        "mujaz": mujaz_split,
        "nltk Punkt (untrained)": per_line(punkt_tool()),
        "plain rule . ! ? ؟": per_line(plain_rule),
        "EasyNMT rule (ar)": per_line(easynmt_rule),
        "pysbd (en)": per_line(pysbd_tool("en")),
        "pysbd (ar)": per_line(pysbd_tool("ar")),
        "pyarabic sentence_tokenize (sumy ar)": per_line(pyarabic_tool()),
    }


def versions() -> dict[str, str]:
    found = {}
    for package in ("mujaz", "nltk", "pysbd", "pyarabic"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


# -- run and report ----------------------------------------------------------
def run(dataset: Path) -> dict:
    from mujaz.core.datasets import read_segmentation
    from mujaz.core.evaluate import score_segmentation

    docs = read_segmentation(dataset)
    rows = [{"system": name, **score_segmentation(docs, split).to_json()} for name, split in systems().items()]
    rows.sort(key=lambda row: row["f1"], reverse=True)
    return {
        "date": datetime.date.today().isoformat(),
        "dataset": str(dataset),
        "documents": len(docs),
        "note": PER_LINE_NOTE,
        "versions": versions(),
        "systems": rows,
    }


def table(report: dict) -> str:
    head = f"{'system':<38} {'precision':>9} {'recall':>7} {'F1':>7} {'perfect docs':>12} {'headline found':>14}"
    lines = [
        f"Sentence segmentation, {report['date']}",
        f"dataset: {report['dataset']} ({report['documents']} documents)",
        f"note: {report['note']}",
        "versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()),
        "",
        head,
        "-" * len(head),
    ]
    for row in report["systems"]:
        lines.append(
            f"{row['system']:<38} {row['precision']:>9.4f} {row['recall']:>7.4f} {row['f1']:>7.4f}"
            f" {row['perfect_documents']:>12.4f} {row['headline_found']:>14.4f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET, help="NTREX-128 folder or JSONL")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    dataset = args.dataset.resolve()
    if not dataset.exists():
        print(f"segmentation_peers: no dataset at {dataset}; nothing to measure", file=sys.stderr)
        return 0
    report = run(dataset)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
