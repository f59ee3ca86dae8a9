"""Scorers on hand-checked examples; dataset readers; `mujaz eval` end to end."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mujaz.core.datasets import SegmentationDoc, read_parallel, read_segmentation, read_summaries
from mujaz.core.evaluate import (
    ArabicTokenizer,
    bleu_chrf,
    bootstrap_interval,
    boundaries_of,
    budget_words,
    cut_to_budget,
    rouge,
    score_segmentation,
)
from mujaz.core.segment import segment_article
from mujaz.core.text import words

from conftest import ROOT, SHARED_EVAL

needs_shared = pytest.mark.skipif(not SHARED_EVAL.is_dir(), reason="shared eval data absent")


def test_rouge_scores_arabic_not_as_empty():
    from rouge_score import rouge_scorer

    # The trap: rouge_score's default tokenizer keeps only [a-z0-9].
    default = rouge_scorer.RougeScorer(["rouge1"]).score("كتب الولد الدرس", "كتب الولد")
    assert default["rouge1"].fmeasure == 0.0
    scores = rouge("كتب الولد", ["كتب الولد الدرس"])
    assert scores["rouge1"]["precision"] == pytest.approx(100.0)
    assert scores["rouge1"]["recall"] == pytest.approx(200 / 3)
    assert scores["rouge1"]["f1"] == pytest.approx(80.0)
    assert scores["rouge2"]["f1"] == pytest.approx(200 / 3)  # 1 of 1 and 1 of 2 bigrams


def test_rouge_figures_are_floats_even_when_nothing_matches():
    # rouge_score gives ROUGE-L as an int 0 for an empty side: JSON wrote "0" beside "0.0"
    scores = rouge("", ["ذهب البنت"])  # an empty summary (a budget of 0 words)
    assert all(type(value) is float for kind in scores.values() for value in kind.values())


def test_rouge_normalises_both_sides_and_averages_references():
    # Alef forms, ta marbuta, alef maqsura and diacritics do not count as differences.
    assert rouge("أحمد في المدرسة مستشفى", ["احمد في المدرسه مستشفي"])["rouge1"]["f1"] == pytest.approx(100.0)
    both = rouge("كتب الولد", ["كتب الولد", "قرأ البنت"])
    assert both["rouge1"]["f1"] == pytest.approx(50.0)
    assert ArabicTokenizer().tokenize("قالَ: «نعم»") == ["قال", "نعم"]


def test_the_budget_counts_words_as_mujaz_reads_them():
    # A soft hyphen inside a word made two words of it: a larger budget than the words mujaz reads.
    assert budget_words("كل\u00adمة أخ\u00adرى ثالثة رابعة") == budget_words("كلمة أخرى ثالثة رابعة") == 1  # was 2


def test_budget_and_cut():
    article = "واحد اثنان ثلاثة أربعة خمسة ستة سبعة ثمانية"
    assert budget_words(article) == 3
    assert cut_to_budget("أولى، ثانية. ثالثة رابعة", 3) == "اولي ثانيه ثالثه"


def test_bootstrap_interval():
    assert bootstrap_interval([5.0] * 10) == (5.0, 5.0)
    low, high = bootstrap_interval([0.0, 10.0] * 20)
    assert 0.0 < low < 5.0 < high < 10.0


def test_segmentation_scorer_by_hand():
    doc = SegmentationDoc(id="d", lines=["عنوان الخبر", "الجملة الأولى.", "الجملة الثانية."])
    assert doc.text == "عنوان الخبر\nالجملة الأولى. الجملة الثانية."
    assert doc.gold == [11, 26]
    perfect = score_segmentation([doc], lambda t: [s.text for s in segment_article(t)])
    assert (perfect.precision, perfect.recall, perfect.headline_found, perfect.perfect) == (1.0, 1.0, 1, 1)
    lumped = score_segmentation([doc], lambda t: t.split("\n"))  # finds the headline only
    assert lumped.precision == 1.0 and lumped.recall == 0.5 and lumped.f1 == pytest.approx(2 / 3)
    assert boundaries_of(["a", "b", "c"], "a b c") == [1, 3]


def test_bleu_chrf_identical_and_signature():
    figures = bleu_chrf(["the cat sat on the mat"], ["the cat sat on the mat"])
    assert figures["bleu"] == pytest.approx(100.0) and figures["chrf"] == pytest.approx(100.0)
    assert figures["bleu_signature"].startswith("nrefs:1")


def test_jsonl_readers(tmp_path):
    summaries = tmp_path / "s.jsonl"
    summaries.write_text(json.dumps({"id": "a", "text": "نص.", "references": ["مرجع"]}, ensure_ascii=False) + "\n")
    assert read_summaries(summaries)[0].references == ["مرجع"]
    parallel = tmp_path / "p.jsonl"
    parallel.write_text(json.dumps({"ar": "مرحبا", "en": "hello"}, ensure_ascii=False) + "\n")
    assert read_parallel(parallel)[0].en == "hello"
    segmentation = tmp_path / "g.jsonl"
    segmentation.write_text(json.dumps({"id": "x", "sentences": ["عنوان", "جملة."]}, ensure_ascii=False) + "\n")
    assert read_segmentation(segmentation)[0].gold == [5]


def test_a_datasets_names_and_ids_are_read_as_users_write_them(tmp_path):
    """An upper-case suffix (DATA.JSONL, a Windows copy) was "not a dataset I know", and an id given twice
    made two --outputs records that no id told apart (an eval review)."""
    from mujaz.errors import BadInput

    line = json.dumps({"id": "a", "text": "نص.", "references": ["مرجع"]}, ensure_ascii=False) + "\n"
    (tmp_path / "S.JSONL").write_text(line, encoding="utf-8")
    assert read_summaries(tmp_path / "S.JSONL")[0].id == "a"
    (tmp_path / "P.Jsonl").write_text(json.dumps({"ar": "مرحبا", "en": "hello"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert read_parallel(tmp_path / "P.Jsonl")[0].en == "hello"
    (tmp_path / "T.AR").write_text("سطر\n", encoding="utf-8")
    (tmp_path / "T.en").write_text("line\n", encoding="utf-8")
    assert [item.en for item in read_parallel(tmp_path / "T.AR")] == ["line"]
    (tmp_path / "NEWSTEST2019-REF.ARB.TXT").write_text("سطر\n", encoding="utf-8")  # NTREX's go by its own names
    with pytest.raises(BadInput, match="not a parallel dataset I know"):
        read_parallel(tmp_path / "NEWSTEST2019-REF.ARB.TXT")
    (tmp_path / "G.JSONL").write_text(json.dumps({"sentences": ["عنوان", "جملة."]}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert read_segmentation(tmp_path / "G.JSONL")[0].gold == [5]
    twice = tmp_path / "twice.jsonl"
    twice.write_text(line + json.dumps({"text": "نص آخر.", "references": ["مرجع"]}, ensure_ascii=False) + "\n" + line,
                     encoding="utf-8")
    with pytest.raises(BadInput, match=r"twice.jsonl:3: the id 'a' is line 1's too") as refused:
        read_summaries(twice)
    assert "its own id" in refused.value.hint
    # An id that is another line's number, which a line without one gets, is its id too
    twice.write_text(line.replace('"a"', '"2"') + json.dumps({"text": "نص آخر.", "references": ["مرجع"]}, ensure_ascii=False),
                     encoding="utf-8")
    with pytest.raises(BadInput, match=r"twice.jsonl:2: no id, and its number, which stands in for one, is line 1's too"):
        read_summaries(twice)
    # An id that is no string is the id as the line writes it, as batch keeps it (a script writer's review: 1E2 was
    # "100.0", 1.50 "1.5", true "True" in --outputs, and 1.1 and 1.10 were one id)
    written = ["1E2", "1.50", "1.5", "true", '["a", 2.50]']
    twice.write_text("".join(f'{{"id": {id}, "text": "نص.", "references": ["مرجع"]}}\n' for id in written), encoding="utf-8")
    assert [item.id for item in read_summaries(twice)] == written


def test_line_pair_reader(tmp_path):
    (tmp_path / "t.ar").write_text("سطر\nآخر\n", encoding="utf-8")
    (tmp_path / "t.en").write_text("line\nother\n", encoding="utf-8")
    assert [item.en for item in read_parallel(tmp_path / "t.ar")] == ["line", "other"]
    (tmp_path / "t.en").write_text("only one\n", encoding="utf-8")
    from mujaz.errors import BadInput

    with pytest.raises(BadInput, match="lines"):
        read_parallel(tmp_path / "t.ar")


@needs_shared
def test_shared_datasets_read():
    assert len(read_summaries(SHARED_EVAL / "easc")) >= 100
    assert all(len(item.references) == 5 for item in read_summaries(SHARED_EVAL / "easc"))
    docs = read_segmentation(SHARED_EVAL / "ntrex128")
    assert len(docs) >= 80 and all(doc.gold for doc in docs)
    assert len(read_parallel(SHARED_EVAL / "ntrex128")) >= 1000
    assert len(read_parallel(SHARED_EVAL / "un_v1")) >= 1000
    assert len(read_summaries(SHARED_EVAL / "argen" / "train.tsv")) >= 900


@needs_shared
def test_segmentation_goals_on_ntrex(mujaz):
    done = mujaz("eval", "segmentation", str(SHARED_EVAL / "ntrex128"), "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    figures = json.loads(done.stdout)["figures"]
    assert figures["f1"] >= 0.965 and figures["precision"] >= 0.99 and figures["headline_found"] == 1.0


@needs_shared
def test_the_readmes_figures_are_what_eval_prints(mujaz):
    """A change to the segmenter or the extractive summariser that moves a figure moves the README's
    with it. On the split the README measured (another split of the data: skipped)."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    segmentation = json.loads(mujaz("eval", "segmentation", str(SHARED_EVAL / "ntrex128"), "-f", "json", "-q").stdout)
    summaries = json.loads(mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "-f", "json", "-q").stdout)
    if (segmentation["figures"]["documents"], summaries["settings"]["items"]) != (82, 102):
        pytest.skip("not the split the README's figures were measured on")
    figures = segmentation["figures"]
    row = " | ".join(f"**{figures[name]:.3f}**" for name in ("precision", "recall", "f1", "perfect_documents", "headline_found"))
    assert f"| **mujaz** | {row} |" in readme
    rouge = summaries["figures"]
    low, high = rouge["rouge1"]["f1_95ci"]
    assert re.search(rf"\| \*\*mujaz, with the headline\*\* .*\| \*\*{rouge['rouge1']['f1']:.2f}\*\* \[{low:.2f}, {high:.2f}\] "
                     rf"\| \*\*{rouge['rouge2']['f1']:.2f}\*\* .* \| \*\*{rouge['rougeL']['f1']:.2f}\*\* \|", readme)


