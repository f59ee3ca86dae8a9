"""The CLI end to end, as a real subprocess with real pipes, and in-process."""

import json
import shutil
import os
import re
import subprocess
import sys

import pytest

from mujaz.core.text import arabic_share, words
from mujaz.errors import ExitCode, run_app
from mujaz.render import markdown_inline

from conftest import ROOT, SHARED_EVAL, closed_port


def models_args(tiny):
    return ["--translator", str(tiny / "translator"), "--summariser", str(tiny / "summariser")]


def test_help_does_not_import_torch_or_transformers():
    for args in (["--help"], ["brief", "--help"], ["batch", "--help"], ["models", "--help"], ["models", "info", "--help"]):
        code = (
            "import sys; from mujaz.errors import run_app; rc = run_app(%r); "
            "heavy = [m for m in ('torch', 'transformers', 'trafilatura', 'huggingface_hub', 'ray', 'pyarrow') if m in sys.modules]; "
            "print('HEAVY', heavy, file=sys.stderr); sys.exit(rc)" % (args,)
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 0, done.stderr
        assert "HEAVY []" in done.stderr, (args, done.stderr)
        assert "Usage" in done.stdout
        if args == ["--help"]:
            said = " ".join(done.stdout.split())  # as wrapped at the width of the terminal
            assert ("Exit codes: 0 ok, 1 output not written, an optional part not installed, or an unexpected error, "
                    "2 usage") in said


def _on_a_terminal(*args: str, env: dict | None = None, code: int = 0) -> str:
    """What mujaz writes to a terminal (a pseudo-terminal 200 columns wide); `code`: the exit code expected."""
    import os
    import pty

    terminal, child = pty.openpty()
    running = subprocess.Popen([sys.executable, "-m", "mujaz", *args], stdout=child, stderr=child, cwd=ROOT,
                               env={**os.environ, "COLUMNS": "200", "TERM": "xterm", **(env or {})})
    os.close(child)
    shown = b""
    # Read while it runs: a pty holds a few KiB, and a writer past them (a spinner redrawn for long
    # on a busy machine) waits for a reader, which read only after the run, for ever.
    try:
        while chunk := os.read(terminal, 65536):
            shown += chunk
    except OSError:  # the other end is closed: all of it has been read
        pass
    os.close(terminal)
    assert running.wait(timeout=600) == code
    return re.sub(r"\x1b\[[0-9;]*m", "", shown.decode())


def test_help_keeps_the_defaults_it_states(mujaz):
    # Rich reads "[...]" in a help text as markup and drops it: a default written that way vanishes.
    for shown in (_on_a_terminal("brief", "--help"), mujaz("brief", "--help", env={"COLUMNS": "200"}).stdout.decode()):
        text = " ".join(shown.replace("│", " ").split())
        assert "(default: rich on a terminal, text when piped)" in text
        assert "(default: off; MUJAZ_BIDI=1 turns it on when writing to a terminal)" in text


def test_help_is_plain_text_when_piped(mujaz):
    # Rich panels on a terminal; piped, no box drawing. A bare group answers with its help (exit 2), on stderr:
    # a usage error's, not a result (`mujaz models > out` filled out with it, a new user's review)
    assert "╭" in _on_a_terminal("--help") and "╭" in _on_a_terminal("models", "list", "--help")
    for args in (["--help"], ["batch", "--help"], ["eval", "--help"], ["models", "list", "--help"], ["models"], []):
        done = mujaz(*args)
        asked = args[-1:] == ["--help"]
        shown, other = (done.stdout, done.stderr) if asked else (done.stderr, done.stdout)
        assert shown.decode().startswith("Usage: mujaz") and not set("╭╰│─") & set(shown.decode()), args
        assert done.returncode == (0 if asked else 2) and other == b"", args


def test_any_script_lets_the_summariser_write_other_scripts(mujaz, sample, tiny_models):
    # Left free, the tiny summariser's random weights write its Latin and Cyrillic pieces
    # (tests/test_ct2.py); the sample has none, so by default its summary has none either.
    other_scripts = re.compile("[a-zA-Z\u0400-\u04ff]")
    args = ["summarise", str(sample), "--summariser", str(tiny_models / "summariser"), "--method", "abstractive", "-f", "json"]
    arabic, free = mujaz(*args), mujaz(*args, "--any-script")
    assert arabic.returncode == 0 and free.returncode == 0, free.stderr.decode()
    assert not other_scripts.search(json.loads(arabic.stdout)["summary"]["ar"])
    assert other_scripts.search(json.loads(free.stdout)["summary"]["ar"])
    refused = mujaz("summarise", str(sample), "--method", "extractive", "--any-script")
    assert refused.returncode == 2 and refused.stderr.decode().count("\n") == 1
    assert "--any-script is for the abstractive summariser" in refused.stderr.decode()


def test_version(mujaz):
    done = mujaz("--version")
    assert done.returncode == 0 and done.stdout.decode().startswith("mujaz 0.")


def test_translate_gives_aligned_segments(mujaz, sample, tiny_models):
    done = mujaz("translate", str(sample), "--translator", str(tiny_models / "translator"), "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    kinds = [s["kind"] for s in data["segments"]]
    assert kinds.count("title") == 1 and kinds.count("heading") == 2 and kinds.count("sentence") == 16
    both = mujaz("segment", "-", str(sample), input=sample.read_bytes()).stdout.decode().splitlines()
    assert [line for line in both if line.startswith("==>")] == ["==> standard input <==", f"==> {sample} <=="]  # as head says
    assert all(isinstance(s["en"], str) and s["en"] for s in data["segments"])
    assert all(isinstance(s["paragraph"], int) for s in data["segments"])
    assert data["title"]["en"] == data["segments"][0]["en"]
    assert data["models"]["translator"]["id"].endswith("translator")


def test_brief_json_schema(mujaz, sample, tiny_models):
    done = mujaz("brief", str(sample), *models_args(tiny_models), "--method", "abstractive", "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout.decode("utf-8"))
    assert data["schema"] == "mujaz.brief/1"
    assert set(data["source"]) >= {"kind", "path", "encoding", "sha256", "chars"}
    assert data["source"]["encoding"] == "utf-8"
    assert data["title"]["ar"].startswith("الخارجية الروسية") and isinstance(data["title"]["en"], str)
    assert data["summary"]["method"] == "abstractive"
    assert isinstance(data["summary"]["ar"], str) and isinstance(data["summary"]["en"], str)
    assert data["models"]["summariser"]["id"].endswith("summariser")
    assert data["models"]["translator"]["revision"] is None  # a local directory
    assert isinstance(data["warnings"], list)
    assert "الخارجية" in done.stdout.decode("utf-8")  # ensure_ascii=False


def test_brief_rich_and_text_views(mujaz, sample, tiny_models, tmp_path):
    rich = mujaz("brief", str(sample), *models_args(tiny_models), "-f", "rich", env={"COLUMNS": "100"})
    assert rich.returncode == 0, rich.stderr.decode()
    out = rich.stdout.decode()
    assert "الخارجية الروسية" in out and "╭" in out and "translation:" in out
    # Arabic and English stand apart, a blank line between, with no headline too (EASC's articles have none)
    body = tmp_path / "body.txt"
    body.write_text(sample.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    boxed = mujaz("brief", str(body), *models_args(tiny_models), "-f", "rich", env={"COLUMNS": "100"}).stdout.decode()
    inside = [line.strip("│ ") for line in boxed.splitlines() if line.startswith("│")]
    first_english = next(n for n, line in enumerate(inside) if line and line.isascii())
    assert inside[first_english - 1] == "", inside
    for columns in ("0", "1"):  # set by hand: Rich printed nothing, or a box without its text
        narrow = mujaz("summarise", str(sample), "--method", "extractive", "-f", "rich", env={"COLUMNS": columns})
        assert "الخارجية الروسية" in narrow.stdout.decode(), columns
    text = mujaz("brief", str(sample), *models_args(tiny_models))  # piped: text by default
    assert text.returncode == 0
    assert "\x1b[" not in text.stdout.decode() and "╭" not in text.stdout.decode()
    assert text.stdout.decode().splitlines()[0].startswith("الخارجية الروسية")
    markdown = mujaz("brief", str(sample), *models_args(tiny_models), "-f", "markdown")
    assert markdown.stdout.decode().startswith("# الخارجية")


def test_the_markdown_footer_is_escaped_too(mujaz, sample, tiny_models, tmp_path):
    """A model path's underscores made the footer's words emphasis (/tmp/_tiny_/ -> /tmp/<em>tiny</em>/)."""
    import shutil

    shutil.copytree(tiny_models / "translator", tmp_path / "_tiny_")
    done = mujaz("brief", str(sample), "--method", "extractive", "--translator", str(tmp_path / "_tiny_"), "-f", "markdown")
    last = done.stdout.decode().splitlines()[-1]
    assert done.returncode == 0 and last.endswith("/\\_tiny\\_*") and "/_" not in last, last


def test_summarise_with_and_without_english(mujaz, sample, tiny_models):
    arabic = mujaz("summarise", str(sample), "--method", "extractive", "-f", "json")
    assert arabic.returncode == 0
    data = json.loads(arabic.stdout)
    assert data["summary"]["method"] == "extractive" and data["summary"]["en"] is None
    assert data["models"]["translator"] is None
    both = mujaz("summarise", str(sample), "--method", "extractive", "--to", "en",
                 "--translator", str(tiny_models / "translator"), "-f", "json")
    assert json.loads(both.stdout)["summary"]["en"]
    short = json.loads(mujaz("summarise", str(sample), "--method", "extractive", "--length", "short", "-f", "json").stdout)
    assert len(short["summary"]["ar"]) < len(data["summary"]["ar"])


def test_stdin_source(mujaz, sample):
    done = mujaz("summarise", "-", "--method", "extractive", "-f", "json", input=sample.read_bytes())
    assert done.returncode == 0
    assert json.loads(done.stdout)["source"]["kind"] == "stdin"


def test_auto_method_falls_back_and_records_it(mujaz, sample, tiny_models):
    done = mujaz("brief", str(sample), "--translator", str(tiny_models / "translator"), "-f", "json")
    assert done.returncode == 0
    data = json.loads(done.stdout)
    assert data["summary"]["method"] == "extractive"
    assert any("extractive" in w for w in data["warnings"])
    assert "warning: abstractive summariser unavailable" in done.stderr.decode()


def test_a_named_summariser_is_not_stood_in_for(mujaz, sample, tiny_models, tmp_path):
    # auto falls back for the default model only: a typo in a model one names must not pass with exit 0.
    translator = ["--translator", str(tiny_models / "translator")]
    for named, env in ((["--summariser", str(tmp_path / "typo")], {}), ([], {"MUJAZ_SUMMARISER": str(tmp_path / "typo")})):
        done = mujaz("brief", str(sample), *translator, *named, env=env)
        assert done.returncode == ExitCode.MODEL_UNAVAILABLE, done.stderr.decode()
        assert done.stdout == b"" and "warning" not in done.stderr.decode()
        assert done.stderr.decode().startswith(f"mujaz: error: model '{tmp_path / 'typo'}': no such directory")


def test_translator_unavailable_still_prints_arabic_then_exit_3(mujaz, sample):
    done = mujaz("brief", str(sample), "--method", "extractive")
    assert done.returncode == ExitCode.MODEL_UNAVAILABLE
    assert done.stdout.decode().startswith("الخارجية الروسية")
    err = done.stderr.decode().strip().splitlines()
    assert err[-1].startswith("mujaz: error: model Helsinki-NLP/opus-mt-ar-en")
    assert "Traceback" not in done.stderr.decode()
    # In JSON the record says it as batch's lines do: the Arabic, and the translator's error (code 3), so that
    # a script tells a whole result, one without its English, and a failed source apart (a script writer's review)
    for command in (["brief"], ["summarise", "--to", "en"], ["translate"]):
        done = mujaz(*command, str(sample), "--method" if command[0] != "translate" else "-q", *(
            ["extractive"] if command[0] != "translate" else []), "-f", "jsonl")
        record = json.loads(done.stdout)
        assert done.returncode == ExitCode.MODEL_UNAVAILABLE and record["title"]["ar"] and record["title"]["en"] is None
        assert record["error"]["code"] == ExitCode.MODEL_UNAVAILABLE, command
        assert record["error"]["message"].startswith("model Helsinki-NLP/opus-mt-ar-en"), command
    whole = json.loads(mujaz("summarise", str(sample), "--method", "extractive", "-f", "json").stdout)
    assert "error" not in whole  # no English asked: nothing failed


def test_a_translation_printed_nowhere_for_want_of_a_translator_is_exit_3_beside_a_failed_source(mujaz, sample, tmp_path):
    """translate's text and markdown are the English alone: with no translator and a missing file
    beside the article, nothing is printed, and 5 ("the others were printed") was the code."""
    missing = str(tmp_path / "nope.txt")
    for fmt, code in (("text", ExitCode.MODEL_UNAVAILABLE), ("markdown", ExitCode.MODEL_UNAVAILABLE),
                      ("json", ExitCode.SOME_FAILED)):  # json keeps the Arabic of the article found
        done = mujaz("translate", str(sample), missing, "-f", fmt)
        assert done.returncode == code, (fmt, done.stderr.decode())
        assert (done.stdout == b"") == (fmt != "json")
    brief = mujaz("brief", str(sample), missing, "--method", "extractive")  # the Arabic printed: 5, as before
    assert brief.returncode == ExitCode.SOME_FAILED and brief.stdout.decode().startswith("==> ")


def test_abstractive_unavailable_is_exit_3(mujaz, sample):
    done = mujaz("summarise", str(sample), "--method", "abstractive")
    assert done.returncode == ExitCode.MODEL_UNAVAILABLE
    assert done.stdout == b""


@pytest.mark.parametrize(
    "content",
    [b"", bytes(range(256)) * 4, b"This is an English article, not an Arabic one.", b"\xff\xfe\x00\xd8"],
    ids=["empty", "binary", "not-arabic", "undecodable"],
)
def test_bad_input_is_exit_4_one_line(mujaz, tmp_path, content):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    done = mujaz("brief", str(path), "--method", "extractive")
    assert done.returncode == ExitCode.BAD_INPUT
    lines = done.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mujaz: error: ") and str(path) in lines[0]
    assert done.stdout == b""


def test_failed_url_is_exit_4(mujaz):
    done = mujaz("summarise", f"http://127.0.0.1:{closed_port()}/article", "--method", "extractive")
    assert done.returncode == ExitCode.BAD_INPUT
    assert "refused" in done.stderr.decode()


def test_one_bad_source_does_not_stop_the_others(mujaz, sample, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = mujaz("summarise", str(sample), str(empty), str(sample), "--method", "extractive", "-f", "jsonl")
    assert done.returncode == ExitCode.SOME_FAILED
    records = [json.loads(line) for line in done.stdout.decode().strip().splitlines()]
    assert [r["schema"] for r in records] == ["mujaz.brief/1"] * 3 and "error" not in records[0] and "error" not in records[2]
    # The failed one in its place, so that a script pairs records with its arguments
    assert records[1] == {"schema": "mujaz.brief/1", "task": "summarise", "source": {"kind": "file", "path": str(empty)},
                          "error": {"code": 4, "message": f"{empty}: is empty", "hint": "give an Arabic news article"},
                          "warnings": []}  # as every record has them: `jq '.warnings[]'` stopped on a failure's (a review)
    assert "is empty" in done.stderr.decode()
    listed = json.loads(mujaz("segment", "-f", "json", str(empty), str(sample)).stdout)
    assert [("error" in r, r["source"]["path"]) for r in listed] == [(True, str(empty)), (False, str(sample))]
    alone = mujaz("summarise", str(empty), "--method", "extractive", "-f", "json")  # one source: its exit code says it
    assert alone.returncode == ExitCode.BAD_INPUT and alone.stdout == b""
    # An error with nothing to advise has its hint all the same, null; a run that failed before
    # any source prints no "[]", which would read as a run over no sources
    from mujaz.errors import BadInput, error_json

    assert error_json(BadInput("x: cannot read: input/output error")) == {
        "code": 4, "message": "x: cannot read: input/output error", "hint": None}
    run_failed = mujaz("summarise", str(sample), str(sample), "--summariser", str(tmp_path / "none"), "-f", "json")
    assert run_failed.returncode == ExitCode.MODEL_UNAVAILABLE and run_failed.stdout == b""


def test_json_with_several_sources_is_a_list(mujaz, sample):
    done = mujaz("summarise", str(sample), str(sample), "--method", "extractive", "-f", "json")
    assert done.returncode == 0
    assert len(json.loads(done.stdout)) == 2


def test_usage_error_is_exit_2(mujaz, sample):
    assert mujaz("brief", str(sample), "--no-such-option").returncode == ExitCode.USAGE
    assert mujaz("brief", str(sample), "--format", "yaml").returncode == ExitCode.USAGE
    assert mujaz("summarise", str(sample), "--to", "fr").returncode == ExitCode.USAGE
    done = mujaz("summarise", str(sample), "--method", "extractive", "--summariser", "x/y")
    assert done.returncode == ExitCode.USAGE and "mujaz: error:" in done.stderr.decode()
    done = mujaz("summarise", str(sample), "--method", "extractive", "--translator", "x/y")  # was ignored, in silence
    assert done.returncode == ExitCode.USAGE and "a translator is used with --to en only" in done.stderr.decode()


def test_debug_shows_the_traceback(mujaz, tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(b"")
    assert "Traceback" in mujaz("brief", str(path), "--debug").stderr.decode()
    before = mujaz("--debug", "brief", str(path))  # before the command too (it was "No such option", exit 2)
    assert before.returncode == ExitCode.BAD_INPUT and "Traceback" in before.stderr.decode()
    for command in ("brief", "segment"):  # MUJAZ_DEBUG=1 as --debug, for the errors a command goes on after too
        done = mujaz(command, str(path), env={"MUJAZ_DEBUG": "1"})
        assert done.returncode == 4 and "Traceback" in done.stderr.decode()
        assert "Traceback" not in mujaz(command, str(path)).stderr.decode()
    # batch's failed items too, each as its record is written (they had none: a review)
    items = tmp_path / "items.jsonl"
    items.write_text(json.dumps({"id": "empty", "text": ""}) + "\n" + json.dumps({"id": "gone", "path": str(tmp_path / "x")})
                     + "\n", encoding="utf-8")
    for debug in (["--debug", "batch"], ["batch", "--debug"]):
        done = mujaz(*debug, str(items), "--method", "extractive", "--task", "summarise")
        assert done.returncode == 4 and done.stderr.decode().count("Traceback") == 2, debug
    assert "Traceback" not in mujaz("batch", str(items), "--method", "extractive", "--task", "summarise").stderr.decode()


def test_head_closing_the_pipe_is_quiet(sample, tmp_path):
    sources = " ".join([str(sample)] * 40)
    done = subprocess.run(
        f"{sys.executable} -m mujaz summarise {sources} --method extractive -f jsonl | head -c 100; exit ${{PIPESTATUS[0]}}",
        shell=True, executable="/bin/bash", capture_output=True, cwd=ROOT,
    )
    assert len(done.stdout) == 100
    assert done.returncode == ExitCode.BROKEN_PIPE
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr


def test_a_reader_gone_in_the_middle_of_a_large_write_is_exit_141(sample, tmp_path):
    # Unbuffered (python -u), the file reports a short write and no error when the reader
    # leaves mid-write: the rest must not be dropped in silence, ending in exit 0.
    text = sample.read_text(encoding="utf-8")
    many = tmp_path / "many.txt"
    many.write_text(text + ("\n" + text.split("\n", 1)[1]) * 300, encoding="utf-8")
    # A summary passes over the copies (the news again): its own article has words no sentence repeats.
    letters = "ابتثجحخدذر"
    distinct = tmp_path / "distinct.txt"
    distinct.write_text("عنوان الخبر\n" + " ".join(
        " ".join("".join(letters[int(d)] for d in str(1000 + 6 * n + k)) for k in range(6)) + "." for n in range(3000)),
        encoding="utf-8")
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    for env in ({**buffered, "PYTHONUNBUFFERED": "1"}, buffered):
        for fmt in ("text", "json"):
            for command in (f"segment {many}", f"summarise {distinct} --method extractive --ratio 1"):
                done = subprocess.run(
                    f"{sys.executable} -m mujaz {command} --max-sentences 100000 -f {fmt} "
                    f"| head -c 10; exit ${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash", capture_output=True,
                    cwd=ROOT, env=env)
                assert done.returncode == ExitCode.BROKEN_PIPE, (command, fmt, "PYTHONUNBUFFERED" in env, done.stderr)


@pytest.mark.parametrize("command", ["segment {sample}", "summarise {sample} --method extractive",
                                     "brief {sample} --method extractive", "models list", "eval segmentation {sample}.jsonl",
                                     "batch {sample}.jsonl --task summarise --method extractive"])
def test_a_closed_standard_stream_is_one_line_not_a_crash(command, sample, tmp_path):
    (tmp_path / "article.txt").write_bytes(sample.read_bytes())
    (tmp_path / "article.txt.jsonl").write_text(json.dumps({"id": "a", "path": str(sample), "sentences": ["x", "y"]}) + "\n",
                                                encoding="utf-8")
    line = f"{sys.executable} -m mujaz {command.format(sample=tmp_path / 'article.txt')}"
    closed_stdout = subprocess.run(line + " >&-", shell=True, capture_output=True, cwd=ROOT)
    assert closed_stdout.returncode == ExitCode.FAILURE
    assert closed_stdout.stderr.decode().splitlines() == [
        "mujaz: error: cannot write the output: standard output is closed "
        + ("(give -o FILE)" if command.startswith("batch") else "(redirect it to a file)")]
    closed_stderr = subprocess.run(line + " 2>&-", shell=True, capture_output=True, cwd=ROOT)
    both_open = subprocess.run(line, shell=True, capture_output=True, cwd=ROOT)
    assert (closed_stderr.returncode, closed_stderr.stdout) == (both_open.returncode, both_open.stdout)
    assert both_open.stdout.strip()  # results, and the same with nowhere to say anything else


def test_a_closed_stdout_is_said_before_a_sources_failure(tmp_path):
    """`segment EMPTY >&-` said the source's failure, exit 4, where brief says the closed stdout, exit 1
    (the exit-code table's 1): from a review for scripts."""
    (tmp_path / "empty.txt").write_bytes(b"")
    for command in ("segment", "summarise --method extractive"):
        done = subprocess.run(f"{sys.executable} -m mujaz {command} {tmp_path / 'empty.txt'} >&-", shell=True,
                              capture_output=True, cwd=ROOT)
        assert done.returncode == ExitCode.FAILURE and "standard output is closed" in done.stderr.decode(), command
        # but what was typed wrong is said first, by every command alike (segment said '-' twice, exit 2; summarise
        # the closed stdout, exit 1: a code review)
        done = subprocess.run(f"{sys.executable} -m mujaz {command} - - >&-", shell=True, capture_output=True, cwd=ROOT)
        assert done.returncode == ExitCode.USAGE and "given more than once" in done.stderr.decode(), command


def test_a_file_named_by_spaces_alone_is_read(sample, tmp_path):
    """A file named " " exists: it was refused as "an empty source name"."""
    (tmp_path / " ").write_bytes(sample.read_bytes())
    done = subprocess.run([sys.executable, "-m", "mujaz", "segment", " "], capture_output=True, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.strip(), done.stderr.decode()
    missing = subprocess.run([sys.executable, "-m", "mujaz", "segment", "  "], capture_output=True, cwd=tmp_path)
    # none of that name: still an empty name, said so
    assert missing.returncode == 4 and "an empty source name" in missing.stderr.decode()


def test_closed_standard_input_is_said_closed(mujaz):
    """It was said to be empty, which sent the user looking for what had emptied it."""
    for command in ("summarise - --method extractive", "batch - --method extractive"):
        done = subprocess.run(f"{sys.executable} -m mujaz {command} <&-", shell=True, capture_output=True, cwd=ROOT)
        assert done.returncode == ExitCode.BAD_INPUT, done.stderr.decode()
        assert done.stderr.decode().startswith("mujaz: error: standard input: is closed ("), done.stderr.decode()
    empty = subprocess.run(f"{sys.executable} -m mujaz summarise - --method extractive </dev/null", shell=True,
                           capture_output=True, cwd=ROOT)
    assert empty.stderr.decode().startswith("mujaz: error: standard input: is empty (")


def test_a_summariser_in_the_environment_is_a_default_not_a_clash(mujaz, sample, tiny_models):
    env = {"MUJAZ_SUMMARISER": str(tiny_models / "summariser"), "MUJAZ_TRANSLATOR": str(tiny_models / "translator")}
    assert mujaz("summarise", str(sample), "--method", "extractive", env=env).returncode == 0
    assert mujaz("translate", str(sample), "-f", "json", env=env).returncode == 0
    used = json.loads(mujaz("summarise", str(sample), "--method", "abstractive", "-f", "json", env=env).stdout)
    assert used["summary"]["model"]["id"] == str(tiny_models / "summariser")
    # Given on the line, it does clash: a model named for a summary that uses none.
    assert mujaz("summarise", str(sample), "--method", "extractive", "--summariser", "x/y").returncode == ExitCode.USAGE


def test_usage_errors_are_one_line(mujaz, sample):
    for args in (["summarise", str(sample), "--format", "xml"], ["brief"], ["brief", "--fromat", "json", str(sample)],
                 ["summarise", str(sample), "--words", "30", "--length", "short"]):
        done = mujaz(*args)
        lines = done.stderr.decode().splitlines()
        assert done.returncode == ExitCode.USAGE and len(lines) == 1 and lines[0].startswith("mujaz: error: "), (args, lines)
        assert "--help" in lines[0] and "Value error" not in lines[0]  # a validator's wording is no help
    # an option missing its value: click has no command in hand, the line still names the right help
    for args, where in ((["eval", "summaries", "x", "--limit"], "mujaz eval summaries"), (["batch", "-o"], "mujaz batch")):
        assert mujaz(*args).stderr.decode().endswith(f"(see '{where} --help')\n")
    for args in (["segment", "-", "-"], ["summarise", "-", str(sample), "-"]):  # stdin can be read once
        done = mujaz(*args)
        assert done.returncode == ExitCode.USAGE and done.stderr.decode().splitlines() == [
            "mujaz: error: '-' is given more than once, and standard input can be read only once "
            "(to read several articles from one stream, use `mujaz batch -`)"]
    # Text piped in with no SOURCE: the way to read it is said (a new user's `cat a.txt | mujaz brief`)
    for args, name in ((["brief"], "SOURCE"), (["segment"], "SOURCE"), (["batch"], "INPUT")):
        done = mujaz(*args, input="نص".encode())
        assert done.returncode == ExitCode.USAGE and done.stderr.decode() == (
            f"mujaz: error: Missing argument '{name}'. (to read standard input, give '-' as {name}; "
            f"see 'mujaz {args[0]} --help')\n")
    # A choice in capitals is the same choice (`-f JSON`, `--to EN`, MUJAZ_ENGINE=CTranslate2 were refused, exit 2)
    done = mujaz("summarise", str(sample), "--method", "Extractive", "--length", "SHORT", "-f", "JSON", "--device", "CPU",
                 env={"MUJAZ_ENGINE": "Transformers"})
    assert done.returncode == 0 and json.loads(done.stdout)["summary"]["length"] == "short", done.stderr.decode()
    assert json.loads(mujaz("segment", str(sample), "-f", "Json").stdout)["segments"]
    done = mujaz("summarise", str(sample), "--method", "extractive", "--to", "EN", "-f", "json")
    assert done.returncode == ExitCode.MODEL_UNAVAILABLE and json.loads(done.stdout)["title"]["en"] is None  # asked, offline
    bare = mujaz("models")  # the group's help is the answer: no error line after it
    assert bare.returncode == ExitCode.USAGE and bare.stderr.decode().startswith("Usage") and bare.stdout == b""
    assert "error" not in bare.stderr.decode().splitlines()[-1]


def test_every_source_failing_alike_is_that_failures_code(mujaz, tmp_path, sample):
    (tmp_path / "empty.txt").write_bytes(b"")
    done = mujaz("brief", str(tmp_path / "nope.txt"), str(tmp_path / "empty.txt"), "-f", "json", "--method", "extractive")
    records = json.loads(done.stdout)
    assert done.returncode == ExitCode.BAD_INPUT and [r["error"]["code"] for r in records] == [4, 4]
    some = mujaz("brief", str(tmp_path / "nope.txt"), str(sample), "-f", "json", "--method", "extractive")
    # the missing file's record its error alone; the article's its Arabic, and the translator's error (offline)
    assert some.returncode == ExitCode.SOME_FAILED and [("title" in r, r["error"]["code"]) for r in json.loads(some.stdout)] == [
        (False, ExitCode.BAD_INPUT), (True, ExitCode.MODEL_UNAVAILABLE)]


def test_a_failure_of_the_run_is_its_code_not_some_failed(mujaz, tmp_path, sample, tiny_models):
    """A source that fails on its own beside one that meets the run's failure: the run's code, not 5."""
    missing = str(tmp_path / "nope.txt")
    done = mujaz("summarise", missing, str(sample), str(sample), "-f", "json", "--summariser", str(tmp_path / "no-model"))
    # the source that failed on its own keeps its record; the run ends at the next one
    assert done.returncode == ExitCode.MODEL_UNAVAILABLE, done.stderr.decode()
    assert [(r["source"]["path"], "error" in r) for r in json.loads(done.stdout)] == [(missing, True)]
    lines = done.stderr.decode().splitlines()
    assert "no such file" in lines[0] and "no such directory" in lines[1] and len(lines) == 2  # the run's error said once


def test_a_device_the_machine_lacks_is_refused_before_the_first_record(mujaz, tmp_path, sample, tiny_models):
    """A --device no machine here has stopped the run at the first source that reached the model, after
    the records before it: the JSONL's records no longer paired with the arguments (a review). As
    `mujaz batch` does, refused before any, exit 2, for each model here to load."""
    missing = str(tmp_path / "nope.txt")
    translator, summariser = str(tiny_models / "translator"), str(tiny_models / "summariser")
    for command, *options in (["brief", "--method", "extractive", "--translator", translator, "--engine", "transformers"],
                              ["translate", "--translator", translator],
                              ["summarise", "--method", "abstractive", "--summariser", summariser, "--engine", "transformers"]):
        done = mujaz(command, missing, str(sample), "-f", "jsonl", *options, "--device", "cuda",
                     env={"CUDA_VISIBLE_DEVICES": ""})
        assert done.returncode == ExitCode.USAGE and not done.stdout, (command, done.stderr.decode())
        assert done.stderr.decode().splitlines() == [
            "mujaz: error: --device cuda: this torch build sees no CUDA device (use --device cpu or auto)"]


def test_a_budget_shorter_than_any_sentence_is_said(mujaz, sample, tmp_path):
    done = mujaz("summarise", str(sample), "--method", "extractive", "--words", "5", "-f", "json")
    assert done.returncode == 0
    assert any("whole sentences" in warning for warning in json.loads(done.stdout)["warnings"])
    # A short sentence, then a 100-word one, against 40 words: the summary stops at 4 words, nearer
    # the budget than 104, and says so.
    article = tmp_path / "long.txt"
    article.write_text("عنوان الخبر\nجملة أولى قصيرة هنا. " + "كلمة " * 100 + ".\n", encoding="utf-8")
    done = mujaz("summarise", str(article), "--method", "extractive", "--words", "40", "-f", "json")
    assert json.loads(done.stdout)["warnings"] == [
        "a budget of 40 words: the summary holds 4 words (its next best sentence, of 100 words, would have taken it to "
        "104 words)"]
    # A run-on one (over 120 words) is cut instead.
    article.write_text("عنوان الخبر\nجملة أولى قصيرة هنا. " + "كلمة " * 300 + ".\n", encoding="utf-8")
    done = mujaz("summarise", str(article), "--method", "extractive", "--words", "50", "-f", "json")
    assert json.loads(done.stdout)["warnings"] == ["a sentence of 300 words was cut near the budget of 50 words"]


def test_with_several_sources_stderr_names_whose_warning_it_is(mujaz, sample, tmp_path):
    line = tmp_path / "line.txt"
    line.write_text("الخارجية الروسية تبحث التعاون مع الصين في موسكو اليوم\n", encoding="utf-8")
    for command in (["summarise", "--method", "extractive"], ["segment"]):
        done = mujaz(*command, str(sample), str(line))
        assert done.stderr.decode().splitlines() == [f"mujaz: warning: {line}: no headline found: the article is one line"]
        alone = mujaz(*command, str(line))  # one source: its name would add nothing
        assert alone.stderr.decode().splitlines() == ["mujaz: warning: no headline found: the article is one line"]


def test_no_headline_under_a_dateline_says_which_line_reads_as_a_sentence(mujaz, tmp_path):
    article = tmp_path / "wire.txt"
    article.write_text("الرياض (واس)\nأعلنت الوزارة اليوم عن إجراءات جديدة. وقال الوزير إنها ستنجح.\n", encoding="utf-8")
    done = mujaz("segment", str(article), "-f", "json")
    assert json.loads(done.stdout)["warnings"] == ["no headline found: the line after 'الرياض (واس)' reads as a sentence"]


def test_a_one_line_article_is_its_own_summary_without_noise(mujaz, tmp_path):
    line = tmp_path / "line.txt"
    line.write_text("الخارجية الروسية تبحث التعاون مع الصين في موسكو اليوم\n", encoding="utf-8")
    done = mujaz("summarise", str(line), "--method", "extractive", "-f", "json")
    assert done.returncode == 0
    result = json.loads(done.stdout)
    assert result["summary"]["ar"] == "الخارجية الروسية تبحث التعاون مع الصين في موسكو اليوم"
    assert result["warnings"] == ["no headline found: the article is one line"]  # no budget note: it is all there is


@pytest.mark.parametrize("args", [["models", "list", "-f", "json"], ["cache", "info"], ["segment", "SAMPLE"]])
def test_a_reader_gone_before_any_output_is_exit_141_for_every_command(args, sample, tmp_path):
    # Plain print() (models, cache, eval, segment) as much as the brief writers: Click
    # would turn the EPIPE into exit 1 on its own.
    args = [str(sample) if arg == "SAMPLE" else arg for arg in args]
    env = {**os.environ, "MUJAZ_CACHE": str(tmp_path / "c.sqlite"), "MUJAZ_HOME": str(tmp_path / "home")}
    process = subprocess.Popen([sys.executable, "-m", "mujaz", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT, env=env)
    process.stdout.close()  # the reader goes away before mujaz has started
    stderr = process.stderr.read()
    assert process.wait() == ExitCode.BROKEN_PIPE, stderr
    assert stderr == b""


def test_interrupt_is_exit_130(monkeypatch, sample, capsys):
    import mujaz.commands.articles as articles

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(articles, "run", interrupted)
    assert run_app(["brief", str(sample)]) == ExitCode.INTERRUPTED
    assert "interrupted" in capsys.readouterr().err


def test_a_ctrl_c_while_the_process_exits_prints_no_traceback(monkeypatch, capsys):
    """The second of two quick Ctrl-Cs landed in torch's exit hooks, after mujaz had said
    "interrupted": 10 to 20 lines of KeyboardInterrupt traceback (an exit hook stands in for torch's).
    So did one pressed as the last record came out, the run done, exit 0 (a script writer's review, 7
    times in 8), or in the last flush, a traceback and exit 1."""
    for run_code in ("INTERRUPTED", "OK", "SOME_FAILED"):
        code = (
            "import atexit, os, signal, sys, time\n"
            "import mujaz.errors, mujaz.__main__ as main\n"
            f"mujaz.errors.run_app = lambda argv: mujaz.errors.ExitCode.{run_code}\n"
            "def hook():\n"
            "    os.kill(os.getpid(), signal.SIGINT)\n"
            "    time.sleep(0.2)\n"
            "    print('hook done', file=sys.stderr)\n"
            "atexit.register(hook)\n"
            "sys.argv = ['mujaz', 'brief']\n"
            "main.main()\n"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
        assert (done.returncode, done.stderr) == (getattr(ExitCode, run_code), "hook done\n")
    # In the last flush of what the run wrote: said as an interruption, its code, no traceback
    import mujaz.commands.articles as articles
    from mujaz.streams import ClosedPipeGuard

    def flush_interrupted(self):
        raise KeyboardInterrupt

    monkeypatch.setattr(articles, "run", lambda *args, **kwargs: ExitCode.OK)
    monkeypatch.setattr(ClosedPipeGuard, "flush", flush_interrupted)
    assert run_app(["summarise", "x.txt"]) == ExitCode.INTERRUPTED
    assert capsys.readouterr().err == "mujaz: interrupted\n"


def test_an_unexpected_error_is_one_line(monkeypatch, sample, capsys):
    import mujaz.commands.articles as articles

    def broken(*args, **kwargs):
        raise RuntimeError("first line\nsecond line \x1b[2J")

    monkeypatch.setattr(articles, "run", broken)
    assert run_app(["brief", str(sample)]) == ExitCode.FAILURE
    said = capsys.readouterr().err
    assert said.startswith("mujaz: error: RuntimeError: first line second line") and "--debug" in said
    assert said.count("\n") == 1 and "\x1b" not in said


def test_the_translation_table_folds_long_words_rather_than_cut_them(mujaz, sample, tiny_models, tmp_path):
    lines = sample.read_text(encoding="utf-8").split("\n")
    lines.insert(2, "وقال المصدر عبر الرابط https://www.example.com/news/2023/very/long/path/to/the/page.html إن الاجتماع انتهى.")
    article = tmp_path / "url.txt"
    article.write_text("\n".join(lines), encoding="utf-8")
    done = mujaz("translate", str(article), "--translator", str(tiny_models / "translator"), "-f", "rich",
                 env={"COLUMNS": "90"})
    assert done.returncode == 0 and "│" in done.stdout.decode()
    assert "…" not in done.stdout.decode()  # Rich's default overflow cuts a long word with an ellipsis


def test_a_page_being_fetched_is_said_on_a_terminal(sample):
    """A download may take its 20 s: the terminal showed nothing meanwhile."""
    import functools
    import http.server
    import threading

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(sample.parent))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://user:secret@127.0.0.1:{server.server_address[1]}/{sample.name}"
        shown = _on_a_terminal("segment", url, env={"TERM": "dumb"})
        assert f"mujaz: Fetching http://user:***@127.0.0.1:{server.server_address[1]}/{sample.name}" in shown
    finally:
        server.shutdown()
        server.server_close()


def test_a_terminal_says_the_translation_is_missing_not_that_no_model_was_used(sample, tmp_path):
    shown = _on_a_terminal("translate", str(sample), "--translator", str(tmp_path / "none"), code=ExitCode.MODEL_UNAVAILABLE)
    assert "no translation: the translator could not be had" in shown and "no models used" not in shown


def test_bidi_reorders_arabic_only_when_asked(mujaz, sample):
    plain = mujaz("summarise", str(sample), "--method", "extractive").stdout.decode()
    reordered = mujaz("summarise", str(sample), "--method", "extractive", "--bidi").stdout.decode()
    assert plain.startswith("الخارجية")
    assert reordered != plain and "باطقألا" in reordered  # "الأقطاب" laid out right to left
    # MUJAZ_BIDI is for the terminal one reads in: a script reading a pipe gets the text as it is.
    assert mujaz("summarise", str(sample), "--method", "extractive", env={"MUJAZ_BIDI": "1"}).stdout.decode() == plain
    args = ("summarise", str(sample), "--method", "extractive", "-f", "text")
    assert "باطقألا" in _on_a_terminal(*args, env={"MUJAZ_BIDI": "1"})
    assert "باطقألا" not in _on_a_terminal(*args, "--no-bidi", env={"MUJAZ_BIDI": "1"})  # the option says last


def test_bidi_lines_are_right_to_left_and_fit_the_terminal(mujaz, sample, tmp_path):
    latin_first = tmp_path / "latin.txt"
    latin_first.write_text("CNN تقول إن الرئيس وصل اليوم إلى المدينة.\n", encoding="utf-8")
    # the automatic base direction would lay out a line that opens with a Latin name left to right
    assert mujaz("segment", str(latin_first), "--bidi").stdout.decode() == ".ةنيدملا ىلإ مويلا لصو سيئرلا نإ لوقت CNN\n"
    # brackets and quotes are mirrored (python-bidi's Rust algorithm left »ةداز« and )CNN( facing out)
    quoted = tmp_path / "quoted.txt"
    quoted.write_text("قالت الوكالة (CNN) إن طهران دفنت «زادة».\n", encoding="utf-8")
    assert mujaz("segment", str(quoted), "--bidi").stdout.decode() == ".«ةداز» تنفد نارهط نإ (CNN) ةلاكولا تلاق\n"
    for columns in ("15", "30", "60"):  # wrapped at the terminal's width, not at 78 (or 80 under 20 columns)
        text = mujaz("summarise", str(sample), "--method", "extractive", "-f", "text", "--bidi",
                     env={"COLUMNS": columns}).stdout.decode()
        assert max(len(line) for line in text.splitlines()) <= int(columns) and len(text.splitlines()) > 3


def test_a_dumb_terminal_is_drawn_at_its_width(sample):
    """Under TERM=dumb (Emacs' shell) Rich drew at 80 columns whatever COLUMNS said: in a narrower
    terminal every row of the brief's box broke in two."""
    shown = _on_a_terminal("summarise", str(sample), "--method", "extractive", env={"TERM": "dumb", "COLUMNS": "60"})
    rows = [line for line in shown.splitlines() if line.strip()]
    assert max(len(line) for line in rows) <= 60 and any(len(line) == 60 for line in rows)


def test_bidi_keeps_marks_on_their_letters_and_lines_within_the_width_in_cells():
    """--bidi put a shadda or a tanween before its letter (a terminal sets it on the cell before: another
    letter, or a space); a line with emoji ran past the width (two cells each); a word longer than a
    line overflowed, and a URL was cut at its hyphens."""
    from rich.cells import cell_len

    from mujaz.render import visual_order

    assert visual_order("مطَّلع عامًا", 80) == "امًاع علطَّم"  # each mark after its letter, in its order
    for line in visual_order("🔴🔴 أفادت مصادر مطلعة اليوم بأن الاجتماع انتهى 🌍 دون اتفاق", 20).splitlines():
        assert cell_len(line) <= 20
    url = "https://www.who.int/emergencies/novel-coronavirus-2019/advice-for-public"
    lines = visual_order(f"قال {url} ثم {'ب' * 45}", 30).splitlines()
    assert all(cell_len(line) <= 30 for line in lines)
    assert "".join(lines).count("-") == url.count("-") and not any(line.startswith("-") for line in lines)
    assert "".join(line for line in lines if "ب" in line and " " not in line) == "ب" * 45
    # A link reads left to right, whole or cut: its "/" or "." at an end was taken into the Arabic and
    # shown at its other end ("/https://www.moh.gov.sa/ar", then "/Ministry/MediaCenter": a review)
    link = "https://www.moh.gov.sa/ar/Ministry/MediaCenter/News/"
    assert f" {link} " in visual_order(f"للتسجيل: {link} وأكد الوزير", 80)
    lines = visual_order(f"للتسجيل: {link} وأكد", 26).splitlines()
    assert [line for line in lines if "/" in line] == ["https://www.moh.gov.sa/ar/", "Ministry/MediaCenter/News/"]
    assert "\u200e" not in "".join(lines)  # the marks that held it are gone
    # ... and the bracket, quote or full stop after it stays the Arabic's (it was held inside: "ar))")
    assert visual_order("منصة (https://moh.gov.sa/ar) وأكد", 80) == "دكأو (https://moh.gov.sa/ar) ةصنم"
    assert visual_order("الرابط «https://moh.gov.sa/ar» وأكد", 80) == "دكأو «https://moh.gov.sa/ar» طبارلا"
    assert visual_order("زوروا https://moh.gov.sa/ar.", 80) == ".https://moh.gov.sa/ar اوروز"


@pytest.mark.skipif(not (SHARED_EVAL / "html").is_dir(), reason="shared eval data absent")
def test_html_page_brief(mujaz, tiny_models):
    page = SHARED_EVAL / "html" / "cnn_arabic_2013" / "arabic_article.html"
    done = mujaz("brief", str(page), "--method", "extractive", "--translator", str(tiny_models / "translator"), "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert data["source"]["format"] == "html" and data["title"]["ar"]


def test_models_commands_offline(mujaz, tiny_models, tmp_path):
    listed = mujaz("models", "list", "-f", "json")
    assert listed.returncode == 0
    rows = json.loads(listed.stdout)
    assert {r["role"] for r in rows} == {"summariser", "translator"}
    assert all(len(r["revision"]) == 40 and r["licence"] and r["cached"] is False for r in rows)
    assert mujaz("models", "list").returncode == 0
    markdown = mujaz("models", "list", "-f", "markdown").stdout.decode().splitlines()
    assert markdown[0].startswith("| role | model |") and len([line for line in markdown if line.startswith("| ")]) == 3
    assert any(f"| {r['id']} |" in line for r in rows for line in markdown)
    rich = mujaz("models", "list", "-f", "rich", env={"COLUMNS": "80"}).stdout.decode()
    assert all(r["id"] in rich for r in rows)  # whole ids, not cut to fit a table
    # The model the environment chose is the one in use, and mujaz's own default stays the default; one
    # that names nothing is listed with its problem (the list exited 3, showing nothing, where one looks why)
    chosen = mujaz("models", "list", "-f", "json", env={"MUJAZ_TRANSLATOR": "/nonexistent"})
    translators = [r for r in json.loads(chosen.stdout) if r["role"] == "translator"]
    assert chosen.returncode == 0 and [(r["id"], r["default"], r["in_use"]) for r in translators] == [
        ("Helsinki-NLP/opus-mt-ar-en", True, False), ("/nonexistent", False, True)]
    assert translators[0]["problem"] is None and "no such directory" in translators[1]["problem"]
    empty = tmp_path / "empty-model"
    empty.mkdir()
    listed = json.loads(mujaz("models", "list", "-f", "json", env={"MUJAZ_TRANSLATOR": str(empty)}).stdout)
    assert "no config.json or no weights" in listed[-1]["problem"]  # it was null, and brief then exited 3
    text = mujaz("models", "list", env={"MUJAZ_TRANSLATOR": "/nonexistent"}).stdout.decode().splitlines()
    assert [line.split("\t")[7] for line in text] == ["in-use", "not-in-use", "in-use"]
    assert [line.split("\t")[8] != "-" for line in text] == [False, False, True]  # why /nonexistent cannot be used
    # a known model chosen for the other role is listed in that role too (no summariser was in use)
    swapped = json.loads(mujaz("models", "list", "-f", "json", env={"MUJAZ_SUMMARISER": "Helsinki-NLP/opus-mt-ar-en"}).stdout)
    assert [(r["role"], r["id"]) for r in swapped if r["in_use"]] == [
        ("translator", "Helsinki-NLP/opus-mt-ar-en"), ("summariser", "Helsinki-NLP/opus-mt-ar-en")]
    missing = mujaz("models", "path", "translator")
    assert missing.returncode == ExitCode.MODEL_UNAVAILABLE and "mujaz models pull" in missing.stderr.decode()
    pulled = mujaz("models", "pull", "Helsinki-NLP/opus-mt-ar-en")
    assert pulled.returncode == ExitCode.MODEL_UNAVAILABLE
    local = mujaz("models", "path", str(tiny_models / "translator"))
    assert local.returncode == 0 and local.stdout.decode().strip() == str((tiny_models / "translator").resolve())


def test_reading_stdin_from_a_terminal_says_so(sample):
    import os
    import pty

    terminal, child = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "mujaz", "segment", "-"], stdin=child, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT)
    os.close(child)
    os.write(terminal, "عنوان الخبر\nقال الوزير إن المحادثات كانت مثمرة وإن الجانبين اتفقا على مواصلة التعاون.\n".encode())
    os.write(terminal, b"\x04")  # Ctrl-D: the end of the typed article
    out, err = process.communicate(timeout=60)
    os.close(terminal)
    assert process.returncode == 0 and out.decode().startswith("عنوان الخبر")
    assert err.decode() == "mujaz: reading the article from the terminal; end with Ctrl-D\n"


def test_an_empty_model_name_is_a_usage_error(mujaz):
    for command in ("info", "path", "pull"):  # `mujaz models pull "$MODEL"` with MODEL unset
        done = mujaz("models", command, "")
        assert done.returncode == ExitCode.USAGE and done.stderr.decode().startswith("mujaz: error: an empty model name")
    for option in ("--translator", "--summariser"):  # `--translator "$MODEL"` with MODEL unset is not the default
        done = mujaz("brief", option, " ", "-")
        assert done.returncode == ExitCode.USAGE and "an empty model name" in done.stderr.decode()


def test_a_summary_method_given_as_the_summariser_is_a_usage_error(mujaz, tmp_path):
    # "--summariser extractive" was asked of the hub as a model and answered "run mujaz models pull extractive"
    for command in ("brief", "summarise", "batch"):
        done = mujaz(command, "--summariser", "Extractive", "-", input="عنوان\nقال الوزير إن المحادثات مثمرة.\n".encode())
        assert done.returncode == ExitCode.USAGE and done.stdout == b""
        assert "'Extractive' is a summary method, not a model: give it as --method extractive" in done.stderr.decode()
    (tmp_path / "extractive").mkdir()  # a model directory of that name is still a model
    done = mujaz("summarise", "--summariser", "extractive", "-", input=b"\n", cwd=tmp_path)
    assert "summary method" not in done.stderr.decode()
    # ...and in MUJAZ_SUMMARISER, the way to set it for good: it was asked of the hub, with advice to pull it
    article = "عنوان\nقال الوزير إن المحادثات مثمرة.\n".encode()
    for command in ("brief", "summarise", "batch"):
        done = mujaz(command, "-", input=article, env={"MUJAZ_SUMMARISER": "extractive"})
        assert done.returncode == ExitCode.MODEL_UNAVAILABLE and "pull" not in done.stderr.decode()
        assert ("MUJAZ_SUMMARISER=extractive names a summary method, not a model (unset MUJAZ_SUMMARISER, and give "
                "--method extractive)") in done.stderr.decode()
    for command in ("info", "path", "pull", "convert", "verify"):  # `mujaz models pull summariser` said to pull extractive
        done = mujaz("models", command, "summariser", env={"MUJAZ_SUMMARISER": "extractive"})
        assert done.returncode == ExitCode.MODEL_UNAVAILABLE and "names a summary method" in done.stderr.decode(), command
    # the translator's variable is no summary method's place: a model name like any other (a review)
    done = mujaz("translate", "-", input=article, env={"MUJAZ_TRANSLATOR": "auto"})
    assert done.returncode == ExitCode.MODEL_UNAVAILABLE and "summary method" not in done.stderr.decode()
    listed = mujaz("models", "list", "-f", "json", env={"MUJAZ_SUMMARISER": "extractive"})
    assert [row["problem"] for row in json.loads(listed.stdout) if row["id"] == "extractive"] == [
        "MUJAZ_SUMMARISER=extractive names a summary method, not a model (unset MUJAZ_SUMMARISER, and give --method "
        "extractive)"]
    # a method that runs no model is not stopped by it (the variable is a default, read when a model is used)
    done = mujaz("summarise", "--method", "extractive", "-", input=article, env={"MUJAZ_SUMMARISER": "extractive"})
    assert done.returncode == 0, done.stderr.decode()


def test_models_info_reads_config_without_torch(tiny_models):
    code = (
        "import sys; from mujaz.errors import run_app; rc = run_app(['models', 'info', %r, '-f', 'json']); "
        "print('TORCH', 'torch' in sys.modules, file=sys.stderr); sys.exit(rc)" % str(tiny_models / "translator")
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "TORCH False" in done.stderr
    facts = json.loads(done.stdout)
    assert facts["config"]["model_type"] == "marian"
    assert facts["config"]["pad_token_id"] == facts["config"]["vocab_size"] - 1
    assert facts["generation"]["num_beams"] == 2
    assert facts["generation"]["min_new_tokens"] == 2  # every setting the engines apply is shown
    assert "model.safetensors" in facts["files"]


def test_segment_command(mujaz, sample):
    done = mujaz("segment", str(sample))
    assert done.returncode == 0
    lines = done.stdout.decode().splitlines()
    assert len(lines) == 19 and lines[0].startswith("الخارجية الروسية")
    data = json.loads(mujaz("segment", str(sample), "-f", "json").stdout)
    kinds = [s["kind"] for s in data["segments"]]
    assert kinds.count("title") == 1 and kinds.count("heading") == 2 and kinds.count("sentence") == 16
    both = mujaz("segment", "-", str(sample), input=sample.read_bytes()).stdout.decode().splitlines()
    assert [line for line in both if line.startswith("==>")] == ["==> standard input <==", f"==> {sample} <=="]  # as head says


def test_segment_markdown_and_bidi(mujaz, sample, tmp_path):
    data = json.loads(mujaz("segment", str(sample), "-f", "json").stdout)
    assert data["schema"] == "mujaz.segments/1" and data["task"] == "segment"  # told apart from briefs in mixed JSONL
    markdown = mujaz("segment", str(sample), str(sample), "-f", "markdown").stdout.decode()
    first, second = markdown.split("\n---\n")
    # Several articles in one document: each named, as text's "==> SOURCE <==" (nothing told them apart)
    named = f"*source: {markdown_inline(str(sample))}*\n\n"
    assert first.startswith(named) and second.startswith("\n" + named)
    first, second = first.removeprefix(named), second.removeprefix("\n" + named)
    lines = first.strip().splitlines()
    headings = [s["text"] for s in data["segments"] if s["kind"] == "heading"]
    assert lines[0] == "# " + data["segments"][0]["text"] and lines[1] == ""
    assert [line[3:] for line in lines if line.startswith("## ")] == headings
    sentences = [s["text"] for s in data["segments"] if s["kind"] == "sentence"]
    assert [line for line in lines if line and not line.startswith("#")] == sentences  # each on its own line, in order
    paragraphs = len({s["paragraph"] for s in data["segments"] if s["kind"] == "sentence"})
    assert lines.count("") == 1 + 2 * len(headings) + paragraphs - 1 - len(headings)  # around headings, between paragraphs
    assert second.strip() == first.strip()
    headline_then_heading = tmp_path / "th.txt"
    headline_then_heading.write_text("عنوان الخبر\nعنوان فرعي\nقال الوزير إن المحادثات كانت مثمرة.\n", encoding="utf-8")
    assert mujaz("segment", str(headline_then_heading), "-f", "markdown").stdout.decode() == (
        "# عنوان الخبر\n\n## عنوان فرعي\n\nقال الوزير إن المحادثات كانت مثمرة.\n")  # one blank line between
    # --bidi: the same lines reordered for terminals without right-to-left support; JSON untouched
    plain = mujaz("segment", str(sample)).stdout.decode().splitlines()
    # several sources in text: each under its own `==> SOURCE <==` line, as brief does
    assert mujaz("segment", str(sample), str(sample)).stdout.decode().splitlines() == (
        [f"==> {sample} <=="] + plain + ["", f"==> {sample} <=="] + plain)
    reordered = mujaz("segment", str(sample), "--bidi", env={"COLUMNS": "400"}).stdout.decode().splitlines()
    assert len(reordered) == len(plain) and reordered[0] != plain[0]
    done = mujaz("segment", str(sample), "-f", "json", "--bidi")
    assert json.loads(done.stdout) == data  # data for programs: never reordered, and said so
    assert done.stderr.decode() == "mujaz: warning: --bidi reorders text and rich output; json keeps Arabic in logical order\n"


def test_bidi_on_translates_english_text_is_said(mujaz, sample, tiny_models):
    """translate's text output is the English alone: --bidi reordered nothing, without a word (a review)."""
    translator = str(tiny_models / "translator")
    said = "mujaz: warning: --bidi reorders Arabic, and translate's text output is the English alone"
    asked = mujaz("translate", str(sample), "--translator", translator, "-f", "text", "--bidi")
    plain = mujaz("translate", str(sample), "--translator", translator, "-f", "text")
    assert asked.returncode == plain.returncode == 0 and asked.stdout == plain.stdout
    assert said in asked.stderr.decode().splitlines() and said not in plain.stderr.decode()


def test_summary_budget_in_words_or_ratio(mujaz, sample):
    def summary(*args):
        done = mujaz("summarise", str(sample), "--method", "extractive", "-f", "json", *args)
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout)["summary"]

    short, longer = summary("--words", "20"), summary("--words", "120")
    assert len(short["ar"].split()) < len(longer["ar"].split())
    assert len(longer["ar"].split()) >= 120
    assert summary("--ratio", "0.5")["length"] == "ratio 0.5"
    assert short["length"] == "20 words" and short["words"] == 20  # the budget as a number, for scripts
    assert summary("--words", "1")["length"] == "1 word"  # not "1 words", a label a script may show
    ratio = summary("--ratio", "0.5")
    assert ratio["words"] == round(0.5 * len(words(sample.read_text(encoding="utf-8"))))
    # The extractive summariser's budget is known: for medium a quarter of the article's words, at most 80
    assert 35 < summary()["words"] <= 80 and summary("--length", "short")["words"] == 35
    assert mujaz("summarise", str(sample), "--words", "5", "--ratio", "0.2").returncode == 2


def test_summary_words_is_the_budget_the_summary_was_made_to(mujaz, tmp_path):
    """Under 140 words short's budget is a quarter of the article, and the JSON said 35 all the same."""
    article = tmp_path / "short.txt"
    article.write_text("الحكومة تعلن خطة جديدة\n\n" + " ".join(
        ["أعلنت الحكومة اليوم عن خطة جديدة لدعم الشركات الصغيرة في المحافظات."] * 4), encoding="utf-8")
    done = mujaz("summarise", str(article), "--method", "extractive", "--length", "short", "-f", "json")
    summary = json.loads(done.stdout)["summary"]
    assert (summary["length"], summary["words"]) == ("short", round(4 * 11 / 4))


def test_translate_without_a_translator_passes_no_arabic_off_as_english(mujaz, sample):
    for fmt in ("text", "markdown"):  # the English article alone: there is none, so nothing (`> article.en.md`)
        done = mujaz("translate", str(sample), "-f", fmt)
        assert done.returncode == ExitCode.MODEL_UNAVAILABLE and done.stdout == b""
        lines = done.stderr.decode().strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("mujaz: error: model Helsinki-NLP/opus-mt-ar-en is not in the local cache")
    record = json.loads(mujaz("translate", str(sample), "-f", "json").stdout)  # the record keeps the Arabic, English null
    assert len(record["segments"]) == 19 and {segment["en"] for segment in record["segments"]} == {None}


def test_translate_text_and_markdown_are_the_english_article(mujaz, sample, tiny_models):
    """`translate > article.en.md`: the English of each segment, in paragraphs as the JSON pairs them."""
    args = ("translate", str(sample), "--translator", str(tiny_models / "translator"), "--engine", "transformers")
    blocks, paragraph = [], None  # (kind, English): title, headings, and each paragraph's sentences joined
    for segment in json.loads(mujaz(*args, "-f", "json").stdout)["segments"]:
        if segment["kind"] == "sentence" and segment["paragraph"] == paragraph:
            blocks[-1] = (blocks[-1][0], f"{blocks[-1][1]} {segment['en']}")
        else:
            blocks.append((segment["kind"], segment["en"]))
        paragraph = segment["paragraph"] if segment["kind"] == "sentence" else None
    assert len(blocks) > 3 and {kind for kind, _ in blocks} >= {"title", "sentence"}
    text = mujaz(*args, "-f", "text").stdout.decode()
    assert text.strip().split("\n\n") == [english for _, english in blocks]
    markdown = mujaz(*args, "-f", "markdown").stdout.decode().replace("\\", "")  # escapes aside
    marks = {"title": "# ", "heading": "## ", "sentence": ""}
    assert markdown.strip().split("\n\n") == [marks[kind] + english for kind, english in blocks]
    assert arabic_share(text + markdown) == 0


def test_a_line_without_letters_is_no_markdown_heading(mujaz, tiny_models, tmp_path):
    """A year or a separator alone on its line ("2020", "* * *", "ـــ") reads as text, not as `## 2020`, a section."""
    article = tmp_path / "a.txt"
    article.write_text("عنوان الخبر هنا\n2020\nوصل الوزير إلى موسكو اليوم في زيارة رسمية.\n* * *\n"
                       "عودة الوفد\nانتهى الاجتماع مساء أمس.\nـــــ\nوعاد الوفد اليوم.\n", encoding="utf-8")
    segmented = mujaz("segment", str(article), "-f", "markdown").stdout.decode().splitlines()
    assert segmented == ["# عنوان الخبر هنا", "", "2020", "", "وصل الوزير إلى موسكو اليوم في زيارة رسمية.", "",
                         "\\* \\* \\*", "", "## عودة الوفد", "", "انتهى الاجتماع مساء أمس.", "", "ـــــ", "",
                         "وعاد الوفد اليوم."]
    translated = mujaz("translate", str(article), "--translator", str(tiny_models / "translator"),
                       "--engine", "transformers", "-f", "markdown").stdout.decode().split("\n\n")
    assert translated[1:2] == ["2020"] and translated[3:4] == ["\\* \\* \\*"] and translated[6:7] == ["ـــــ"]
    assert translated[0].startswith("# ") and translated[4].startswith("## ")
    # Nor is the stroke over the headline the headline
    article.write_text("ـــــ\nعنوان الخبر هنا\nوصل الوزير إلى موسكو اليوم في زيارة رسمية.\n", encoding="utf-8")
    assert mujaz("segment", str(article), "-f", "markdown").stdout.decode().startswith("# عنوان الخبر هنا\n")


def test_a_warning_is_said_once_a_run_and_kept_in_each_record(mujaz, sample):
    done = mujaz("summarise", str(sample), str(sample), str(sample), "-f", "jsonl")  # no summariser here: extractive
    said = [line for line in done.stderr.decode().splitlines() if "abstractive summariser unavailable" in line]
    assert done.returncode == 0 and len(said) == 1
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(records) == 3 and all(any("abstractive summariser unavailable" in w for w in r["warnings"]) for r in records)


def test_hub_ids_with_dots_are_hub_ids_and_paths_are_paths():
    from mujaz.errors import ModelUnavailable
    from mujaz.models import hub

    assert hub.resolve("someone/model.v2").revision == "main"
    for path in ("./missing-model", "../missing", "/no/such/model"):
        with pytest.raises(ModelUnavailable, match="no such directory"):
            hub.resolve(path)


def test_a_lists_items_keep_their_lines_in_a_summary(mujaz, tiny_models, tmp_path):
    """A summary that chose a list ran its items into one line with the sentences around it ("ما يلي: - خفض
    الرسوم ... - زيادة الدعم ... وقال ..."), in Arabic and in English, in text, Markdown and --bidi alike."""
    lead_in = "وتشمل الإجراءات ما يلي:"
    items = ["- خفض الرسوم الجمركية على القمح والأرز والسكر بنسبة خمسين في المئة",
             "- زيادة الدعم المخصص للخبز في الموازنة العامة للعام المقبل",
             "- صرف منحة شهرية للأسر محدودة الدخل لمدة ستة أشهر"]
    lead = "أعلنت الحكومة اليوم الأحد حزمة من الإجراءات الاقتصادية لمواجهة الارتفاع المتواصل في أسعار المواد الغذائية."
    said = ("وقال رئيس الوزراء في مؤتمر صحفي إن هذه الإجراءات ستخفف العبء عن المواطنين.",
            "وكانت الأسعار قد ارتفعت بنحو ثلاثين في المئة خلال العام الجاري.")
    article = tmp_path / "list.txt"
    article.write_text("\n".join(["الحكومة تعلن إجراءات لمواجهة ارتفاع الأسعار", lead, lead_in, *items, *said]) + "\n",
                       encoding="utf-8")
    expected = [f"{lead} {lead_in}", *items, " ".join(said)]
    summarise = ("summarise", str(article), "--method", "extractive", "--words", "200")
    assert mujaz(*summarise).stdout.decode().splitlines()[1:] == expected
    brief = json.loads(mujaz(*summarise, "--to", "en", "-f", "json", "--translator", str(tiny_models / "translator")).stdout)
    assert brief["summary"]["ar"].split("\n") == expected and brief["summary"]["en"].count("\n") == len(items) + 1
    markdown = mujaz(*summarise, "-f", "markdown").stdout.decode()
    assert "\\\n".join(["\\- " + item[2:] for item in items]) in markdown  # a hard break after each: lines still
    shown = mujaz(*summarise, "--bidi").stdout.decode().splitlines()
    assert sum(line.endswith(" -") for line in shown) == len(items)  # each item a line, its bullet at its left end


def test_markdown_text_stays_text(mujaz, tmp_path):
    from mujaz.render import markdown_text

    for line, escaped in [("# لا يعني ذلك شيئا.", "\\# لا يعني ذلك شيئا."), ("- أولا، الاقتصاد.", "\\- أولا، الاقتصاد."),
                          ("3. ثالثا.", "3\\. ثالثا."), (">نص", "\\>نص"), ("---", "\\---"), ("===", "\\==="),
                          ("* نجمة", "\\* نجمة"), ("```وصل الوزير.", "\\`\\`\\`وصل الوزير."), ("~~~", "\\~~~"),
                          ("<div>نص</div>", "\\<div\\>نص\\</div\\>"), ("<3 كلمات.", "\\<3 كلمات."),
                          # inline: emphasis, links, entities and backslashes stay text
                          ("قال _الوزير_ إن **5%**", "قال \\_الوزير\\_ إن \\*\\*5%\\*\\*"),
                          ("[الرابط](http://x) C:\\new &copy;", "\\[الرابط\\](http://x) C:\\\\new \\&copy;")]:
        assert markdown_text(line) == escaped
    from mujaz.render import markdown_heading

    assert markdown_heading("عنوان عن السوق #") == "عنوان عن السوق \\#"  # not read as the heading's closing mark
    for line in ("2026 عام الانتخابات.", "3.5 مليار دولار.", "-5 درجات.", "#هاشتاغ في النص.", "نص عادي.",
                 "٣. ثالثا (Arabic-Indic digits start no list)."):
        assert markdown_text(line) == line
    # end to end: a sentence that starts like a list item stays a sentence in segment's markdown
    article = tmp_path / "a.txt"
    article.write_text("عنوان الخبر هنا\n- أولا، وصل الوزير إلى موسكو اليوم في زيارة رسمية.\n3. ثالثا، انتهى الاجتماع.\n",
                       encoding="utf-8")
    shown = mujaz("segment", str(article), "-f", "markdown").stdout.decode().splitlines()
    assert shown == ["# عنوان الخبر هنا", "", "\\- أولا، وصل الوزير إلى موسكو اليوم في زيارة رسمية.", "",
                     "3\\. ثالثا، انتهى الاجتماع."]


def test_results_are_utf8_whatever_the_locale_encoding(mujaz, sample, tmp_path):
    """A pipe on Windows (cp1252) or a legacy locale cannot encode Arabic: all output was lost, exit 1."""
    expected = mujaz("segment", str(sample)).stdout
    for encoding in ("cp1252", "ascii", "iso8859-6"):
        # the standard streams as Python opens them on such a system: in the locale's encoding
        script = ("import io, sys\n"
                  f"sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding={encoding!r})\n"
                  f"sys.stderr = io.TextIOWrapper(sys.stderr.buffer, encoding={encoding!r})\n"
                  "from mujaz.errors import run_app\n"
                  "code = run_app(sys.argv[1:]); sys.stdout.flush(); sys.stderr.flush(); sys.exit(code)\n")
        done = subprocess.run([sys.executable, "-c", script, "segment", str(sample)], capture_output=True, cwd=ROOT)
        assert done.returncode == 0 and done.stdout == expected, done.stderr.decode()
        done = subprocess.run([sys.executable, "-c", script, "segment", "./no-such-مقال.txt"], capture_output=True, cwd=ROOT)
        # stderr cannot encode the name: escaped, not a failure
        assert done.returncode == ExitCode.BAD_INPUT and b"no such file" in done.stderr and b"Traceback" not in done.stderr
    # an encoding asked for by name is kept; what it cannot hold is escaped rather than fatal
    asked = mujaz("segment", str(sample), env={"PYTHONIOENCODING": "cp1256"})
    assert asked.returncode == 0 and asked.stdout.decode("cp1256") == expected.decode("utf-8")
    # and JSON stays JSON: Python's escapes (\U0001f600, \xe9) are none of its
    article = tmp_path / "emoji.txt"
    article.write_text("عنوان الخبر\n\nقال الوزير إن النتائج 😀 ممتازة في Nestlé اليوم.\n", encoding="utf-8")
    for encoding in ("cp1256", "ascii"):
        asked = mujaz("segment", "-f", "json", str(article), env={"PYTHONIOENCODING": encoding})
        said = json.loads(asked.stdout.decode(encoding))["segments"][-1]["text"]
        assert asked.returncode == 0 and said == "قال الوزير إن النتائج 😀 ممتازة في Nestlé اليوم.", encoding
    # unless the errors are asked for by name too
    asked = mujaz("segment", str(article), env={"PYTHONIOENCODING": "ascii:ignore"})
    assert asked.returncode == 0 and asked.stdout.decode("ascii").splitlines()[-1] == "       Nestl ."


def test_control_characters_in_file_names_reach_no_terminal(mujaz, sample, tmp_path):
    article = tmp_path / "x\x1b[31mred.txt"
    article.write_bytes(sample.read_bytes())
    english = tmp_path / "e\x1b[2J\nng.txt"
    english.write_text("hello\n")
    done = mujaz("segment", str(article), str(english))
    assert done.returncode == ExitCode.SOME_FAILED
    assert b"\x1b" not in done.stdout and f"==> {tmp_path}/x [31mred.txt <==".encode() in done.stdout
    assert b"\x1b" not in done.stderr and len(done.stderr.decode().splitlines()) == 1  # the line break too


def test_batch_progress_says_what_the_chunk_is_at(sample, tiny_models, tmp_path):
    """The bar moves once a chunk (minutes apart with real models): beside it, what is being done."""
    feed = tmp_path / "feed"
    feed.mkdir()
    for name in ("a.txt", "b.txt"):
        (feed / name).write_bytes(sample.read_bytes())
    shown = _on_a_terminal("batch", str(feed), "--task", "translate", "--translator", str(tiny_models / "translator"),
                           "--engine", "transformers", "--no-cache", "-o", str(tmp_path / "out.jsonl"))
    assert "articles" in shown and "Loading the translator" in shown


def test_a_terminal_that_cannot_redraw_gets_lines_of_progress(sample, tiny_models, tmp_path):
    """TERM=dumb (Emacs' shell): Rich draws no spinner or bar there, so progress is plain lines."""
    feed = tmp_path / "feed"
    feed.mkdir()
    for name in ("a.txt", "b.txt"):
        (feed / name).write_bytes(sample.read_bytes())
    dumb = {"TERM": "dumb"}
    shown = _on_a_terminal("batch", str(feed), "--task", "translate", "--translator", str(tiny_models / "translator"),
                           "--engine", "transformers", "--no-cache", "-o", str(tmp_path / "out.jsonl"), env=dumb)
    assert "mujaz: articles: 0 of 2\r\n" in shown and "mujaz: Loading the translator" in shown and "\x1b" not in shown
    shown = _on_a_terminal("translate", str(sample), "--translator", str(tiny_models / "translator"),
                           "--engine", "transformers", "-f", "json", env=dumb)
    assert "mujaz: Loading the translator" in shown and "mujaz: Translating" in shown and "\x1b" not in shown
    headlines = tmp_path / "headlines.jsonl"
    article = {"text": sample.read_text(encoding="utf-8"), "title": "لافروف يلتقي وانغ يي"}
    headlines.write_text("".join(json.dumps({"id": str(n), **article}) + "\n" for n in range(3)), encoding="utf-8")
    shown = _on_a_terminal("eval", "headlines", str(headlines), "-f", "json", env=dumb)
    assert "mujaz: Scoring: 0 of 3" in shown


def test_plain_progress_is_a_line_now_and_then_not_one_an_item(monkeypatch):
    import io

    from mujaz import render

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    now = [0.0]
    monkeypatch.setattr("time.monotonic", lambda: now[0])
    monkeypatch.setenv("TERM", "dumb")
    said = Terminal()
    progress = render.PlainProgress(render.Feedback(stream=said), "articles", 1000)
    for second in range(25):  # an item a second for 25 seconds
        now[0] = second + 1.0
        progress.advance(1, failed=int(second >= 15))
    assert said.getvalue().splitlines() == ["mujaz: articles: 0 of 1,000", "mujaz: articles: 10 of 1,000 done",
                                            "mujaz: articles: 20 of 1,000 done, 1 failed"]
    # What is being done: each kind of step at once the first time, then no more often than the
    # count, which keeps its own clock (a step said every chunk once hid every count).
    said = Terminal()
    now[0] = 0.0
    progress = render.PlainProgress(render.Feedback(stream=said), "articles", 40)
    for second in range(1, 25):
        now[0] = float(second)
        progress.doing("Loading the translator x" if second == 1 else f"Translating {second} segments")
        progress.advance(1)
    assert said.getvalue().splitlines() == ["mujaz: articles: 0 of 40", "mujaz: Loading the translator x",
                                            "mujaz: Translating 2 segments", "mujaz: articles: 10 of 40 done",
                                            "mujaz: Translating 12 segments", "mujaz: articles: 20 of 40 done",
                                            "mujaz: Translating 22 segments"]
    monkeypatch.setenv("TERM", "xterm")  # a terminal that redraws has Rich's bar instead
    said = Terminal()
    render.PlainProgress(render.Feedback(stream=said), "articles", 1000).advance(1)
    assert said.getvalue() == ""


def test_a_file_name_is_no_rich_markup_in_the_spinner(sample, tmp_path):
    (tmp_path / "x[").mkdir()
    odd = tmp_path / "x[" / "b]y.txt"  # ".../x[/b]y.txt": "[/b]" closes no tag, and Rich raised a MarkupError, exit 1
    odd.write_bytes(sample.read_bytes())
    shown = _on_a_terminal("summarise", str(odd), str(sample), "--method", "extractive", "-f", "jsonl")
    assert shown.count('"schema"') == 2


def test_rich_translate_tables_name_their_sources(sample, tiny_models, tmp_path):
    """Two tables of several sources said nothing of which was which (brief's panels did)."""
    # Short articles: a quick run.
    one, other = tmp_path / "one.txt", tmp_path / "other.txt"
    one.write_text("عنوان الخبر\nانتهى الاجتماع في موسكو.\n", encoding="utf-8")
    other.write_text("عنوان آخر\nبدأ الاجتماع في بكين.\n", encoding="utf-8")
    shown = _on_a_terminal("translate", str(one), str(other), "--translator", str(tiny_models / "translator"),
                           "--engine", "transformers", "--no-bidi", "-q")  # -q: no spinner naming them on stderr
    assert "one.txt" in shown and "other.txt" in shown and shown.index("one.txt") < shown.index("other.txt")


def test_a_model_in_the_wrong_role_is_refused_or_said(mujaz, sample, tiny_models, tmp_path):
    """A translator given as the summariser gave "terterlala..." as the Arabic summary, exit 0, and
    `models list` saw nothing wrong; a summariser given as the translator wrote its "English"."""
    marian, mt5 = str(tiny_models / "translator"), str(tiny_models / "summariser")
    done = mujaz("summarise", str(sample), "--summariser", marian, "-f", "json")
    assert done.returncode == 3 and done.stdout == b""
    assert "is a Marian translation model, not a summariser" in done.stderr.decode()
    listed = json.loads(mujaz("models", "list", "-f", "json", env={"MUJAZ_SUMMARISER": marian}).stdout)
    assert "not a summariser" in [r for r in listed if r["id"] == marian][0]["problem"]
    done = mujaz("brief", str(sample), "--method", "extractive", "--translator", mt5, "-f", "json")
    assert done.returncode == 0
    assert any("is an mt5 model that names no languages" in w for w in json.loads(done.stdout)["warnings"])
    # A folder that holds no model is told so, as `models path` tells it (it was "damaged; download it again")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "readme.txt").write_text("not a model")
    done = mujaz("models", "info", str(tmp_path / "notes"))
    assert done.returncode == 3 and "give the folder a model was saved in" in done.stderr.decode()
    # A config that is JSON but no object is a damaged model (exit 3), not a TypeError (exit 1)
    damaged = tmp_path / "damaged"
    shutil.copytree(marian, damaged)
    (damaged / "config.json").write_text('"model_type"')
    done = mujaz("models", "info", str(damaged))
    assert done.returncode == 3 and "config.json is not a JSON object" in done.stderr.decode()
    (damaged / "config.json").write_text('{"model_type": "marian", "d_model": 1')  # cut short: transformers reads it
    done = mujaz("translate", str(sample), "--translator", str(damaged), "--engine", "transformers", "-f", "json")
    assert done.returncode == 3 and "is not a valid JSON file" in done.stderr.decode()
    assert "(the model's files may be damaged; download it again)" in done.stderr.decode()  # said no remedy
    # Downloading again mends neither an architecture transformers does not know nor a model's own code
    for config, remedy in [({"model_type": "qwen9_moe"}, "(a newer transformers may know it"),
                           ({"model_type": "custom_thing", "auto_map": {"AutoConfig": "x.Y"}}, "(mujaz never runs code")]:
        (damaged / "config.json").write_text(json.dumps({**json.loads((tiny_models / "translator" / "config.json")
                                                                      .read_text()), **config}))
        done = mujaz("translate", str(sample), "--translator", str(damaged), "--engine", "transformers", "-f", "json")
        assert done.returncode == 3 and remedy in done.stderr.decode() and "download it again" not in done.stderr.decode()


def test_a_model_named_by_the_environment_says_so_when_it_cannot_be_had(mujaz, sample):
    """MUJAZ_TRANSLATOR set long ago: the error said "give a hub id", pointing at no option given."""
    done = mujaz("brief", str(sample), "--method", "extractive", "-f", "json", env={"MUJAZ_TRANSLATOR": "/nope"})
    assert done.returncode == 3 and json.loads(done.stdout)["summary"]["ar"]  # the Arabic part kept
    assert "(named by MUJAZ_TRANSLATOR) (set MUJAZ_TRANSLATOR to a hub id or a model folder, or unset it)" in done.stderr.decode()
    listed = json.loads(mujaz("models", "list", "-f", "json", env={"MUJAZ_TRANSLATOR": "/nope"}).stdout)
    assert [r["problem"] for r in listed if r["id"] == "/nope"] == [
        "model '/nope': no such directory (named by MUJAZ_TRANSLATOR) (set MUJAZ_TRANSLATOR to a hub id or a model "
        "folder, or unset it)"]  # where one looks to see why: it said "give a hub id", no option given


def test_quantize_with_the_ctranslate2_engine_says_what_to_do(mujaz, sample):
    done = mujaz("summarise", str(sample), "--method", "extractive", "--to", "en", "--quantize",
                 env={"MUJAZ_ENGINE": "ctranslate2"})
    assert done.returncode == 2 and "(leave out --quantize, or choose --engine transformers" in done.stderr.decode()


def test_a_file_whose_name_starts_with_a_dash_is_told_how_to_give_it(sample, tmp_path):
    """`mujaz brief $f` over `ls`: "-dash.txt" read as options -d... said only "No such option: -d"."""
    (tmp_path / "-dash.txt").write_bytes(sample.read_bytes())
    done = subprocess.run([sys.executable, "-m", "mujaz", "summarise", "--method", "extractive", "-dash.txt"],
                          capture_output=True, cwd=tmp_path)
    assert done.returncode == 2 and done.stderr.decode().strip() == (
        "mujaz: error: No such option: -d (a file whose name starts with '-' goes after '--' or as ./-dash.txt; "
        "see 'mujaz summarise --help')")
    done = subprocess.run([sys.executable, "-m", "mujaz", "summarise", "--method", "extractive", "--", "-dash.txt"],
                          capture_output=True, cwd=tmp_path)
    assert done.returncode == 0 and done.stdout
    # A file of that name given as an option's value is not what went wrong: no word of it then
    done = subprocess.run([sys.executable, "-m", "mujaz", "batch", "in.jsonl", "-o", "-dash.txt", "--resum"],
                          capture_output=True, cwd=tmp_path)
    assert done.returncode == 2 and "starts with '-'" not in done.stderr.decode() and "--resum" in done.stderr.decode()
    # A file whose whole name is taken for an unknown option is the file meant
    (tmp_path / "--x.txt").write_bytes(sample.read_bytes())
    done = subprocess.run([sys.executable, "-m", "mujaz", "segment", "--x.txt"], capture_output=True, cwd=tmp_path)
    assert done.returncode == 2 and "or as ./--x.txt" in done.stderr.decode()


def test_an_article_with_nothing_to_summarise_is_bad_input_for_a_summary(mujaz, tmp_path, sample):
    """An Arabic headline over an English body, or a body of a credit alone, was a success (exit 0, in batch no
    error) with an empty summary, which a script reading .summary.en took for one (a review)."""
    english_body = tmp_path / "english-body.txt"
    english_body.write_text("الخارجية الروسية: التعاون بين موسكو وبكين هدفه إيجاد عالم متعدد الأقطاب في العالم الجديد\n"
                            "The foreign ministers met in Moscow on Monday.\n", encoding="utf-8")
    credit = tmp_path / "credit.txt"
    credit.write_text("عنوان الخبر المهم\nالمصدر: رويترز\n", encoding="utf-8")
    # Labels over the buttons a page's copied text lost: the summariser's empty summary was a success (exit 0)
    labels = tmp_path / "labels.txt"
    labels.write_text("وزير الخارجية يزور القاهرة اليوم\nالكلمات الدالة :\nمشاركة:\n", encoding="utf-8")
    for path in (english_body, credit, labels):
        done = mujaz("summarise", "--method", "extractive", str(path))
        assert done.returncode == ExitCode.BAD_INPUT and done.stdout == b"", path
        assert done.stderr.decode() == (f"mujaz: error: {path}: nothing to summarise: the body is only source, credit, "
                                        "'read also' or label lines, or not in Arabic (`mujaz segment` shows how the "
                                        "article was read)\n")
    # Among others: its failure record in its place, the others' results kept, exit 5
    done = mujaz("summarise", "--method", "extractive", "-f", "jsonl", str(credit), str(sample))
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == ExitCode.SOME_FAILED and records[0]["error"]["code"] == ExitCode.BAD_INPUT
    assert records[1]["summary"]["ar"]
    items = tmp_path / "items.jsonl"
    items.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in (
        {"id": "credit", "text": credit.read_text(encoding="utf-8")}, {"id": "news", "path": str(sample)})), encoding="utf-8")
    done = mujaz("batch", "--task", "summarise", "--method", "extractive", str(items))
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == ExitCode.SOME_FAILED and records[0]["error"]["code"] == ExitCode.BAD_INPUT
    assert records[1]["summary"]["ar"]
    # Segmenting it is no summary: as it was
    assert mujaz("segment", str(credit)).returncode == 0
