"""The CTranslate2 engine on the tiny models: conversion, selection, parity, no torch."""

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from mujaz.core.provider import ModelProvider
from mujaz.errors import UsageProblem
from mujaz.models import ct2, hf, hub
from mujaz.models.base import LengthBudget, ModelRef
from mujaz.models.seq2seq import arabic_output_rules, grouped_batches, target_pieces

from conftest import ROOT

ARABIC = re.compile("[\u0600-\u06ff]")
OTHER_SCRIPTS = re.compile("[a-zA-Z\u0400-\u04ff]")  # the tiny summariser's other pieces are Latin and Cyrillic
WITH_LATIN = "وقال لافروف Lavrov إن مجموعة BRICS تتوسع."
SENTENCES = [
    "أكد وزير الخارجية الروسي أهمية التعاون الصيني الروسي لتحقيق العدالة في الشؤون الدولية.",
    "وجاءت تصريحات الوزيرين خلال جلسة مباحثات في موسكو.",
    "وحضر بوتين أول منتديين للحزام والطريق في الصين في عامي 2017 و2019.",
    "",
    "عملنا المشترك ليس موجها ضد أحد.",
]


@pytest.fixture(scope="session")
def store(tiny_models, tmp_path_factory):
    """A store holding float32 and int8 conversions of both tiny models."""
    home = tmp_path_factory.mktemp("ct2-home")
    previous = os.environ.get("MUJAZ_HOME")
    os.environ["MUJAZ_HOME"] = str(home)
    try:
        for role in ("translator", "summariser"):
            for quantization in ("float32", "int8"):
                ct2.convert(hub.resolve(str(tiny_models / role)), quantization=quantization)
    finally:
        if previous is None:
            os.environ.pop("MUJAZ_HOME", None)
        else:
            os.environ["MUJAZ_HOME"] = previous
    return home


@pytest.fixture
def with_store(store, monkeypatch):
    monkeypatch.setenv("MUJAZ_HOME", str(store))
    return store


def engines(tiny_models, role, quantization="float32"):
    ref = hub.resolve(str(tiny_models / role))
    return hf.load(ref, device="cpu"), ct2.CTranslate2Engine(ct2.converted(ref)[quantization], ref, device="cpu")


def test_a_conversion_another_process_finished_meanwhile_is_kept(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path))
    ref = hub.resolve(str(tiny_models / "translator"))
    theirs = ct2.convert(ref, quantization="float32")
    before = (theirs / "model.bin").stat()
    real = ct2.converted
    calls = []

    def not_yet_on_the_first_look(found_ref):  # this process looked before the other one had finished
        calls.append(found_ref)
        return {} if len(calls) == 1 else real(found_ref)

    monkeypatch.setattr(ct2, "converted", not_yet_on_the_first_look)
    assert ct2.convert(ref, quantization="float32") == theirs
    assert len(calls) == 2
    after = (theirs / "model.bin").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not replaced under its readers


def test_conversions_are_stored_by_model_and_kept_whole(with_store, tiny_models):
    ref = hub.resolve(str(tiny_models / "translator"))
    found = ct2.converted(ref)
    assert set(found) == {"float32", "int8"}
    assert ct2.find(ref) == found["int8"]  # converted last
    metadata = json.loads((found["int8"] / "mujaz.json").read_text())
    assert metadata["quantization"] == "int8" and metadata["input_limit"] == 64
    assert (found["int8"] / "source.spm").is_file() and (found["int8"] / "vocab.json").is_file()
    # Converting again is a no-op unless forced.
    assert ct2.convert(ref, quantization="int8") == found["int8"]


def test_the_conversion_models_convert_named_last_is_the_one_runs_use(mujaz, store, tiny_models, tmp_path, monkeypatch):
    """A float32 conversion made to compare with int8 was never used while int8 was there, unsaid."""
    home = tmp_path / "home"
    shutil.copytree(store, home)
    env = {"MUJAZ_HOME": str(home)}
    monkeypatch.setenv("MUJAZ_HOME", str(home))
    translator = str(tiny_models / "translator")
    ref = hub.resolve(translator)

    def in_use() -> str:
        return ct2.find(ref).name

    def weights() -> str:  # as a run reports them
        done = mujaz("eval", "translations", str(pairs), "--translator", translator, "-f", "json", env=env)
        return json.loads(done.stdout)["settings"]["weights"]

    pairs = tmp_path / "pairs.jsonl"
    pairs.write_text(json.dumps({"ar": SENTENCES[0], "en": "x"}, ensure_ascii=False) + "\n", encoding="utf-8")
    assert in_use() == "int8" and weights() == "int8"  # none named: the first in PREFERENCE, as before
    done = mujaz("models", "convert", translator, "--quantization", "float32", env=env)
    assert done.returncode == 0 and "already converted" in done.stderr.decode()
    assert in_use() == "float32" and weights() == "float32"
    assert mujaz("models", "convert", translator, env=env).returncode == 0 and in_use() == "int8"
    # A store that cannot record the choice says so (a folder where the record goes: as a read-only
    # store, which root, who runs the tests here, would write to all the same)
    (ct2.store() / ct2.key(ref) / ct2.CHOICE).unlink()
    (ct2.store() / ct2.key(ref) / ct2.CHOICE).mkdir()
    done = mujaz("models", "convert", translator, "--quantization", "float32", env=env)
    assert done.returncode == 0 and done.stdout.decode().strip().endswith("float32") and in_use() == "int8"
    assert "mujaz: warning: cannot record in" in done.stderr.decode()
    assert "that runs use the float32 conversion: Is a directory (make" in done.stderr.decode()
    assert "until then runs use the int8 conversion)" in done.stderr.decode()
    # Naming the conversion in use writes nothing (a store one may only read said it could not)
    (ct2.store() / ct2.key(ref) / ct2.CHOICE).rmdir()
    (ct2.store() / ct2.key(ref) / ct2.CHOICE).write_text("int8\n")
    (ct2.store() / ct2.key(ref) / ct2.CHOICE).chmod(0o444)
    before = (ct2.store() / ct2.key(ref) / ct2.CHOICE).stat().st_mtime_ns
    done = mujaz("models", "convert", translator, env=env)
    assert done.returncode == 0 and "warning" not in done.stderr.decode()
    assert (ct2.store() / ct2.key(ref) / ct2.CHOICE).stat().st_mtime_ns == before


