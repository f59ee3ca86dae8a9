"""Full-size random-weight models for the speed benchmark (bench/speed.py).

What it builds, under build/bench/ (each step is skipped when its result is there):
  models/translator  the Helsinki-NLP/opus-mt-ar-en architecture: MarianMT,
                     6+6 layers, d_model 512, 62834-token vocabulary (~77M parameters)
  models/summariser  the csebuetnlp/mT5_multilingual_XLSum architecture: mT5-base,
                     12+12 layers, d_model 768, 250112-token vocabulary (~580M
                     parameters, ~2.3 GB in float32)
  home/ctranslate2/  both converted to CTranslate2 int8 by mujaz.models.ct2.convert
                     (set MUJAZ_HOME=build/bench/home to use them from the CLI)

The weights are random (speed does not depend on their values), but every
shape, vocabulary size and generation setting is the real checkpoint's, and the
tokenizers are real SentencePiece unigram models trained on real Arabic news
(../shared/eval: AraGen documents and the UN v1 test set; samples/ if absent),
so a sentence tokenises to a realistic number of tokens. As in the real
opus-mt-ar-en, the translator's target.spm is a separate English model (trained
on NTREX-128's and UN v1's English, grown to 32000 pieces) and vocab.json is the
union of both sides, so the target side is about half the vocabulary. No data is
copied into the repository: only the trained tokenizers land in build/.

Rerun (from the repository root; ~5-10 minutes on 2 cores, ~3.5 GB of disk):
    .venv/bin/python bench/fullsize.py [--force]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD = REPO / "build" / "bench"
MODELS = BUILD / "models"
HOME = BUILD / "home"  # MUJAZ_HOME for the benchmark: its CTranslate2 store lives here
TRANSLATOR = MODELS / "translator"
SUMMARISER = MODELS / "summariser"
EVAL = REPO.parent / "shared" / "eval"
SAMPLES = REPO / "samples"

SPM_VOCAB = 16000  # pieces learned from the Arabic text; the rest of each vocabulary is filler
MARIAN_VOCAB = 62834  # opus-mt-ar-en: <pad> is id 62833, the last
# OPUS-MT models of its generation pair two 32k SentencePiece models (source.spm,
# target.spm); vocab.json is their union. The engines restrict the output to
# target.spm's pieces (mujaz.models.seq2seq.target_pieces), so its size is what
# the output layer costs.
MARIAN_TARGET_PIECES = 32000
# English for target.spm when ../shared/eval is absent.
FALLBACK_ENGLISH = [
    "Russia's foreign minister stressed the importance of cooperation with China.",
    "The two ministers spoke during talks in Moscow on Monday.",
    "Our joint work is not directed against anyone, the minister said.",
]
MT5_VOCAB = 250112  # mT5: 250100 SentencePiece pieces + 12 unused rows
MT5_PIECES = 250100
INPUT_LIMIT = 512  # both real tokenizers' model_max_length
# Each built model folder records the recipe it was built by; bump a number when
# its builder changes, and the next run builds that model again.
RECIPES = {"translator": "2: separate English target.spm of 32000 pieces", "summariser": "1"}
RECIPE_FILE = ".recipe"


def built(folder: Path, recipe: str) -> bool:
    stamp = folder / RECIPE_FILE
    return (folder / "config.json").is_file() and stamp.is_file() and stamp.read_text() == recipe


# -- training text -------------------------------------------------------------
def training_lines() -> tuple[list[str], str]:
    """Arabic sentences to train the tokenizers on, and where they came from."""
    from mujaz.core.segment import split_sentences

    lines: list[str] = []
    sources: list[str] = []
    argen = EVAL / "argen" / "train.tsv"
    if argen.is_file():
        # AraGen documents are whole articles on one line, longer than csv's default field limit.
        csv.field_size_limit(sys.maxsize)
        with argen.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                lines.extend(split_sentences(row["document"]))
        sources.append("shared/eval/argen/train.tsv (document)")
    un = EVAL / "un_v1" / "UNv1.0.testset.ar"
    if un.is_file():
        lines.extend(un.read_text(encoding="utf-8").splitlines())
        sources.append("shared/eval/un_v1/UNv1.0.testset.ar")
    if not lines:
        for path in sorted(SAMPLES.glob("*.txt")):
            lines.extend(path.read_text(encoding="utf-8").splitlines())
        sources.append("samples/*.txt (../shared/eval not found)")
    return [line.strip() for line in lines if line.strip()], ", ".join(sources)


def english_lines() -> tuple[list[str], str]:
    """English sentences to train the translator's target.spm on, and where they came from."""
    lines: list[str] = []
    sources: list[str] = []
    for path in (EVAL / "ntrex128" / "newstest2019-src.eng.txt", EVAL / "un_v1" / "UNv1.0.testset.en"):
        if path.is_file():
            lines.extend(path.read_text(encoding="utf-8").splitlines())
            sources.append(str(path.relative_to(EVAL.parent.parent)))
    if not lines:
        lines, sources = FALLBACK_ENGLISH, ["a few built-in sentences (../shared/eval not found)"]
    return [line.strip() for line in lines if line.strip()], ", ".join(sources)


