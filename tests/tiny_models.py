"""Build tiny random-weight models for the tests: `python tests/tiny_models.py DIR`.

They have the real architectures (MarianMT for the translator, mT5 for the
summariser) and real SentencePiece tokenizers trained on samples/, laid out as
the hub checkpoints are, so mujaz loads them through its production code path.
Their output is noise; tests assert behaviour, never quality.

Facts these follow: real OPUS-MT checkpoints put <pad> at the last vocabulary
id, with pad_token_id = decoder_start_token_id = that id (CTranslate2's Marian
converter relies on it). The real mT5 XL-Sum checkpoint ships spiece.model and
keeps its generation settings in config.json, with no generation_config.json.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
# Small on purpose: an article from samples/ is longer than this, so the tests
# exercise window packing and the splitting of over-long sentences.
INPUT_LIMIT = 64
RECIPE = ".recipe"  # the hash of this file that built a model


# English for the translator's target.spm. As in real OPUS-MT models, the source
# and target SentencePiece models differ and vocab.json is their union, so part of
# the vocabulary is source-only (mujaz.models.seq2seq.target_pieces).
ENGLISH = """\
Russia's foreign minister stressed the importance of Chinese-Russian cooperation.
The two ministers spoke during talks in Moscow on Monday.
Putin attended the first two Belt and Road forums in China in 2017 and 2019.
Our joint work is not directed against anyone, the minister said.
Russia and China work for a multipolar world and for justice in international affairs.
The talks covered the war in Ukraine, the Middle East and trade between the two countries.
Wang Yi said that relations between Beijing and Moscow had never been stronger.
The visit comes weeks before a summit of the BRICS group of countries.
Officials did not say when the two presidents would meet again.
"We will continue to coordinate our positions," Lavrov told reporters after the meeting.
"""


def _sample_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(SAMPLES.glob("*.txt")):
        lines.extend(line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return lines


def _train_spm(prefix: Path, lines: list[str], *, marian: bool, size: int = 400) -> Path:
    import sentencepiece as spm

    ids = dict(unk_id=1, eos_id=0, bos_id=-1, pad_id=-1) if marian else dict(pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_prefix=str(prefix),
        vocab_size=size,
        hard_vocab_limit=False,
        model_type="unigram",
        character_coverage=1.0,
        minloglevel=2,
        **ids,
    )
    return prefix.with_suffix(".model")


OTHER_SCRIPTS_WORDS = 300


def _made_up_words(count: int) -> list[str]:
    import random

    rng = random.Random(0)
    letters = [chr(c) for c in range(ord("a"), ord("z") + 1)] + [chr(c) for c in range(0x0430, 0x0450)]
    words: list[str] = []
    while len(words) < count:
        word = "\u2581" + "".join(rng.choice(letters) for _ in range(rng.randint(3, 6)))
        if word not in words:
            words.append(word)
    return words


def _with_words(model_file: Path, words: list[str]) -> bytes:
    """The SentencePiece model with `words` added below every learned piece: they
    never win when encoding, but they are in the vocabulary."""
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model_file.read_bytes())
    known = {piece.piece for piece in proto.pieces}
    lowest = min(piece.score for piece in proto.pieces)
    for word in words:
        if word not in known:
            proto.pieces.add(piece=word, score=lowest - 100.0, type=sentencepiece_model_pb2.ModelProto.SentencePiece.NORMAL)
    return proto.SerializeToString()


def build_translator(out: Path, work: Path) -> None:
    import sentencepiece as spm
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel

    source_file = _train_spm(work / "source", _sample_lines(), marian=True)
    target_file = _train_spm(work / "target", ENGLISH.splitlines(), marian=True, size=200)
    vocab = {"</s>": 0, "<unk>": 1}
    for model_file in (source_file, target_file):
        processor = spm.SentencePieceProcessor(model_file=str(model_file))
        for index in range(processor.get_piece_size()):
            vocab.setdefault(processor.id_to_piece(index), len(vocab))
    vocab["<pad>"] = len(vocab)  # last, as in every real OPUS-MT checkpoint
    pad = vocab["<pad>"]
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(source_file, out / "source.spm")
    shutil.copy(target_file, out / "target.spm")
    # Written by hand: transformers 5 would add added_tokens_decoder to
    # tokenizer_config.json, which overrides vocab.json.
    (out / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (out / "tokenizer_config.json").write_text(
        json.dumps({"source_lang": "ar", "target_lang": "en", "model_max_length": INPUT_LIMIT,
                    "tokenizer_class": "MarianTokenizer", "separate_vocabs": False}),
        encoding="utf-8",
    )
    config = MarianConfig(
        vocab_size=len(vocab), d_model=16, encoder_layers=1, decoder_layers=1, encoder_attention_heads=2,
        decoder_attention_heads=2, encoder_ffn_dim=32, decoder_ffn_dim=32, max_position_embeddings=INPUT_LIMIT,
        pad_token_id=pad, decoder_start_token_id=pad, eos_token_id=0, forced_eos_token_id=0,
        init_std=0.5,  # large random weights: outputs that differ from input to input
    )
    torch.manual_seed(2)  # a seed whose noise differs from input to input (seeds 0, 4 and 5 repeat one token)
    model = MarianMTModel(config)
    with torch.no_grad():  # real OPUS-MT checkpoints carry Marian's output bias here; engines must keep it
        model.final_logits_bias.normal_(0, 0.5)
    model.generation_config = GenerationConfig(
        num_beams=2, max_length=24, min_new_tokens=2, pad_token_id=pad, decoder_start_token_id=pad,
        eos_token_id=0, forced_eos_token_id=0, bad_words_ids=[[pad]],
    )
    model.save_pretrained(out)


def build_summariser(out: Path, work: Path) -> None:
    import torch
    from transformers import AutoTokenizer, MT5Config, MT5ForConditionalGeneration

    model_file = _train_spm(work / "mt5", _sample_lines() + ENGLISH.splitlines(), marian=False)
    out.mkdir(parents=True, exist_ok=True)
    # Like mT5's vocabulary, which serves 101 languages, most pieces are not Arabic:
    # words in Latin and Cyrillic letters that Arabic input never uses, yet a random
    # decoder writes (what mujaz.models.seq2seq.arabic_output_rules is for).
    (out / "spiece.model").write_bytes(_with_words(model_file, _made_up_words(OTHER_SCRIPTS_WORDS)))
    (out / "tokenizer_config.json").write_text(
        json.dumps({"tokenizer_class": "T5Tokenizer", "extra_ids": 0, "model_max_length": INPUT_LIMIT,
                    "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}),
        encoding="utf-8",
    )
    tokenizer = AutoTokenizer.from_pretrained(out)
    config = MT5Config(
        vocab_size=len(tokenizer), d_model=16, d_kv=8, d_ff=32, num_layers=1, num_decoder_layers=1, num_heads=2,
        decoder_start_token_id=0, pad_token_id=0, eos_token_id=1, tie_word_embeddings=False,
        initializer_factor=20.0,  # large random weights: outputs that differ from input to input
    )
    torch.manual_seed(0)
    model = MT5ForConditionalGeneration(config)
    model.save_pretrained(out)
    # As in csebuetnlp/mT5_multilingual_XLSum: generation settings in config.json.
    (out / "generation_config.json").unlink(missing_ok=True)
    saved = json.loads((out / "config.json").read_text(encoding="utf-8"))
    saved.update(num_beams=2, max_length=20, min_length=3, no_repeat_ngram_size=2, length_penalty=0.6)
    (out / "config.json").write_text(json.dumps(saved, indent=2), encoding="utf-8")


def build(target: Path) -> Path:
    """Build both models under `target` (skipped when already there)."""
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    # Models built by another version of this file are built again.
    recipe = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    for name, builder in (("translator", build_translator), ("summariser", build_summariser)):
        final = target / name
        if (final / "config.json").is_file() and (final / RECIPE).is_file() and (final / RECIPE).read_text() == recipe:
            continue
        with tempfile.TemporaryDirectory() as work:
            staging = Path(work) / "model"
            builder(staging, Path(work))
            (staging / RECIPE).write_text(recipe)
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(final, ignore_errors=True)
            shutil.move(str(staging), final)  # whole or not at all
    return target


if __name__ == "__main__":
    where = build(Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "build" / "tiny-models"))
    print(f"tiny models in {where}")
