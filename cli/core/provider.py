"""The models a run uses: the summariser and the translator, each resolved, loaded on first use (on
the device and engine asked for) and remembered, with what failed and what stood in, said once.

Made by a command and handed to mujaz.core.brief's complete_briefs, or to a batch's runner.
"""

from __future__ import annotations

import functools
from pathlib import Path

from mujaz.core.brief import Status, no_status
from mujaz.errors import ModelUnavailable, MujazError, UsageProblem
from mujaz.models.base import ModelRef, Summariser, Translator


class ModelProvider:
    """Loads the summariser and translator on first use, once, and remembers failures.

    `method` "auto" falls back to the extractive summariser, with a warning,
    when the abstractive model cannot be had.
    """

    def __init__(
        self,
        *,
        method: str = "auto",
        summariser: str | None = None,
        translator: str | None = None,
        device: str = "auto",
        engine: str = "auto",
        quantize: bool = False,
        any_script: bool = False,
        status: Status = no_status,
        progress: bool = False,
    ):
        if method not in ("auto", "abstractive", "extractive"):
            raise UsageProblem(f"--method {method}: choose auto, abstractive or extractive")
        if method == "extractive" and summariser:
            # (`mujaz eval summaries` is extractive unless told: a --summariser alone meets this)
            raise UsageProblem("--summariser names a model, but --method extractive uses none",
                               hint="add --method abstractive to run it")
        if method == "extractive" and any_script:
            raise UsageProblem("--any-script is for the abstractive summariser; --method extractive copies sentences",
                               hint="add --method abstractive")
        self.method = method
        self.summariser_name = summariser
        self.translator_name = translator
        if engine not in ("auto", "transformers", "ctranslate2"):
            raise UsageProblem(f"--engine {engine}: choose auto, transformers or ctranslate2")
        if quantize and engine == "ctranslate2":
            raise UsageProblem("--quantize is for the transformers engine; ctranslate2 models are quantized when converted",
                               hint="leave out --quantize, or choose --engine transformers (MUJAZ_ENGINE may have chosen it)")
        self.device = device
        self.engine = engine
        self.quantize = quantize
        self.any_script = any_script
        self.status = status
        self.progress = progress
        self.warnings: list[str] = []  # said once, added to every brief
        # The extractive summariser stood in for the abstractive one: results keyed by the model
        # asked for are not the model's, and are not to be cached as its.
        self.stood_in = False
        self._loaded: dict[str, Summariser | Translator] = {}
        self._errors: dict[str, MujazError] = {}
        self._hub_failed: ModelUnavailable | None = None  # the hub did not answer for one model: not asked again

    def summariser(self) -> Summariser:
        return self._once("summariser", self._load_summariser)

    def translator(self) -> Translator:
        return self._once("translator", lambda: self._load("translator"))

    def _once(self, role: str, load):
        # A model that failed to load (missing, or asked of a device this machine lacks) is not
        # tried again for the next source: the same error is raised again, and said once.
        if role in self._errors:
            raise self._errors[role]
        if role not in self._loaded:
            try:
                self._loaded[role] = load()
            except MujazError as error:
                self._errors[role] = error
                raise
        return self._loaded[role]

    def release(self, role: str) -> None:
        """Let a model go once it is no longer needed, so that the next one can use its memory."""
        self._loaded.pop(role, None)

    def _load_summariser(self) -> Summariser:
        from mujaz.models.extractive import ExtractiveSummariser

        if self.method == "extractive":
            return ExtractiveSummariser()
        try:
            return self._load("summariser")
        except ModelUnavailable as error:
            if not self._extractive_stands_in():
                raise
            self.warnings.append(f"abstractive summariser unavailable ({error.message}); used the extractive summariser"
                                 + (f" ({error.hint})" if error.hint else ""))  # what to do to have it
            self.stood_in = True
            return ExtractiveSummariser()

    def _extractive_stands_in(self) -> bool:
        """Whether the extractive summariser stands in for an abstractive one that cannot be had: only
        for the default model; one named (--summariser, MUJAZ_SUMMARISER) is what the user asked for,
        and a typo in it must not pass unnoticed with exit 0."""
        from mujaz.models.registry import named_model

        return self.method != "abstractive" and named_model("summariser", self.summariser_name) is None

    def known_failure(self, role: str) -> ModelUnavailable | None:
        """Why the role's model cannot be loaded, where that is known without loading it or downloading:
        a name that is no model, --engine ctranslate2 without a conversion, or a hub model not here while
        offline or with the hub out of reach (a connection tried, seconds at most). None otherwise, and
        for a summariser the extractive one would stand in for."""
        from mujaz.models import hub

        if role == "summariser" and self._extractive_stands_in():
            return None  # and the hub is not asked
        try:
            ref = self._resolved(role)
            if self.engine == "ctranslate2" and self._conversion(ref) is None:
                raise _no_conversion(ref)
            if not self.available_offline(role):
                hub.refuse_a_download_that_cannot_be(ref)
        except ModelUnavailable as error:
            return error
        return None

    def refuse_a_device_it_lacks(self, roles: list[str]) -> None:
        """A --device this machine lacks, refused now for each role whose model is here to load (one
        that is not fails, or is stood in for, before any device is met), as loading it would refuse
        it: before the first result is written, not after it (the run stops there, exit 2)."""
        if self.device in ("auto", "cpu"):
            return
        for role in roles:
            try:
                if self.available_offline(role):
                    self.identity(role)  # works out where the model would run: a device it lacks is refused
            except ModelUnavailable:
                pass  # the run says so when it needs the model

    def available_offline(self, role: str) -> bool:
        """Whether the role's model is here to load (a conversion, a downloaded copy, a directory)
        without downloading: one that is not fails, or is stood in for, before any device is met."""
        from mujaz.models import hub

        ref = self._resolved(role)
        return self._conversion(ref) is not None or hub.cached_path(ref) is not None

    def _resolved(self, role: str) -> ModelRef:
        """The role's model (option, environment, or default) as a hub id or local directory."""
        from mujaz.models import hub

        return hub.resolve_role(role, self.summariser_name if role == "summariser" else self.translator_name)

    def _conversion(self, ref: ModelRef):
        """The CTranslate2 conversion this run would use for `ref`, or None (--quantize runs transformers)."""
        return None if self.quantize else self._engines_conversion(ref)

    def _engines_conversion(self, ref: ModelRef):
        """The conversion --engine (auto or ctranslate2) takes for `ref` on this device, --quantize aside."""
        if self.engine not in ("auto", "ctranslate2"):
            return None
        from mujaz.models import ct2

        if self.engine == "auto" and not ct2.runs_on(self.device):
            return None  # e.g. --device mps: transformers can, CTranslate2 cannot
        return ct2.find(ref)

    def ref(self, role: str) -> ModelRef:
        """How results name a role's model, known without loading it."""
        resolved = self._resolved(role)
        return self._named(resolved, self._conversion(resolved))

    def _named(self, resolved: ModelRef, conversion) -> ModelRef:
        from mujaz.models import hub

        engine = "ctranslate2" if self.engine == "ctranslate2" or conversion else "transformers"
        # A hub branch ("main") by the commit of the copy that runs, as hub.ensure_local names it: a
        # conversion's own (ct2.key), which it keeps when the hub's copy has left the cache.
        revision = conversion.parent.name if conversion is not None and resolved.revision else hub.pinned_revision(resolved)
        return ModelRef(id=resolved.id, revision=revision, engine=engine)

    def identity(self, role: str) -> dict | None:
        """What decides a role's output, known without loading the model: for cache keys. None
        while that cannot be known: a hub branch ("main") not downloaded yet, whose commit only
        the download will tell; results keyed by the branch's name would outlive it."""
        from mujaz.core.cache import code_fingerprint

        if role == "summariser" and self.method == "extractive":
            return {"method": "extractive", "code": code_fingerprint()}
        from mujaz.models import ct2, hub

        resolved = self._resolved(role)
        conversion = self._conversion(resolved)  # which one runs: int8 and float32 write differently
        device = self._running_device(conversion)
        ref = self._named(resolved, conversion)  # its revision: the commit, for a hub branch (pinned_revision)
        # A local directory has no revision: its content fingerprint stands in.
        revision = ref.revision or str(ct2.key(resolved))
        if resolved.revision is not None and not hub.COMMIT.fullmatch(revision):
            return None
        return {"id": ref.id, "revision": revision, "engine": ref.engine, "device": device, "quantize": self.quantize,
                "conversion": conversion.name if conversion is not None else None,
                "method": self.method if role == "summariser" else None,
                "any_script": self.any_script if role == "summariser" else None, "code": code_fingerprint()}

    def _running_device(self, conversion: Path | None) -> str:
        """The device the model would run on ("auto" resolved), for its cache identity: results of
        a GPU are not served on a CPU, nor the other way. A --device this machine lacks is refused
        now, as loading the model would refuse it: a cached result must not stand in for one the
        device could not have made."""
        if self.device == "cpu":
            return "cpu"
        if conversion is not None or self.engine == "ctranslate2":
            from mujaz.models import ct2

            return ct2.running_device(self.device)
        from mujaz.models import hf

        if self.device == "auto" and hf.no_gpu_here():
            return "cpu"  # known without importing torch, whose import is most of a cached run's time
        return hf.chosen_device(self.device, self.quantize)

    def _load(self, role: str):
        """The role's model on the chosen engine; `auto` takes a CTranslate2 conversion when there is one."""
        from mujaz.models.seq2seq import Seq2SeqSummariser, Seq2SeqTranslator

        if role == "summariser":
            wrap = functools.partial(Seq2SeqSummariser, arabic_output=not self.any_script)
        else:
            wrap = Seq2SeqTranslator
        ref = self._resolved(role)
        folder = self._conversion(ref)
        if folder is not None:
            from mujaz.models import ct2

            converted = ModelRef(id=ref.id, path=str(folder))  # it keeps the model's tokenizer files
            self._check_made_for(role, converted, model_type=ct2.model_type(folder, ref))
            pinned = ModelRef(id=ref.id, revision=self._named(ref, folder).revision, path=ref.path)  # results name the commit
            with self.status(f"Loading the {role} {ref.id} (ctranslate2)"):
                engine = ct2.CTranslate2Engine(folder, pinned, device=self.device)
            if self.device == "auto" and (why := ct2.cuda_unusable()):  # a GPU it could not use: said, not hidden
                self.warnings.append(f"CTranslate2 sees a GPU but cannot compute on it ({why}): the {role} runs on "
                                     f"the CPU ({ct2.cublas_hint()})")
            return wrap(engine)
        if self.engine == "ctranslate2":
            raise _no_conversion(ref)
        if self.quantize and self.engine == "auto":
            self._say_conversion_passed_over(ref)
        ref = self._downloaded(role, ref)
        self._check_made_for(role, ref)
        from mujaz.models import hf

        with self.status(f"Loading the {role} {ref.id}"):
            return wrap(hf.load(ref, device=self.device, quantize=self.quantize))

    def _check_made_for(self, role: str, ref: ModelRef, model_type: str | None = None) -> None:
        """Refuse a model made for the other role or, as translator, for other languages (hub.check_role,
        hub.check_translation_direction); a warning where its files only look like the other role's."""
        from mujaz.models import hub

        if role == "translator":
            hub.check_translation_direction(ref)
        if (amiss := hub.check_role(ref, role, model_type=model_type)) is not None:
            self.warnings.append(amiss)

    def _say_conversion_passed_over(self, ref: ModelRef) -> None:
        """--quantize runs transformers: a conversion that --engine auto would have run (faster,
        and int8 itself when converted so) goes unused, which a user who converted must be told."""
        if self._engines_conversion(ref) is not None:
            self.warnings.append(f"--quantize runs {ref.id} on the transformers engine, passing over its CTranslate2 "
                                 "conversion (faster; int8 when converted with --quantization int8): "
                                 "leave out --quantize to use it")

    def _downloaded(self, role: str, ref: ModelRef) -> ModelRef:
        """The model's local copy, downloaded when it is not here. The hub is asked first under a
        spinner (the download's own progress bars show nothing until files come, and a silent hub
        kept the terminal blank for some 90 s); a hub that failed one model is not waited on again
        for the other (a brief waited twice)."""
        from mujaz.models import hub

        if hub.cached_path(ref) is not None or ref.revision is None:
            return hub.ensure_local(ref, progress=self.progress)
        if self._hub_failed is not None:
            raise ModelUnavailable(f"model {ref.id} is not in the local cache, and the hub failed a moment ago "
                                   f"({self._hub_failed.message})", hint=self._hub_failed.hint)
        try:
            with self.status(f"Asking the hub for the {role} {ref.id}"):
                hub.ask_hub(ref)
            return hub.ensure_local(ref, progress=self.progress)
        except ModelUnavailable as error:
            if error.hint == hub.HUB_ANSWER_HINT:  # the hub's failure, not this model's ("no such model")
                self._hub_failed = error
            raise


def _no_conversion(ref: ModelRef) -> ModelUnavailable:
    """Convert downloads the model it is given; offline, one not here is pulled first, with network access
    (the hint sent a user to convert, whose own error then sent them to pull)."""
    from mujaz.models import hub

    hint = f"run `mujaz models convert {ref.id}`"
    if hub.offline() and hub.cached_path(ref) is None:
        hint = f"run `mujaz models convert {ref.id}` with network access: it downloads the model first"
    return ModelUnavailable(f"model {ref.id} has no CTranslate2 conversion", hint=hint)
