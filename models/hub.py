"""Finding model files: a local directory, the Hugging Face cache, or a download.

Everything goes through huggingface_hub, so downloads land in the standard
cache (HF_HOME / HF_HUB_CACHE) and HF_HUB_OFFLINE=1 means the cache only.
Nothing here imports torch or transformers.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import socket
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlparse

from mujaz.errors import ModelUnavailable, UsageProblem
from mujaz.models.base import ModelRef
from mujaz.models.registry import known

# One file of weights, or the index of a checkpoint saved in shards (model-00001-of-00003.safetensors, ...).
WEIGHT_FILES = ("model.safetensors", "pytorch_model.bin", "model.safetensors.index.json", "pytorch_model.bin.index.json")
CONFIG_FILES = ("config.json", "generation_config.json")
T5_TYPES = ("t5", "mt5", "umt5")  # relative positions: no position table bounds an input or an output
# For a hub model mujaz does not know: everything a seq2seq model and its
# tokenizer can need, and no weights in other frameworks (tf, flax, rust, onnx).
GENERIC_PATTERNS = ("*.json", "*.model", "*.spm", "*.txt", "*.safetensors")


# What the hub accepts as a repository id: "name" or "org/name". Anything else
# that is not an existing directory is a mistyped path.
HUB_ID = re.compile(r"^(?!\.)[\w.-]+(/(?!\.)[\w.-]+)?$")


def is_local(name: str) -> bool:
    return Path(name).expanduser().is_dir()


def resolve(name: str) -> ModelRef:
    """A ModelRef for a hub id or a local directory; known models get their pinned revision."""
    _check_hub_endpoint()
    if is_local(name):
        path = Path(name).expanduser().resolve()
        return ModelRef(id=name, revision=None, path=str(path))
    if Path(name).expanduser().exists():  # "org/name" in form, but a file here (an article, a weights file)
        raise ModelUnavailable(f"model {name!r}: a file, not a model directory",
                               hint="give the folder that holds config.json and the weights, or a hub id")
    if not HUB_ID.match(name):
        raise ModelUnavailable(f"model {name!r}: no such directory", hint="give a hub id like org/name or a model directory")
    entry = known(name)
    return ModelRef(id=name, revision=entry.revision if entry else "main")


def _check_hub_endpoint() -> None:
    """HF_ENDPOINT, when set, read as an address, before anything imports huggingface_hub: one whose port is
    no number ("http://host:abc") fails that import (and transformers', for a local model too) with a
    ValueError that said nothing of what to do, and "notaurl" was said as huggingface.co unresolved."""
    endpoint = os.environ.get("HF_ENDPOINT", "").strip()
    if not endpoint:
        return
    url = urlparse(endpoint)
    try:
        url.port  # noqa: B018 - a port that is no number raises here
        address = url.scheme in ("http", "https") and bool(url.hostname)
    except ValueError:
        address = False
    if not address:
        raise ModelUnavailable(f"HF_ENDPOINT ({endpoint}) is not an address",
                               hint="set it to the hub's address (https://huggingface.co) or a mirror's, or unset it")


def refuse_a_method_as_the_summariser(role: str) -> None:
    """MUJAZ_SUMMARISER=extractive refused, as --summariser extractive is: asked of the hub as a model
    id, it failed with advice to pull it."""
    from mujaz.models.base import names_a_summary_method
    from mujaz.models.registry import named_model

    named = named_model("summariser") if role == "summariser" else None  # the variable: an option is checked apart
    if named is not None and names_a_summary_method(named):
        raise ModelUnavailable(f"MUJAZ_SUMMARISER={named} names a summary method, not a model",
                               hint=f"unset MUJAZ_SUMMARISER, and give --method {named.lower()}")


def resolve_role(role: str, given: str | None = None) -> ModelRef:
    """The role's model (the option, MUJAZ_SUMMARISER / MUJAZ_TRANSLATOR, or the default) resolved;
    a name the variable set long ago that cannot be had says the variable named it."""
    from mujaz.models.registry import default_model

    if given is None:
        refuse_a_method_as_the_summariser(role)
    try:
        return resolve(default_model(role, given))
    except ModelUnavailable as error:
        variable = f"MUJAZ_{role.upper()}"
        if given is None and os.environ.get(variable, "").strip():
            raise ModelUnavailable(f"{error.message} (named by {variable})",
                                   hint=f"set {variable} to a hub id or a model folder, or unset it") from error
        raise


def offline() -> bool:
    """HF_HUB_OFFLINE as set now (huggingface_hub reads it once, at import)."""
    from huggingface_hub import constants

    value = os.environ.get("HF_HUB_OFFLINE")
    if value is not None:
        return value.strip().upper() in ("1", "ON", "YES", "TRUE")
    return bool(constants.HF_HUB_OFFLINE)


@lru_cache(maxsize=1)
def hub_unreachable_reason() -> str | None:
    """Why the hub cannot be reached, or None. Checked once, in a few seconds at most.

    huggingface_hub retries a dead network for about 20 s; a user waiting for a
    brief deserves to hear at once that the network is not there.
    """
    from huggingface_hub import constants

    from mujaz.proxies import SOCKS, SOCKS_PORT, environment_proxy, proxy_url

    url = urlparse(constants.ENDPOINT)  # an address: _check_hub_endpoint
    host, port = url.hostname or "huggingface.co", url.port or (443 if url.scheme == "https" else 80)
    # Behind a proxy (huggingface_hub takes it from the environment, as mujaz's own fetching
    # does) the hub's name may not even resolve here: the proxy is what must answer.
    through = ""
    if found := environment_proxy(url.scheme, host):
        proxy, variable = found
        try:
            address = proxy_url(proxy)
        except ValueError:  # a port that is no number
            return f"the {variable} set here is not an address"
        if address.scheme not in ("http", "https", "socks5", "socks5h"):
            # huggingface_hub's client (httpx) raised a ValueError: mujaz's own fetching speaks SOCKS4, it does not
            return (f"the {variable} set here is a proxy of the {address.scheme} scheme, and the hub's client "
                    "speaks to http(s) and SOCKS5 proxies only; give one of those")
        if address.scheme in SOCKS and importlib.util.find_spec("socksio") is None:
            # it speaks SOCKS only with socksio (a dependency of mujaz's: an install without it), and raised an ImportError
            return (f"the {variable} set here is a {address.scheme} proxy, which the hub's client speaks only "
                    "with the socksio package (pip install socksio); or give an http proxy")
        host, port = address.hostname or "", address.port or (SOCKS_PORT if address.scheme in SOCKS else 80)
        through = f"the proxy ({variable}) "
    try:
        with socket.create_connection((host, port), timeout=5):
            return None
    except socket.gaierror:
        return f"cannot resolve {through}{host}" + ("" if through else " (no network?)")
    except OSError as error:
        return f"cannot connect to {through}{host}:{port} ({error.strerror or error})"


HUB_SILENCE_SECONDS = 10.0  # a hub that accepted the connection and then sends nothing: as huggingface_hub's file reads


def _bound_hub_client() -> None:
    """huggingface_hub's client, bounded and quiet: its API calls ask for no timeout, so a hub
    (or a mirror in HF_ENDPOINT) that accepts a connection and goes silent held a brief for
    ever; and its retry notices ("HTTP Error 500 ... Retrying in 8s") went to stderr, --quiet
    or not, before mujaz's own line that says the outcome."""
    import huggingface_hub
    from huggingface_hub.utils import logging as hub_logging

    hub_logging.set_verbosity_error()
    # On the shared client, made again (without the hook) when huggingface_hub resets it after a
    # refused connection: each download and verify sets it again, and a reset mid-download
    # follows a refusal, which does not wait.
    session = huggingface_hub.get_session()
    hooks = getattr(session, "event_hooks", None)  # httpx's (huggingface_hub 1.x)
    if hooks is not None and _bounded not in hooks["request"]:
        session.event_hooks = {**hooks, "request": [*hooks["request"], _bounded]}


def _bounded(request) -> None:
    """A request's timeouts that are unset (None: wait for ever) set to HUB_SILENCE_SECONDS;
    one the caller chose is kept. The client reads them from here when it sends the request."""
    timeout = request.extensions.get("timeout")
    if isinstance(timeout, dict):
        request.extensions["timeout"] = {kind: HUB_SILENCE_SECONDS if value is None else value
                                         for kind, value in timeout.items()}


def cached_path(ref: ModelRef) -> str | None:
    """The local folder holding the model's snapshot (a hub id's, in the cache; a folder given as
    it is), or None; whether its files make a model is ensure_local's to check."""
    if ref.revision is None:
        return ref.path
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        folder = snapshot_download(ref.id, revision=ref.revision, local_files_only=True)
    except (LocalEntryNotFoundError, FileNotFoundError, OSError, ValueError):
        return None
    return folder if is_complete(Path(folder), ref) else None


COMMIT = re.compile(r"[0-9a-f]{40}")


def pinned_revision(ref: ModelRef) -> str | None:
    """The commit a hub model's results come from: its revision when that is a commit, else the
    commit of the copy in the cache (a branch such as "main" moves, and results keyed by its name
    would outlive it). None for a local directory."""
    if ref.revision is None or COMMIT.fullmatch(ref.revision):
        return ref.revision
    folder = cached_path(ref)
    return _commit_of(ref, folder) if folder else ref.revision  # not downloaded yet: nothing cached to serve


def is_complete(folder: Path, ref: ModelRef | None = None) -> bool:
    """A config and weights; for a model mujaz knows, every file it downloads (a download cut
    short leaves a snapshot without, say, target.spm, and the next pull completes it)."""
    entry = known(ref.id) if ref is not None and ref.revision is not None else None
    if entry is not None:
        return all((folder / name).is_file() for name in entry.files)
    return (folder / "config.json").is_file() and any((folder / w).is_file() for w in WEIGHT_FILES)


def _patterns(ref: ModelRef) -> list[str]:
    """The files a download fetches: a known model's own list; for another, the repository's top-level
    files that GENERIC_PATTERNS name. Named one by one: a pattern's `*` matches `/` too, and would
    fetch a fine-tuned repository's checkpoint-*/, fp16/ or onnx/ copies beside the model."""
    entry = known(ref.id)
    if entry:
        return list(entry.files)
    from huggingface_hub import HfApi

    top_level = [f for f in HfApi().list_repo_files(ref.id, revision=ref.revision) if "/" not in f]
    patterns = GENERIC_PATTERNS
    if not any(f.endswith(".safetensors") for f in top_level):
        # Only pickled weights: transformers loads them with torch's weights_only loader.
        patterns = (*GENERIC_PATTERNS, "pytorch_model*.bin")
    return [f for f in top_level if any(fnmatch(f, pattern) for pattern in patterns)]


# The hub's address answered badly or not at all: a captive portal's page, a wrong mirror, a hub
# that is down or went silent.
HUB_ONLY_HINT = "check the network, and HF_ENDPOINT if it is set"  # for what only the hub can do (pull, verify)
HUB_ANSWER_HINT = HUB_ONLY_HINT + "; or pass a model directory"


def download(ref: ModelRef, *, progress: bool = True, patterns: list[str] | None = None, pulling: bool = False) -> str:
    """Download (or complete) a model in the hub cache; return its folder.

    `pulling`: asked by `mujaz models pull`, whose errors cannot advise running it."""
    from huggingface_hub import snapshot_download
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    _may_download(ref, pulling)
    (enable_progress_bars if progress else disable_progress_bars)()
    with _hub_failures(ref, pulling):
        _bound_hub_client()
        return snapshot_download(ref.id, revision=ref.revision, allow_patterns=patterns or _patterns(ref))


def ask_hub(ref: ModelRef, pulling: bool = False) -> None:
    """The hub asked about the model before it is downloaded, once and bounded, so that a caller can
    show that it waits on the hub: a hub that accepts the connection and goes silent, or fails, is met
    here in seconds (snapshot_download asks the same first, but retries for a minute and more, with
    progress bars that show nothing until files come). Raises as download does."""
    from huggingface_hub import HfApi

    _may_download(ref, pulling)
    with _hub_failures(ref, pulling):
        _bound_hub_client()  # (its client, made from the environment's proxies, may raise: all_proxy=socks5://)
        HfApi().model_info(ref.id, revision=ref.revision)


def refuse_a_download_that_cannot_be(ref: ModelRef) -> None:
    """A model not here: refused (ModelUnavailable) when offline, or when the hub cannot be reached."""
    _may_download(ref, pulling=False)


def _may_download(ref: ModelRef, pulling: bool) -> None:
    """Refused at once when offline, or when the hub's host cannot even be connected to."""
    if offline():
        raise ModelUnavailable(
            f"model {ref.id} is not in the local cache and HF_HUB_OFFLINE is set",
            hint="unset HF_HUB_OFFLINE and run it again" if pulling else
            f"unset HF_HUB_OFFLINE and run `mujaz models pull {ref.id}` with network access",
        )
    reason = hub_unreachable_reason()
    if reason:
        raise ModelUnavailable(
            f"model {ref.id} is not in the local cache and the hub cannot be reached: {reason}",
            hint="run it again where huggingface.co can be reached, or copy the model's folder from a machine "
            "that has it and pass that folder as the model" if pulling else
            f"run `mujaz models pull {ref.id}` with network access, or pass a model directory",
        )


@contextlib.contextmanager
def _hub_failures(ref: ModelRef, pulling: bool = False):
    """What asking the hub can raise, as ModelUnavailable saying what failed and what to do (`pulling`:
    for `mujaz models pull`, to which a model directory is nothing to download)."""
    from huggingface_hub.errors import HfHubHTTPError, LocalEntryNotFoundError, RepositoryNotFoundError, RevisionNotFoundError

    hint = HUB_ONLY_HINT if pulling else HUB_ANSWER_HINT
    try:
        yield
    except RepositoryNotFoundError as error:
        raise ModelUnavailable(f"model {ref.id}: no such model on the hub (or it is private)") from error
    except RevisionNotFoundError as error:
        raise ModelUnavailable(f"model {ref.id}: no revision {ref.revision}") from error
    except (HfHubHTTPError, LocalEntryNotFoundError, OSError) as error:  # a 500, a silent hub ("Got: ReadTimeout")
        raise ModelUnavailable(f"model {ref.id}: download failed: {error}".splitlines()[0], hint=hint) from error
    except Exception as error:  # noqa: BLE001 - what else the network gives (an HTML page, a redirect loop, a timeout)
        raise ModelUnavailable(f"model {ref.id}: download failed: {type(error).__name__}: {error}".splitlines()[0],
                               hint=hint) from error


def ensure_local(ref: ModelRef, *, allow_download: bool = True, progress: bool = True, pulling: bool = False) -> ModelRef:
    """The same ref with `path` set to a complete local copy, downloading if allowed (`pulling`: see download)."""
    path = cached_path(ref)
    if path is None and ref.revision is None:
        raise ModelUnavailable(f"model directory {ref.id} does not exist")
    if path is not None:
        if not is_complete(Path(path)):
            raise ModelUnavailable(
                f"model directory {ref.id} has no config.json or no weights ({' or '.join(WEIGHT_FILES)})",
                hint=NOT_A_MODEL_HINT,
            )
        if pulling and ref.revision is not None and known(ref.id) is None:
            # Of a model mujaz does not know, a config and weights is all it can tell of a whole copy, and
            # a download cut short before the tokenizer's files leaves that: the hub says what is missing
            # (and, for a branch, brings it to its newest commit, as a first pull takes it).
            try:
                path = download(ref, progress=progress, pulling=True)
            except ModelUnavailable:
                pass  # no hub to say (offline, unreachable, the repository gone or private): the copy there is
        return ModelRef(id=ref.id, revision=_commit_of(ref, path), path=path)
    if not allow_download:
        raise ModelUnavailable(f"model {ref.id} is not downloaded", hint=f"run `mujaz models pull {ref.id}`")
    folder = download(ref, progress=progress, pulling=pulling)
    if not is_complete(Path(folder), ref):
        raise ModelUnavailable(f"model {ref.id}: the download has no config.json or no weights"
                                + (" or lacks some of its files" if known(ref.id) else ""),
                               hint=f"run `mujaz models pull {ref.id}` again; a hub id that is no seq2seq model cannot be used")
    return ModelRef(id=ref.id, revision=_commit_of(ref, folder), path=folder)


def _commit_of(ref: ModelRef, folder: str) -> str | None:
    """The revision a local copy is: for a hub branch ("main"), the commit of the snapshot taken,
    so that JSON results name what made them (the branch moves on; results keep the commit)."""
    if ref.revision is None or COMMIT.fullmatch(ref.revision):
        return ref.revision
    snapshot = Path(folder)
    return snapshot.name if snapshot.parent.name == "snapshots" and COMMIT.fullmatch(snapshot.name) else ref.revision


def read_configs(ref: ModelRef) -> tuple[dict, dict | None, str]:
    """(config.json, generation_config.json or None, where they were read) without torch.

    Reads a local copy when there is one; otherwise fetches only these small files.
    """
    folder = cached_path(ref) or ref.path
    if folder is None:
        folder = download(ref, progress=False, patterns=list(CONFIG_FILES))
    config_path = Path(folder) / "config.json"
    if not config_path.is_file():
        # a folder given as the model (no hub id, no revision) is not downloaded again: it may be no model at all
        raise ModelUnavailable(f"model {ref.id}: no config.json in {folder}",
                               hint=DAMAGED_HINT if ref.revision is not None else NOT_A_MODEL_HINT)
    generation_path = Path(folder) / "generation_config.json"
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
        generation = json.loads(generation_path.read_text(encoding="utf-8")) if generation_path.is_file() else None
    except (OSError, json.JSONDecodeError) as error:
        raise ModelUnavailable(f"model {ref.id}: unreadable config: {error}", hint=DAMAGED_HINT) from error
    for path, value in ((config_path, config), (generation_path, generation)):
        if value is not None and not isinstance(value, dict):  # '"model_type"' was a TypeError, exit 1
            raise ModelUnavailable(f"model {ref.id}: {path.name} is not a JSON object", hint=DAMAGED_HINT)
    return config, generation, str(folder)


DAMAGED_HINT = "the model's files may be damaged; download it again"
NOT_A_MODEL_HINT = "give the folder a model was saved in (save_pretrained), or a hub id"


def check_role(ref: ModelRef, role: str, model_type: str | None = None) -> str | None:
    """Refuse a translation model (Marian, OPUS-MT) as the summariser: it would only translate.
    For the translator, a warning when its files look like a summariser's (an mT5 that names no
    languages, as XL-Sum's): its "English" would be an Arabic summary. None when nothing is amiss.
    `model_type` as a CTranslate2 conversion records it; otherwise read from the model's config."""
    model_type = model_type or model_type_of(ref)
    if role == "summariser" and model_type == "marian":
        raise ModelUnavailable(f"model {ref.id} is a Marian translation model, not a summariser",
                               hint="give it as --translator or MUJAZ_TRANSLATOR, and a summariser such as "
                                    "csebuetnlp/mT5_multilingual_XLSum as --summariser")
    if role == "translator" and model_type in T5_TYPES and not _named_languages(ref):
        return (f"model {ref.id} is an {model_type} model that names no languages: if it is a summariser, "
                "give it as --summariser or MUJAZ_SUMMARISER, and a translator such as Helsinki-NLP/opus-mt-ar-en")
    return None


def model_type_of(ref: ModelRef) -> str | None:
    """The architecture ("marian", "mt5") a model's config.json names; None when it names none."""
    return _json_or_nothing(Path(ref.path or ref.id) / "config.json").get("model_type")


def _named_languages(ref: ModelRef) -> bool:
    config = _json_or_nothing(Path(ref.path or ref.id) / "tokenizer_config.json")
    return bool(config.get("source_lang") or config.get("target_lang"))


def _json_or_nothing(path: Path) -> dict:
    """A model's JSON file for a check that gives the benefit of the doubt: {} when it is missing,
    unreadable or no object (loading the model says what is wrong with it)."""
    try:
        value = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except (OSError, json.JSONDecodeError):
        return {}
    return value if isinstance(value, dict) else {}


ARABIC_CODES = {"ar", "ara", "arb", "mul", "sem", "afa"}
ENGLISH_CODES = {"en", "eng", "mul"}


def check_translation_direction(ref: ModelRef) -> None:
    """Refuse a translator whose tokenizer says it does not go from Arabic to English.

    Marian checkpoints name their languages in tokenizer_config.json; a model
    that says nothing is given the benefit of the doubt.
    """
    config = _json_or_nothing(Path(ref.path or ref.id) / "tokenizer_config.json")
    source, target = str(config.get("source_lang") or "").lower(), str(config.get("target_lang") or "").lower()
    if source and source not in ARABIC_CODES or target and target not in ENGLISH_CODES:
        raise ModelUnavailable(
            f"model {ref.id} translates {source or '?'} to {target or '?'}, not Arabic to English",
            hint="give an Arabic-to-English model such as Helsinki-NLP/opus-mt-ar-en",
        )


def verify(ref: ModelRef) -> dict:
    """Check a downloaded model's files against the hashes the hub records for its revision."""
    if ref.revision is None:
        raise UsageProblem(f"{ref.id} is a local directory: there are no hub hashes to check it against",
                           hint="give a hub id, as `mujaz models pull` took it")
    folder = cached_path(ref)
    if folder is None:
        raise ModelUnavailable(f"model {ref.id} is not downloaded", hint=f"run `mujaz models pull {ref.id}`")
    if offline():
        raise ModelUnavailable(f"model {ref.id}: the hub's recorded hashes are needed, and HF_HUB_OFFLINE is set",
                               hint="unset HF_HUB_OFFLINE for this command")
    if reason := hub_unreachable_reason():
        raise ModelUnavailable(f"model {ref.id}: the hub cannot be reached to fetch its recorded hashes: {reason}",
                               hint="run it where the hub can be reached")
    from huggingface_hub import HfApi

    try:
        _bound_hub_client()
        result = HfApi().verify_repo_checksums(ref.id, revision=ref.revision, local_dir=folder)
    except Exception as error:  # noqa: BLE001 - the hub's answer, or none: not a fault of the files
        raise ModelUnavailable(f"model {ref.id}: the hub's recorded hashes could not be fetched: "
                               f"{type(error).__name__}: {error}".splitlines()[0], hint=HUB_ONLY_HINT) from error
    return {name: getattr(result, name) for name in ("checked_count", "mismatches", "missing_paths", "extra_paths")
            if hasattr(result, name)} | {"path": folder, "revision": ref.revision}