def test_translator_parity_with_the_models_own_settings(with_store, tiny_models):
    """Same input, same settings (beam 2): float32 CTranslate2 gives transformers' output exactly."""
    torch_engine, fast_engine = engines(tiny_models, "translator")
    assert torch_engine.settings == fast_engine.settings
    expected = torch_engine.generate(SENTENCES)
    assert fast_engine.generate(SENTENCES) == expected
    assert expected[3] == "" and len(set(expected)) == 5  # outputs differ by input


def test_summariser_parity_on_the_whole_vocabulary(with_store, tiny_models, sample):
    """Without the Arabic-output mask too, both engines write the same: the model's own beam 2 and
    no-repeat 2, greedy, and held to a budget's minimum length. (transformers normalised the scores
    before its bans, CTranslate2 after.)"""
    from mujaz.core.segment import split_sentences

    torch_engine, fast_engine = engines(tiny_models, "summariser")
    texts = SENTENCES + split_sentences(sample.read_text(encoding="utf-8"))[:12]
    for settings in (torch_engine.settings, replace(torch_engine.settings, beam_size=1),
                     torch_engine.settings.for_budget(LengthBudget(words=35))):
        assert fast_engine.generate(texts, settings) == torch_engine.generate(texts, settings)


def test_summariser_parity_on_arabic_output(with_store, tiny_models):
    """As the summariser calls them (arabic_output): the same output on both engines,
    greedy and with the model's own beam 2 and no-repeat 2, for inputs with and without
    pieces of another script, batched together."""
    torch_engine, fast_engine = engines(tiny_models, "summariser")
    texts = SENTENCES + [WITH_LATIN]
    for settings in (torch_engine.settings, replace(torch_engine.settings, beam_size=1)):
        settings = replace(settings, arabic_output=True)
        expected = torch_engine.generate(texts, settings)
        assert fast_engine.generate(texts, settings) == expected
        assert len(set(expected)) == len(texts)  # outputs differ by input


def test_arabic_output_rules_on_hand_pieces():
    always = ["\u2581في", "\u25812019", "،", "\u2581«", "\u2581", "٣"]
    others = ["<pad>", "</s>", "<unk>", "\u2581the", "\u2581Москва", "NATO"]
    assert arabic_output_rules(always + others + ["a b"]) == (always, others)  # a piece with a space: neither
    assert arabic_output_rules(always + ["a", "b"]) is None  # mostly Arabic already: nothing worth leaving out


def test_grouped_batches_keep_inputs_with_other_keys_apart():
    keys = ["a", None, "a", "b", None]
    assert grouped_batches(keys, [3, 5, 4, 2, 0], 8, 100) == [[2, 0], [1], [3]]  # empty input 4: no batch
    assert grouped_batches([None] * 3, [1, 2, 3], 2, 100) == [[2, 1], [0]]


def test_summariser_writes_arabic_and_its_inputs_own_pieces(with_store, tiny_models):
    """Like mT5's, most of the tiny summariser's vocabulary is other languages' pieces,
    and left free its random weights write them. Asked for Arabic, both engines write
    none but those the input itself has (Lavrov, BRICS)."""
    texts = [t for t in SENTENCES if t]
    for engine in engines(tiny_models, "summariser"):
        free = engine.generate(texts + [WITH_LATIN])
        assert all(OTHER_SCRIPTS.search(text) for text in free), engine.name
        arabic = engine.generate(texts + [WITH_LATIN], replace(engine.settings, arabic_output=True))
        assert not any(OTHER_SCRIPTS.search(text) for text in arabic[:-1]), engine.name
        assert set(OTHER_SCRIPTS.findall(arabic[-1])) <= set(OTHER_SCRIPTS.findall(WITH_LATIN)), engine.name


def test_abstractive_summary_is_arabic(with_store, tiny_models):
    from mujaz.models.seq2seq import Seq2SeqSummariser

    for engine in engines(tiny_models, "summariser"):
        summary = Seq2SeqSummariser(engine).summarise([t for t in SENTENCES if t], LengthBudget())
        assert ARABIC.search(summary.text) and not OTHER_SCRIPTS.search(summary.text), engine.name


def test_summaries_of_many_articles_at_once_are_budget_per_article_own(with_store, tiny_models, sample):
    """Batch mode summarises a chunk's articles together (summarise_many): the same
    summaries, notes included, as one article at a time — on both engines, for articles
    of one window and of several (the sample, at the tiny model's 64-token limit), with
    and without pieces of another script."""
    from mujaz.core.evaluate import article_sentences
    from mujaz.models.base import LENGTHS
    from mujaz.models.seq2seq import Seq2SeqSummariser

    articles = [(article_sentences(sample.read_text(encoding="utf-8")), None), (SENTENCES[:2], "عنوان"),
                ([WITH_LATIN], None), ([], None), (SENTENCES[2:], None)]
    for engine in engines(tiny_models, "summariser"):
        summariser = Seq2SeqSummariser(engine)
        together = summariser.summarise_many(articles, LENGTHS["short"])
        one_by_one = [summariser.summarise(sentences, LENGTHS["short"], title) for sentences, title in articles]
        assert together == one_by_one, engine.name
        # Only the sample is windowed (the random model never ends a summary: every one is cut at its cap).
        windowed = ["windows" in " ".join(s.notes) for s in together]
        assert windowed == [True, False, False, False, False] and together[3].text == "", engine.name
        assert len({s.text for s in together}) == len(articles), engine.name


def test_both_engines_say_whether_the_model_ended_an_output_or_the_cap_stopped_it(tiny_models, tmp_path, monkeypatch):
    """A summary the length cap stopped was returned as if the model had ended it, perhaps cut
    inside a word. A copy of the tiny translator made to favour its end token ends outputs itself."""
    import torch
    from transformers import MarianMTModel

    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path / "home"))
    folder = tmp_path / "ends"
    shutil.copytree(tiny_models / "translator", folder)
    model = MarianMTModel.from_pretrained(folder)
    with torch.no_grad():
        model.final_logits_bias[0, model.config.eos_token_id] = 50.0
    model.save_pretrained(folder)
    ref = hub.resolve(str(folder))
    ending = (hf.load(ref, device="cpu"), ct2.CTranslate2Engine(ct2.convert(ref, quantization="float32"), ref, device="cpu"))
    texts = [SENTENCES[0], "", SENTENCES[1]]
    for engine in ending:
        # Past its minimum length the model ends each output; held to a minimum as long as the cap, it cannot.
        ended = engine.generate_outputs(texts, replace(engine.settings, max_new_tokens=8, min_new_tokens=1))
        assert [o.ended for o in ended] == [True, True, True] and ended[0].text, engine.name
        stopped = engine.generate_outputs(texts, replace(engine.settings, max_new_tokens=3, min_new_tokens=3))
        assert [o.ended for o in stopped] == [False, True, False], engine.name