@needs_shared
def test_eval_summaries_extractive_and_abstractive(mujaz, tiny_models):
    extractive = json.loads(mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "--limit", "5", "-f", "json").stdout)
    assert extractive["settings"]["method"] == "extractive" and extractive["settings"]["items"] == 5
    # What a script reads is there on every run, empty or null when there is nothing to say (a review:
    # KeyError on a clean run), under a schema as brief's records are
    assert extractive["schema"] == "mujaz.eval/1"
    assert {key: extractive["settings"][key] for key in ("left_out", "summary_notes", "empty_summaries", "outputs", "script")} \
        == {"left_out": [], "summary_notes": {}, "empty_summaries": 0, "outputs": None, "script": None}
    assert 0 < extractive["figures"]["rouge1"]["f1"] <= 100
    # The abstractive path runs end to end on the tiny model (figures meaningless).
    done = mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "--limit", "2", "--method", "abstractive",
                 "--summariser", str(tiny_models / "summariser"), "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    settings = json.loads(done.stdout)["settings"]
    assert settings["method"] == "abstractive" and settings["headline"].startswith("not given")  # the model reads no title
    # What the model did to the articles is counted, not thrown away: EASC's are longer than the
    # tiny model's 64-token input limit
    # (the limit, the same for every article, said: it was "N tokens"; the windows' counts differ)
    windows = "the article is longer than the summariser's input limit (64 tokens): summarised in N windows, then combined"
    assert settings["summary_notes"][windows] == 2
    assert f"mujaz: warning: 2 of 2 summaries: {windows}" in done.stderr.decode()
    # The lengths each article's budget set are said, not left out: at least half the budget's tokens
    assert "min_new_tokens = half of it" in settings["generation"]["lengths"]
    assert settings["generation"]["max_new_tokens"] is None  # each article's own: said in lengths


