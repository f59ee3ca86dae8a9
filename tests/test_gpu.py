"""On a CUDA device: both engines run there, `--device auto` takes it, and the output is the CPU's.

Skipped on a machine whose torch sees no CUDA device (CI's, and most of the project's); run on a
GPU machine with `pytest tests/test_gpu.py`. The tiny models are float32 on both devices, so the
same search over the same scores writes the same text; a difference would be a device bug (a mask
or a narrowed output layer left on the CPU, a tensor the engine forgot to move), not rounding.
"""

import json

import pytest

from mujaz.errors import UsageProblem
from mujaz.models import hf, hub
from mujaz.models.seq2seq import Seq2SeqTranslator

from test_ct2 import SENTENCES  # the same five, one of them empty

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="this machine's torch sees no CUDA device")


def test_the_transformers_engine_runs_on_cuda_and_writes_what_the_cpu_writes(tiny_models):
    for role in ("translator", "summariser"):
        ref = hub.resolve(str(tiny_models / role))
        on_cpu, on_cuda = hf.load(ref, device="cpu"), hf.load(ref, device="cuda")
        assert on_cuda.device == "cuda" and next(on_cuda.model.parameters()).device.type == "cuda"
        if role == "translator":
            assert on_cuda.vocabulary is not None  # the narrowed output layer, moved with the model
        else:
            assert on_cuda.arabic_mask is not None  # the Arabic-output mask, made on the model's device
        assert on_cuda.generate_outputs(SENTENCES) == on_cpu.generate_outputs(SENTENCES), role


def test_auto_takes_cuda_but_quantize_keeps_to_the_cpu(tiny_models):
    ref = hub.resolve(str(tiny_models / "translator"))
    assert hf.load(ref, device="auto").device == "cuda"
    assert hf.load(ref, device="auto", quantize=True).device == "cpu"  # dynamic int8 is a CPU kernel
    with pytest.raises(UsageProblem, match="--quantize with --device cuda"):
        hf.load(ref, device="cuda", quantize=True)


def test_a_long_article_on_cuda_is_translated_whole(tiny_models, sample):
    """Windows packed to the input limit and length-sorted batches, on the device."""
    ref = hub.resolve(str(tiny_models / "translator"))
    text = sample.read_text(encoding="utf-8").replace("\n", " ")
    long_sentences = [text] * 3 + SENTENCES * 10
    on_cpu = Seq2SeqTranslator(hf.load(ref, device="cpu")).translate(long_sentences)
    on_cuda = Seq2SeqTranslator(hf.load(ref, device="cuda")).translate(long_sentences)
    assert on_cuda == on_cpu
    assert all(t for t, s in zip(on_cuda, long_sentences) if s)


@pytest.mark.parametrize("device", ["cuda", "auto"])
def test_the_cli_on_cuda_writes_the_cpus_brief(mujaz, sample, tiny_models, device):
    models = ["--method", "abstractive", "--summariser", str(tiny_models / "summariser"),
              "--translator", str(tiny_models / "translator"), "-f", "json"]
    on_cpu = mujaz("brief", str(sample), *models, "--device", "cpu")
    on_gpu = mujaz("brief", str(sample), *models, "--device", device)
    assert on_cpu.returncode == 0 and on_gpu.returncode == 0, on_gpu.stderr.decode()
    assert json.loads(on_gpu.stdout) == json.loads(on_cpu.stdout)


def test_a_batch_on_cuda_writes_the_cpus_records(mujaz, sample, tiny_models, tmp_path):
    articles = tmp_path / "in"
    articles.mkdir()
    text = sample.read_text(encoding="utf-8")
    for i in range(6):  # one model load for all, batches across articles
        (articles / f"{i}.txt").write_text(text if i % 2 else text[: len(text) // 2], encoding="utf-8")
    models = ["--method", "abstractive", "--summariser", str(tiny_models / "summariser"),
              "--translator", str(tiny_models / "translator"), "--no-cache"]
    on_cpu = mujaz("batch", str(articles), *models, "--device", "cpu")
    on_cuda = mujaz("batch", str(articles), *models, "--device", "cuda")
    assert on_cpu.returncode == 0 and on_cuda.returncode == 0, on_cuda.stderr.decode()
    assert on_cuda.stdout == on_cpu.stdout and len(on_cuda.stdout.splitlines()) == 6


def ctranslate2_sees_cuda() -> bool:
    try:
        import ctranslate2
    except ImportError:
        return False
    return ctranslate2.get_cuda_device_count() > 0


@pytest.mark.skipif(not ctranslate2_sees_cuda(), reason="CTranslate2 is missing or sees no CUDA device")
def test_ctranslate2_runs_on_cuda(tiny_models, tmp_path, monkeypatch):
    from mujaz.models import ct2

    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path))
    ref = hub.resolve(str(tiny_models / "translator"))
    if ct2.cuda_unusable():  # its cuBLAS missing (a CUDA 13 machine): the CPU for auto, cuda refused, for real
        assert ct2.running_device("auto") == "cpu"
        with pytest.raises(UsageProblem, match="cannot compute on it"):
            ct2.CTranslate2Engine(ct2.convert(ref, quantization="int8"), ref, device="cuda")
        pytest.skip(f"CTranslate2 cannot compute on this GPU: {ct2.cuda_unusable()} (its fallback checked)")
    assert ct2.running_device("auto") == "cuda"
    for quantization in ("float32", "int8", "float16", "int8_float16"):
        folder = ct2.convert(ref, quantization=quantization)
        on_cuda = ct2.CTranslate2Engine(folder, ref, device="cuda")
        written = on_cuda.generate_outputs(SENTENCES)
        assert [bool(w.text) for w in written] == [bool(s) for s in SENTENCES], quantization
        if quantization == "float32":
            on_cpu = ct2.CTranslate2Engine(folder, ref, device="cpu")
            assert written == on_cpu.generate_outputs(SENTENCES)