def test_translator_writes_only_its_target_tokenizers_pieces(with_store, tiny_models):
    """Like OPUS-MT, the tiny translator's vocab.json is the union of an Arabic source.spm
    and an English target.spm. Left free, its random weights write Arabic-only pieces
    (seen); both engines keep it to target.spm's pieces, CTranslate2 by a vocabulary
    map written at conversion."""
    folder = tiny_models / "translator"
    writable = target_pieces(folder)
    vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
    assert writable is not None and {"</s>", "<unk>"} <= set(writable) and "<pad>" not in writable
    assert 0 < len(writable) < len(vocab) - 1
    assert not any(ARABIC.search(piece) for piece in writable)
    converted = ct2.converted(hub.resolve(str(folder)))["int8"]
    assert (converted / "vmap.txt").read_text(encoding="utf-8") == "\t" + " ".join(writable) + "\n"
    assert json.loads((converted / "mujaz.json").read_text())["output_vocabulary"] == len(writable)
    for engine in engines(tiny_models, "translator"):
        assert not any(ARABIC.search(text) for text in engine.generate(SENTENCES)), engine.name


def test_narrowed_decoder_writes_what_the_whole_model_writes_without_the_cut_ids(tiny_models):
    """The transformers engine decodes in target.spm's ids alone (hf.narrow_decoder):
    exactly the whole model with every other id banned, beam 2 and greedy alike."""
    from transformers import AutoModelForSeq2SeqLM

    folder = tiny_models / "translator"
    engine = hf.load(hub.resolve(str(folder)), device="cpu")
    assert engine.vocabulary is not None
    assert engine.model.get_output_embeddings().out_features == len(target_pieces(folder))
    # and the config says so: beam search in transformers up to 5.17 read the scores' width there
    # (on the GPU machine's 5.17, every translation at beam 4 failed: "shape '[4, 634]' is invalid").
    assert engine.model.config.get_text_config().vocab_size == len(target_pieces(folder))
    whole = AutoModelForSeq2SeqLM.from_pretrained(folder).eval()
    vocab = engine.tokenizer.get_vocab()
    writable = {vocab[piece] for piece in target_pieces(folder)}
    banned = [[i] for i in range(whole.config.vocab_size) if i not in writable]
    texts = [t for t in SENTENCES if t]
    encoded = engine.tokenizer(texts, return_tensors="pt", padding=True)
    for beams in (2, 1):
        settings = replace(engine.settings, beam_size=beams)
        expected = whole.generate(**encoded, num_beams=beams, max_new_tokens=settings.max_new_tokens,
                                  min_new_tokens=settings.min_new_tokens, length_penalty=settings.length_penalty,
                                  no_repeat_ngram_size=settings.no_repeat_ngram_size, bad_words_ids=banned,
                                  renormalize_logits=True, forced_eos_token_id=None, max_length=None, min_length=None)
        assert engine.generate(texts, settings) == [
            t.strip() for t in engine.tokenizer.batch_decode(expected, skip_special_tokens=True)]


def test_summariser_conversion_writes_the_arabic_output_map(with_store, tiny_models):
    """One tokenizer for both sides (mT5): no target side to cut to, but a map of what
    an Arabic output may hold: one rule for every input, one rule per other piece."""
    folder = tiny_models / "summariser"
    assert target_pieces(folder) is None
    converted = ct2.converted(hub.resolve(str(folder)))["int8"]
    metadata = json.loads((converted / "mujaz.json").read_text())
    rules = (converted / "vmap.txt").read_text(encoding="utf-8").splitlines()
    always = rules[0].split("\t")[1].split(" ")
    assert rules[0].startswith("\t") and metadata["output_map"] == "arabic" and metadata["output_vocabulary"] == len(always)
    assert "\u2581الروسي" in always and not any(OTHER_SCRIPTS.search(piece) for piece in always)
    assert "L\tL" in rules[1:] and all(key == value for key, value in (rule.split("\t") for rule in rules[1:]))


def test_a_conversion_by_an_older_mujaz_is_made_again(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path))
    ref = hub.resolve(str(tiny_models / "summariser"))
    folder = ct2.convert(ref, quantization="float32")
    metadata = json.loads((folder / "mujaz.json").read_text())
    del metadata["format"]  # as written before the Arabic-output map
    (folder / "mujaz.json").write_text(json.dumps(metadata))
    assert ct2.converted(ref) == {} and ct2.find(ref) is None  # not used: `auto` falls back to transformers
    assert ct2.convert(ref, quantization="float32") == folder
    assert json.loads((folder / "mujaz.json").read_text())["format"] == ct2.FORMAT


def test_separate_target_vocabulary_restricts_nothing(tiny_models, tmp_path):
    """A Marian model with its own target_vocab.json already decodes in target ids:
    vocab.json is the source side's, so cutting by it would pick the wrong rows."""
    import shutil

    folder = tmp_path / "separate"
    shutil.copytree(tiny_models / "translator", folder)
    assert target_pieces(folder) is not None
    (folder / "target_vocab.json").write_bytes((folder / "vocab.json").read_bytes())
    assert target_pieces(folder) is None


def test_int8_output_is_aligned(with_store, tiny_models):
    _, fast_engine = engines(tiny_models, "translator", "int8")
    out = fast_engine.generate(SENTENCES)
    assert len(out) == len(SENTENCES) and out[3] == "" and all(out[i] for i in (0, 1, 2, 4))