@needs_shared
def test_eval_summaries_at_a_length_scores_them_whole(mujaz, tiny_models, tmp_path):
    """To compare with published scores (XL-Sum's), a model's own decoding, not the budget B: eval held
    every summary to B's lengths (min_new_tokens half of it, some 125 tokens for a 450-word article)."""
    own = mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "--limit", "2", "--method", "abstractive",
                "--summariser", str(tiny_models / "summariser"), "--length", "medium", "-f", "json",
                "--outputs", str(tmp_path / "own.jsonl"))
    assert own.returncode == 0, own.stderr.decode()
    settings = json.loads(own.stdout)["settings"]
    assert settings["budget"].startswith("--length medium: the model's own decoding")
    assert settings["generation"]["max_new_tokens"] == 19 and settings["generation"]["lengths"] is None  # the tiny model's
    for line in (tmp_path / "own.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert record["budget"] is None and record["scored"] == " ".join(words(record["summary"]))  # whole
    abstractive_short = mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "--limit", "2", "--method", "abstractive",
                              "--summariser", str(tiny_models / "summariser"), "--length", "short", "-f", "json",
                              "--outputs", str(tmp_path / "abstractive_short.jsonl"))
    assert abstractive_short.returncode == 0, abstractive_short.stderr.decode()
    for line in (tmp_path / "abstractive_short.jsonl").read_text(encoding="utf-8").splitlines():
        assert json.loads(line)["budget"] == 35  # the model held to it (it was null, as at the model's own)
    short = json.loads(mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "--limit", "2", "--length", "short",
                             "-f", "json", "--outputs", str(tmp_path / "short.jsonl")).stdout)
    assert short["settings"]["budget"].startswith("--length short: 35 words") and short["settings"]["length"] == "short"
    for line in (tmp_path / "short.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert record["budget"] == 35 and record["scored"] == " ".join(words(record["summary"]))
    # The same settings' keys whatever the method and length, null where one does not apply (a script writer's
    # review: weights and generation were missing for extractive, generation's keys changed with --length)
    plain = json.loads(mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "--limit", "2", "-f", "json").stdout)
    model_own = json.loads(mujaz("eval", "summaries", str(SHARED_EVAL / "easc"), "--limit", "2", "--method", "abstractive",
                                 "--summariser", str(tiny_models / "summariser"), "-f", "json").stdout)
    short_model = json.loads(abstractive_short.stdout)
    assert set(plain["settings"]) == set(model_own["settings"]) == set(short_model["settings"])
    assert (plain["settings"]["weights"], plain["settings"]["generation"], plain["settings"]["length"]) == (None, None, None)
    assert set(model_own["settings"]["generation"]) == set(short_model["settings"]["generation"])
    assert model_own["settings"]["generation"]["max_new_tokens"] is None
    assert short_model["settings"]["generation"]["lengths"] is None