def train_spm(prefix: Path, lines: list[str], *, marian: bool) -> Path:
    import sentencepiece as spm

    # Special ids as in the real checkpoints: OPUS-MT </s>=0 <unk>=1 (its <pad> lives
    # only in vocab.json); mT5 <pad>=0 </s>=1 <unk>=2.
    ids = dict(unk_id=1, eos_id=0, bos_id=-1, pad_id=-1) if marian else dict(pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=SPM_VOCAB,
        hard_vocab_limit=False,  # a little English text cannot fill 16000 pieces; filler does the rest
        model_type="unigram",
        character_coverage=1.0,
        num_threads=os.cpu_count() or 1,
        minloglevel=2,
        **ids,
    )
    return prefix.with_suffix(".model")


ARABIC_LETTERS = [chr(c) for c in range(0x0628, 0x063B)] + [chr(c) for c in range(0x0641, 0x064B)]
LATIN_LETTERS = [chr(c) for c in range(ord("a"), ord("z") + 1)]


def filler_words(count: int, taken: set[str], seed: int = 0, letters: list[str] = ARABIC_LETTERS) -> list[str]:
    """`count` distinct made-up words ("▁" + 4-6 `letters`) not in `taken`.

    Random weights pick output ids all over the vocabulary, so the filler ids
    must decode to text both engines treat alike (and the translator then reads).
    """
    rng = random.Random(seed)
    words: list[str] = []
    seen = set(taken)
    while len(words) < count:
        word = "\u2581" + "".join(rng.choice(letters) for _ in range(rng.randint(4, 6)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


# -- the models ----------------------------------------------------------------
def grow_spm(model_file: Path, pieces: int, letters: list[str]) -> bytes:
    """The SentencePiece model grown to `pieces` pieces with made-up words: they score
    far below every learned piece, so they never win when encoding, yet the
    tokenizer has the real size and every id decodes to a word."""
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model_file.read_bytes())
    lowest = min(piece.score for piece in proto.pieces)
    for word in filler_words(pieces - len(proto.pieces), {piece.piece for piece in proto.pieces}, letters=letters):
        proto.pieces.add(piece=word, score=lowest - 100.0, type=sentencepiece_model_pb2.ModelProto.SentencePiece.NORMAL)
    return proto.SerializeToString()


def build_translator(out: Path, work: Path, lines: list[str]) -> None:
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(train_spm(work / "source", lines, marian=True), out / "source.spm")
    english, where = english_lines()
    print(f"target.spm training text: {len(english)} sentences from {where}")
    target_file = train_spm(work / "target", english, marian=True)
    (out / "target.spm").write_bytes(grow_spm(target_file, MARIAN_TARGET_PIECES, LATIN_LETTERS))
    # vocab.json: </s> 0, <unk> 1, then the target pieces, then the source pieces
    # target.spm lacks, then made-up source-only words up to the real size, <pad> last.
    vocab: dict[str, int] = {}
    for name in ("target.spm", "source.spm"):
        processor = spm.SentencePieceProcessor(model_file=str(out / name))
        for index in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(index), len(vocab))
    pad = MARIAN_VOCAB - 1
    for word in filler_words(pad - len(vocab), set(vocab), seed=1):
        vocab[word] = len(vocab)
    vocab["<pad>"] = pad  # last, as in every real OPUS-MT checkpoint (CTranslate2's converter relies on it)
    assert len(vocab) == MARIAN_VOCAB and list(vocab)[:2] == ["</s>", "<unk>"]
    # Written by hand: transformers 5 would add added_tokens_decoder to
    # tokenizer_config.json, which overrides vocab.json.
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": "ar", "target_lang": "en", "model_max_length": INPUT_LIMIT,
                    "tokenizer_class": "MarianTokenizer", "separate_vocabs": False}),
        encoding="utf-8",
    )
    config = MarianConfig(
        vocab_size=MARIAN_VOCAB, d_model=512, encoder_layers=6, decoder_layers=6, encoder_attention_heads=8,
        decoder_attention_heads=8, encoder_ffn_dim=2048, decoder_ffn_dim=2048, max_position_embeddings=512,
        scale_embedding=True, activation_function="swish",  # as opus-mt-ar-en's config.json
        pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
    )
    torch.manual_seed(0)
    with torch.no_grad():  # no autograd bookkeeping while the weights are initialised
        model = MarianMTModel(config)
    # As opus-mt-ar-en's generation_config.json.
    model.generation_config = GenerationConfig(
        num_beams=4, max_length=512, bad_words_ids=[[pad]], pad_token_id=pad, decoder_start_token_id=pad,
        bos_token_id=0, eos_token_id=0, forced_eos_token_id=0, renormalize_logits=True,
    )
    model.save_pretrained(out)  # model.safetensors