@pytest.mark.parametrize("quantization, fallback", [("float16", "float32"), ("int16", "int8_float32")])
def test_a_conversion_the_cpu_lacks_runs_as_one_it_has_without_ctranslate2s_own_warning(tiny_models, tmp_path,
                                                                                      monkeypatch, capfd, quantization,
                                                                                      fallback):
    """CTranslate2 falls back from float16 (and from int16, on a CPU without it: a review's) by itself, but
    logged a timestamped warning of its own on every run; the weights mujaz reports say what runs."""
    import ctranslate2

    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path))
    ref = hub.resolve(str(tiny_models / "translator"))
    folder = ct2.convert(ref, quantization=quantization)
    capfd.readouterr()
    engine = ct2.CTranslate2Engine(folder, ref, device="cpu")
    assert engine.generate(SENTENCES[:1])[0]
    assert "[ctranslate2]" not in capfd.readouterr().err
    has_it = quantization in ctranslate2.get_supported_compute_types("cpu")
    assert engine.decoding()["weights"] == (quantization if has_it else f"{quantization}, run as {fallback}")
    assert ct2.compute_type("int8", "cpu") == "default"
    assert ct2.compute_type("int8_float16", "cpu") == "int8_float32"


def test_over_long_input_is_split_on_ctranslate2_too(with_store, tiny_models):
    from mujaz.models.seq2seq import Seq2SeqTranslator

    _, fast_engine = engines(tiny_models, "translator", "int8")
    sentence = "، ".join(SENTENCES[:3] * 3)
    assert fast_engine.count_tokens(sentence) > fast_engine.input_limit
    assert len(Seq2SeqTranslator(fast_engine).translate([sentence, SENTENCES[1]])) == 2


def test_auto_engine_prefers_a_conversion(with_store, tiny_models, monkeypatch):
    auto = ModelProvider(translator=str(tiny_models / "translator"))
    assert auto.translator().ref.engine == "ctranslate2"
    forced = ModelProvider(translator=str(tiny_models / "translator"), engine="transformers")
    assert forced.translator().ref.engine == "transformers"
    # A device CTranslate2 cannot use (an Apple GPU): auto takes transformers rather than fail.
    on_mps = ModelProvider(translator=str(tiny_models / "translator"), device="mps")
    assert on_mps.ref("translator").engine == "transformers"
    try:
        hf.pick_device("mps")
    except UsageProblem:  # this machine has none: refused before any cache lookup
        with pytest.raises(UsageProblem, match="--device mps"):
            on_mps.identity("translator")
    monkeypatch.setattr(hf, "pick_device", lambda name: name)  # as on a machine that has one
    assert on_mps.identity("translator")["engine"] == "transformers" and on_mps.identity("translator")["device"] == "mps"
    # The device that runs keys results, not the option's word: auto on this machine is the CPU.
    assert (ModelProvider(translator=str(tiny_models / "translator"), device="auto").identity("translator")
            == ModelProvider(translator=str(tiny_models / "translator"), device="cpu").identity("translator"))


@pytest.fixture
def a_gpu_without_its_cublas(monkeypatch):
    """As on a machine with NVIDIA's driver and a GPU, but not the cuBLAS this CTranslate2 was built on
    (CUDA 13, or the driver alone): CTranslate2 sees the GPU, loads a model on it, and failed on the first
    sentence ("Library libcublas.so.12 is not found or cannot be loaded", exit 1, nothing to do)."""
    import ctranslate2

    tried = []

    def nothing_loads(name):
        tried.append(name)
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(ct2, "_load_library", nothing_loads)
    monkeypatch.setattr(ct2, "_pip_cublas_folders", lambda: [])
    ct2._cublas_unloadable.cache_clear()
    yield tried
    ct2._cublas_unloadable.cache_clear()


def test_a_gpu_ctranslate2_cannot_compute_on_is_passed_over_or_refused(a_gpu_without_its_cublas, with_store, tiny_models):
    major = ct2._cuda_major()
    assert ct2.cuda_unusable() == f"libcublas.so.{major} cannot be loaded"
    assert a_gpu_without_its_cublas == [f"libcublas.so.{major}"]
    assert ct2.running_device("auto") == "cpu"
    with pytest.raises(UsageProblem, match="CTranslate2 sees a GPU but cannot compute on it") as refused:
        ct2.check_device("cuda")
    assert f"pip install nvidia-cublas-cu{major}" in refused.value.hint
    # auto runs on the CPU, and says why the GPU went unused
    provider = ModelProvider(translator=str(tiny_models / "translator"))
    translator = provider.translator()
    assert translator.ref.engine == "ctranslate2" and translator.engine.where == "cpu"
    assert len(translator.translate(SENTENCES)) == len(SENTENCES)
    assert [w for w in provider.warnings if "cannot compute on it" in w] == [
        f"CTranslate2 sees a GPU but cannot compute on it (libcublas.so.{major} cannot be loaded): the translator runs "
        f"on the CPU (install CUDA {major}'s cuBLAS (pip install nvidia-cublas-cu{major}, which mujaz finds), or use "
        "--engine transformers (torch's own CUDA) or --device cpu)"]
    assert provider.identity("translator")["device"] == "cpu"  # results keyed by where they were made


def test_pips_cublas_is_loaded_for_ctranslate2_to_find(monkeypatch, tmp_path):
    import ctranslate2

    folder = tmp_path / "nvidia" / "cublas" / "lib"
    folder.mkdir(parents=True)
    loaded = []

    def only_by_path(name):
        if "/" not in name:
            raise OSError(f"{name}: cannot open shared object file")
        loaded.append(name)

    monkeypatch.setattr(ctranslate2, "get_cuda_device_count", lambda: 1)
    monkeypatch.setattr(ct2, "_load_library", only_by_path)
    monkeypatch.setattr("sys.path", [str(tmp_path / "elsewhere"), str(tmp_path)])
    ct2._cublas_unloadable.cache_clear()
    try:
        assert ct2.cuda_unusable() is None and ct2.running_device("auto") == "cuda"
    finally:
        ct2._cublas_unloadable.cache_clear()
    major = ct2._cuda_major()
    assert loaded == [str(folder / f"libcublasLt.so.{major}"), str(folder / f"libcublas.so.{major}")]