def test_eval_translations_plumbing(mujaz, tiny_models, tmp_path, sample):
    data = tmp_path / "pairs.jsonl"
    data.write_text("".join(json.dumps({"ar": ar, "en": en}, ensure_ascii=False) + "\n" for ar, en in
                            [("وصل الوزير إلى موسكو.", "The minister arrived in Moscow."), ("انتهى الاجتماع.", "The meeting ended.")]))
    done = mujaz("eval", "translations", str(data), "--translator", str(tiny_models / "translator"), "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    assert result["figures"]["sentences"] == 2 and "bleu_signature" in result["figures"]
    assert result["schema"] == "mujaz.eval/1" and result["settings"]["outputs"] is None
    # a local model, which has no revision, is named by its files' fingerprint too, as the result cache keys it
    from mujaz.models import ct2, hub

    model = result["settings"]["model"]
    assert model["revision"] is None and model["fingerprint"] == ct2.key(hub.resolve(str(tiny_models / "translator"))).name
    # The tiny model never writes its end token: both stopped by the cap, and that is said.
    assert result["settings"]["unended_translations"] == 2
    assert "2 of 2 translations: the translator did not end them" in done.stderr.decode()
    # A table names the model it measured (its title), as JSON does: two runs' tables could not be told apart
    table = mujaz("eval", "translations", str(data), "--translator", str(tiny_models / "translator"), "-f", "text", "-q")
    title = table.stdout.decode().splitlines()[0]
    assert title == f"mujaz eval translations ({tiny_models / 'translator'}, transformers, float32): 2 items", title
    articles = data.with_name("articles.jsonl")
    article = {"id": "1", "text": sample.read_text(encoding="utf-8"), "references": ["ملخص"]}
    articles.write_text(json.dumps(article, ensure_ascii=False) + "\n", encoding="utf-8")
    table = mujaz("eval", "summaries", str(articles), "--method", "abstractive", "--summariser",
                  str(tiny_models / "summariser"), "-f", "markdown", "-q")
    assert table.returncode == 0, table.stderr.decode()
    assert f"(abstractive, {tiny_models / 'summariser'}, transformers, float32, B = (N+1)//3 words)" in table.stdout.decode()
    table = mujaz("eval", "summaries", str(articles), "-f", "text")  # model-free: as it was
    assert table.stdout.decode().startswith("mujaz eval summaries (extractive, B = (N+1)//3 words): 1 item\n")


def test_each_items_output_and_scores_can_be_kept(mujaz, tiny_models, tmp_path):
    """--outputs FILE: what each item was given, what mujaz made of it and its scores, a JSON line
    an item, so that a researcher can rerun a scorer, test significance or read the errors."""
    data = tmp_path / "s.jsonl"
    text = "إلى اللقاء في الاجتماع المقبل."
    data.write_text(json.dumps({"id": "a", "text": text, "references": [text], "title": text}, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    done = mujaz("eval", "summaries", str(data), "--outputs", str(tmp_path / "out.jsonl"), "-f", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["settings"]["outputs"] == str(tmp_path / "out.jsonl")
    record = json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))
    assert (record["id"], record["budget"], record["summary"], record["scored"]) == ("a", 2, text, "الي اللقاء")
    assert record["scores"]["rouge1"]["precision"] == 100.0 and record["notes"] == []
    assert mujaz("eval", "headlines", str(data), "--outputs", str(tmp_path / "h.jsonl")).returncode == 0
    assert json.loads((tmp_path / "h.jsonl").read_text(encoding="utf-8"))["candidate"] == text
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "d", "sentences": ["عنوان الخبر", "وصل الوزير.", "وانتهى الاجتماع."]},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    assert mujaz("eval", "segmentation", str(gold), "--outputs", str(tmp_path / "g.out")).returncode == 0
    assert json.loads((tmp_path / "g.out").read_text(encoding="utf-8")) == {
        "id": "d", "segments": ["عنوان الخبر", "وصل الوزير.", "وانتهى الاجتماع."],
        "gold": ["عنوان الخبر", "وصل الوزير.", "وانتهى الاجتماع."]}
    pairs = tmp_path / "p.jsonl"
    pairs.write_text(json.dumps({"id": "x", "ar": "وصل الوزير.", "en": "The minister arrived."}, ensure_ascii=False) + "\n")
    done = mujaz("eval", "translations", str(pairs), "--translator", str(tiny_models / "translator"),
                 "--outputs", str(tmp_path / "t.jsonl"))
    record = json.loads((tmp_path / "t.jsonl").read_text(encoding="utf-8"))
    assert done.returncode == 0 and set(record) == {"id", "ar", "hypothesis", "reference"} and record["id"] == "x"
    # a file that could not be written at the end is refused before the work, as is the dataset itself
    for outputs, said in ((tmp_path / "no" / "out.jsonl", "is not a folder"), (data, "is the dataset itself"),
                          ("-", "standard output carries the figures"),
                          ("/dev/stdout", "standard output carries the figures")):  # the records were mixed into them
        refused = mujaz("eval", "summaries", str(data), "--outputs", str(outputs))
        assert refused.returncode == 2 and said in refused.stderr.decode(), outputs
    assert json.loads(data.read_text(encoding="utf-8"))["text"] == text
    (tmp_path / "p.ar").write_text("وصل الوزير.\n", encoding="utf-8")  # FILE.ar's English twin is the dataset too
    (tmp_path / "p.en").write_text("The minister arrived.\n", encoding="utf-8")
    twin = mujaz("eval", "translations", str(tmp_path / "p.ar"), "--translator", str(tiny_models / "translator"),
                 "--outputs", str(tmp_path / "p.en"))
    assert twin.returncode == 2 and "the dataset's p.en, read with p.ar" in twin.stderr.decode()
    assert (tmp_path / "p.en").read_text(encoding="utf-8") == "The minister arrived.\n"
    # one that cannot be written (a link into a folder gone, a folder without write permission) is
    # refused before the work, its figures not printed: it was found out only at the end of the run
    (tmp_path / "gone.jsonl").symlink_to(tmp_path / "gone" / "out.jsonl")
    unwritable = mujaz("eval", "summaries", str(data), "--outputs", str(tmp_path / "gone.jsonl"), "-f", "json")
    assert unwritable.returncode == 1 and not unwritable.stdout and "cannot write" in unwritable.stderr.decode()
    # a link to a file yet to be written stays a link, its target the records (the test made the
    # target, then removed the link)
    (tmp_path / "link.jsonl").symlink_to(tmp_path / "target.jsonl")
    assert mujaz("eval", "summaries", str(data), "--outputs", str(tmp_path / "link.jsonl")).returncode == 0
    assert (tmp_path / "link.jsonl").is_symlink() and (tmp_path / "target.jsonl").read_text(encoding="utf-8")
    if Path("/dev/full").is_char_device():  # one that fails at the end costs the figures not
        full = mujaz("eval", "headlines", str(data), "--outputs", "/dev/full", "-f", "json")
        assert full.returncode == 1 and json.loads(full.stdout)["figures"]["rouge1"]["f1"] == 100.0
        # nor do figures that cannot be written cost the records: they cost the run to make
        with open("/dev/full", "wb") as stdout:
            done = subprocess.run([sys.executable, "-m", "mujaz", "eval", "headlines", str(data), "--outputs",
                                   str(tmp_path / "kept.jsonl")], stdout=stdout, stderr=subprocess.PIPE, cwd=ROOT, timeout=300)
        assert done.returncode == 1 and "No space left" in done.stderr.decode()
        assert json.loads((tmp_path / "kept.jsonl").read_text(encoding="utf-8"))["id"]


def test_eval_of_headlines_or_segmentation_says_when_the_text_is_not_arabic(mujaz, tmp_path):
    """English data scored 66.67 ROUGE-1 as headlines and F1 1.0 as segmentation, with no word said
    (a review; `eval summaries` and `eval translations` say so): the figures say nothing of Arabic."""
    english = ["The ministry announced a new plan today.", "It starts next year.", "Experts expect it to work."]
    arabic = ["أعلنت الوزارة خطة جديدة اليوم.", "وتبدأ الخطة العام المقبل.", "ويتوقع الخبراء نجاحها."]
    titles = tmp_path / "t.jsonl"
    titles.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in (
        {"id": "en", "text": " ".join(english), "title": "Ministry announces a new plan"},
        {"id": "ar", "text": " ".join(arabic), "title": "الوزارة تعلن خطة جديدة"})) + "\n", encoding="utf-8")
    gold = tmp_path / "g.jsonl"
    gold.write_text("\n".join(json.dumps({"id": key, "sentences": lines}, ensure_ascii=False)
                              for key, lines in (("en", english), ("ar", arabic))) + "\n", encoding="utf-8")
    for task, data in (("headlines", titles), ("segmentation", gold)):
        done = mujaz("eval", task, str(data), "-f", "json")
        said = "1 of 2 items are not Arabic text"
        assert done.returncode == 0 and said in done.stderr.decode(), task
        assert any(said in warning for warning in json.loads(done.stdout)["warnings"]), task
    # Persian, which mujaz summarise refuses by its letters and words, is warned of too
    persian = tmp_path / "fa.jsonl"
    persian.write_text(json.dumps({"id": "fa", "title": "وزیر امور خارجه ایران گفت", "text": (
        "وزیر امور خارجه ایران روز دوشنبه گفت که کشورش آماده گفتگو است. او در این دیدار از آماده بودن کشورش خبر داد.")},
        ensure_ascii=False) + "\n", encoding="utf-8")
    assert "1 of 1 items are not Arabic text" in mujaz("eval", "headlines", str(persian)).stderr.decode()
    english_only = mujaz("eval", "segmentation", str(gold), "--limit", "1")
    assert "1 of 1 items are not Arabic text" in english_only.stderr.decode()
    gold.write_text(json.dumps({"id": "ar", "sentences": arabic}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert "not Arabic" not in mujaz("eval", "segmentation", str(gold)).stderr.decode()


def test_eval_says_what_it_scored_as_a_user_needs_it(mujaz, tiny_models, tmp_path):
    """From a review of `mujaz eval` with a user's own data: an article with nothing to summarise
    scored 0 unsaid; a JSONL text opening with its headline was summarised without it (as
    `mujaz summarise` never does); warnings were missing from the JSON; ids counted from 0 while
    errors count lines from 1."""
    from mujaz.errors import BadInput

    lead = "أعلنت وزارة المالية اليوم عن خطة جديدة لدعم الشركات الصغيرة في المحافظات."
    body = " ".join([lead, "وقال الوزير إن الخطة تبدأ في مطلع العام المقبل.", "وتوقع خبراء أن تنجح الخطة."])
    data = tmp_path / "s.jsonl"
    data.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in (
        {"text": "خطة لدعم الشركات الصغيرة\n\n" + body, "references": [lead]},
        {"id": "en", "text": "The ministry announced a plan to support small firms today.", "references": [lead]},
    )) + "\n", encoding="utf-8")
    done = mujaz("eval", "summaries", str(data), "-f", "json", "--outputs", str(tmp_path / "out.jsonl"))
    assert done.returncode == 0, done.stderr.decode()
    result = json.loads(done.stdout)
    said = "1 of 2 articles have an empty summary, each scored 0"
    assert result["settings"]["empty_summaries"] == 1 and said in done.stderr.decode()
    assert any(said in warning for warning in result["warnings"])
    records = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [record["id"] for record in records] == ["1", "en"]  # line 1, and the id given
    assert records[0]["headline"] == "خطة لدعم الشركات الصغيرة" and records[1]["summary"] == ""
    # A model is given no headline (the settings say so): the records say none
    model = mujaz("eval", "summaries", str(data), "--method", "abstractive", "--summariser", str(tiny_models / "summariser"),
                  "--limit", "1", "--outputs", str(tmp_path / "model.jsonl"))
    assert model.returncode == 0 and json.loads((tmp_path / "model.jsonl").read_text(encoding="utf-8"))["headline"] is None
    # The stand-in's warning is in the JSON too
    auto = mujaz("eval", "summaries", str(data), "--method", "auto", "-f", "json")
    assert any("used the extractive summariser" in warning for warning in json.loads(auto.stdout)["warnings"])
    # No items is said as such, not as swapped sides
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    empty = mujaz("eval", "translations", str(tmp_path / "empty.jsonl"), "--translator", str(tiny_models / "translator"))
    assert empty.returncode == 4 and "no items to score" in empty.stderr.decode()
    assert "(check that it is the dataset meant" in empty.stderr.decode()  # what to do, too (a new user's review)
    # An NTREX-128 Arabic file given by its path (as the hint for a folder of two says) is read with
    # its English side; without one, the message names the file NTREX has
    ntrex = tmp_path / "ntrex"
    ntrex.mkdir()
    (ntrex / "newstest2019-ref.arb.txt").write_text("وصل الوزير.\n", encoding="utf-8")
    (ntrex / "other.arb.txt").write_text("وصل الوزير.\n", encoding="utf-8")
    with pytest.raises(BadInput, match=r"no English file\(s\) \(\*\.eng\.txt\) beside it"):
        read_parallel(ntrex / "newstest2019-ref.arb.txt")
    (ntrex / "newstest2019-src.eng.txt").write_text("The minister arrived.\n", encoding="utf-8")
    (ntrex / "mymodel-hyp.eng.txt").write_text("A system's output.\n", encoding="utf-8")  # NTREX's own is taken
    assert [(item.id, item.en) for item in read_parallel(ntrex / "newstest2019-ref.arb.txt")] == [
        ("1", "The minister arrived.")]
    # EASC summaries misnamed: why nothing is left is said before "no items"
    easc = tmp_path / "easc"
    (easc / "Articles").mkdir(parents=True)
    (easc / "Summaries").mkdir()
    (easc / "Articles" / "one.txt").write_text(body, encoding="utf-8")
    (easc / "Summaries" / "one-A.txt").write_text(lead, encoding="utf-8")
    misnamed = mujaz("eval", "summaries", str(easc))
    assert misnamed.returncode == 4
    assert misnamed.stderr.decode().splitlines()[0].endswith("1 article(s) in " + str(easc / "Articles")
                                                             + " have no summaries: left out")


