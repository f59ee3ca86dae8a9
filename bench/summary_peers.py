"""Extractive summaries: mujaz against baselines and sumy, scored by mujaz's own ROUGE.

What it measures: on EASC (Arabic articles, five human extractive summaries
each), the ROUGE-1/2/L F1 of every system, averaged over articles with 95%
bootstrap intervals (`mujaz.core.evaluate.rouge` and `mean_rouge`,
Arabic-aware tokens, both sides folded). Every system gets the same budget:
B = (N+1)//3 words of the article (`budget_words`), and every summary is cut to
its first B words (`cut_to_budget`) before scoring.

Systems: Lead (the article itself), Random (random sentences, seed 0), mujaz's
extractive summariser, and sumy's LexRank, TextRank, LSA, Luhn, KL, SumBasic,
Edmundson and Reduction with sumy's Arabic tokenizer (pyarabic), its bundled
Arabic stop words and its Arabic stemmer (NLTK's Snowball, no download).

Rerun (from the repository root):
    .venv/bin/pip install -r bench/requirements-peers.txt
    .venv/bin/python bench/summary_peers.py [DATASET] [--json]
DATASET defaults to ../shared/eval/easc next to the repository.
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO / ".." / "shared" / "eval" / "easc"
BUDGET_RULE = "B = (N+1)//3 words of the article; every summary cut to its first B words"
RANDOM_SEED = 0


# -- baselines and mujaz -----------------------------------------------------
def lead(text: str, budget: int) -> str:
    return text  # cut to its first B words like every other summary


def in_document_order(sentences: list[str], ranked: list[int], budget: int) -> str:
    """Sentences taken in rank order until there are `budget` words, shown in document order."""
    from mujaz.core.text import words

    chosen, count = [], 0
    for index in ranked:
        if count >= budget:
            break
        chosen.append(index)
        count += len(words(sentences[index]))
    return " ".join(sentences[i] for i in sorted(chosen))


def random_sentences(rng: random.Random) -> Callable[[str, int], str]:
    """Random sentences (mujaz's own split) until there are B words, shown in document order."""
    from mujaz.core.evaluate import article_sentences

    def summarise(text: str, budget: int) -> str:
        sentences = article_sentences(text)
        order = list(range(len(sentences)))
        rng.shuffle(order)
        return in_document_order(sentences, order, budget)

    return summarise


def mujaz_extractive(text: str, budget: int) -> str:
    from mujaz.core.evaluate import extractive_summary

    return extractive_summary(text, budget)


# -- sumy --------------------------------------------------------------------
def sumy_systems() -> tuple[dict[str, Callable[[str, int], str]], list[str]]:
    """sumy's summarisers set up as its own CLI sets them up (`sumy.__main__.build_summarizer`)."""
    from sumy.__main__ import build_summarizer
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.edmundson import EdmundsonSummarizer
    from sumy.summarizers.kl import KLSummarizer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.lsa import LsaSummarizer
    from sumy.summarizers.luhn import LuhnSummarizer
    from sumy.summarizers.reduction import ReductionSummarizer
    from sumy.summarizers.sum_basic import SumBasicSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    from mujaz.core.text import words

    tokenizer = Tokenizer("arabic")  # pyarabic's word and sentence tokenizers
    stemmer = Stemmer("arabic")  # nltk.stem.snowball.ArabicStemmer: code only, no data to download
    stop_words = get_stop_words("arabic")  # bundled with sumy
    classes = {
        "sumy LexRank": LexRankSummarizer,
        "sumy TextRank": TextRankSummarizer,
        "sumy LSA": LsaSummarizer,
        "sumy Luhn": LuhnSummarizer,
        "sumy KL": KLSummarizer,
        "sumy SumBasic": SumBasicSummarizer,
        # Edmundson needs bonus, stigma and null words. sumy's CLI gives it the stop
        # words and the parser's defaults (words of upper-case headings, else a
        # built-in Czech list, which never matches Arabic): no extra data, so its cue
        # method is neutral here and title + location decide.
        "sumy Edmundson": EdmundsonSummarizer,
        "sumy Reduction": ReductionSummarizer,  # not in sumy's CLI; built the same way
    }
    notes = [
        "sumy: Tokenizer('arabic') (pyarabic), Stemmer('arabic') (NLTK Snowball), get_stop_words('arabic')",
        "sumy Edmundson: bonus/stigma words as sumy's CLI sets them (no Arabic list exists; its Czech defaults never match)",
        "sumy: sentences taken in sumy's ranking until the summary reaches B words, then shown in document order",
    ]

    def enough_for(budget: int) -> Callable[[list], list]:
        # sumy accepts a callable as the sentence count: it gets the sentences best
        # first and returns the ones to keep. Keeping the shortest best-first prefix
        # that reaches B words is what asking for 1, 2, 3... sentences until the
        # summary has B words gives, in one call.
        def take(ranked: list) -> list:
            kept, count = [], 0
            for info in ranked:
                if count >= budget:
                    break
                kept.append(info)
                count += len(words(str(info.sentence)))
            return kept

        return take

    def make(summariser_class) -> Callable[[str, int], str]:
        def summarise(text: str, budget: int) -> str:
            parser = PlaintextParser.from_string(text, tokenizer)
            summariser = build_summarizer(summariser_class, stop_words, stemmer, parser)
            return " ".join(str(s) for s in summariser(parser.document, enough_for(budget)))

        return summarise

    return {name: make(cls) for name, cls in classes.items()}, notes


def versions() -> dict[str, str]:
    found = {}
    for package in ("mujaz", "sumy", "pyarabic", "nltk", "rouge-score"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


# -- run and report ----------------------------------------------------------
def run(dataset: Path) -> dict:
    from mujaz.core.datasets import read_summaries
    from mujaz.core.evaluate import budget_words, cut_to_budget, extractive_summary, rouge, mean_rouge

    items = read_summaries(dataset)
    systems: dict[str, Callable[[str, int], str]] = {
        "Lead": lead,
        f"Random (seed {RANDOM_SEED})": random_sentences(random.Random(RANDOM_SEED)),
        "mujaz extractive": mujaz_extractive,
    }
    sumy, notes = sumy_systems()
    systems.update(sumy)

    # What `mujaz eval summaries` measures: the same summariser, also given the
    # article's headline (EASC's Titles.txt), as it is when mujaz reads a real article;
    # then as a reader gets it: stopping where its length comes nearest the budget
    # rather than filling it (every summary is still cut at B).
    with_headline, as_read = "mujaz + headline (eval)", "mujaz + headline, as read"
    per_system: dict[str, list] = {name: [] for name in [*systems, with_headline, as_read]}
    for item in items:
        budget = budget_words(item.text)
        for name, summarise in systems.items():
            cut = cut_to_budget(summarise(item.text, budget), budget)
            per_system[name].append(rouge(cut, item.references))
        for name, fill in ((with_headline, True), (as_read, False)):
            summary = extractive_summary(item.text, budget, title=item.title, fill=fill)
            per_system[name].append(rouge(cut_to_budget(summary, budget), item.references))

    rows = [{"system": name, **mean_rouge(scores)} for name, scores in per_system.items()]
    rows.sort(key=lambda row: row["rouge1"]["f1"], reverse=True)
    return {
        "date": datetime.date.today().isoformat(),
        "dataset": str(dataset),
        "articles": len(items),
        "budget": BUDGET_RULE,
        "notes": notes,
        "versions": versions(),
        "systems": rows,
    }


def table(report: dict) -> str:
    def with_ci(figure: dict) -> str:
        low, high = figure["f1_95ci"]
        return f"{figure['f1']:6.2f} [{low:6.2f}, {high:6.2f}]"

    head = f"{'system':<26} {'ROUGE-1 F1 [95% CI]':>24} {'ROUGE-2 F1 [95% CI]':>24} {'ROUGE-L F1':>10}"
    lines = [
        f"Extractive summaries, {report['date']}",
        f"dataset: {report['dataset']} ({report['articles']} articles)",
        f"budget: {report['budget']}",
        *(f"note: {note}" for note in report["notes"]),
        "versions: " + ", ".join(f"{k} {v}" for k, v in report["versions"].items()),
        "",
        head,
        "-" * len(head),
    ]
    for row in report["systems"]:
        lines.append(
            f"{row['system']:<26} {with_ci(row['rouge1']):>24} {with_ci(row['rouge2']):>24} {row['rougeL']['f1']:>10.2f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET, help="EASC folder, ARGEn .tsv or JSONL")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args(argv)
    dataset = args.dataset.resolve()
    if not dataset.exists():
        print(f"summary_peers: no dataset at {dataset}; nothing to measure", file=sys.stderr)
        return 0
    report = run(dataset)
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
