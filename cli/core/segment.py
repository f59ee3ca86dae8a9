"""Arabic article structure: headline, sub-headings, paragraphs and sentences.

Every model input passes through `split_sentences`, so its rules are tuned to
Arabic news punctuation: sentences end at . ! ? ؟ … (and at line ends), not at
، or ؛, not inside numbers (3.5), not after an abbreviation or a single letter
(د. for doctor), and a closing quote or bracket stays with its sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TERMINATORS = ".!?؟…"
CLOSERS = "\"'”’»)]}›"
# A line that ends in one of these is prose, never a heading.
_PROSE_END = set(TERMINATORS + CLOSERS + "،؛,;:")
HEADING_MAX_WORDS = 12
HEADLINE_MAX_WORDS = 40

# Dotted abbreviations that do not end a sentence. Arabic single letters (د. م.
# أ. ق. ص. ...) are caught by the single-letter rule.
ABBREVIATIONS = frozenset(
    """
    أد د م ق ص ج ت ه هـ ش ح ع ب ك
    mr mrs ms dr prof st jr sr vs no nos fig gen col lt sgt capt rev inc ltd co corp
    jan feb mar apr jun jul aug sep sept oct nov dec
    """.split()
)

# A run of terminators, any closing quotes or brackets after it, then the space
# that separates it from the next sentence.
_BOUNDARY = re.compile(rf"[{re.escape(TERMINATORS)}]+[{re.escape(CLOSERS)}]*(?=\s)")
_WORD_BEFORE = re.compile(r"(\w+)\W*$")


@dataclass(frozen=True)
class Segment:
    kind: str  # "title" | "heading" | "sentence"
    paragraph: int  # 0 for the title; each body line or heading after it counts up
    text: str


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph (a line) into sentences; the pieces re-join with spaces."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(paragraph):
        end = match.end()
        if _is_boundary(paragraph, start, match.start(), match.group()):
            piece = paragraph[start:end].strip()
            if piece:
                sentences.append(piece)
            start = end
    rest = paragraph[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def _is_boundary(text: str, sentence_start: int, mark_start: int, marks: str) -> bool:
    if marks[0] != ".":  # ! ? ؟ … always end a sentence
        return True
    if marks.startswith("..") and len(marks.rstrip(CLOSERS)) >= 2:
        return True  # "..." used as an ellipsis ends a sentence, as "…" does
    before = text[sentence_start:mark_start]
    word = _WORD_BEFORE.search(before)
    token = word.group(1) if word else ""
    if token and len(token) == 1 and token.isalpha():
        return False  # an initial: "د. محمد", "J. Smith"
    if token.lower() in ABBREVIATIONS:
        return False
    if token.isdigit() and before.strip() == token:
        return False  # a numbered list item: "1. ..."
    after = text[mark_start + len(marks):].lstrip()
    if after[:1].isalpha() and after[:1].islower():
        return False  # Latin text going on in lower case: "e.g. this"
    return True


def _ends_like_prose(line: str) -> bool:
    return line[-1] in _PROSE_END


def segment_article(text: str, title: str | None = None) -> list[Segment]:
    """The article's segments in document order.

    `title` comes from HTML metadata when there is one; otherwise the first line
    is the headline when it reads like one (no final punctuation, not too long).
    """
    lines = [line.strip() for line in text.split("\n")]
    lines = [line for line in lines if line]
    segments: list[Segment] = []
    if title:
        segments.append(Segment("title", 0, title))
        if lines and lines[0] == title:
            lines = lines[1:]
    elif lines and not _ends_like_prose(lines[0]) and len(lines[0].split()) <= HEADLINE_MAX_WORDS and len(lines) > 1:
        segments.append(Segment("title", 0, lines[0]))
        lines = lines[1:]
    for number, line in enumerate(lines, start=1):
        is_last = number == len(lines)
        if not is_last and not _ends_like_prose(line) and len(line.split()) <= HEADING_MAX_WORDS:
            segments.append(Segment("heading", number, line))
            continue
        segments.extend(Segment("sentence", number, sentence) for sentence in split_sentences(line))
    return segments


def title_of(segments: list[Segment]) -> str | None:
    return next((s.text for s in segments if s.kind == "title"), None)


def sentences_of(segments: list[Segment]) -> list[str]:
    return [s.text for s in segments if s.kind == "sentence"]