def test_eval_markdown_report_and_debug(mujaz, tmp_path):
    dataset = tmp_path / "gold.jsonl"
    dataset.write_text(json.dumps({"id": 1, "sentences": ["عنوان الخبر", "جملة أولى.", "جملة ثانية."]}, ensure_ascii=False)
                       + "\n", encoding="utf-8")
    done = mujaz("eval", "segmentation", str(dataset), "-f", "markdown")
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert lines[0] == "### mujaz eval segmentation: 1 item" and lines[2:4] == ["| measure | value |", "|---|---|"]
    assert "| f1 | 1.0 |" in lines and f"| dataset | {dataset} |" in lines and "| items | 1 |" in lines
    missing = mujaz("eval", "segmentation", str(tmp_path / "missing"), "--debug")
    assert missing.returncode == 4 and "Traceback" in missing.stderr.decode()


def test_markdown_table_keeps_a_cell_in_its_cell():
    from mujaz.render import markdown_table

    assert markdown_table(["a", "b"], [["x|y", "one\ntwo"]]).splitlines() == ["| a | b |", "|---|---|", "| x\\|y | one two |"]


def test_eval_bad_dataset_is_exit_4(mujaz, tmp_path):
    assert mujaz("eval", "summaries", str(tmp_path / "missing")).returncode == 4
    (tmp_path / "x.txt").write_text("x")
    assert mujaz("eval", "segmentation", str(tmp_path / "x.txt")).returncode == 4
    (tmp_path / "cp1256.jsonl").write_bytes(json.dumps({"sentences": ["نص"]}, ensure_ascii=False).encode("cp1256"))
    (tmp_path / "utf16.jsonl").write_text(json.dumps({"sentences": ["نص"]}), encoding="utf-16")  # told to iconv -f utf-16
    (tmp_path / "easc" / "Articles").mkdir(parents=True)  # no Summaries/ beside it
    # said by the line, as an editor shows it (it was the byte's offset), and UTF-16 by its name
    for command, dataset, said in (("segmentation", "cp1256.jsonl", "line 1 is not UTF-8"),
                                   ("segmentation", "utf16.jsonl", "UTF-16 text (datasets are read as UTF-8: iconv -f utf-16"),
                                   ("summaries", "easc", "needs Summaries/")):
        done = mujaz("eval", command, str(tmp_path / dataset))
        assert done.returncode == 4 and done.stderr.decode().startswith(f"mujaz: error: {tmp_path / dataset}")
        assert said in done.stderr.decode() and len(done.stderr.splitlines()) == 1