def build_summariser(out: Path, work: Path, lines: list[str]) -> None:
    import sentencepiece as spm
    import torch
    from transformers import MT5Config, MT5ForConditionalGeneration

    model_file = train_spm(work / "mt5", lines, marian=False)
    # Grown to mT5's 250100 pieces: the real size is what transformers converts at load time.
    out.mkdir(parents=True, exist_ok=True)
    (out / "spiece.model").write_bytes(grow_spm(model_file, MT5_PIECES, ARABIC_LETTERS))
    assert spm.SentencePieceProcessor(model_file=str(out / "spiece.model")).get_piece_size() == MT5_PIECES
    (out / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "T5Tokenizer", "extra_ids": 0, "model_max_length": INPUT_LIMIT,
                    "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}),
        encoding="utf-8",
    )
    config = MT5Config(
        vocab_size=MT5_VOCAB, d_model=768, d_kv=64, d_ff=2048, num_layers=12, num_decoder_layers=12, num_heads=12,
        feed_forward_proj="gated-gelu", tie_word_embeddings=False, relative_attention_num_buckets=32,
        decoder_start_token_id=0, pad_token_id=0, eos_token_id=1,
    )
    torch.manual_seed(0)
    with torch.no_grad():  # ~2.3 GB of float32 weights; no autograd state on top
        model = MT5ForConditionalGeneration(config)
        # transformers 5 forces tie_word_embeddings=True on every MT5Config, but the
        # real checkpoint has its own lm_head (another 250112 x 768 matrix): untie
        # it, or the model would be 0.8 GB smaller than the real one. On loading,
        # transformers sees two different matrices and keeps them apart.
        model.lm_head.weight = torch.nn.Parameter(torch.randn_like(model.shared.weight))
        model.all_tied_weights_keys.pop("lm_head.weight", None)
    model.save_pretrained(out)  # model.safetensors
    del model
    # As csebuetnlp/mT5_multilingual_XLSum: generation settings in config.json and
    # no generation_config.json; min_length 84 (not in the real one) fixes the
    # summary's length, so that both engines generate the same number of tokens.
    (out / "generation_config.json").unlink(missing_ok=True)
    saved = json.loads((out / "config.json").read_text(encoding="utf-8"))
    saved.update(tie_word_embeddings=False, num_beams=4, max_length=84, min_length=84, no_repeat_ngram_size=2,
                 length_penalty=0.6)
    (out / "config.json").write_text(json.dumps(saved, indent=2), encoding="utf-8")


