"""`mujaz models list | pull | info | path | convert | verify`: the models, their files, facts and conversions."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from mujaz.commands.options import DebugOpt, FormatOpt, QuietOpt, format_option

app = typer.Typer(help="The models mujaz uses: list, download, inspect.", no_args_is_help=True)

ModelArg = Annotated[
    str,
    typer.Argument(
        help="A hub id, a local directory, or 'summariser' / 'translator' for the model in use ($MUJAZ_SUMMARISER / "
             "$MUJAZ_TRANSLATOR, else the default).",
        show_default=False, metavar="MODEL",
    ),
]


def _name(model: str) -> str:
    from mujaz.errors import UsageProblem
    from mujaz.models.hub import refuse_a_method_as_the_summariser
    from mujaz.models.registry import default_model

    if not model.strip():  # `mujaz models pull "$MODEL"` with MODEL unset
        raise UsageProblem("an empty model name", hint="give a hub id like org/name, a model directory, "
                                                         "or 'summariser' / 'translator'")
    if model in ("summariser", "translator"):
        refuse_a_method_as_the_summariser(model)
        return default_model(model)
    return model


@app.command("list")
def list_models(format: FormatOpt = None, debug: DebugOpt = False) -> None:
    """The known models: role, id, pinned revision, size, licence, whether cached, and their CTranslate2 conversions."""
    from mujaz.errors import ModelUnavailable
    from mujaz.models import ct2, hub
    from mujaz.models.base import ModelRef
    from mujaz.models.registry import DEFAULTS, KNOWN_MODELS, default_model, known
    from mujaz.render import chosen_format, write_model_list

    def row(role: str, model_id: str) -> dict:
        entry = known(model_id)  # None for a model the environment chose that mujaz does not know
        facts = {"role": role, "id": model_id, "revision": None, "size": entry.size if entry else None,
                 "licence": entry.licence if entry else None, "cached": False, "converted": [],
                 "default": model_id == DEFAULTS[role],
                 "in_use": default_model(role) == model_id,  # what a run uses now: MUJAZ_* may choose another
                 "about": entry.about if entry else f"chosen by MUJAZ_{role.upper()}", "problem": None}

        def problem(error: ModelUnavailable) -> str:
            return error.line().removeprefix("mujaz: error: ")

        try:
            ref = hub.resolve_role(role) if facts["in_use"] else hub.resolve(model_id)  # in use: MUJAZ_* may name it
            if ref.revision is None:  # a folder: one without a model in it cannot be used either
                hub.ensure_local(ref, allow_download=False)
        except ModelUnavailable as error:  # a MUJAZ_* naming nothing: this is where one looks to see why
            return {**facts, "problem": problem(error)}
        folder, converted = hub.cached_path(ref), ct2.converted(ref)
        facts.update(revision=hub.pinned_revision(ref),  # a branch ("main") by the commit cached, as results name it
                     cached=folder is not None, converted=list(converted))
        conversion = ct2.find(ref, converted)  # what --engine auto would run
        try:  # a translation model chosen as the summariser
            if conversion is not None:
                hub.check_role(ModelRef(id=ref.id, path=str(conversion)), role, model_type=ct2.model_type(conversion, ref))
            elif folder is not None:
                hub.check_role(ModelRef(id=ref.id, path=folder), role)
        except ModelUnavailable as error:
            facts["problem"] = problem(error)
        return facts

    rows = [row(entry.role, entry.id) for entry in KNOWN_MODELS]
    # A model the environment chose (MUJAZ_SUMMARISER, MUJAZ_TRANSLATOR) that mujaz does not know, or
    # knows in the other role
    for role in ("summariser", "translator"):
        chosen = default_model(role)
        if not any(r["id"] == chosen and r["role"] == role for r in rows):
            rows.append(row(role, chosen))
    write_model_list(rows, chosen_format(format))


@app.command()
def pull(model: ModelArg, quiet: QuietOpt = False, debug: DebugOpt = False) -> None:
    """Download a model into the Hugging Face cache (progress on a terminal); print its folder."""
    from mujaz.models import hub
    from mujaz.render import Feedback

    ref = hub.resolve(_name(model))
    if ref.revision is not None and hub.cached_path(ref) is None:
        # Asked once first, as a brief asks it: a silent or failing hub is said in seconds, not after the
        # download's retries (86 s); those stay for a hub that answered, and a file that stalls.
        with Feedback(quiet=quiet).status(f"Asking the hub for {ref.id}"):
            hub.ask_hub(ref, pulling=True)
    # A local directory has nothing to download: it is checked, as a download is, and named.
    ready = hub.ensure_local(ref, progress=not quiet and sys.stderr.isatty(), pulling=True)
    print(ready.path)


@app.command()
def convert(
    model: ModelArg,
    quantization: Annotated[
        str, typer.Option("--quantization", help="int8, int8_float32, int8_float16, int16, float16 or float32.")
    ] = "int8",
    force: Annotated[bool, typer.Option("--force", help="Convert again even if a conversion exists.")] = False,
    quiet: QuietOpt = False,
    debug: DebugOpt = False,
) -> None:
    """Convert a downloaded (or local) model for the fast CTranslate2 engine; print its folder.

    Conversions live in mujaz's own store ($MUJAZ_HOME/ctranslate2, else the
    user data folder's), keyed by model id and revision; `--engine auto` uses them.
    """
    from mujaz.errors import OutputFailed
    from mujaz.models import ct2, hub
    from mujaz.render import Feedback

    feedback = Feedback(quiet=quiet)
    quantization = ct2.quantization_named(quantization)  # a typing slip is said before any download
    ref = hub.ensure_local(hub.resolve(_name(model)), progress=feedback.interactive)
    already = not force and quantization in ct2.converted(ref)
    with feedback.status(f"Converting {ref.id} ({quantization}) for CTranslate2"):  # minutes for a large model
        folder = ct2.convert(ref, quantization=quantization, force=force)
    try:
        ct2.choose(ref, quantization)  # the conversion named last is the one runs use
    except OutputFailed as error:  # the conversion is there all the same: its folder is the result
        feedback.warn(error.line().removeprefix("mujaz: error: "))
    said = [ct2.output_layer_cut(folder)]
    if already:
        said.insert(0, "already converted (--force converts again)")
    if any(said) and not quiet:
        print(f"mujaz: {'; '.join(part for part in said if part)}", file=sys.stderr)
    print(folder)


@app.command()
def verify(model: ModelArg, debug: DebugOpt = False) -> None:
    """Check a downloaded hub model's files against the hashes the hub records (needs the network; a local
    directory has none to check)."""
    from mujaz.models import hub

    ref = hub.resolve(_name(model))
    result = hub.verify(ref)
    # mujaz downloads only the files it needs, so the hub's other files (tf, rust
    # weights...) are missing by design; only a mismatch is a failure.
    print(json.dumps(result, ensure_ascii=False, indent=2, default=str))
    if result.get("mismatches"):
        raise _damaged(ref.id, result)  # the model cannot be used as it is: exit 3, said on stderr too


def _damaged(model_id: str, result: dict):
    """The failure `verify` found, in one line: which files differ, and how to have them anew. A
    download keeps files it has, whatever they hold, so the model's whole cache folder must go."""
    from pathlib import Path

    from mujaz.errors import ModelUnavailable

    names = [mismatch["path"] for mismatch in result["mismatches"]]
    repository = Path(result["path"]).parents[1]  # .../models--org--name/snapshots/<commit>
    where = str(repository) if repository.name.startswith("models--") else "its folder in the Hugging Face cache"
    differ = "1 file differs" if len(names) == 1 else f"{len(names)} files differ"
    return ModelUnavailable(f"model {model_id}: {differ} from the hub's record ({', '.join(names)})",
                            hint=f"delete {where}, then run `mujaz models pull {model_id}`")