def _bench_module(name: str):
    """A script from bench/ (not a package), loaded by path."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_easc_reference_analysis_on_hand_examples():
    references = _bench_module("easc_references")
    sentences = [
        "الكبد أكبر عضو غددي في الجسم.",
        "ويقع في الجانب الأيمن من التجويف البطني.",
        "وينقل إليه الدم عبر الشريان الكبدي من الأورطة.",
        "نعم.",
    ]
    # The first sentence with its last two words glued (a wrapped line joined without a space),
    # the third cut short as EASC stores long ones; the second is absent.
    reference = "الكبد اكبر عضو غددي فيالجسم. وينقل اليه الدم عبر الشريان"
    assert references.held_sentences(sentences, reference) == [0, 2]
    assert references.held_sentences(sentences, "نعم، وينقل") == [3]  # one-word sentence: its unigram
    assert references.shape([0, 1, 2]) == "a run from the first sentence"
    assert references.shape([0, 2, 4, 6, 9]) == "every other sentence"
    assert references.shape([0, 2, 4]) == "other"  # too few to call a pattern
    assert references.shape([1, 2, 5]) == "other"
    assert references.shape([]) == "no sentence found"


def test_progress_goes_to_a_terminal_stderr_never_into_the_figures(tmp_path):
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    dataset = tmp_path / "gold.jsonl"
    dataset.write_text("".join(json.dumps({"id": n, "sentences": ["عنوان الخبر", "جملة أولى.", "جملة ثانية."]},
                                          ensure_ascii=False) + "\n" for n in range(3)), encoding="utf-8")

    def run(*extra):
        terminal, stderr = pty.openpty()
        done = subprocess.run([sys.executable, "-m", "mujaz", "eval", "segmentation", str(dataset), "-f", "json", *extra],
                              stdout=subprocess.PIPE, stderr=stderr, cwd=ROOT, env={**os.environ, "TERM": "xterm"})
        os.close(stderr)
        shown = b""
        try:
            while chunk := os.read(terminal, 65536):
                shown += chunk
        except OSError:  # the terminal's other end is closed: all of it has been read
            pass
        os.close(terminal)
        assert done.returncode == 0
        assert json.loads(done.stdout)["figures"]["f1"] == 1.0 and done.stdout.startswith(b"{")
        return shown

    assert b"Segmenting" in run()
    assert run("--quiet") == b""


@pytest.mark.parametrize(("command", "line"), [
    ("summaries", {"id": "1", "text": "نص الخبر", "references": []}),
    ("summaries", {"id": "1", "text": "نص الخبر", "references": ["مرجع", " "]}),  # would score 0 and count
    ("summaries", {"id": "1", "text": "نص الخبر"}),
    ("summaries", {"id": "1", "text": "\u200b", "references": ["مرجع"]}),  # no words: it scored 0, exit 0
    ("summaries", {"id": "1", "text": "...", "references": ["مرجع"]}),
    ("segmentation", {"id": "2", "sentences": []}),
    ("segmentation", {"id": "2", "sentences": "not a list"}),
    ("translations", {"ar": "نص"}),
    ("translations", {"ar": None, "en": "text"}),
])
def test_a_malformed_dataset_line_is_bad_input(mujaz, tmp_path, command, line):
    dataset = tmp_path / "data.jsonl"
    dataset.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    done = mujaz("eval", command, str(dataset))
    assert done.returncode == 4, done.stderr.decode()
    assert done.stderr.decode().startswith(f"mujaz: error: {dataset}:1: ") and b"Traceback" not in done.stderr


def test_datasets_that_would_give_wrong_figures_are_refused_not_cut(mujaz, tmp_path):
    from mujaz.errors import BadInput

    done = mujaz("eval", "segmentation", str(tmp_path / "nowhere"))
    assert done.returncode == 4 and done.stderr.decode().strip().endswith(
        "nowhere: no such dataset file or folder (check the path; the README's Evaluation section says where each "
        "dataset comes from)")

    def refused(reader, path, said):
        with pytest.raises(BadInput, match=said):
            reader(path)

    argen = tmp_path / "a.tsv"
    argen.write_text("document\ttitle\nنص الخبر الأول\tعنوان\nنص بلا عنوان\n", encoding="utf-8")
    refused(read_summaries, argen, "a.tsv:3: a row without words in its document or title")
    argen.write_text("document\ttitle\nنص الخبر الأول\t...\n", encoding="utf-8")  # scored 0, exit 0
    refused(read_summaries, argen, "a.tsv:2: a row without words in its document or title")
    argen.write_text("a\tb\nنص\tعنوان\n", encoding="utf-8")
    refused(read_summaries, argen, "no document or title column")
    ntrex = tmp_path / "ntrex"
    ntrex.mkdir()
    (ntrex / "x.arb.txt").write_text("عنوان\nجملة.\nعنوان آخر\nجملة أخرى.\n", encoding="utf-8")
    (ntrex / "DOCUMENT_IDS.tsv").write_text("d1\nd1\nd2\n", encoding="utf-8")
    refused(read_segmentation, ntrex, "3 lines but x.arb.txt has 4")
    (ntrex / "DOCUMENT_IDS.tsv").write_text("d1\nd2\nd1\nd2\n", encoding="utf-8")
    refused(read_segmentation, ntrex, "DOCUMENT_IDS.tsv:3: document d1 again")
    (ntrex / "DOCUMENT_IDS.tsv").write_text("d1\nd1\nd2\nd2\n", encoding="utf-8")
    (ntrex / "x.arb.txt").write_text("عنوان\nجملة\u2028أولى.\nعنوان آخر\nجملة أخرى.\n", encoding="utf-8")
    refused(read_segmentation, ntrex, "x.arb.txt:2: a sentence holds a line break")  # a false boundary, unsaid
    (ntrex / "x.arb.txt").write_text("عنوان\nجملة.\nعنوان آخر\nجملة أخرى.\n", encoding="utf-8")
    (ntrex / "y.arb.txt").write_text("عنوان\nجملة.\nعنوان آخر\nجملة أخرى.\n", encoding="utf-8")
    refused(read_segmentation, ntrex, r"2 Arabic files \(x.arb.txt, y.arb.txt\): which one to score\?")
    # The Arabic file itself (as eval translations takes it) is read with its folder's ids; a folder
    # without the ids is told what it lacks (both were "not a segmentation dataset I know")
    assert [doc.id for doc in read_segmentation(ntrex / "y.arb.txt")] == ["d1", "d2"]
    (ntrex / "DOCUMENT_IDS.tsv").unlink()
    (ntrex / "y.arb.txt").unlink()
    refused(read_segmentation, ntrex, "no DOCUMENT_IDS.tsv beside x.arb.txt")
    refused(read_segmentation, ntrex / "x.arb.txt", "no DOCUMENT_IDS.tsv beside x.arb.txt")
    # --outputs over a file the dataset is read with is refused, the Arabic file given alone (it
    # wrote its records over DOCUMENT_IDS.tsv, and the next run was refused)
    (ntrex / "DOCUMENT_IDS.tsv").write_text("d1\nd1\nd2\nd2\n", encoding="utf-8")
    (ntrex / "x.eng.txt").write_text("Title\nA sentence.\nOther title\nAnother sentence.\n", encoding="utf-8")
    for companion in ("DOCUMENT_IDS.tsv", "x.eng.txt"):
        done = mujaz("eval", "segmentation", str(ntrex / "x.arb.txt"), "--outputs", str(ntrex / companion))
        assert done.returncode == 2 and "is the dataset's" in done.stderr.decode(), companion
    assert (ntrex / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8") == "d1\nd1\nd2\nd2\n"
    refused(lambda path: read_summaries(path, titles_only=True), ntrex, "not a headline dataset I know")
    gold = tmp_path / "g.jsonl"
    gold.write_text(json.dumps({"id": "x", "sentences": ["عنوان", "جملة\nأولى."]}, ensure_ascii=False) + "\n")
    refused(read_segmentation, gold, "g.jsonl:1: 'sentences': a sentence holds a line break")  # its line, not its index
    gold.write_text("\n" + json.dumps({"sentences": ["عنوان", "\u200b", "قال الوزير إن الوضع مستقر."]}) + "\n")
    assert read_segmentation(gold)[0].lines == ["عنوان", "قال الوزير إن الوضع مستقر."]  # no boundary that cannot be found
    # A blank line of a line-aligned pair (a reference scores any translation 0), and a folder of
    # two pairs (the first alone was scored, the other left out unsaid).
    (tmp_path / "b.ar").write_text("سطر\n\n", encoding="utf-8")
    (tmp_path / "b.en").write_text("line\nother\n", encoding="utf-8")
    refused(read_parallel, tmp_path / "b.ar", "b.ar:2: a blank line")
    (tmp_path / "b.ar").write_text("سطر\nآخر\n", encoding="utf-8")
    (tmp_path / "b.en").write_text("line\n \n", encoding="utf-8")
    refused(read_parallel, tmp_path / "b.ar", "b.en:2: a blank line")
    pairs = tmp_path / "pairs"
    pairs.mkdir()
    for name in ("a", "b"):
        (pairs / f"{name}.ar").write_text("سطر\n", encoding="utf-8")
        (pairs / f"{name}.en").write_text("line\n", encoding="utf-8")
    refused(read_parallel, pairs, r"2 Arabic files \(a.ar, b.ar\): which one to score\?")
    easc = tmp_path / "easc"
    (easc / "Articles").mkdir(parents=True)
    (easc / "Summaries").mkdir()
    (easc / "Articles" / "one.txt").write_text("", encoding="utf-8")
    (easc / "Summaries" / "one_A.txt").write_text("قال الوزير إن المحادثات كانت مثمرة.", encoding="utf-8")
    refused(read_summaries, easc, "one.txt: an article without words")
    pretty = tmp_path / "p.json"
    pretty.write_text(json.dumps([{"text": "نص", "references": ["مرجع"]}], indent=2), encoding="utf-8")
    with pytest.raises(BadInput) as error:
        read_summaries(pretty)
    assert "p.json:1: not JSON" in error.value.line() and "one whole JSON object on each line" in error.value.line()
    bare = tmp_path / "bare.ar"  # UTF-16 without a byte-order mark: "4 lines but bare.en has 3", "a blank line"
    bare.write_bytes("سطر أول\nسطر ثان\n".encode("utf-16-le"))
    (tmp_path / "bare.en").write_text("first line\nsecond line\n", encoding="utf-8")
    refused(read_parallel, bare, r"bare.ar: NUL bytes \(the first on line 1\): UTF-16 text without a byte-order mark\?")
    deep = tmp_path / "deep.jsonl"  # Python's parser gives up: a RecursionError, exit 1 as mujaz's own fault
    deep.write_text("[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    refused(read_parallel, deep, r"deep.jsonl:1: not a JSON object \(nested too deep\)")
    # Line-aligned files are lines as `wc -l` counts them: a U+2028 inside a sentence is no line end.
    (tmp_path / "t.ar").write_text("سطر\u2028يتبع\nآخر\n", encoding="utf-8")
    (tmp_path / "t.en").write_text("line\nother\n", encoding="utf-8")
    assert [item.en for item in read_parallel(tmp_path / "t.ar")] == ["line", "other"]
    # ...but an old Mac's lone CR ends a line (the file read as one line was scored as one item)
    (tmp_path / "t.ar").write_text("سطر\rآخر\r", encoding="utf-8")
    (tmp_path / "t.en").write_text("line\r\nother\r\n", encoding="utf-8")
    assert [item.en for item in read_parallel(tmp_path / "t.ar")] == ["line", "other"]
    # Sides swapped (English translated as if Arabic, scored 0 with exit 0)
    (tmp_path / "t.ar").write_text("line\nother\n", encoding="utf-8")
    (tmp_path / "t.en").write_text("سطر\nآخر\n", encoding="utf-8")
    refused(read_parallel, tmp_path / "t.ar", "t.ar is the Arabic side, and 0% of its letters are Arabic")
    swapped = tmp_path / "swapped.jsonl"
    swapped.write_text(json.dumps({"ar": "سطر", "en": "سطر آخر"}, ensure_ascii=False) + "\n", encoding="utf-8")
    refused(read_parallel, swapped, "en is the English side, and 100% of its letters are Arabic")
    # Gold with no boundary at all (a JSONL line a sentence; NTREX ids that differ on every line) scored 0
    gold.write_text("".join(json.dumps({"id": f"x{n}", "sentences": [s]}, ensure_ascii=False) + "\n"
                            for n, s in enumerate(("عنوان", "جملة أولى."))), encoding="utf-8")
    refused(read_segmentation, gold, "no document of two sentences or more: no boundary to score")
    # ...and a document's sentences given a line each under its id are said so at once
    gold.write_text("".join(json.dumps({"id": "x", "sentences": [s]}, ensure_ascii=False) + "\n"
                            for s in ("عنوان", "جملة أولى.")), encoding="utf-8")
    with pytest.raises(BadInput, match="g.jsonl:2: the id 'x' is line 1's too") as twice:
        read_segmentation(gold)
    assert "one line a document" in twice.value.hint
    # ... nor in the part --limit takes (it scored 0 for all, exit 0)
    gold.write_text("".join(json.dumps({"id": n, "sentences": s}, ensure_ascii=False) + "\n"
                            for n, s in enumerate((["عنوان"], ["عنوان", "جملة أولى.", "جملة ثانية."]))), encoding="utf-8")
    done = mujaz("eval", "segmentation", str(gold), "--limit", "1")
    assert done.returncode == 4 and not done.stdout and done.stderr.decode().strip().endswith(
        "the first 1 document(s) hold none of two sentences or more: no boundary to score (raise --limit)")
    # A reference or a title without words ("...") scored 0 and pulled the mean down
    dots = tmp_path / "dots.jsonl"
    dots.write_text(json.dumps({"text": "نص الخبر.", "references": ["..."]}) + "\n", encoding="utf-8")
    refused(read_summaries, dots, "holds a blank reference")
    dots.write_text(json.dumps({"text": "نص الخبر.", "title": "..."}) + "\n", encoding="utf-8")
    assert read_summaries(dots, titles_only=True)[0].headline is None


def test_ntrex_ids_are_their_first_column_and_easc_headlines_need_no_summaries(tmp_path):
    from mujaz.errors import BadInput

    ntrex = tmp_path / "ntrex"
    ntrex.mkdir()
    (ntrex / "x.arb.txt").write_text("عنوان\nجملة.\nعنوان آخر\nجملة أخرى.\n", encoding="utf-8")
    (ntrex / "DOCUMENT_IDS.tsv").write_text("d1\t1\nd1\t2\nd2\t1\nd2\t2\n", encoding="utf-8")  # every line a document before
    assert [doc.lines for doc in read_segmentation(ntrex)] == [["عنوان", "جملة."], ["عنوان آخر", "جملة أخرى."]]
    easc = tmp_path / "easc"
    (easc / "Articles").mkdir(parents=True)
    (easc / "Articles" / "one.txt").write_text("عنوان الخبر\nقال الوزير إن المحادثات كانت مثمرة.", encoding="utf-8")
    (easc / "Titles.txt").write_text("one*عنوان الخبر\n", encoding="utf-8")
    assert [item.headline for item in read_summaries(easc, titles_only=True)] == ["عنوان الخبر"]
    (easc / "Articles" / "two.txt").write_text("...", encoding="utf-8")  # scored 0 in the mean, not refused
    with pytest.raises(BadInput, match="two.txt: an article without words"):
        read_summaries(easc, titles_only=True)


def test_references_are_read_as_articles_are_and_headlines_need_titles(mujaz, tmp_path):
    text = "إلى اللقاء في الاجتماع المقبل."
    dataset = tmp_path / "s.jsonl"
    forms = "\ufe87\ufedf\ufef0 اللقاء في الاجتماع المقبل."  # إلى in presentation forms, as a PDF gives it
    dataset.write_text(json.dumps({"text": text, "references": [forms]}, ensure_ascii=False) + "\n", encoding="utf-8")
    done = mujaz("eval", "summaries", str(dataset), "-f", "json")  # the summary cut to (5+1)//3 words: "إلى اللقاء"
    assert json.loads(done.stdout)["figures"]["rouge2"]["precision"] == 100.0
    refused = mujaz("eval", "headlines", str(dataset))  # no title: nothing to compare the first sentence with
    assert refused.returncode == 4 and "no titles to compare with" in refused.stderr.decode()
    dataset.write_text(json.dumps({"text": text, "references": ["مرجع"], "title": text}, ensure_ascii=False) + "\n")
    assert json.loads(mujaz("eval", "headlines", str(dataset), "-f", "json").stdout)["figures"]["rouge1"]["f1"] == 100.0
    dataset.write_text(json.dumps({"text": text, "title": text}, ensure_ascii=False) + "\n")  # titles need no references
    assert json.loads(mujaz("eval", "headlines", str(dataset), "-f", "json").stdout)["figures"]["rouge1"]["f1"] == 100.0
    # Items without a title are left out, and that is said: the figure covers a part of the data
    dataset.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in ({"text": text, "title": text},
                                                                                        {"text": text})))
    done = mujaz("eval", "headlines", str(dataset), "-f", "json")
    assert json.loads(done.stdout)["settings"]["left_out"] == ["1 item(s) without a title: left out"]
    assert json.loads(done.stdout)["settings"]["items"] == 1 and "1 item(s) without a title" in done.stderr.decode()
    limited = json.loads(mujaz("eval", "headlines", str(dataset), "--limit", "1", "-f", "json").stdout)["settings"]
    assert limited["items"] == 1 and limited["left_out"] == []  # the first item: titled; the one past the limit is not said


def test_easc_articles_left_out_are_said(mujaz, tmp_path):
    easc = tmp_path / "easc"
    (easc / "Articles").mkdir(parents=True)
    (easc / "Summaries").mkdir()
    article = "عنوان الخبر\nقال الوزير إن المحادثات كانت مثمرة. وأضاف أن الجانبين اتفقا على التعاون."
    for name in ("one", "two"):
        (easc / "Articles" / f"{name}.txt").write_text(article, encoding="utf-8")
    (easc / "Summaries" / "one_a.txt").write_text("قال الوزير إن المحادثات كانت مثمرة.", encoding="utf-8")
    done = mujaz("eval", "summaries", str(easc), "-f", "json")
    assert done.returncode == 0 and json.loads(done.stdout)["settings"]["items"] == 1
    assert json.loads(done.stdout)["settings"]["left_out"] == [f"1 article(s) in {easc / 'Articles'} have no summaries: left out"]
    assert "mujaz: warning: 1 article(s)" in done.stderr.decode()


def test_one_line_documents_are_no_part_of_the_document_shares():
    one_line = SegmentationDoc(id="a", lines=["عنوان وحده"])
    two_lines = SegmentationDoc(id="b", lines=["عنوان الخبر", "الجملة الأولى."])
    score = score_segmentation([one_line, two_lines], lambda t: [s.text for s in segment_article(t)])
    assert score.to_json()["perfect_documents"] == 1.0 and score.to_json()["headline_found"] == 1.0


def test_a_dataset_that_cannot_be_read_is_bad_input_named(tmp_path, monkeypatch, mujaz):
    """Without permission to read it (as root here, so it is made to look so), a dataset folder read as
    "not a dataset I know", its Articles/ ended the run with a traceback, and Typer's own check said
    usage (exit 2)."""
    import os

    from mujaz.core import datasets
    from mujaz.errors import BadInput, ExitCode

    folder = tmp_path / "easc"
    (folder / "Articles").mkdir(parents=True)
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(BadInput, match=f"^{folder}: cannot read: permission denied$") as refused:
        read_summaries(folder)
    assert "check its permissions" in refused.value.hint
    monkeypatch.setattr(os, "access", lambda path, mode: True)

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path / "Articles"))

    monkeypatch.setattr(datasets, "summary_format", denied)
    with pytest.raises(BadInput, match=f"^{folder / 'Articles'}: cannot read: permission denied$") as refused:
        read_summaries(folder)
    assert "check its permissions" in refused.value.hint
    # Through the command: Typer's own readability check said usage (exit 2) before the readers could speak.
    from mujaz.errors import run_app

    monkeypatch.setattr(os, "access", lambda path, mode: False)
    assert run_app(["eval", "summaries", str(folder)]) == ExitCode.BAD_INPUT


def test_eval_translations_says_what_runs_says_and_what_was_copied(mujaz, tiny_models, tmp_path):
    """An mT5 given as the translator was scored without the warning translate gives; a line without
    an Arabic letter is copied as it is (often its reference), and counted."""
    pairs = tmp_path / "p.jsonl"
    pairs.write_text("".join(json.dumps(pair, ensure_ascii=False) + "\n" for pair in (
        {"ar": "وصل الوفد إلى موسكو.", "en": "The delegation arrived in Moscow."},
        {"ar": "22 April 2015", "en": "22 April 2015"})), encoding="utf-8")
    done = mujaz("eval", "translations", str(pairs), "--translator", str(tiny_models / "summariser"),
                 "--engine", "transformers", "-f", "json")
    assert done.returncode == 0 and "is an mt5 model that names no languages" in done.stderr.decode()
    assert json.loads(done.stdout)["settings"]["copied_without_arabic_letters"] == 1


def test_a_missing_scorer_is_said_before_the_work(mujaz, tiny_models, tmp_path):
    """The translations were all made, then 'needs sacrebleu', exit 1, and the work lost."""
    (tmp_path / "hide" / "sacrebleu").mkdir(parents=True)
    (tmp_path / "hide" / "sacrebleu" / "__init__.py").write_text("raise ImportError('hidden for the test')\n")
    pairs = tmp_path / "p.jsonl"
    pairs.write_text(json.dumps({"ar": "وصل الوفد إلى موسكو.", "en": "x"}, ensure_ascii=False) + "\n", encoding="utf-8")
    done = mujaz("eval", "translations", str(pairs), "--translator", "/no/such/model",
                 env={"PYTHONPATH": str(tmp_path / "hide")})
    assert done.returncode == 1 and "`mujaz eval` needs sacrebleu" in done.stderr.decode()
    assert "/no/such/model" not in done.stderr.decode()  # refused before the model was even looked for
