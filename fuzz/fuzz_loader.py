"""Coverage-guided fuzzing of mujaz's loader and segmenter with atheris.

Run: `make fuzz` (or `.venv/bin/python fuzz/fuzz_loader.py -max_total_time=120 build/fuzz-corpus`).
Any input may be refused with BadInput; anything else escaping, or a segmentation
that loses a character, is a finding (atheris stops and writes the input to crash-*).
"""

import sys

import atheris

with atheris.instrument_imports(include=["mujaz"]):
    from mujaz.core.segment import segment_article
    from mujaz.core.source import Source, article_from_bytes
    from mujaz.errors import BadInput


def test_one_input(data: bytes) -> None:
    try:
        article = article_from_bytes(data, Source(kind="file", location="fuzz"))
    except BadInput:
        return
    segments = segment_article(article.text, article.title)
    kept = "".join(segment.text for segment in segments)
    body = article.text if not article.title else article.text.replace(article.title, "", 1) + article.title
    if sorted("".join(kept.split())) != sorted("".join(body.split())):
        raise AssertionError("segmentation lost or invented characters")


if __name__ == "__main__":
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()