def test_a_failure_on_the_gpu_is_said_with_what_to_do(tiny_models, with_store):
    """CUDA's RuntimeError under CTranslate2 (a library not found, the GPU's memory run out) was the
    last resort's 'RuntimeError: ...', exit 1, with nothing to do about it."""
    from mujaz.errors import ModelUnavailable

    _, engine = engines(tiny_models, "translator")

    class Failing:
        def __init__(self, message):
            self.message = message

        def translate_batch(self, batch, **options):
            return [self] * len(batch)

        def result(self):
            raise RuntimeError(self.message)

    engine.where = "cuda"  # as if it ran there
    for message, hint in (("Library libcublas.so.12 is not found or cannot be loaded", "nvidia-cublas-cu"),
                          ("CUDA failed with error out of memory", "use --device cpu, or --engine transformers")):
        engine.translator = Failing(message)
        with pytest.raises(ModelUnavailable) as failed:
            engine.generate_outputs(SENTENCES[:1])
        assert failed.value.message == f"model {engine.ref.id}: CTranslate2 failed on the GPU ({message})"
        assert hint in failed.value.hint
    engine.where = "cpu"  # on the CPU the same is a bug, raised as one
    with pytest.raises(RuntimeError):
        engine.generate_outputs(SENTENCES[:1])


def test_ctranslate2_without_a_conversion_is_exit_3(mujaz, tiny_models, sample):
    done = mujaz("translate", str(sample), "--translator", str(tiny_models / "translator"), "--engine", "ctranslate2")
    assert done.returncode == 3
    assert done.stderr.decode().endswith(f"(run `mujaz models convert {tiny_models / 'translator'}`)\n")
    # A hub model not downloaded, offline (as every test runs): convert downloads it first, so it needs the network
    # (the hint sent a user to convert, whose own error sent them to pull)
    hub_model = mujaz("translate", str(sample), "--engine", "ctranslate2")
    assert hub_model.returncode == 3 and hub_model.stderr.decode().endswith(
        "(run `mujaz models convert Helsinki-NLP/opus-mt-ar-en` with network access: it downloads the model first)\n")
    auto = mujaz("translate", str(sample), "--translator", str(tiny_models / "translator"), "-f", "json")
    assert json.loads(auto.stdout)["models"]["translator"]["engine"] == "transformers"


def test_quantize_is_for_transformers_only(tiny_models, sample, mujaz):
    with pytest.raises(UsageProblem):
        ModelProvider(engine="ctranslate2", quantize=True)
    done = mujaz("translate", str(sample), "--translator", str(tiny_models / "translator"), "--quantize", "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    assert len(json.loads(done.stdout)["segments"]) == 19


def test_quantize_says_when_it_passes_over_a_conversion(store, tiny_models, tmp_path, monkeypatch):
    """--quantize runs transformers even where --engine auto would run a conversion: said, not silent."""
    for home, has_conversion in ((store, True), (tmp_path, False)):
        monkeypatch.setenv("MUJAZ_HOME", str(home))
        provider = ModelProvider(translator=str(tiny_models / "translator"), quantize=True)
        assert provider.translator().ref.engine == "transformers"
        said = [warning for warning in provider.warnings if "passing over its CTranslate2 conversion" in warning]
        assert len(said) == has_conversion, provider.warnings
        assert not has_conversion or "leave out --quantize" in said[0]


def test_a_warned_run_is_cached_but_a_stand_in_is_not(store, mujaz, tiny_models, sample, tmp_path):
    """The warning that --quantize passes over a conversion kept batch from caching any result (a
    second run computed every one again); what must not be cached is the extractive summariser's
    result standing in for an abstractive model."""
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"id": "a", "path": str(sample)}) + "\n", encoding="utf-8")
    env = {"MUJAZ_HOME": str(store), "MUJAZ_CACHE": str(tmp_path / "cache.sqlite")}
    quantized = ["batch", str(items), "--task", "translate", "--translator", str(tiny_models / "translator"), "--quantize"]
    first, second = mujaz(*quantized, env=env), mujaz(*quantized, env=env)
    assert first.returncode == second.returncode == 0
    assert "passing over its CTranslate2 conversion" in first.stderr.decode()
    assert "cache served 1 of 1 results" in second.stderr.decode().splitlines()[-1]  # served: no model loaded
    stand_in = ["batch", str(items), "--task", "summarise"]  # the default summariser: not here, stood in for
    for _ in range(2):
        done = mujaz(*stand_in, env=env)
        assert done.returncode == 0 and "used the extractive summariser" in done.stderr.decode()
        assert "cache served 0 of 1 results" in done.stderr.decode().splitlines()[-1]


def test_ctranslate2_path_imports_neither_torch_nor_transformers(with_store, tiny_models, sample):
    code = (
        "import sys; from mujaz.errors import run_app; "
        "rc = run_app(['brief', %r, '--translator', %r, '--summariser', %r, '--method', 'abstractive', '-f', 'json']); "
        "print('HEAVY', [m for m in ('torch', 'transformers') if m in sys.modules], file=sys.stderr); sys.exit(rc)"
    ) % (str(sample), str(tiny_models / "translator"), str(tiny_models / "summariser"))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "HEAVY []" in done.stderr
    data = json.loads(done.stdout)
    assert data["models"]["translator"]["engine"] == "ctranslate2"
    assert data["models"]["summariser"]["engine"] == "ctranslate2"
    assert data["summary"]["en"] is not None


def test_models_list_shows_conversions(with_store, mujaz, tiny_models, monkeypatch):
    done = mujaz("models", "list", "-f", "json", env={"MUJAZ_TRANSLATOR": str(tiny_models / "translator")})
    rows = {row["id"]: row for row in json.loads(done.stdout)}
    assert rows[str(tiny_models / "translator")]["converted"] == ["int8", "float32"]


