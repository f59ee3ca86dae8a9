"""A headline over hard-wrapped text: how often segmentation keeps it apart from the body.

What it measures: ARGEn's first N articles (real news, each with its real title), written as
a mail or a terminal copy would hold them: the title on the first line, then each paragraph
of the body wrapped with Python's `textwrap` at WIDTH columns, no blank line between them.
An article counts as "headline lost" when mujaz's first segment is not the title as it
stands (the wrapped body's first line joined to it, most often). Two rules side by side, in
one run: mujaz's, where the text's first line is held to the width more closely
(`segment._not_cut`); and the rule every line had before, 10% slack under the width.

Rerun (from the repository root):
    .venv/bin/python bench/wrapped_headlines.py [ARGEN_TSV] [--articles 300] [--widths 60 72 80]
ARGEN_TSV defaults to ../shared/eval/argen/train.tsv next to the repository.
"""

from __future__ import annotations

import argparse
import textwrap
from pathlib import Path
from unittest import mock

from mujaz.core import segment
from mujaz.core.datasets import read_summaries
from mujaz.core.text import normalise

ROOT = Path(__file__).resolve().parent.parent


def headlines_lost(items, width: int) -> int:
    lost = 0
    for item in items:
        body = "\n".join(textwrap.fill(paragraph, width) for paragraph in normalise(item.text).split("\n"))
        first = segment.segment_article(f"{item.headline}\n{body}")[0]
        lost += first.text.strip() != item.headline.strip()
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval" / "argen" / "train.tsv")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--widths", type=int, nargs="+", default=[60, 72, 80])
    arguments = parser.parse_args()
    items = read_summaries(arguments.dataset)[: arguments.articles]
    print(f"ARGEn's first {len(items)} articles, headline over a body wrapped at each width: headline lost in")
    print("width\tslack on every line (before)\tfirst line held to the width (mujaz)")
    for width in arguments.widths:
        with mock.patch.object(segment, "_not_cut", lambda *_: False):
            before = headlines_lost(items, width)
        print(f"{width}\t{before}\t{headlines_lost(items, width)}")


if __name__ == "__main__":
    main()
