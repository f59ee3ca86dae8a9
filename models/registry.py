"""The models mujaz knows by name: defaults, pinned revisions, sizes, licences.

Sizes and revisions were read off the Hugging Face hub's file listings; a
revision is a commit, so a download always gets the same bytes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_SUMMARISER = "csebuetnlp/mT5_multilingual_XLSum"
DEFAULT_TRANSLATOR = "Helsinki-NLP/opus-mt-ar-en"
DEFAULTS = {"summariser": DEFAULT_SUMMARISER, "translator": DEFAULT_TRANSLATOR}  # mujaz's own, by role


@dataclass(frozen=True)
class KnownModel:
    id: str
    role: str  # "summariser" | "translator"
    revision: str
    size: str  # of the files mujaz downloads
    licence: str
    files: tuple[str, ...]  # what a download fetches; nothing else in the repository is needed
    about: str


KNOWN_MODELS: tuple[KnownModel, ...] = (
    KnownModel(
        id=DEFAULT_SUMMARISER,
        role="summariser",
        revision="2437a524effdbadc327ced84595508f1e32025b3",
        size="2.33 GB",
        licence="CC BY-NC-SA 4.0 (non-commercial)",
        files=("config.json", "pytorch_model.bin", "special_tokens_map.json", "spiece.model", "tokenizer_config.json"),
        about="mT5-base fine-tuned on XL-Sum, 45 languages; Arabic ROUGE-1/2/L 34.9/14.8/29.2",
    ),
    KnownModel(
        id=DEFAULT_TRANSLATOR,
        role="translator",
        # The hub's safetensors conversion of the main branch: same weights, no pickle.
        revision="0a22ca0fe7fd0e314f4913e606ddc07d1ff9d718",
        size="310 MB",
        licence="Apache-2.0",
        files=(
            "config.json",
            "generation_config.json",
            "model.safetensors",
            "source.spm",
            "target.spm",
            "tokenizer_config.json",
            "vocab.json",
        ),
        about="MarianMT (OPUS-MT) Arabic to English; BLEU 49.4 on Tatoeba",
    ),
)


def known(model_id: str) -> KnownModel | None:
    return next((m for m in KNOWN_MODELS if m.id == model_id), None)


def default_model(role: str, given: str | None = None) -> str:
    """The model for a role: the option, then MUJAZ_SUMMARISER / MUJAZ_TRANSLATOR, then the default."""
    return named_model(role, given) or DEFAULTS[role]


def named_model(role: str, given: str | None = None) -> str | None:
    """The model the user named for a role (the option, then the environment), None if neither."""
    return given or os.environ.get(f"MUJAZ_{role.upper()}", "").strip() or None