def test_convert_command_and_bad_quantization(mujaz, tiny_models, tmp_path):
    done = mujaz("models", "convert", str(tiny_models / "translator"), "--quantization", "int4",
                 env={"MUJAZ_HOME": str(tmp_path)})
    assert done.returncode == 2 and "int8" in done.stderr.decode()  # a bad value: usage
    done = mujaz("models", "convert", str(tiny_models / "translator"), env={"MUJAZ_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr.decode()
    assert (tmp_path / "ctranslate2").is_dir() and done.stdout.decode().strip().endswith("int8")
    assert "output layer cut to the target tokenizer's" in done.stderr.decode() and "already" not in done.stderr.decode()
    again = mujaz("models", "convert", str(tiny_models / "translator"), env={"MUJAZ_HOME": str(tmp_path)})
    assert again.returncode == 0 and again.stdout == done.stdout  # as it was, and said so
    assert again.stderr.decode().startswith("mujaz: already converted (--force converts again); output layer cut")
    done = mujaz("models", "convert", str(tiny_models / "summariser"), env={"MUJAZ_HOME": str(tmp_path)})
    assert done.returncode == 0, done.stderr.decode()
    assert re.search(r"Arabic summaries: output layer cut to [\d,]+ of [\d,]+ pieces", done.stderr.decode())


def test_results_name_the_commit_of_a_hub_branch_on_either_engine(mujaz, sample, tiny_models, tmp_path):
    """A hub id given without a revision is "main" until its copy is found: JSON names that copy's commit."""
    commit = "0123456789abcdef0123456789abcdef01234567"
    repo = tmp_path / "hub" / "models--someone--tiny-marian"
    shutil.copytree(tiny_models / "translator", repo / "snapshots" / commit)
    (repo / "refs").mkdir()
    (repo / "refs" / "main").write_text(commit)
    env = {"HF_HUB_CACHE": str(tmp_path / "hub"), "MUJAZ_HOME": str(tmp_path / "home"), "MUJAZ_CACHE": str(tmp_path / "c.db")}
    args = ("translate", str(sample), "--translator", "someone/tiny-marian", "-f", "json")
    assert json.loads(mujaz(*args, env=env).stdout)["models"]["translator"] == {
        "id": "someone/tiny-marian", "revision": commit, "engine": "transformers"}
    # models list and info name it so too (they said "main": no result could be matched to its row)
    listed = json.loads(mujaz("models", "list", "-f", "json", env={**env, "MUJAZ_TRANSLATOR": "someone/tiny-marian"}).stdout)
    assert [row["revision"] for row in listed if row["id"] == "someone/tiny-marian"] == [commit]
    assert json.loads(mujaz("models", "info", "someone/tiny-marian", "-f", "json", env=env).stdout)["revision"] == commit
    assert mujaz("models", "convert", "someone/tiny-marian", env=env).returncode == 0
    assert json.loads(mujaz(*args, env=env).stdout)["models"]["translator"] == {
        "id": "someone/tiny-marian", "revision": commit, "engine": "ctranslate2"}


@pytest.mark.parametrize("role", ["translator", "summariser"])
def test_engines_score_a_target_alike(with_store, tiny_models, role):
    """The two engines give the same log-probability to the same output.

    This is what catches a conversion that is subtly off — such as CTranslate2
    scaling mT5's decoder output, which transformers 5 does not do (see
    mujaz.models.ct2._converter_class) — where greedy output alone would not.
    """
    import torch
    from transformers import AutoModelForSeq2SeqLM

    torch_engine, fast_engine = engines(tiny_models, role)
    source = SENTENCES[0]
    target_text = torch_engine.generate([source])[0]
    tokenizer = torch_engine.tokenizer
    inputs = tokenizer([source], return_tensors="pt")
    labels = tokenizer(text_target=[target_text], return_tensors="pt")["input_ids"]
    # score_batch has no vocabulary map: both sides score over the whole
    # vocabulary, so the model as saved, not the engine's cut output layer.
    model = AutoModelForSeq2SeqLM.from_pretrained(tiny_models / role).eval()
    with torch.inference_mode():
        logits = model(**inputs, labels=labels).logits
    expected = torch.log_softmax(logits, -1).gather(-1, labels.unsqueeze(-1)).sum().item()
    target_tokens = tokenizer.convert_ids_to_tokens(labels[0].tolist())
    if target_tokens[-1] == tokenizer.eos_token:
        target_tokens = target_tokens[:-1]  # CTranslate2 adds the end token itself
    scored = fast_engine.translator.score_batch([fast_engine.tokens(source)], [target_tokens])[0]
    assert sum(scored.log_probs) == pytest.approx(expected, rel=1e-3, abs=1e-2)


def test_spread_gives_every_worker_a_batch():
    assert ct2.spread([[0, 1, 2]], 2) == [[0, 1], [2]]
    assert ct2.spread([[0, 1, 2, 3], [4]], 4) == [[0], [1], [2, 3], [4]]
    assert ct2.spread([[0], [1]], 4) == [[0], [1]]  # single sentences are not split
    assert ct2.spread([], 2) == []


def test_cpu_workers_follow_omp_num_threads(monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "3")  # as Ray sets it for an actor
    assert ct2.cpu_workers() == 3
    monkeypatch.delenv("OMP_NUM_THREADS")
    for usable, workers in ((1, 1), (2, 2), (8, ct2.MAX_CPU_WORKERS)):  # one per usable CPU, at most 4
        monkeypatch.setattr(ct2.os, "sched_getaffinity", lambda pid, usable=usable: set(range(usable)))
        assert ct2.cpu_workers() == workers


def test_workers_split_batches_and_put_every_output_back_in_place(with_store, tiny_models, monkeypatch):
    """One worker or three (the batch halved among them, decoded side by side): the same outputs, in order."""
    texts = SENTENCES * 3
    outputs = []
    for workers in ("1", "3"):
        monkeypatch.setenv("OMP_NUM_THREADS", workers)
        _, engine = engines(tiny_models, "translator", "int8")
        assert engine.workers == int(workers)
        outputs.append(engine.generate(texts))
    assert outputs[0] == outputs[1]
    assert [bool(out) for out in outputs[1]] == [bool(text) for text in texts]
    assert len(set(outputs[1][:4])) == 4  # different inputs, different outputs: nothing shuffled into sameness


def test_a_damaged_conversion_is_exit_3_with_the_arabic_kept(mujaz, sample, tiny_models, tmp_path):
    env = {"MUJAZ_HOME": str(tmp_path)}
    assert mujaz("models", "convert", str(tiny_models / "translator"), env=env).returncode == 0
    weights = next(tmp_path.glob("ctranslate2/*/*/int8/model.bin"))
    weights.write_bytes(weights.read_bytes()[:1000])  # cut short, as a full disk or a killed copy leaves it
    done = mujaz("brief", str(sample), "--method", "extractive", "--translator", str(tiny_models / "translator"),
                 "-f", "json", env=env)
    assert done.returncode == 3, done.stderr.decode()
    assert json.loads(done.stdout)["summary"]["ar"]  # the Arabic part is good output
    stderr = done.stderr.decode()
    assert "cannot be loaded" in stderr and "--force" in stderr and "Traceback" not in stderr


def test_a_damaged_vocabulary_map_is_refused_not_used(mujaz, sample, tiny_models, tmp_path):
    env = {"MUJAZ_HOME": str(tmp_path), "MUJAZ_CACHE": str(tmp_path / "cache.sqlite")}
    assert mujaz("models", "convert", str(tiny_models / "translator"), env=env).returncode == 0
    vocabulary_map = next(tmp_path.glob("ctranslate2/*/*/int8/vmap.txt"))
    vocabulary_map.write_text(vocabulary_map.read_text(encoding="utf-8")[:40], encoding="utf-8")  # cut short
    done = mujaz("translate", str(sample), "--translator", str(tiny_models / "translator"), "-f", "json", env=env)
    assert done.returncode == 3 and "vmap.txt is missing or damaged" in done.stderr.decode()  # was exit 0, nonsense


def test_stored_settings_of_another_version_are_read():
    from mujaz.models.ct2 import _stored_settings

    before = {"input_limit": 16, "settings": {"beam_size": 2, "max_new_tokens": 511, "min_new_tokens": 0,
                                              "no_repeat_ngram_size": 0, "length_penalty": 1.0,
                                              "suppress_token_ids": [3], "arabic_output": False}}
    old = _stored_settings(before)  # made before max_positions was stored: its input limit stands in
    assert old.max_positions == 16 and old.max_new_tokens == 16 and old.suppress_token_ids == (3,)
    later = {**before, "settings": {**before["settings"], "max_positions": 512, "a_later_key": 1}}
    assert _stored_settings(later).max_positions == 512  # a key a later version writes is left aside
    mt5 = _stored_settings({**before, "model_type": "mt5"})  # no position table: no cap made up for it
    assert mt5.max_positions is None and mt5.max_new_tokens == 511


def test_the_cache_identity_names_the_conversion_that_runs(with_store, tiny_models):
    provider = ModelProvider(translator=str(tiny_models / "translator"))
    assert provider.identity("translator")["conversion"] == "int8"  # preferred
    assert ModelProvider(translator=str(tiny_models / "translator"), engine="transformers").identity(
        "translator")["conversion"] is None


def test_window_summaries_are_combined_within_the_budget(tiny_models, sample):
    # The tiny summariser's input limit is a few dozen tokens: the sample makes many windows,
    # and a budget near that limit once kept every window summary as long as a window.
    from mujaz.core.evaluate import article_sentences
    from mujaz.models.seq2seq import TOKENS_PER_WORD, Seq2SeqSummariser

    summariser = Seq2SeqSummariser(hf.load(hub.resolve(str(tiny_models / "summariser")), device="cpu"))
    sentences = article_sentences(sample.read_text(encoding="utf-8"))
    assert len(summariser.windows(sentences)) > 8
    for words in (20, 60):
        summary = summariser.summarise(sentences, LengthBudget(words=words))
        # Generated tokens <= the budget's; the decoded text, tokenised again, may take a few more.
        assert summariser.engine.count_tokens(summary.text) <= 1.5 * round(words * TOKENS_PER_WORD), words


def test_special_tokens_written_in_an_article_are_no_tokens_to_the_models(with_store, tiny_models):
    """A page's markup left in the text: a "</s>" was read as the end of the input (the rest of the sentence
    never translated), and "<pad>" as padding by transformers' tokenizer but as letters by CTranslate2's."""
    from mujaz.models.seq2seq import Seq2SeqSummariser, Seq2SeqTranslator

    marked = "قال الوزير <pad> إن العلاقات </s> جيدة <unk> جدا"
    plain = "قال الوزير إن العلاقات جيدة جدا"
    for role in ("translator", "summariser"):
        for engine in engines(tiny_models, role):
            assert engine.special_tokens == {"</s>", "<pad>", "<unk>"}, (role, engine.name)
            assert engine.fit(marked) == [marked.replace("<pad>", " ").replace("</s>", " ").replace("<unk>", " ")]
            if role == "translator":
                assert Seq2SeqTranslator(engine).translate([marked]) == Seq2SeqTranslator(engine).translate([plain])
            else:
                summarise = Seq2SeqSummariser(engine).summarise
                assert summarise([marked], LengthBudget(words=10)).text == summarise([plain], LengthBudget(words=10)).text


def test_translator_parity_on_every_segment_of_the_sample(with_store, tiny_models, sample):
    """Greedy and at the model's own beam 2. (At beam 2 one segment came out longer on transformers,
    which ran its beam search on past the best beam's end unless told to stop early.)"""
    from mujaz.core.segment import segment_article
    from mujaz.core.source import load_article
    from mujaz.models.seq2seq import Seq2SeqTranslator

    torch_engine, fast_engine = engines(tiny_models, "translator")
    segments = [s.text for s in segment_article(load_article(str(sample)).text)]
    pieces = [piece for segment in segments for piece in torch_engine.fit(segment)]
    assert len(pieces) >= 19
    for settings in (torch_engine.settings, replace(torch_engine.settings, beam_size=1)):
        assert fast_engine.generate(pieces, settings) == torch_engine.generate(pieces, settings)
    assert Seq2SeqTranslator(fast_engine).translate(segments)  # aligned: one output a segment


def test_what_keys_a_model_follows_what_decides_its_output(tiny_models, tmp_path, monkeypatch):
    import shutil


    # A local folder: its tokenizer files too (model_max_length sets the input limit, so the windows).
    folder = tmp_path / "summariser"
    shutil.copytree(tiny_models / "summariser", folder)
    local = hub.resolve(str(folder))
    before = ct2.key(local)
    config = folder / "tokenizer_config.json"
    config.write_text(config.read_text(encoding="utf-8").replace('"model_max_length": 64', '"model_max_length": 32'),
                      encoding="utf-8")
    assert '"model_max_length": 32' in config.read_text(encoding="utf-8") and ct2.key(local) != before
    # A hub model on a branch: the commit of the snapshot in the cache, which moves with the branch.
    commit = "a" * 40
    monkeypatch.setattr(hub, "cached_path", lambda ref: f"/cache/models--org--x/snapshots/{commit}")
    assert hub.pinned_revision(ModelRef(id="org/x", revision="main")) == commit
    assert ct2.key(ModelRef(id="org/x", revision="main")) == Path("org--x") / commit
    pinned = "b" * 40
    assert hub.pinned_revision(ModelRef(id="org/x", revision=pinned)) == pinned  # a commit is its own


def test_a_branchs_conversion_outlives_its_copy_in_the_hubs_cache(store, tiny_models, tmp_path, monkeypatch):
    """A hub model on a branch, converted, then its copy cleared from the hub's cache: its conversion was
    looked for under "main" and not found ("convert it again", which downloads it again: a review)."""
    monkeypatch.setenv("MUJAZ_HOME", str(store))
    conversions = ct2.converted(hub.resolve(str(tiny_models / "translator")))["float32"].parent
    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path))
    commit = "c" * 40
    shutil.copytree(conversions, ct2.store() / "org--x" / commit)  # as `models convert org/x` left it
    monkeypatch.setattr(hub, "cached_path", lambda ref: None)  # the hub's copy gone
    branch = ModelRef(id="org/x", revision="main")
    assert ct2.key(branch) == Path("org--x") / commit and ct2.find(branch).parent == ct2.store() / "org--x" / commit
    provider = ModelProvider(translator="org/x")
    assert provider.ref("translator").revision == commit and provider.identity("translator")["revision"] == commit
    assert provider.translator().engine.name == "ctranslate2"


