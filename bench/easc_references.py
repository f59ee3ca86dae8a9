"""What EASC's human summaries are made of, and how far sentence choice can go on them.

Why it exists: #4 asks the extractive summariser for ROUGE-1 >= Lead + 2 on
EASC. Every method tried stayed within half a point of Lead (README), so this
script measures the references themselves, reproducibly:

- units cut at 255 characters: the annotators chose sentences as EASC's tool
  split them (at full stops), and a chosen sentence was stored cut to its first
  255 characters, so the rest of a long sentence can never match;
- reference words found nowhere in the article: EASC's tool joined the
  article's wrapped lines without a space, gluing two words into one;
- which of mujaz's sentences each reference holds, and the shapes of those
  choices: a run from the first sentence (Lead's own shape), every other
  sentence (1st, 3rd, 5th, ...; a filler's pattern, not a reader's), or other;
- the share of references holding a sentence, by position;
- ROUGE of each human summary (cut to the budget, as a system's is) against the
  other four: how far the annotators agree, and so how far any summariser can be
  expected to agree with them;
- ROUGE of an oracle that takes the sentences most annotators chose, and of
  mujaz's scores with the sentences at even indices (0, 2, 4, ...) weighted
  1.6: what chasing the every-other pattern would be worth. mujaz does not
  chase it; it is measured so the gap to the goal can be judged.

A sentence counts as held by a reference when at least half of the word
n-grams (n = 3, fewer for shorter sentences) of its first 30 words occur in
the reference: stored units keep about 40 words, and glued words break a few
n-grams. Words are mujaz's evaluation words (folded), as ROUGE sees them.

Rerun (from the repository root; part of `make peers`):
    .venv/bin/python bench/easc_references.py [DATASET] [--json]
DATASET defaults to ../shared/eval/easc next to the repository.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from collections import Counter
from pathlib import Path
from statistics import mean

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATASET = REPO / ".." / "shared" / "eval" / "easc"
UNIT_CAP = 255  # characters EASC kept of a chosen sentence
MATCHED_WORDS = 30  # a sentence's first words that are matched against a reference
EVEN_WEIGHT = 1.6  # the every-other probe: how much more an even index weighs
POSITIONS = 15  # sentence indices 0..14 reported one by one


def ngrams(tokens: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def held_sentences(sentences: list[str], reference: str) -> list[int]:
    """Indices of the sentences a reference holds (module docstring: half of the n-grams of their start)."""
    from mujaz.core.text import words

    reference_words = words(reference)
    held = []
    for index, sentence in enumerate(sentences):
        start = words(sentence)[:MATCHED_WORDS]
        if not start:
            continue
        n = min(3, len(start))
        own = ngrams(start, n)
        if len(own & ngrams(reference_words, n)) >= len(own) / 2:
            held.append(index)
    return held


def shape(held: list[int]) -> str:
    if not held:
        return "no sentence found"
    if held == list(range(len(held))):
        return "a run from the first sentence"
    steps = [b - a for a, b in zip(held, held[1:])]
    if len(held) >= 4 and sum(step == 2 for step in steps) >= 0.7 * len(steps):
        return "every other sentence"
    return "other"


def run(dataset: Path) -> dict:
    from mujaz.core.datasets import read_summaries
    from mujaz.core.evaluate import article_sentences, budget_words, cut_to_budget, mean_rouge, rouge
    from mujaz.core.text import words
    from mujaz.models.extractive import score_sentences
    from summary_peers import in_document_order  # bench/ is the script's folder: the peers' own budget rule

    items = read_summaries(dataset)
    unit_lengths: list[int] = []
    missing_words = reference_words = 0
    shapes: Counter[str] = Counter()
    held_at: dict[int, list[float]] = {}
    oracle_scores, probe_scores, human_scores = [], [], []
    for item in items:
        sentences = article_sentences(item.text)
        article_vocabulary = set(words(item.text))
        held_by = [held_sentences(sentences, reference) for reference in item.references]
        for reference, held in zip(item.references, held_by):
            unit_lengths += [len(unit) for unit in re.split(r"(?<=\.)\s+", reference.strip()) if unit]
            tokens = words(reference)
            reference_words += len(tokens)
            missing_words += sum(token not in article_vocabulary for token in tokens)
            shapes[shape(held)] += 1
        votes = Counter(index for held in held_by for index in held)
        for index in range(min(len(sentences), POSITIONS)):
            held_at.setdefault(index, []).append(votes[index] / len(item.references))

        budget = budget_words(item.text)
        against_others = [rouge(cut_to_budget(reference, budget), item.references[:n] + item.references[n + 1:])
                          for n, reference in enumerate(item.references) if len(item.references) > 1]
        if against_others:  # the article's figure: the mean over its annotators
            human_scores.append({kind: {measure: mean(one[kind][measure] for one in against_others)
                                        for measure in against_others[0][kind]} for kind in against_others[0]})
        by_votes = sorted(range(len(sentences)), key=lambda i: (-votes[i], i))
        oracle_scores.append(rouge(cut_to_budget(in_document_order(sentences, by_votes, budget), budget), item.references))
        scores = score_sentences(sentences, item.title)
        probe = [score * (EVEN_WEIGHT if index % 2 == 0 else 1.0) for index, score in enumerate(scores)]
        by_probe = sorted(range(len(sentences)), key=lambda i: (-probe[i], i))
        probe_scores.append(rouge(cut_to_budget(in_document_order(sentences, by_probe, budget), budget), item.references))

    references = sum(shapes.values())
    odd = [share for index, shares in held_at.items() if index % 2 == 1 for share in shares]
    even = [share for index, shares in held_at.items() if index % 2 == 0 and index > 0 for share in shares]
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "dataset": str(dataset),
        "articles": len(items),
        "references": references,
        "units": len(unit_lengths),
        "units_cut_at_255_chars": round(sum(length >= UNIT_CAP for length in unit_lengths) / len(unit_lengths), 3),
        "reference_words_not_in_article": round(missing_words / reference_words, 3),
        "shapes": {name: round(count / references, 3) for name, count in shapes.most_common()},
        "held_by_position": {index: round(mean(shares), 3) for index, shares in sorted(held_at.items())},
        "held_even_2_to_14": round(mean(even), 3),
        "held_odd_1_to_13": round(mean(odd), 3),
        "each_human_against_the_others": mean_rouge(human_scores),
        "oracle_most_chosen": mean_rouge(oracle_scores),
        "even_indices_weighted": mean_rouge(probe_scores),
        "even_weight": EVEN_WEIGHT,
    }


def report(result: dict) -> str:
    def rouge_line(name: str, figures: dict) -> str:
        return (f"| {name} | {figures['rouge1']['f1']:.2f} {figures['rouge1']['f1_95ci']} "
                f"| {figures['rouge2']['f1']:.2f} | {figures['rougeL']['f1']:.2f} |")

    positions = " · ".join(f"{index}: {share:.2f}" for index, share in result["held_by_position"].items())
    shapes = "; ".join(f"{name} {share:.1%}" for name, share in result["shapes"].items())
    return "\n".join([
        f"EASC references ({result['dataset']}, {result['date']}): {result['articles']} articles, "
        f"{result['references']} human summaries, {result['units']} chosen units",
        f"- units cut at {UNIT_CAP} characters: {result['units_cut_at_255_chars']:.1%}",
        f"- reference words found nowhere in the article (glued at line breaks): {result['reference_words_not_in_article']:.1%}",
        f"- shapes of the choices: {shapes}",
        f"- share of references holding the sentence at each index: {positions}",
        f"- mean share at even indices 2-14: {result['held_even_2_to_14']:.3f}; "
        f"at odd indices 1-13: {result['held_odd_1_to_13']:.3f}",
        "",
        "| system | ROUGE-1 F1 [95% CI] | ROUGE-2 F1 | ROUGE-L F1 |",
        "|---|---|---|---|",
        rouge_line("each human summary against the other four", result["each_human_against_the_others"]),
        rouge_line("oracle: the sentences most annotators chose", result["oracle_most_chosen"]),
        rouge_line(f"probe: mujaz's scores, even indices x{result['even_weight']}", result["even_indices_weighted"]),
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("dataset", nargs="?", type=Path, default=DEFAULT_DATASET, help="EASC folder")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a report")
    args = parser.parse_args(argv)
    if not args.dataset.exists():
        print(f"error: {args.dataset} not found; pass the EASC folder", file=sys.stderr)
        return 2
    result = run(args.dataset)
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