@app.command()
def path(model: ModelArg, debug: DebugOpt = False) -> None:
    """Print the local folder of a downloaded model (exit 3 if it is not downloaded)."""
    from mujaz.models import hub

    ref = hub.ensure_local(hub.resolve(_name(model)), allow_download=False)
    print(ref.path)


INFO_KEYS = (
    "model_type", "architectures", "is_encoder_decoder", "vocab_size", "d_model", "encoder_layers",
    "decoder_layers", "num_layers", "num_decoder_layers", "encoder_attention_heads", "num_heads",
    "max_position_embeddings", "pad_token_id", "eos_token_id", "decoder_start_token_id",
)


# Facts a line each: no table to draw (as cache info's)
InfoFormatOpt = format_option("text (the default; rich is written as text), json, jsonl or markdown.")


@app.command()
def info(model: ModelArg, format: InfoFormatOpt = None, debug: DebugOpt = False) -> None:
    """Facts from a model's config files (read without loading torch)."""
    from pathlib import Path

    from mujaz.models import hub
    from mujaz.models.registry import known
    from mujaz.models.seq2seq import model_generation_keys
    from mujaz.render import chosen_format, write_model_facts

    ref = hub.resolve(_name(model))
    config, generation, folder = hub.read_configs(ref)
    entry = known(ref.id)
    facts = {
        "id": ref.id,
        "revision": hub.pinned_revision(ref),  # the commit of `path`, for a branch ("main") too
        "path": folder,
        "cached": hub.cached_path(ref) is not None,
        "licence": entry.licence if entry else None,
        "config": {k: config[k] for k in INFO_KEYS if k in config},
        "generation": model_generation_keys(config, generation),
        "files": {f.name: f.stat().st_size for f in sorted(Path(folder).iterdir()) if f.is_file()},
    }
    write_model_facts(facts, chosen_format(format))