def test_models_convert_refuses_damaged_or_incomplete_weights_as_loading_does(mujaz, tiny_models, tmp_path):
    """The converter loads the weights itself: it was exit 1 on a cut file, and made random tensors of missing ones."""
    from safetensors.torch import load_file, save_file

    def truncated(folder):
        weights = folder / "model.safetensors"
        weights.write_bytes(weights.read_bytes()[:20_000])

    def tensors_missing(folder):
        weights = load_file(folder / "model.safetensors")
        save_file({k: v for k, v in weights.items() if ".layers.0.self_attn." not in k},
                  folder / "model.safetensors", metadata={"format": "pt"})

    for damage, said in [(truncated, "cannot load its weights"), (tensors_missing, "lack 16 of the model's tensors")]:
        folder = tmp_path / damage.__name__
        shutil.copytree(tiny_models / "translator", folder)
        damage(folder)
        done = mujaz("models", "convert", str(folder), env={"MUJAZ_HOME": str(tmp_path / "home")})
        stderr = done.stderr.decode()
        assert done.returncode == 3 and said in stderr and "download it again" in stderr, stderr
        assert "Traceback" not in stderr and not list((tmp_path / "home").glob("ctranslate2/*/*/*/model.bin"))


def test_a_store_that_cannot_be_written_is_one_line_not_a_bug(tiny_models, tmp_path, monkeypatch):
    """A MUJAZ_HOME that is a file (or read-only) was an OSError, reported as a bug ("rerun with --debug")."""
    from mujaz.errors import OutputFailed

    home = tmp_path / "home"
    home.write_text("not a folder")
    monkeypatch.setenv("MUJAZ_HOME", str(home))
    with pytest.raises(OutputFailed, match=f"^cannot write a conversion into {home / 'ctranslate2'}: Not a directory$"):
        ct2.convert(hub.resolve(str(tiny_models / "translator")), quantization="int8")
    # A disk that fills while the converter writes: the store's failure, not the model's (exit 3, "cannot convert it")
    import errno

    from ctranslate2.converters import TransformersConverter

    def no_space(self, output_dir, **options):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path / "store"))
    monkeypatch.setattr(TransformersConverter, "convert", no_space)
    with pytest.raises(OutputFailed, match="No space left on device"):
        ct2.convert(hub.resolve(str(tiny_models / "translator")), quantization="int8")