def build(force: bool = False) -> None:
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    lines: list[str] | None = None
    for final, builder in ((TRANSLATOR, build_translator), (SUMMARISER, build_summariser)):
        if built(final, RECIPES[final.name]) and not force:
            print(f"{final.relative_to(REPO)}: already built")
            continue
        if lines is None:
            lines, where = training_lines()
            print(f"tokenizer training text: {len(lines)} sentences from {where}")
        started = time.perf_counter()
        MODELS.mkdir(parents=True, exist_ok=True)
        # Staged next to the target (same file system): a rename, never a 2 GB copy.
        with tempfile.TemporaryDirectory(dir=MODELS) as work:
            staging = Path(work) / "model"
            builder(staging, Path(work), lines)
            (staging / RECIPE_FILE).write_text(RECIPES[final.name])
            shutil.rmtree(final, ignore_errors=True)
            staging.rename(final)  # whole or not at all
        print(f"{final.relative_to(REPO)}: built in {time.perf_counter() - started:.0f} s")


def convert(force: bool = False) -> dict[str, Path]:
    # ct2.store() reads MUJAZ_HOME at call time; the conversion lands in the bench's own home.
    os.environ["MUJAZ_HOME"] = str(HOME)
    from mujaz.models import ct2, hub

    folders = {}
    for folder in (TRANSLATOR, SUMMARISER):
        started = time.perf_counter()
        ref = hub.resolve(str(folder))
        done = ct2.converted(ref).get("int8")
        if done and not force:
            folders[folder.name], state = done, "already converted"
        else:
            # A rebuilt model has a new fingerprint: drop conversions of earlier builds.
            shutil.rmtree(ct2.store() / ct2.key(ref).parent, ignore_errors=True)
            folders[folder.name] = ct2.convert(ref, quantization="int8", force=True)
            state = f"converted in {time.perf_counter() - started:.0f} s"
        print(f"{folder.relative_to(REPO)} -> {folders[folder.name].relative_to(REPO)} (int8): {state}")
    return folders


def fixed_length_translator(name: str, *, beams: int, tokens: int = 40) -> Path:
    """A copy of the full-size translator (weights linked, not copied) whose generation
    settings fix every output at `tokens` new tokens, converted for CTranslate2 too.

    Random weights almost never produce the end token, so with the real settings every
    output would run to 512 tokens; fixed lengths make runs on either engine do the same work.
    """
    import subprocess

    folder = MODELS / name
    recipe = f"{RECIPES['translator']}; {beams} beams, {tokens} tokens"
    if not built(folder, recipe):  # new, or a copy of an earlier translator
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        for item in TRANSLATOR.iterdir():
            if item.name.endswith((".safetensors", ".bin")):
                (folder / item.name).symlink_to(item.resolve())
            elif item.is_file():
                shutil.copy(item, folder / item.name)
        generation = json.loads((folder / "generation_config.json").read_text())
        generation.update(num_beams=beams, max_length=tokens + 1, min_length=tokens + 1)  # both count the start token
        (folder / "generation_config.json").write_text(json.dumps(generation, indent=2))
        (folder / RECIPE_FILE).write_text(recipe)
    # Always: a no-op when the store already holds this conversion.
    env = {**os.environ, "MUJAZ_HOME": str(HOME)}
    subprocess.run([sys.executable, "-m", "mujaz", "models", "convert", str(folder), "-q"], check=True, env=env,
                   cwd=REPO, stdout=subprocess.DEVNULL)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--force", action="store_true", help="rebuild and reconvert even if already there")
    args = parser.parse_args(argv)
    build(force=args.force)
    convert(force=args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