def test_a_model_in_the_wrong_role_is_refused_or_said_when_converted_too(mujaz, sample, tiny_models, store, tmp_path):
    """With a conversion, --engine auto runs it: a Marian translator given as the summariser wrote its
    "translation" as the Arabic summary, exit 0 (refused on the transformers engine), and an mT5 given
    as the translator lost its warning."""
    marian, mt5 = str(tiny_models / "translator"), str(tiny_models / "summariser")
    env = {"MUJAZ_HOME": str(store)}
    done = mujaz("summarise", str(sample), "--summariser", marian, "-f", "json", env=env)
    assert done.returncode == 3 and done.stdout == b""
    assert "is a Marian translation model, not a summariser" in done.stderr.decode()
    done = mujaz("brief", str(sample), "--method", "extractive", "--translator", mt5, "-f", "json", env=env)
    assert done.returncode == 0 and json.loads(done.stdout)["models"]["translator"]["engine"] == "ctranslate2"
    assert any("is an mt5 model that names no languages" in w for w in json.loads(done.stdout)["warnings"])
    listed = json.loads(mujaz("models", "list", "-f", "json", env={**env, "MUJAZ_SUMMARISER": marian}).stdout)
    row = [r for r in listed if r["id"] == marian][0]
    assert "not a summariser" in row["problem"] and row["converted"] == ["int8", "float32"] and row["cached"]
    # A conversion made before mujaz recorded the model's architecture: the model's own config says
    older = tmp_path / "home"
    shutil.copytree(store, older)
    for metadata in older.rglob(ct2.METADATA):
        facts = json.loads(metadata.read_text(encoding="utf-8"))
        del facts["model_type"]
        metadata.write_text(json.dumps(facts), encoding="utf-8")
    done = mujaz("summarise", str(sample), "--summariser", marian, "-f", "json", env={"MUJAZ_HOME": str(older)})
    assert done.returncode == 3 and "is a Marian translation model, not a summariser" in done.stderr.decode()
    # and without the model's own copy (a hub cache cleared since): its output map says Marian
    for metadata in older.rglob(ct2.METADATA):
        assert ct2.model_type(metadata.parent, ModelRef(id="someone/gone", revision="0" * 40)) == (
            "marian" if json.loads(metadata.read_text(encoding="utf-8"))["output_map"] == "target" else None)


def test_a_quantization_is_a_choice_in_any_case_said_before_any_download(mujaz):
    """`--quantization INT8` was refused (every other choice takes any case), and a slip was met only after
    the model was had: `mujaz models convert someone/x --quantization int9` said the model was not cached."""
    assert ct2.quantization_named("INT8") == "int8" and ct2.quantization_named("Int8_Float16") == "int8_float16"
    done = mujaz("models", "convert", "someone/x", "--quantization", "int9")
    assert done.returncode == 2 and done.stderr.decode().startswith("mujaz: error: --quantization int9: choose one of int8")
