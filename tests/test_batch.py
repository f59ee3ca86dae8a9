"""`mujaz batch`: order, per-item errors, cache, resume after kill -9, concurrency."""

import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from mujaz.core.batch import BatchRunner, Item, already_written, parse_line, read_items
from mujaz.core.provider import ModelProvider
from mujaz.core.cache import APPLICATION_ID, SCHEMA, Cache
from mujaz.errors import BadInput
from mujaz.models import hf
from mujaz.models.base import LENGTHS

from conftest import ROOT, wait_for_output, write_articles


def ids(path):
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def run_batch(mujaz, source, *args, env=None):
    return mujaz("batch", str(source), *args, env=env)


def test_order_and_per_item_errors(mujaz, articles, tiny_models, tmp_path):
    out = tmp_path / "out.jsonl"
    done = run_batch(mujaz, articles, "--translator", str(tiny_models / "translator"), "-o", str(out), "--chunk", "3",
                     env={"MUJAZ_CACHE": str(tmp_path / "c.sqlite")})
    assert done.returncode == 5, done.stderr.decode()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a0", "a1", "english", "a2", "line-5", "a3", "a4", "a5", "by-path"]
    errors = {r["id"]: r["error"] for r in records if "error" in r}
    assert set(errors) == {"english", "line-5"} and errors["english"]["code"] == 4
    good = [r for r in records if "error" not in r]
    assert all(r["schema"] == "mujaz.brief/1" and r["title"]["en"] and r["summary"]["en"] for r in good)
    assert "موسكو 2" in good[2]["summary"]["ar"]  # each result belongs to its own input


def test_stdout_directory_and_glob_inputs(mujaz, sample, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ("b.txt", "a.txt", "C.TXT", "d.Html", "notes.md", ".hidden.txt", ".git/x.txt", "sub/.venv/y.txt", "sub/e.txt"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(sample.read_bytes())
    by_dir = run_batch(mujaz, folder, "--task", "summarise", "--method", "extractive", "--no-cache")
    assert by_dir.returncode == 0
    # Extensions in any case, as Ray lists a folder in object storage; other files are not articles,
    # nor are hidden ones, or those in hidden folders (.git, .venv), as a glob's ** has them.
    ids = [json.loads(line)["id"] for line in by_dir.stdout.decode().splitlines()]
    assert ids == ["C.TXT", "a.txt", "b.txt", "d.Html", "sub/e.txt"]
    # An unset variable (`mujaz batch "$FEED"`) is no folder: not the current one, as Path("") is.
    unset = run_batch(mujaz, "", "--task", "summarise", "--method", "extractive", "--no-cache")
    assert (unset.returncode, unset.stdout) == (4, b"")
    assert unset.stderr.decode().startswith("mujaz: error: an empty input name")
    by_glob = run_batch(mujaz, f"{folder}/*.txt", "--task", "summarise", "--method", "extractive", "--no-cache")
    assert len(by_glob.stdout.decode().splitlines()) == 2
    piped = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "--no-cache",
                  input=json.dumps({"id": "x", "path": str(sample)}).encode())
    assert json.loads(piped.stdout)["id"] == "x"


def test_second_run_does_no_model_work(articles, tiny_models, tmp_path):
    cache_path = tmp_path / "cache.sqlite"

    def run_once():
        provider = ModelProvider(method="extractive", translator=str(tiny_models / "translator"), engine="transformers")
        cache = Cache(cache_path)
        runner = BatchRunner("brief", provider, LENGTHS["medium"], cache)
        records = runner.run(list(read_items(str(articles))))
        loaded = runner.translator()._inner is not None
        cache.close()
        return records, loaded

    first, loaded_first = run_once()
    second, loaded_second = run_once()
    assert loaded_first and not loaded_second  # every result came from the cache
    assert [r["id"] for r in first] == [r["id"] for r in second]
    strip = lambda rs: [{k: v for k, v in r.items() if k != "source"} for r in rs]  # noqa: E731
    assert strip(first) == strip(second)
    info = Cache(cache_path).info()
    assert info["results"] == 7 and info["sentences"] > 0


@pytest.mark.skipif(not hf.no_gpu_here(), reason="a GPU may be here: torch is asked")
def test_a_cached_run_imports_no_torch(mujaz, articles, tiny_models, tmp_path):
    """Every result in the cache: torch was imported (1.4 s, 260 MB) only to name --device auto's
    device in the cache keys. The second run is made to fail if it imports torch at all."""
    args = ["batch", str(articles), "--task", "brief", "--method", "extractive", "--translator",
            str(tiny_models / "translator"), "--engine", "transformers"]
    env = {"MUJAZ_CACHE": str(tmp_path / "cache.sqlite")}
    assert mujaz(*args, env=env).returncode == 5  # two items fail
    without_torch = subprocess.run(
        [sys.executable, "-c", "import sys; sys.modules['torch'] = None; from mujaz.errors import run_app; "
                               "sys.exit(run_app(sys.argv[1:]))", *args],
        capture_output=True, cwd=ROOT, env={**os.environ, **env})
    assert without_torch.returncode == 5, without_torch.stderr.decode()
    assert without_torch.stderr.decode().splitlines()[-1].endswith(", cache served 7 of 7 results")
    # Another length: no result to serve, but the translated sentences the summaries share are
    shorter = mujaz(*args, "--length", "short", env=env).stderr.decode().splitlines()[-1]
    assert re.search(r", cache served 0 of 7 results, [1-9]\d* of \d+ translated sentences$", shorter), shorter


def test_results_cached_by_other_code_are_not_served(articles, tiny_models, tmp_path, monkeypatch):
    from mujaz.core import cache as cache_module

    def run_once():
        provider = ModelProvider(method="extractive", translator=str(tiny_models / "translator"), engine="transformers")
        cache = Cache(tmp_path / "cache.sqlite")
        runner = BatchRunner("brief", provider, LENGTHS["medium"], cache)
        runner.run(list(read_items(str(articles))))
        cache.close()
        return runner.chunks_computed, cache.found["results"]

    assert run_once()[0] == 1
    assert run_once() == (0, 7)  # the same code: every result from the cache
    # mujaz's segmenter, summariser or decoding changed: neither results nor sentences are reused.
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another version")
    assert run_once() == (1, 0)


def test_any_script_is_part_of_the_summarisers_cache_identity(tiny_models):
    summariser = str(tiny_models / "summariser")
    arabic = ModelProvider(method="abstractive", summariser=summariser, engine="transformers")
    free = ModelProvider(method="abstractive", summariser=summariser, engine="transformers", any_script=True)
    assert arabic.identity("summariser") != free.identity("summariser")
    assert arabic.identity("translator") == free.identity("translator")


def test_a_chunks_abstractive_summaries_are_budget_per_article_own(sample, tiny_models):
    """Batch mode summarises a chunk's articles together: each record still carries its own
    article's summary, the one `mujaz summarise` gives it alone (long ones with their note)."""
    from mujaz.core.brief import start_brief, summarise_briefs
    from mujaz.core.source import Source, article_from_bytes

    text = sample.read_text(encoding="utf-8")
    texts = [text, text.split("\n\n")[0] + "\n\nوقال لافروف إن التعاون مستمر.", "خبر قصير\n\nوصل الوزير إلى موسكو اليوم."]
    provider = ModelProvider(method="abstractive", summariser=str(tiny_models / "summariser"), engine="transformers")
    records = BatchRunner("summarise", provider, LENGTHS["short"], None).run(
        [Item(id=f"n{i}", text=t) for i, t in enumerate(texts)])
    for text, record in zip(texts, records):
        alone = start_brief(article_from_bytes(text.encode("utf-8"), Source(kind="inline", location="alone")), "summarise")
        summarise_briefs([alone], provider.summariser(), LENGTHS["short"])
        assert record["summary"]["ar"] == alone.summary.text and record["warnings"] == alone.warnings
    assert len({r["summary"]["ar"] for r in records}) == 3 and records[0]["warnings"]


def test_articles_summarised_together_each_at_its_own_budget_are_as_alone(sample, tiny_models):
    """`mujaz eval` summarises a chunk together, each article at a third of its words: the same
    summaries, and each one's notes, as one by one."""
    from mujaz.core.segment import segment_article, sentences_of
    from mujaz.models.base import LengthBudget

    text = sample.read_text(encoding="utf-8")
    articles = [(sentences_of(segment_article(t)), None) for t in (text, text.split("\n\n")[0], "وصل الوزير إلى موسكو اليوم.")]
    budgets = [LengthBudget(words=words) for words in (60, 12, 4)]
    summariser = ModelProvider(method="abstractive", summariser=str(tiny_models / "summariser"),
                               engine="transformers").summariser()
    together = summariser.summarise_many(articles, budgets)
    alone = [summariser.summarise(sentences, budget) for (sentences, _), budget in zip(articles, budgets)]
    assert [(s.text, s.notes) for s in together] == [(s.text, s.notes) for s in alone]
    assert together[0].notes  # the long one, in windows
    with pytest.raises(ValueError, match="2 budgets for 3 articles"):
        summariser.summarise_many(articles, budgets[:2])


def test_sentence_cache_serves_repeated_sentences(sample, tiny_models, tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    provider = ModelProvider(method="extractive", translator=str(tiny_models / "translator"))
    runner = BatchRunner("translate", provider, LENGTHS["medium"], cache)
    text = sample.read_text(encoding="utf-8")
    runner.run([Item(id="one", text=text)])
    translated = []
    model = runner.translator()._inner  # loaded by the first run
    real_translate = model.translate_noted
    model.translate_noted = lambda texts: translated.extend(texts) or real_translate(texts)
    # Same sentences, one changed title: only the title is new to the translator.
    runner.run([Item(id="two", text="عنوان آخر تماما\n" + text.split("\n", 1)[1])])
    assert translated == ["عنوان آخر تماما"]


def test_corrupt_cache_is_rebuilt_and_a_file_that_is_no_cache_left_alone(tmp_path):
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + b"this is not a database" * 100)
    warnings = []
    cache = Cache(path, warn=warnings.append)
    cache.put("results", "k", {"v": 1})
    assert cache.get("results", "k") == {"v": 1}
    assert warnings and "rebuilt" in warnings[0]
    assert list(tmp_path.glob("cache.sqlite.corrupt-*"))
    # A MUJAZ_CACHE naming another file: it was moved aside and a database put in its place.
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n" * 100)
    warnings = []
    cache = Cache(notes, warn=warnings.append)
    assert not cache.in_use and cache.info()["results"] is None and not cache.clear()
    assert notes.read_text() == "my notes\n" * 100 and sorted(p.name for p in tmp_path.iterdir() if "notes" in p.name) == [
        "notes.txt"]  # no lock file left beside it either
    assert warnings[0] == (f"cache {notes} not used (it is not an SQLite file, so no cache of mujaz's; left as it is — "
                           "remove it, or set MUJAZ_CACHE to another file)")
    # Nor another program's SQLite database (a new user's review: mujaz added its tables to one, and `cache
    # clear` emptied a "results" table of its); a cache of a mujaz before the mark is taken, and marked
    import sqlite3

    theirs = tmp_path / "theirs.db"
    with closing(sqlite3.connect(theirs)) as db:
        db.execute("CREATE TABLE results (x TEXT)")
        db.execute("INSERT INTO results VALUES ('precious')")
        db.commit()
    before = theirs.read_bytes()
    warnings = []
    cache = Cache(theirs, warn=warnings.append)
    assert not cache.in_use and not cache.clear() and theirs.read_bytes() == before
    assert warnings[0] == (f"cache {theirs} not used (it is another program's SQLite database (tables: results), no "
                           "cache of mujaz's; left as it is — set MUJAZ_CACHE to another file)")
    generic = tmp_path / "kv.db"  # a key-value table that happens to have mujaz's name and columns (a review's)
    with closing(sqlite3.connect(generic)) as db:
        db.execute("CREATE TABLE results (key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)")
        db.commit()
    assert not Cache(generic, warn=lambda message: None).in_use
    older = tmp_path / "older.sqlite"
    with closing(sqlite3.connect(older)) as db:
        db.executescript(SCHEMA)
        db.execute("INSERT INTO results VALUES ('k', '{\"v\": 2}', 0)")
        db.commit()
    with closing(Cache(older)) as cache:
        assert cache.get("results", "k") == {"v": 2}
    with closing(sqlite3.connect(older)) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    # What is no regular file is not read to find out (a FIFO hung the run; /dev/stdin ate a batch's input)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code = f"import pathlib; from mujaz.core.cache import Cache; print(Cache(pathlib.Path({str(fifo)!r})).in_use)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert done.stdout.strip() == "False", done.stderr


def test_a_cache_damaged_past_its_first_pages_or_in_a_value_is_never_fatal(tmp_path):
    import random
    import sqlite3

    path = tmp_path / "cache.sqlite"
    cache = Cache(path)
    cache.put_many("results", {f"k{n}": {"text": "نص " * 200} for n in range(200)})
    cache.put_many("sentences", {"s1": {"text": "one", "ended": True}, "s2": {"text": "two", "ended": False}})
    cache.close()
    db = sqlite3.connect(path, isolation_level=None)  # a cut value, and values of another shape
    db.execute("UPDATE results SET value = substr(value, 1, 20) WHERE key = 'k1'")
    db.execute("UPDATE results SET value = '[1]' WHERE key = 'k2'")
    db.execute("UPDATE sentences SET value = '{}' WHERE key = 's2'")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    cache = Cache(path)
    assert cache.get("results", "k1") is None and cache.get("results", "k2") is None  # was a JSONDecodeError, exit 1
    assert cache.get("results", "k3") == {"text": "نص " * 200}
    assert cache.get_many("sentences", ["s1", "s2"]) == {"s1": {"text": "one", "ended": True}}
    cache.close()
    with path.open("r+b") as handle:  # damage past the pages the opening reads (the tables' roots)
        handle.seek(path.stat().st_size // 2)
        handle.write(random.Random(0).randbytes(6000))
    warnings = []
    cache = Cache(path, warn=warnings.append)
    assert cache.in_use and not warnings
    assert cache.info()["results"] == 0  # checked whole: set aside and rebuilt, not reported as a healthy cache
    assert "rebuilt" in warnings[0] and list(tmp_path.glob("cache.sqlite.corrupt-*"))
    assert cache.clear() and cache.in_use  # was "not cleared", exit 1


def test_two_caches_meeting_one_damage_rebuild_it_once(tmp_path):
    """The second moved the first's new cache aside too, and wrote on into the moved file."""
    import random

    path = tmp_path / "cache.sqlite"
    first = Cache(path)
    first.put_many("results", {f"k{n}": {"text": "نص " * 200} for n in range(200)})
    first.close()
    first, second = Cache(path), Cache(path)  # both open before the damage
    with path.open("r+b") as handle:
        handle.seek(path.stat().st_size // 2)
        handle.write(random.Random(0).randbytes(6000))
    assert first.info()["results"] == 0  # met, moved aside, rebuilt
    first.put("results", "new", {"v": 1})
    assert second.info()["results"] == 1  # met it too: opened the rebuilt one, moved nothing
    moved = [p for p in tmp_path.glob("cache.sqlite.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert second.get("results", "new") == {"v": 1} and len(moved) == 1
    # Opening and moving aside take a lock across processes: one opening while another moved the
    # file (and then its -wal) kept writing into the moved file, or beside the old one's log.
    import fcntl

    with open(tmp_path / "cache.sqlite.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        code = f"import pathlib; from mujaz.core.cache import Cache; Cache(pathlib.Path({str(path)!r}))"
        opening = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
        time.sleep(1.5)
        assert opening.poll() is None  # waiting for the lock
        fcntl.flock(lock, fcntl.LOCK_UN)
    assert opening.wait(timeout=30) == 0


def test_resume_after_kill_minus_9(sample, tiny_models, tmp_path):
    source = write_articles(tmp_path / "many.jsonl", sample, 60)
    out = tmp_path / "out.jsonl"
    args = [sys.executable, "-m", "mujaz", "batch", str(source), "--translator", str(tiny_models / "translator"),
            "--task", "translate", "--chunk", "2", "--no-cache", "-o", str(out), "-q"]
    process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_output(out, 20_000)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0
    assert 0 < written < 60, "the kill should land mid-run"
    with out.open("ab") as handle:  # as if the crash had cut a record in half
        handle.write(b'{"id": "n999", "schema": "mujaz.br')
    done = subprocess.run(args + ["--resume"], cwd=ROOT, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert ids(out) == [f"n{i}" for i in range(60)]  # no duplicate, none missing, in order


def test_completed_ids_cuts_a_half_written_line(tmp_path):
    path = tmp_path / "o.jsonl"
    path.write_text('{"id": "a"}\n{"id": "b"}\n{"id": "c", "tr', encoding="utf-8")
    assert already_written(path).ids == {"a": 1, "b": 1}
    assert path.read_text(encoding="utf-8") == '{"id": "a"}\n{"id": "b"}\n'


def test_resume_keeps_items_whose_ids_repeat(mujaz, sample, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": given, "path": str(sample)}) + "\n" for given in ("a0", "a1", "a0", "a0")),
                      encoding="utf-8")
    options = ("--task", "summarise", "--method", "extractive", "--no-cache")
    whole = run_batch(mujaz, source, *options)
    lines = whole.stdout.decode().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    for kept in (1, 3):  # died after the first a0, or after the second
        out.write_text("".join(lines[:kept]), encoding="utf-8")
        resumed = run_batch(mujaz, source, *options, "-o", str(out), "--resume")
        assert resumed.returncode == 0, resumed.stderr.decode()
        assert out.read_text(encoding="utf-8") == "".join(lines)  # every a0 there, once each, in order
        assert f"{4 - kept} item{'s' if kept == 1 else ''} written, 0 failed, {kept} already done" in resumed.stderr.decode()


def test_resume_refuses_a_file_of_none_of_the_inputs_items(mujaz, sample, tmp_path):
    """A glob spelled otherwise ('./feed/*.txt' for 'feed/*.txt') gives other ids: --resume took none of
    the file's records for done, ran every item again and appended them after (a batch review)."""
    feed = tmp_path / "feed"
    feed.mkdir()
    for name in ("a", "b", "c"):
        shutil.copy(sample, feed / f"{name}.txt")
    options = ("--task", "summarise", "--method", "extractive", "--no-cache")
    out = tmp_path / "out.jsonl"
    first = mujaz("batch", "feed/*.txt", *options, "-o", str(out), cwd=tmp_path)
    assert first.returncode == 0, first.stderr.decode()
    lines = out.read_text(encoding="utf-8").splitlines(keepends=True)
    out.write_text("".join(lines[:2]), encoding="utf-8")
    before = out.read_bytes()
    resumed = mujaz("batch", "./feed/*.txt", *options, "-o", str(out), "--resume", cwd=tmp_path)
    assert resumed.returncode == 2 and out.read_bytes() == before, resumed.stderr.decode()
    assert resumed.stderr.decode().startswith(f"mujaz: error: --resume: none of the 2 records in {out} is of an item "
                                              "of ./feed/*.txt")
    resumed = mujaz("batch", "feed/*.txt", *options, "-o", str(out), "--resume", cwd=tmp_path)  # as the run began
    assert resumed.returncode == 0 and out.read_text(encoding="utf-8") == "".join(lines), resumed.stderr.decode()


def test_resume_never_cuts_a_file_at_a_line_that_is_no_record(mujaz, sample, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"a{n}", "path": str(sample)}) + "\n" for n in range(3)), encoding="utf-8")
    options = ("--task", "summarise", "--method", "extractive", "--no-cache")
    lines = run_batch(mujaz, source, *options).stdout.decode().splitlines(keepends=True)
    out = tmp_path / "out.jsonl"
    for held in ('{"name": "not a record"}\n' + lines[0], lines[0] + "not json\n" + lines[1], "my notes, no newline"):
        out.write_text(held, encoding="utf-8")
        done = run_batch(mujaz, source, *options, "-o", str(out), "--resume")
        assert done.returncode == 2 and "is not a mujaz record" in done.stderr.decode()
        assert out.read_text(encoding="utf-8") == held  # refused, and nothing cut
    out.write_text(lines[0] + "\n" + lines[1] + lines[2][:20], encoding="utf-8")  # a blank line; a last line cut short
    done = run_batch(mujaz, source, *options, "-o", str(out), "--resume")
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_text(encoding="utf-8") == lines[0] + "\n" + "".join(lines[1:])


def test_resume_into_a_pipe_is_refused_not_waited_on(mujaz, sample, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": "x", "path": str(sample)}) + "\n", encoding="utf-8")
    done = subprocess.run(f"{sys.executable} -m mujaz batch {source} --task summarise --method extractive "
                          "-o /dev/stdout --resume | cat", shell=True, capture_output=True, cwd=ROOT, timeout=60)
    assert done.stdout == b""
    assert "mujaz: error: --resume reads back what /dev/stdout holds, and it is not a regular file" in done.stderr.decode()


def test_resuming_with_another_task_is_refused(mujaz, articles, tmp_path):
    out = tmp_path / "out.jsonl"
    assert run_batch(mujaz, articles, "--task", "summarise", "--method", "extractive", "-o", str(out)).returncode == 5
    before = out.read_bytes()
    done = run_batch(mujaz, articles, "--task", "brief", "--method", "extractive", "-o", str(out), "--resume")
    assert done.returncode == 2 and "holds summarise records" in done.stderr.decode()
    assert out.read_bytes() == before
    # A file of failures alone names its task too: a failed item's line had none, and another task's
    # records were written under it (a script writer's review)
    missing = tmp_path / "missing.jsonl"
    missing.write_text('{"id": "m1", "path": "nope1"}\n', encoding="utf-8")
    failed = tmp_path / "failed.jsonl"
    assert run_batch(mujaz, missing, "--task", "summarise", "--method", "extractive", "-o", str(failed)).returncode == 4
    record = json.loads(failed.read_text(encoding="utf-8"))
    assert (record["schema"], record["task"], record["id"], record["error"]["code"], record["warnings"]) == (
        "mujaz.brief/1", "summarise", "m1", 4, [])
    before = failed.read_bytes()
    done = run_batch(mujaz, missing, "--task", "brief", "--method", "extractive", "-o", str(failed), "--resume")
    assert done.returncode == 2 and "holds summarise records" in done.stderr.decode()
    assert failed.read_bytes() == before


def test_two_processes_share_one_cache(articles, tiny_models, tmp_path):
    env = {**os.environ, "MUJAZ_CACHE": str(tmp_path / "shared.sqlite")}
    outs = [tmp_path / f"out{i}.jsonl" for i in range(2)]
    processes = [
        subprocess.Popen([sys.executable, "-m", "mujaz", "batch", str(articles), "--translator", str(tiny_models / "translator"),
                          "--method", "extractive", "--chunk", "1", "-o", str(out)], cwd=ROOT, env=env,
                         stderr=subprocess.PIPE)
        for out in outs
    ]
    for process in processes:
        _, err = process.communicate(timeout=300)
        assert process.returncode == 5, err.decode()  # the two bad items, nothing else
        assert "not used" not in err.decode()  # a locked database would be passed over, and that said
    assert outs[0].read_bytes() == outs[1].read_bytes() and len(ids(outs[0])) == 9
    assert Cache(tmp_path / "shared.sqlite").info()["results"] == 7


def test_an_input_with_nothing_to_read_leaves_the_output_file_as_it_was(mujaz, sample, tiny_models, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "kept"}\n', encoding="utf-8")
    (tmp_path / "empty").mkdir()
    for source in (tmp_path / "missing.jsonl", tmp_path / "empty", f"{tmp_path}/empty/*.txt"):
        done = run_batch(mujaz, source, "--task", "summarise", "--method", "extractive", "-o", str(out))
        assert done.returncode == 4, done.stderr.decode()
        assert done.stderr.decode().count("mujaz: error:") == 1 and b"Traceback" not in done.stderr
        assert out.read_text(encoding="utf-8") == '{"id": "kept"}\n'
    # Standard input is judged as it is read: an article given as JSONL, or a URI the local runner
    # cannot read (it looked for a file of that name), was refused after the file was emptied.
    for source, given in (("-", sample.read_bytes()), ("https://example.org/feed.jsonl", None)):
        done = mujaz("batch", source, "--task", "summarise", "--method", "extractive", "-o", str(out), input=given)
        assert done.returncode == 4 and done.stderr.decode().count("mujaz: error:") == 1, done.stderr.decode()
        assert out.read_text(encoding="utf-8") == '{"id": "kept"}\n', source
    assert "not URIs" in done.stderr.decode()
    # Nor do options no item can run with (models are loaded only after the file is emptied).
    line = json.dumps({"id": "a", "text": sample.read_text(encoding="utf-8")}).encode()
    for options in (["--task", "summarise", "--method", "extractive", "--summariser", "x"],
                    ["--task", "translate", "--translator", str(tiny_models / "translator"), "--device", "mps"],
                    # a summariser named is never stood in for: it loads, and meets the device
                    ["--task", "summarise", "--summariser", str(tiny_models / "summariser"), "--device", "mps"]):
        done = mujaz("batch", "-", *options, "-o", str(out), input=line)
        assert done.returncode == 2 and out.read_text(encoding="utf-8") == '{"id": "kept"}\n', done.stderr.decode()
    # Nor does empty standard input (a feed a failed download left empty: exit 4, as an empty file)
    done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "-o", str(out), input=b"")
    assert done.returncode == 4 and out.read_text(encoding="utf-8") == '{"id": "kept"}\n', done.stderr.decode()
    # Nor do blank lines alone (they were judged only once read, after the file was emptied); blank
    # lines before a record are read past, and still count in its line number.
    for blank in (b"\n \n" * 50_000, b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\n"):  # a byte-order mark alone is blank too
        done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "-o", str(out), input=blank)
        assert done.returncode == 4 and out.read_text(encoding="utf-8") == '{"id": "kept"}\n', done.stderr.decode()
        assert "no items in it" in done.stderr.decode()
    record = json.dumps({"text": sample.read_text(encoding="utf-8")}).encode()
    done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "-o", str(out),
                 input=b"\r\n \n\xef\xbb\xbf\n" + record + b"\n")
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["line-4"]
    to_stdout = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", input=b"\r\n \n\xef\xbb\xbf\n" + record)
    assert to_stdout.returncode == 0 and json.loads(to_stdout.stdout)["id"] == "line-4"  # read alike without -o
    # Otherwise emptied as `>` does, a run that fails too.
    done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "-o", str(out),
                 input=b"\n" + json.dumps({"id": "x", "path": str(tmp_path / "missing.txt")}).encode())
    assert done.returncode == 4 and out.read_text(encoding="utf-8").count('"id": "x"') == 1, done.stderr.decode()


def test_a_second_run_on_the_same_output_file_is_refused(mujaz, articles, tmp_path):
    import fcntl

    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "n0"}\n', encoding="utf-8")
    with open(out, "a") as held:  # as a first `mujaz batch -o out.jsonl` holds it while it runs
        fcntl.flock(held.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        for resume in ([], ["--resume"]):
            done = run_batch(mujaz, articles, "--method", "extractive", "--task", "summarise", "-o", str(out), *resume)
            assert done.returncode == 2, done.stderr.decode()
            assert done.stderr.decode().startswith(f"mujaz: error: -o {out}: another mujaz batch is writing it")
            assert out.read_text(encoding="utf-8") == '{"id": "n0"}\n'  # neither truncated nor added to
    done = run_batch(mujaz, articles, "--method", "extractive", "--task", "summarise", "-o", str(out), "--resume")
    assert "1 already done" in done.stderr.decode()  # the lock went with it: the rest is written (two lines fail)
    assert len(out.read_text(encoding="utf-8").splitlines()) == 10


def test_the_input_as_output_is_refused_and_left_whole(mujaz, articles, sample, tmp_path):
    before = articles.read_bytes()
    for extra in ([], ["--resume"]):
        done = run_batch(mujaz, articles, "--task", "summarise", "--method", "extractive", "-o", str(articles), *extra)
        assert done.returncode == 2 and "is the input itself" in done.stderr.decode()
        assert articles.read_bytes() == before
    with articles.open("rb") as redirected:  # standard input redirected from the output file
        done = subprocess.run([sys.executable, "-m", "mujaz", "batch", "-", "--task", "summarise", "--method", "extractive",
                               "-o", str(articles)], stdin=redirected, capture_output=True, cwd=ROOT)
    assert done.returncode == 2 and articles.read_bytes() == before
    # A glob that lists the output file too: the output is never read as an article.
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.txt").write_bytes(sample.read_bytes())
    done = run_batch(mujaz, f"{folder}/*", "--task", "summarise", "--method", "extractive", "--no-cache",
                     "-o", str(folder / "out.txt"))
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(line)["id"] for line in (folder / "out.txt").read_text(encoding="utf-8").splitlines()] == [
        f"{folder}/a.txt"]


def test_output_to_a_device_and_input_from_a_fifo(mujaz, sample, tmp_path):
    lines = "".join(json.dumps({"id": given, "path": str(sample)}) + "\n" for given in ("a", 7, None))
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    feeder = subprocess.Popen(f"cat > {fifo}", shell=True, stdin=subprocess.PIPE)
    feeder.stdin.write(lines.encode())
    feeder.stdin.close()
    # -o /dev/stdout: a device cannot be fsynced, which must not fail the run.
    done = run_batch(mujaz, fifo, "--task", "summarise", "--method", "extractive", "--no-cache", "-o", "/dev/stdout")
    feeder.wait()
    assert done.returncode == 0, done.stderr.decode()
    # Ids as given: a number as its JSON text, none as the line's own.
    assert [json.loads(line)["id"] for line in done.stdout.decode().splitlines()] == ["a", "7", "line-3"]


def test_a_translator_that_cannot_be_had_fails_alike_with_and_without_the_cache(mujaz, articles, tmp_path):
    # The cache's key needs the translator's identity: a wrong path must not end the run there.
    for cache in (["--no-cache"], []):
        done = run_batch(mujaz, articles, "--method", "extractive", "--translator", str(tmp_path / "typo"), *cache,
                         env={"MUJAZ_CACHE": str(tmp_path / "c.sqlite")})
        assert done.returncode == 5, (cache, done.stderr.decode())
        records = [json.loads(line) for line in done.stdout.decode().splitlines()]
        kept = [r for r in records if r.get("summary")]
        assert len(kept) == 7 and all(r["error"]["code"] == 3 and r["summary"]["ar"] for r in kept)
        assert all(r["title"]["en"] is None and r["warnings"][-1].startswith("no English: ") for r in kept)
        # said once, as the run's, not as the first item's ("item 7 failed: model ... is not ...": a new user
        # read it as that item alone failing)
        said = [line for line in done.stderr.decode().splitlines() if "typo" in line]
        assert len(said) == 1 and said[0].startswith("mujaz: error: items failed: model "), said


def test_a_device_this_machine_lacks_stops_the_run_whichever_model_meets_it(mujaz, articles, tiny_models):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has the CUDA device the test asks for")
    summariser = ["--method", "abstractive", "--summariser", str(tiny_models / "summariser")]
    translator = ["--method", "extractive", "--translator", str(tiny_models / "translator")]
    for args in (summariser + ["--task", "summarise"], translator):
        done = run_batch(mujaz, articles, *args, "--device", "cuda", "--no-cache")
        assert done.returncode == 2, (args, done.stderr.decode())
        assert done.stdout == b""  # not one failed record an item: the option is wrong for all of them
        assert "--device cuda: this torch build sees no CUDA device" in done.stderr.decode()
    # Nor does a cache of CPU results stand in for the device (it served them, exit 0).
    env = {"MUJAZ_CACHE": str(articles.parent / "device-cache.sqlite")}
    assert run_batch(mujaz, articles, *translator, env=env).returncode == 5  # the fixture's broken items
    done = run_batch(mujaz, articles, *translator, "--device", "cuda", env=env)
    assert done.returncode == 2 and "--device cuda: this torch build sees no CUDA device" in done.stderr.decode()


def test_a_cached_result_still_meets_the_sentence_limit(mujaz, sample, tmp_path):
    env = {"MUJAZ_CACHE": str(tmp_path / "c.sqlite")}
    args = ["--task", "summarise", "--method", "extractive"]
    assert run_batch(mujaz, sample.parent, *args, env=env).returncode == 0
    done = run_batch(mujaz, sample.parent, *args, "--max-sentences", "3", env=env)
    assert done.returncode == 4  # the one item's failure: bad input
    assert "more than 3" in json.loads(done.stdout.decode().splitlines()[0])["error"]["message"]


def test_a_summariser_for_translations_is_refused_for_what_it_is(mujaz, articles):
    for option in (["--summariser", "x/y"], ["--any-script"], ["--method", "auto"], ["--length", "medium"]):
        done = run_batch(mujaz, articles, "--task", "translate", *option)  # given, even as the default, it would not be used
        assert done.returncode == 2
        assert done.stderr.decode().startswith(f"mujaz: error: {option[0]} is for summaries; --task translate makes none")
    done = run_batch(mujaz, articles, "--task", "translate", "--method", "extractive", "--length", "short")
    assert done.stderr.decode().startswith("mujaz: error: --method, --length are for summaries; --task translate")
    # and a translator for summaries alone, as `mujaz summarise --translator` without --to en
    done = run_batch(mujaz, articles, "--task", "summarise", "--translator", "x/y", "--method", "extractive")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode().strip() == ("mujaz: error: --translator is for translations; --task summarise makes none "
                                            "(leave it out, or translate the summary with --task brief)")


def test_stderr_says_why_items_failed_each_reason_once(mujaz, tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": f"m{n}", "path": str(tmp_path / name)}) + "\n"
                              for n, name in enumerate(["gone.txt", "gone.txt", "lost.txt"])), encoding="utf-8")
    done = run_batch(mujaz, source, "--task", "summarise", "--method", "extractive", "--no-cache")
    assert done.returncode == 4
    hint = "(check the path; a relative one is read from the folder mujaz runs in)"  # not '-', which a path refuses
    assert done.stderr.decode().splitlines() == [
        f"mujaz: error: item m0 failed: {tmp_path / 'gone.txt'}: no such file {hint}",
        f"mujaz: error: item m2 failed: {tmp_path / 'lost.txt'}: no such file {hint}",
        "mujaz: 3 items written, 3 failed",
    ]
    assert json.loads(done.stdout.decode().splitlines()[0])["error"]["hint"] == hint[1:-1]
    # --quiet leaves out warnings and the tally, not errors: a run that exited 4 said nothing (a batch review)
    quiet = run_batch(mujaz, source, "--task", "summarise", "--method", "extractive", "--no-cache", "-q")
    assert quiet.returncode == 4 and quiet.stderr.decode().splitlines() == done.stderr.decode().splitlines()[:2]


def test_a_chunks_pages_are_fetched_together_in_order(mujaz, sample, tmp_path):
    """Each URL item was fetched after the one before: 8 pages of a server that takes 1.5 s took 12 s,
    and a first Ctrl-C waited for each slow one in turn (a batch review)."""
    import http.server
    import threading

    body = sample.read_bytes()

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            time.sleep(1.5)
            found = self.path != "/missing"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            self.wfile.write(body if found else b"")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}"
        source = tmp_path / "urls.jsonl"
        names = [f"u{n}" for n in range(8)]
        source.write_text("".join(json.dumps({"id": name, "url": f"{address}/{'missing' if name == 'u3' else name}"}) + "\n"
                                  for name in names), encoding="utf-8")
        started = time.monotonic()
        done = mujaz("batch", str(source), "--task", "summarise", "--method", "extractive", "--no-cache")
        took = time.monotonic() - started
    finally:
        server.shutdown()
        server.server_close()
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 5 and [r["id"] for r in records] == names, done.stderr.decode()
    assert [("error" in r) for r in records] == [name == "u3" for name in names]
    assert took < 9, took  # 12 s one after another


def test_a_path_item_that_is_no_file_fails_alone_and_at_once(mujaz, sample, tmp_path):
    """A named pipe as an item's path waited for ever for a writer (a batch review); a device was read
    to --max-bytes first."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps({"id": name, "path": path}) + "\n"
                              for name, path in (("pipe", str(pipe)), ("zero", "/dev/zero"), ("good", str(sample)))),
                      encoding="utf-8")
    done = mujaz("batch", str(source), "--task", "summarise", "--method", "extractive", "--no-cache", timeout=60)
    records = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert done.returncode == 5 and [r["id"] for r in records] == ["pipe", "zero", "good"], done.stderr.decode()
    assert records[0]["error"]["message"] == f"{pipe}: a named pipe, not an article file"
    assert records[1]["error"]["message"] == "/dev/zero: a device, not an article file"
    assert "error" not in records[2]


def test_odd_lines_and_file_names_fail_alone_or_are_read(mujaz, sample, tmp_path):
    text = sample.read_text(encoding="utf-8")
    source = tmp_path / "odd.jsonl"
    source.write_text("\n".join([
        json.dumps({"id": "cut\ud83d", "text": text + "\ud83d"}),  # JavaScript cut a string inside an emoji
        "[" * 100_000,  # nested past Python's recursion limit
        json.dumps({"id": "local", "url": str(sample)}),  # a url field that names a file
        json.dumps({"id": "fine", "text": text}, ensure_ascii=False),
    ]) + "\n", encoding="utf-8")
    done = run_batch(mujaz, source, "--task", "summarise", "--method", "extractive", "--no-cache")
    assert done.returncode == 5, done.stderr.decode()
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert [r["id"] for r in records] == ["cut\ufffd", "line-2", "local", "fine"]
    assert "error" not in records[0] and "error" not in records[3]
    assert records[1]["error"]["message"] == "line 2: not a JSON object (nested too deep)"
    # json's own "line 2 column 1" named a second line inside the one the message is about
    assert parse_line(b'{"id": "a",\n', 4).problem == (
        "line 4: not a JSON object (Expecting property name enclosed in double quotes, at character 13)")
    # A number as the id is the id as written: 1.10 was "1.1", another line's id, and 1E2 "100.0"
    for written in ("1.10", "1E2", "7", "-0.0", "[1, 2.50]", "true"):
        assert parse_line(b'{"id": %s, "text": "x"}' % written.encode(), 6).id == written
    assert parse_line(b'{"id": "a", "text": 12}', 6).problem == "line 6: text must be a string, not a number"
    deep = parse_line(b'{"id": ' + b"[" * 950 + b"]" * 950 + b', "text": "x"}', 7)  # read by json, too deep to write back
    assert deep.id == "line-7" and deep.problem == "line 7: its id is nested too deep"
    # NaN and Infinity are Python's, not JSON's: an id "NaN" was taken (a script writer's review)
    for constant in ("NaN", "Infinity", "-Infinity"):
        assert parse_line(b'{"id": %s, "text": "x"}' % constant.encode(), 5).problem == (
            f"line 5: not a JSON object ({constant} is not JSON)")
    assert records[1]["error"]["hint"].startswith('each line one JSON object: {"id": "a1", "text": "..."}')
    assert records[2]["error"]["message"] == "line 3: url must be an http(s) URL (a file goes in path)"
    # A text or path given, but not as a string: said so (it was "give exactly one of text, path, url")
    lines = [json.dumps(line, ensure_ascii=False) for line in
             ({"id": "list", "text": ["سطر", "سطر"]}, {"id": "number", "path": 123}, {"id": "two", "text": "x", "url": 5})]
    done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "--no-cache",
                 input="\n".join(lines).encode() + b"\n")
    assert [json.loads(line)["error"]["message"] for line in done.stdout.decode().splitlines()] == [
        "line 1: text must be a string, not a list", "line 2: path must be a string, not a number",
        "line 3: give exactly one of text, path, url"]
    # A path "-" read standard input, the batch's own JSONL: the items after it went into "its article", unsaid.
    lines = [json.dumps({"id": "dash", "path": "-"})] + [json.dumps({"id": f"p{n}", "path": str(sample)}) for n in range(3)]
    done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "--no-cache",
                 input="\n".join(lines).encode() + b"\n")
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert done.returncode == 5 and [r["id"] for r in records] == ["dash", "p0", "p1", "p2"], done.stderr.decode()
    assert records[0]["error"]["message"].startswith('line 1: path "-" would read standard input')
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "ok.txt").write_bytes(sample.read_bytes())
    (folder.joinpath(os.fsdecode("خبر.txt".encode("cp1256")))).write_bytes(sample.read_bytes())  # a name from Windows
    out = tmp_path / "out.jsonl"
    done = run_batch(mujaz, folder, "--task", "summarise", "--method", "extractive", "--no-cache", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in records) == ["ok.txt", "\ufffd\ufffd\ufffd.txt"]
    (folder.joinpath(os.fsdecode("فارغ.txt".encode("cp1256")))).write_bytes(b"")  # fails, and its error names it
    done = run_batch(mujaz, folder, "--task", "summarise", "--method", "extractive", "--no-cache", "-o", str(out))
    assert done.returncode == 5, done.stderr.decode()
    failed = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if "error" in line]
    assert len(failed) == 1 and failed[0]["error"]["message"].endswith("\ufffd\ufffd\ufffd\ufffd.txt: is empty")
    # An empty path (a table's empty cell) fails alone; it crashed the run, and every --resume after it
    lines = [json.dumps({"id": "blank", "path": ""}), json.dumps({"id": "next", "path": str(sample)})]
    done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "--no-cache",
                 input="\n".join(lines).encode() + b"\n")
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert done.returncode == 5 and [("error" in r) for r in records] == [True, False]
    assert records[0]["error"]["message"] == "line 1: an empty path" and records[0]["error"]["hint"].startswith("each line")


def test_ctrl_c_while_a_live_stream_is_silent_writes_what_was_read(sample, tmp_path):
    line = json.dumps({"id": "x", "path": str(sample)}) + "\n"
    out = tmp_path / "out.jsonl"
    run = subprocess.Popen([sys.executable, "-m", "mujaz", "batch", "-", "--task", "summarise", "--method", "extractive",
                            "--no-cache", "--chunk", "4", "-o", str(out)], cwd=ROOT, stdin=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    try:
        run.stdin.write((line * 6).encode())  # a chunk and a half, then the feed goes quiet (tail -f)
        run.stdin.flush()
        deadline = time.monotonic() + 60  # until the first chunk is written: the rest is being waited for
        while (not out.exists() or out.read_text(encoding="utf-8").count("\n") < 4) and time.monotonic() < deadline:
            time.sleep(0.1)
        # Past the chunk's write (synced, then counted, Ctrl-C held meanwhile): a Ctrl-C there stops
        # after it, before the next items are read, which is not the case this test is about
        time.sleep(1)
        run.send_signal(signal.SIGINT)
        assert run.wait(timeout=60) == 130, run.stderr.read().decode()
    finally:
        if run.poll() is None:
            run.kill()
    assert out.read_text(encoding="utf-8").count("\n") == 6  # the half chunk in hand was written, not lost
    stderr = run.stderr.read().decode()
    assert "6 items written before the interruption, 0 failed; `--resume` with the same command does the rest" in stderr


def test_ctrl_c_before_any_item_came_is_an_interruption(tmp_path):
    run = subprocess.Popen([sys.executable, "-m", "mujaz", "batch", "-", "--task", "summarise", "--method", "extractive",
                            "--no-cache"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(3)  # started, and waiting for the first line
        run.send_signal(signal.SIGINT)
        out, err = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert run.returncode == 130 and out == b"", err.decode()  # was 0, as if the input had ended
    assert err.decode().splitlines()[-2:] == ["mujaz: 0 items written before the interruption, 0 failed",
                                              "mujaz: interrupted"]


def _typed_into_a_batch(output: Path, typed: list[bytes]) -> int:
    """`mujaz batch - -o output` on a terminal, `typed` written to it one after another once it
    waits for lines: its exit code."""
    import pty

    pid, terminal = pty.fork()
    if pid == 0:  # the child: mujaz, reading the terminal
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "mujaz", "batch", "-", "-o", str(output),
                                  "--task", "summarise", "--method", "extractive", "--no-cache"])
    shown = b""
    deadline = time.monotonic() + 60
    while b"end with Ctrl-D" not in shown and time.monotonic() < deadline:  # waiting for lines
        if select.select([terminal], [], [], 1)[0]:
            shown += os.read(terminal, 4096)
    for keys in typed:
        os.write(terminal, keys)
        time.sleep(0.5)
    for _ in range(600):  # up to a minute
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if select.select([terminal], [], [], 0.1)[0]:  # what it shows, read so that it never waits to write
            try:
                os.read(terminal, 4096)
            except OSError:
                pass
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise AssertionError(f"{typed} did not end the run")
    os.close(terminal)
    return os.waitstatus_to_exitcode(status)


def test_a_terminal_that_gives_no_items_leaves_the_output_file_as_it_was(tmp_path, sample):
    """Ctrl-D (after blank lines or none) typed into `mujaz batch - -o FILE`: no items, exit 4, and
    the file keeps an earlier run's records (it was emptied); a line typed is read as before. One
    Ctrl-D ends it (a look at the first bytes once took it, and the run waited for another)."""
    output = tmp_path / "out.jsonl"
    for typed in ([b"\x04"], [b"\n", b"  \n", b"\x04"]):
        output.write_text('{"id": "an earlier run\'s"}\n', encoding="utf-8")
        assert _typed_into_a_batch(output, typed) == 4, typed
        assert output.read_text(encoding="utf-8") == '{"id": "an earlier run\'s"}\n', typed
    line = json.dumps({"id": "typed", "path": str(sample)}).encode() + b"\n"
    assert _typed_into_a_batch(output, [b"\n", line, b"\x04"]) == 0
    assert [json.loads(record)["id"] for record in output.read_text(encoding="utf-8").splitlines()] == ["typed"]


def test_an_output_file_is_emptied_once_the_input_has_come_and_before_the_work(sample, tmp_path):
    """Not before standard input's first bytes (they may say it is no JSONL: the file is left as it
    was), and then before any model loads: a run killed before its first record must not leave an
    earlier run's records for --resume to take as its own."""
    records = tmp_path / "out.jsonl"
    line = json.dumps({"id": "a", "text": sample.read_text(encoding="utf-8")}).encode() + b"\n"
    for first, emptied in ((b"", False), (line, True)):
        records.write_text('{"id": "an earlier run\'s"}\n', encoding="utf-8")
        run = subprocess.Popen([sys.executable, "-m", "mujaz", "batch", "-", "--task", "summarise", "--method",
                                "extractive", "--no-cache", "--chunk", "2", "-o", str(records)],
                               cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            run.stdin.write(first)
            run.stdin.flush()
            time.sleep(3)  # waiting for the first line, or for a second to fill the chunk of two
            run.kill()
            run.communicate(timeout=60)
        finally:
            if run.poll() is None:
                run.kill()
        assert (records.read_bytes() == b"") == emptied, first


def test_inputs_that_are_no_jsonl_are_refused_once(mujaz, sample, tmp_path):
    utf16 = tmp_path / "utf16.jsonl"  # what PowerShell's `>` writes
    utf16.write_text(json.dumps({"id": "a", "path": str(sample)}) + "\n", encoding="utf-16")
    out = tmp_path / "out.jsonl"
    for input, said in ((utf16, "UTF-16 text"), (sample, "not JSONL (its first line is no JSON object)")):
        out.write_text("an earlier run's records\n")
        done = run_batch(mujaz, str(input), "--task", "summarise", "--method", "extractive", "--no-cache", "-o", str(out))
        assert done.returncode == 4 and done.stdout == b"", done.stderr.decode()
        lines = done.stderr.decode().splitlines()
        assert len(lines) == 1 and said in lines[0]  # one line, not an error record per line
        assert out.read_text() == "an earlier run's records\n"  # refused before the output was emptied
    # The hint is a command that runs: `mujaz brief standard input` was none
    done = mujaz("batch", "-", input=sample.read_bytes())
    assert done.returncode == 4 and "for one article, `mujaz brief -`;" in done.stderr.decode()
    # a line too long for any record (no line break in sight: it was read whole into memory, looking
    # for one) is passed over in pieces and fails alone; the lines after it are read
    text = sample.read_text(encoding="utf-8")
    long_line = tmp_path / "long.jsonl"
    long_line.write_text("".join(json.dumps({"id": name, "text": text * (9 if name == "big" else 1)}) + "\n"
                                 for name in ("a", "big", "c")), encoding="utf-8")
    done = run_batch(mujaz, str(long_line), "--task", "summarise", "--method", "extractive", "--no-cache",
                     "--max-bytes", "20000", "--chunk", "1")
    assert done.returncode == 5, done.stderr.decode()
    written = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [(r["id"], "error" in r) for r in written] == [("a", False), ("line-2", True), ("c", False)]
    assert written[1]["error"]["message"] == "line 2: longer than 80,000 bytes"  # what to do in `hint`, as every record's
    assert written[1]["error"]["hint"] == "raise --max-bytes if the article is that large"
    # ...however long, once a record was read: a line of 17 caps stopped the run (exit 4, the chunk's items
    # read before it unwritten, and --resume stopped there each time)
    long_line.write_text("".join(json.dumps({"id": name, "text": "x" * 1_500_000 if name == "big" else text}) + "\n"
                                 for name in ("a", "big", "c")), encoding="utf-8")
    done = run_batch(mujaz, str(long_line), "--task", "summarise", "--method", "extractive", "--no-cache",
                     "--max-bytes", "20000")
    assert done.returncode == 5, done.stderr.decode()
    assert [json.loads(line)["id"] for line in done.stdout.decode().splitlines()] == ["a", "line-2", "c"]
    # A first record over the default cap (4 x 10 MB) was refused as "no JSON object" whatever --max-bytes said:
    # the check before the run read it at the default and judged an empty start (a review)
    huge = tmp_path / "huge.jsonl"
    huge.write_text(json.dumps({"id": "huge", "text": "خبر " * 2_200_000}) + "\n", encoding="utf-8")  # 42 MB escaped
    done = run_batch(mujaz, str(huge), "--task", "translate", "--no-cache", "--max-bytes", "25000000")
    assert done.returncode == 3 and "not JSONL" not in done.stderr.decode(), done.stderr.decode()  # the model, offline
    # ...and one over --max-bytes' cap fails alone when it opens an object, and is no JSONL when it does not
    short = json.dumps({"id": "c", "text": "الوزير يزور القاهرة\nأعلنت الوزارة أن الوزير يزور القاهرة اليوم."}) + "\n"
    huge.write_text(json.dumps({"id": "huge", "text": "خبر " * 1000}) + "\n" + short, encoding="utf-8")
    done = run_batch(mujaz, str(huge), "--task", "summarise", "--method", "extractive", "--no-cache", "--max-bytes", "2000")
    assert [json.loads(line)["id"] for line in done.stdout.decode().splitlines()] == ["line-1", "c"]
    huge.write_text("خبر " * 3000 + "\n" + short, encoding="utf-8")
    done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", "--no-cache", "--max-bytes", "2000",
                 input=huge.read_bytes())
    assert done.returncode == 4 and "not JSONL (its first line is no JSON object)" in done.stderr.decode()
    # An input whose first line runs on is no JSONL at all: refused, as one that never ends (/dev/zero)
    endless = tmp_path / "endless.jsonl"
    endless.write_bytes(b"{" + b"x" * 100_000)
    done = run_batch(mujaz, str(endless), "--task", "summarise", "--method", "extractive", "--max-bytes", "1000")
    assert done.returncode == 4 and "a line longer than" in done.stderr.decode() and "still going" in done.stderr.decode()
    unreadable = subprocess.run([sys.executable, "-m", "mujaz", "batch", "-", "--task", "summarise", "--method",
                                 "extractive"], stdin=open(tmp_path / "w", "wb"), capture_output=True, cwd=ROOT)
    assert unreadable.returncode == 4 and b"standard input: cannot read" in unreadable.stderr  # was exit 1


def test_a_record_is_one_line_however_a_reader_splits_lines(mujaz, sample, tmp_path):
    """U+2028, U+2029 and U+0085 stay raw in JSON written with ensure_ascii=False, and Python's
    splitlines() cut a record there (an id pasted from a web page holds one)."""
    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"id": f"a{mark}b", "path": str(sample)}) + "\n" for mark in "\u2028\u2029\x85"),
                    encoding="utf-8")
    for command in (["batch", str(feed), "--task", "summarise", "--method", "extractive", "--no-cache"],
                    ["segment", str(feed.with_name("a\u2028b.txt")), "-f", "jsonl"]):
        if command[0] == "segment":
            shutil.copy(sample, feed.with_name("a\u2028b.txt"))
        done = mujaz(*command)
        assert done.returncode == 0, done.stderr.decode()
        lines = done.stdout.decode().splitlines()
        assert len(lines) == (3 if command[0] == "batch" else 1) and all(json.loads(line) for line in lines)


def test_an_input_with_no_items_is_bad_input_not_success(mujaz, tmp_path):
    """A feed a failed download left empty ended 0, "0 items written"; a file is refused before
    the output is touched, standard input once read."""
    out = tmp_path / "out.jsonl"
    for name, content in (("empty.jsonl", b""), ("blank.jsonl", b"\n  \n\n"), ("bom.jsonl", b"\xef\xbb\xbf\n")):
        (tmp_path / name).write_bytes(content)
        out.write_text("an earlier run's records\n")
        done = run_batch(mujaz, str(tmp_path / name), "--task", "summarise", "--method", "extractive", "-o", str(out))
        assert done.returncode == 4 and done.stderr.decode().splitlines() == [
            f"mujaz: error: {tmp_path / name}: no items in it (empty, or blank lines only) "
            "(give a JSONL file, '-', a folder of .txt/.html articles, or a quoted glob)"]
        assert out.read_text() == "an earlier run's records\n"
        done = mujaz("batch", "-", "--task", "summarise", "--method", "extractive", input=content)
        assert done.returncode == 4 and done.stdout == b""
        assert done.stderr.decode().startswith("mujaz: error: standard input: no items in it")


def test_an_output_that_is_one_of_the_inputs_articles_is_refused(mujaz, sample, tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    for name in ("a.txt", "b.txt"):
        (feed / name).write_bytes(sample.read_bytes())
    for input in (str(feed), f"{feed}/*"):
        done = run_batch(mujaz, input, "--task", "summarise", "--method", "extractive", "-o", str(feed / "b.txt"))
        assert done.returncode == 2 and "is one of the input's articles" in done.stderr.decode()
        assert (feed / "b.txt").read_bytes() == sample.read_bytes()  # was overwritten with a's record, and left out
    # records written there by an earlier run are no article: it can be resumed, or run again
    for extra in ([], ["--resume"], []):
        done = run_batch(mujaz, str(feed), "--task", "summarise", "--method", "extractive", "-o", str(feed / "out.txt"),
                         *extra)
        assert done.returncode == 0, done.stderr.decode()
    assert len((feed / "out.txt").read_text(encoding="utf-8").splitlines()) == 2
    (feed / "out.txt").unlink()
    # a JSONL output beside the articles is no article: written, and never read as one
    for _ in range(2):
        assert run_batch(mujaz, f"{feed}/*", "--task", "summarise", "--method", "extractive", "--no-cache",
                         "-o", str(feed / "out.jsonl")).returncode == 0
        assert len((feed / "out.jsonl").read_text(encoding="utf-8").splitlines()) == 2


def test_a_glob_lists_each_file_once_through_looping_links(mujaz, sample, tmp_path, monkeypatch):
    (tmp_path / "feed" / "sub").mkdir(parents=True)
    (tmp_path / "feed" / "sub" / "a.txt").write_bytes(sample.read_bytes())
    (tmp_path / "feed" / "sub" / "loop").symlink_to(tmp_path / "feed")  # sub/loop/sub/loop/...
    done = run_batch(mujaz, f"{tmp_path}/feed/**/*.txt", "--task", "summarise", "--method", "extractive", "--no-cache")
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(line)["id"] for line in done.stdout.decode().splitlines()] == [f"{tmp_path}/feed/sub/a.txt"]
    # Under the path without the loop (glob.iglob followed it 40 times, in the disk's order: an id 300 characters
    # long), and a file reached by two paths under the first in name order, as a folder input names it; a link
    # back up that `**` alone matched was a failed item ("too many levels of symbolic links"), exit 5.
    from mujaz.core.batch import read_items

    (tmp_path / "feed" / "b.txt").write_bytes(sample.read_bytes())
    (tmp_path / "feed" / "latest").symlink_to(".")
    (tmp_path / "feed" / "asub").symlink_to("sub")
    expected = [f"{tmp_path}/feed/asub/a.txt", f"{tmp_path}/feed/b.txt"]
    for spec in (f"{tmp_path}/feed/**/*.txt", f"{tmp_path}/feed/**"):
        assert [item.id for item in read_items(spec)] == expected, spec
        assert all(item.problem is None for item in read_items(spec))
    assert [item.id for item in read_items(str(tmp_path / "feed"))] == ["asub/a.txt", "b.txt"]
    # from the current folder, its own files too (a review: "**/*.txt" left them out)
    monkeypatch.chdir(tmp_path / "feed")
    assert [item.id for item in read_items("**/*.txt")] == ["asub/a.txt", "b.txt"]


def test_a_link_to_an_article_not_there_is_a_failed_item_not_left_out(mujaz, sample, tmp_path):
    """A folder or glob holding a link to a share not mounted: the article was dropped unsaid, exit 0."""
    (tmp_path / "feed").mkdir()
    (tmp_path / "feed" / "a.txt").write_bytes(sample.read_bytes())
    (tmp_path / "feed" / "b.txt").symlink_to(tmp_path / "unmounted" / "b.txt")
    (tmp_path / "feed" / "c.txt").symlink_to("c.txt")  # a link to itself
    out = tmp_path / "out.jsonl"
    for given in (tmp_path / "feed", f"{tmp_path}/feed/*.txt"):
        done = run_batch(mujaz, given, "--task", "summarise", "--method", "extractive", "--no-cache", "-o", str(out))
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert done.returncode == 5, done.stderr.decode()  # -o: exit 1 once, a FileNotFoundError
        names = ["a.txt", "b.txt", "c.txt"]
        assert [r["id"] for r in records] == (names if isinstance(given, Path) else
                                              [str(tmp_path / "feed" / name) for name in names])
        assert records[1]["error"]["code"] == 4
        assert records[1]["error"]["message"].endswith(f"b.txt: a link to {tmp_path}/unmounted/b.txt, which is not there")
        assert records[2]["error"]["message"].endswith("c.txt: cannot read: too many levels of symbolic links")
    # Given as the input itself, each is said as the article commands say it (it was "no such file, directory or
    # matching files", a new user's review)
    from mujaz.core import batch

    with pytest.raises(BadInput, match="b.txt: a link to .*/unmounted/b.txt, which is not there"):
        batch.check_input(str(tmp_path / "feed" / "b.txt"))
    with pytest.raises(BadInput, match="c.txt: cannot read: too many levels of symbolic links"):
        batch.check_input(str(tmp_path / "feed" / "c.txt"))


def test_a_cache_that_cannot_be_used_is_said_so_in_the_summary(mujaz, articles, tmp_path):
    (tmp_path / "a-file").write_text("not a folder")
    done = run_batch(mujaz, articles, "--task", "summarise", "--method", "extractive",
                     env={"MUJAZ_CACHE": str(tmp_path / "a-file" / "cache.sqlite")})
    assert done.stderr.decode().splitlines()[-1].endswith(", cache not used")


def test_output_dash_is_standard_output(mujaz, sample):
    stray = ROOT / "-"  # where it once wrote, printing nothing (mujaz runs in the repository's folder)
    try:
        done = mujaz("batch", str(sample.parent), "--task", "summarise", "--method", "extractive", "--no-cache", "-o", "-")
        assert done.returncode == 0 and json.loads(done.stdout)["task"] == "summarise"
        assert not stray.exists()
        done = mujaz("batch", str(sample.parent), "--task", "summarise", "--method", "extractive", "--no-cache", "-o", "./-")
        assert done.returncode == 0 and done.stdout == b"" and json.loads(stray.read_text())["task"] == "summarise"
    finally:
        stray.unlink(missing_ok=True)


def test_resume_needs_an_output_file(mujaz, articles, tmp_path):
    done = mujaz("batch", str(articles), "--resume")
    assert done.returncode == 2 and "(give -o the file the run writes its records to)" in done.stderr.decode()
    # -o a folder: said what to give instead, before the run, exit 2 as "folder/" is (it was 1, "cannot write: Is a
    # directory", once the run had begun: a new user's hour)
    done = mujaz("batch", str(articles), "--task", "summarise", "--method", "extractive", "-o", str(tmp_path))
    assert done.returncode == 2 and done.stderr.decode() == (
        f"mujaz: error: -o {tmp_path} is a folder (give -o a file in it, as {tmp_path}/briefs.jsonl)\n")
    assert mujaz("batch", str(articles), "--task", "poem").returncode == 2


def test_cache_commands(mujaz, tmp_path):
    env = {"MUJAZ_CACHE": str(tmp_path / "new" / "c.sqlite")}
    info = json.loads(mujaz("cache", "info", env=env).stdout)
    assert info == {"path": str(tmp_path / "new" / "c.sqlite"), "results": 0, "sentences": 0, "bytes": 0,
                    "set_aside": 0, "set_aside_bytes": 0}
    # -f, as every other command that lists something takes (it was "No such option")
    assert json.loads(mujaz("cache", "info", "-f", "jsonl", env=env).stdout) == info
    assert mujaz("cache", "info", "-f", "text", env=env).stdout.decode().splitlines()[1:] == [
        "results: 0", "sentences: 0", "bytes: 0", "set_aside: 0", "set_aside_bytes: 0"]
    cleared = mujaz("cache", "clear", env=env)
    assert cleared.returncode == 0 and cleared.stdout.decode().startswith("nothing to clear")
    assert not (tmp_path / "new").exists()  # asking about a cache, or clearing none, makes none
    (tmp_path / "dir.sqlite").mkdir()
    unusable = mujaz("cache", "clear", env={"MUJAZ_CACHE": str(tmp_path / "dir.sqlite")})
    assert unusable.returncode == 1 and "not cleared" in unusable.stderr.decode() and unusable.stdout == b""
    assert unusable.stderr.decode().count("\n") == 1  # not a warning "not used" too, before the error (a review's)
    # Damaged caches set aside beside it are counted, and cleared with it (they piled up, unseen)
    cache_env = {"MUJAZ_CACHE": str(tmp_path / "c.sqlite")}
    (tmp_path / "c.sqlite.corrupt-20261203-101010-42").write_bytes(b"x" * 1000)
    (tmp_path / "c.sqlite.corrupt-20261203-101010-42-wal").write_bytes(b"x" * 24)
    (tmp_path / "c.sqlite.corrupt-20261203-111111-43").write_bytes(b"x" * 1000)
    info = json.loads(mujaz("cache", "info", env=cache_env).stdout)
    assert info["set_aside"] == 2 and info["set_aside_bytes"] == 2024  # two copies, one with its log
    cleared = mujaz("cache", "clear", env=cache_env)
    assert cleared.returncode == 0 and "2 damaged copies set aside" in cleared.stdout.decode()
    assert not list(tmp_path.glob("c.sqlite.corrupt-*"))
    # --older-than judges a copy's logs by the copy: they go with it (its -wal, newer, stayed behind)
    old = tmp_path / "c.sqlite.corrupt-20261101-101010-42"
    old.write_bytes(b"x" * 1000)
    (tmp_path / (old.name + "-wal")).write_bytes(b"x" * 24)
    os.utime(old, (time.time() - 10 * 86400,) * 2)
    cleared = mujaz("cache", "clear", "--older-than", "5", env=cache_env)
    assert "removed 1 damaged copy set aside" in cleared.stdout.decode() and not list(tmp_path.glob("c.sqlite.corrupt-*"))
    # a cache another run holds locked only needs waiting for (it said "MUJAZ_CACHE picks another file")
    import sqlite3

    from mujaz.commands.cache import not_cleared_hint

    assert "once that run ends" in not_cleared_hint(sqlite3.OperationalError("database is locked"))


def test_an_unusable_cache_is_never_fatal(mujaz, articles):
    done = mujaz("batch", str(articles), "--task", "summarise", "--method", "extractive",
                 env={"MUJAZ_CACHE": "/proc/mujaz-no-cache-here/cache.sqlite"})
    assert done.returncode == 5  # the two bad items only
    assert len(done.stdout.decode().splitlines()) == 9
    assert "not used" in done.stderr.decode()
    # MUJAZ_CACHE naming a folder: said as such (SQLite says only "unable to open database file")
    folder = articles.parent / "caches"
    folder.mkdir()
    done = mujaz("cache", "info", env={"MUJAZ_CACHE": str(folder)})
    assert f"cache {folder} not used (it is a folder; MUJAZ_CACHE names the cache's file)" in done.stderr.decode()
    assert json.loads(done.stdout) == {"path": str(folder), "results": None, "sentences": None, "bytes": None,
                                       "set_aside": 0, "set_aside_bytes": 0}
    # MUJAZ_CACHE under a file (a new user's review): `cache info` said an empty cache, batch "[Errno 17] File exists"
    under_a_file = articles.parent / "notes.txt" / "cache.sqlite"
    (articles.parent / "notes.txt").write_text("x", encoding="utf-8")
    reason = f"cache {under_a_file} not used ({under_a_file.parent} is a file, not a folder)"
    done = mujaz("cache", "info", env={"MUJAZ_CACHE": str(under_a_file)})
    assert done.returncode == 0 and reason in done.stderr.decode() and json.loads(done.stdout)["results"] is None
    done = mujaz("batch", str(articles), "--task", "summarise", "--method", "extractive", env={"MUJAZ_CACHE": str(under_a_file)})
    assert reason in done.stderr.decode()
    # under a link that leads nowhere: said so (it said "[Errno 17] File exists")
    (articles.parent / "gone").symlink_to(articles.parent / "moved-away")
    under_a_link = articles.parent / "gone" / "mujaz" / "cache.sqlite"
    done = mujaz("cache", "info", env={"MUJAZ_CACHE": str(under_a_link)})
    assert (f"cache {under_a_link} not used ({articles.parent / 'gone'} is a link to {articles.parent / 'moved-away'}, "
            "which is not there)") in done.stderr.decode()
    # one that is not there yet and can be made is an empty cache
    assert json.loads(mujaz("cache", "info", env={"MUJAZ_CACHE": str(articles.parent / "new" / "c.sqlite")}).stdout)[
        "results"] == 0


def test_head_closing_the_pipe_is_quiet_in_batch(articles, tmp_path):
    many = tmp_path / "many.jsonl"
    line = articles.read_text(encoding="utf-8").splitlines()[0]
    many.write_text("".join(line.replace('"a0"', f'"n{i}"') + "\n" for i in range(200)), encoding="utf-8")
    done = subprocess.run(f"{sys.executable} -m mujaz batch {many} --task summarise --method extractive --no-cache "
                          f"--chunk 1 | head -c 10; exit ${{PIPESTATUS[0]}}", shell=True, executable="/bin/bash",
                          capture_output=True, cwd=ROOT)
    assert done.returncode == 141 and done.stderr == b""


def test_every_item_failing_alike_exits_with_that_failure(mujaz, sample, tmp_path):
    source = write_articles(tmp_path / "in.jsonl", sample, 3)
    # No translator to be had here: every brief keeps its Arabic and carries error 3.
    done = run_batch(mujaz, source, "--method", "extractive", "--no-cache")
    assert done.returncode == 3, done.stderr.decode()
    assert [json.loads(line)["error"]["code"] for line in done.stdout.decode().splitlines()] == [3, 3, 3]
    # Failures of different kinds, or some items through: 5, as before.
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(source.read_text(encoding="utf-8") + '{"id": "english", "text": "Nothing Arabic here."}\n',
                     encoding="utf-8")
    assert run_batch(mujaz, mixed, "--method", "extractive", "--no-cache").returncode == 5
    assert run_batch(mujaz, mixed, "--task", "summarise", "--method", "extractive", "--no-cache").returncode == 5
    # Resumed: the code the whole output file would have had, not only this run's items'
    summaries = run_batch(mujaz, mixed, "--task", "summarise", "--method", "extractive", "--no-cache")
    out = tmp_path / "out.jsonl"
    out.write_text("".join(summaries.stdout.decode().splitlines(keepends=True)[:3]), encoding="utf-8")  # the good ones
    resumed = run_batch(mujaz, mixed, "--task", "summarise", "--method", "extractive", "--no-cache", "-o", str(out), "--resume")
    assert resumed.returncode == 5 and out.read_bytes() == summaries.stdout  # only the English item failed (4)
    # Nothing left to do, and a failure among what was done: the summary says it, as the code does.
    again = run_batch(mujaz, mixed, "--task", "summarise", "--method", "extractive", "--no-cache", "-o", str(out), "--resume")
    assert again.returncode == 5 and "0 items written, 0 failed, 4 already done (1 of them failed)" in again.stderr.decode()


def test_ray_runs_keep_every_other_write_to_stdout_off_the_records():
    # Ray writes notices from its threads and its C++ core to file descriptor 1, some after the run.
    code = ("import os, sys; from mujaz.commands.batch import _records_apart_from_ray; "
            "records = _records_apart_from_ray(sys.stdout); os.write(1, b'notice\\n'); print('printed', flush=True); "
            "records.write('{\"id\": 1}\\n'); records.close(); os.write(1, b'late notice\\n')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout == b'{"id": 1}\n'
    assert done.stderr.decode().split() == ["notice", "printed", "late", "notice"]


def test_a_cached_result_keeps_its_own_inputs_reading_warnings(mujaz, sample, tmp_path):
    # A bad byte read as U+FFFD and a U+FFFD in the text decode alike: the warning must follow the input.
    raw = sample.read_bytes()
    at = raw.index("موسكو".encode("utf-8"))
    for name, inserted in (("literal", "\ufffd".encode("utf-8")), ("bad", b"\xff")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "x.txt").write_bytes(raw[:at] + inserted + raw[at:])
    env = {"MUJAZ_CACHE": str(tmp_path / "c.sqlite")}
    args = ["--task", "summarise", "--method", "extractive"]
    first = json.loads(run_batch(mujaz, tmp_path / "literal", *args, env=env).stdout)
    second = json.loads(run_batch(mujaz, tmp_path / "bad", *args, env=env).stdout)
    assert first["warnings"] == [] and second["warnings"] == ["1 invalid UTF-8 sequence(s) in the input, read as U+FFFD"]
    # The same text from UTF-16 with one bad unit: its own encoding named, not the cached UTF-8 one.
    text = raw.decode("utf-8")
    cut = text.index("موسكو")
    (tmp_path / "utf16").mkdir()
    (tmp_path / "utf16" / "x.txt").write_bytes(b"\xff\xfe" + text[:cut].encode("utf-16-le") + b"\x00\xd8"
                                               + text[cut:].encode("utf-16-le"))
    third = json.loads(run_batch(mujaz, tmp_path / "utf16", *args, env=env).stdout)
    assert third["warnings"] == ["1 invalid UTF-16 sequence(s) in the input, read as U+FFFD"]


def test_batch_reads_a_non_blocking_stdin_to_its_end(sample):
    import fcntl

    line = (json.dumps({"id": "x", "path": str(sample)}) + "\n").encode()
    read_end, write_end = os.pipe()
    fcntl.fcntl(read_end, fcntl.F_SETFL, fcntl.fcntl(read_end, fcntl.F_GETFL) | os.O_NONBLOCK)
    run = subprocess.Popen([sys.executable, "-m", "mujaz", "batch", "-", "--task", "summarise", "--method", "extractive",
                            "--no-cache"], stdin=read_end, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    os.close(read_end)
    try:
        time.sleep(0.5)  # reading, and nothing has come: was the end of the input, "0 items written"
        os.write(write_end, line * 2)
    finally:
        os.close(write_end)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 0 and len(out.decode().splitlines()) == 2, err.decode()


def test_items_are_counted_for_the_progress_bar(articles, tmp_path):
    from mujaz.core.batch import count_items

    assert count_items(str(articles)) == 9  # every non-blank line, the broken one too
    (tmp_path / "feed").mkdir()
    (tmp_path / "feed" / "a.txt").write_text("نص")
    assert count_items(str(tmp_path / "feed")) == 1 and count_items("-") is None
    # not the output file in the folder, which is no item (the bar showed one too many)
    (tmp_path / "feed" / "out.txt").write_text("")
    assert count_items(str(tmp_path / "feed"), skip=tmp_path / "feed" / "out.txt") == 1


def _on_a_terminal(*args: str) -> tuple[int, bytes]:
    """`mujaz ARGS` with a terminal for its streams (a progress bar shown): its exit code, and all it showed."""
    import pty

    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(ROOT)
        os.execv(sys.executable, [sys.executable, "-m", "mujaz", *args])
    shown = b""
    deadline = time.monotonic() + 120  # a run that hangs fails the test, not the suite
    while time.monotonic() < deadline:
        if not select.select([terminal], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(terminal, 4096)
        except OSError:  # the child is gone: the terminal is closed
            break
        if not chunk:
            break
        shown += chunk
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise AssertionError(f"mujaz {' '.join(args)} did not end: {shown.decode(errors='replace')}")
    os.close(terminal)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]), shown


@pytest.mark.parametrize("runner", ["local", "ray"])
def test_the_progress_bar_counts_the_items_read_not_the_output_file(sample, tmp_path, runner):
    """The bar's total counted the -o file in the folder (1/2 at the end); with --runner ray the count
    named a variable the function did not have (a review's fix; nothing ran the bar's path)."""
    if runner == "ray":
        pytest.importorskip("ray", reason="the Ray runner needs mujaz[ray], which `make test` installs")
    feed = tmp_path / "feed"
    feed.mkdir()
    shutil.copy(sample, feed / "a.txt")
    (feed / "out.txt").write_text('{"id": "an earlier run\'s"}\n', encoding="utf-8")  # a .txt: listed, never read
    code, shown = _on_a_terminal("batch", str(feed), "-o", str(feed / "out.txt"), "--task", "summarise",
                                 "--method", "extractive", "--no-cache", "--runner", runner)
    assert code == 0, shown.decode(errors="replace")
    assert b"1/1" in shown and b"/2" not in shown, shown.decode(errors="replace")


def test_a_folder_inside_that_cannot_be_listed_fails_as_an_item(sample, tmp_path, monkeypatch):
    """Its articles were left out without a word and the run ended 0 (made to look unreadable: root reads all)."""
    from mujaz.core import batch

    for name in ("a.txt", "sub/b.txt", "zz/c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(sample.read_bytes())
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == str(tmp_path / "sub"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    items = list(batch.read_items(str(tmp_path)))
    assert [(item.id, item.problem) for item in items] == [
        ("a.txt", None), ("sub", f"{tmp_path / 'sub'}: cannot list this folder: Permission denied"), ("zz/c.txt", None)]
    # Checked before a run: a folder whose only content cannot be listed says so, not "no article files"...
    only = tmp_path / "sub"
    (tmp_path / "a.txt").unlink()
    (tmp_path / "zz" / "c.txt").unlink()
    with pytest.raises(BadInput, match=f"^{only}: cannot list this folder: Permission denied$"):
        batch.check_input(str(tmp_path))
    # ...and nor does an input folder that cannot be read
    monkeypatch.setattr(os, "access", lambda path, mode: False)
    with pytest.raises(BadInput, match=f"^{tmp_path}: cannot read: permission denied$") as refused:
        batch.check_input(str(tmp_path))
    assert "check its permissions" in refused.value.hint


def test_both_runners_write_through_one_loop_that_says_an_interruption(capsys, tmp_path):
    """A second Ctrl-C lands while records are awaited (Ray's actors, a local chunk): what was written
    is still said; every chunk written, the last short one too, moves the bar (the Ray runner's own
    loop once said nothing there and left the last chunk off the bar)."""
    import io
    import types

    from mujaz.commands.batch import _Chunk, _chunked, _Job, _write_chunks

    advanced = []
    bar = types.SimpleNamespace(advance=lambda count, failed: advanced.append((count, failed)))
    interrupt = types.SimpleNamespace(check=lambda: None)
    feedback = types.SimpleNamespace(warn_once=lambda warnings: None, warn=lambda message: None, error=lambda message: None,
                                     quiet=False)
    job = _Job("brief", {}, "medium", False, 0, 0, 2, feedback)
    failed = {"id": "b", "error": {"code": 4, "message": "bad", "hint": None}}  # as error_json writes it

    def chunks(then_interrupted: bool):
        yield _Chunk(['{"id": "a"}', '{"id": "b"}'], [0, 4], [failed], [])
        yield _Chunk(['{"id": "c"}'], [0], [], [])
        if then_interrupted:
            raise KeyboardInterrupt

    out = io.StringIO()
    tally = _write_chunks(job, chunks(False), out, False, bar, interrupt)
    assert (tally.written, tally.failed, advanced) == (3, 1, [(2, 1), (1, 1)])
    assert out.getvalue().count("\n") == 3
    with open(tmp_path / "out.jsonl", "w") as out, pytest.raises(KeyboardInterrupt):
        _write_chunks(job, chunks(True), out, True, bar, interrupt)
    assert "3 items written before the interruption, 1 failed; `--resume`" in capsys.readouterr().err
    # Ray's records, one by one, in chunks: the last, shorter one too
    records = [('{"id": "a"}', 0, []), ('{"id": "b", "error": {}}', 4, ["fell back"]), ('{"id": "c"}', 0, [])]
    assert list(_chunked(iter(records), 2)) == [
        _Chunk(['{"id": "a"}', '{"id": "b", "error": {}}'], [0, 4], [{"id": "b", "error": {}}], ["fell back"]),
        _Chunk(['{"id": "c"}'], [0], [], [])]


def test_a_run_the_lock_refuses_never_removes_the_output_of_the_run_that_holds_it(tmp_path):
    """Two runs started at once both saw no file; the refused one removed the file the other was
    about to fill, and that one wrote its records into a file without a name and exited 0."""
    import fcntl

    from mujaz.commands.batch import _output_held
    from mujaz.errors import UsageProblem

    out = tmp_path / "out.jsonl"
    first = out.open("a", encoding="utf-8")  # the first run: created the file, nothing written yet
    fcntl.flock(first.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    class SeenBeforeItWasCreated(type(out)):
        def exists(self, **kwargs):
            return False

    with pytest.raises(UsageProblem, match="another mujaz batch is writing it"):
        with _output_held(SeenBeforeItWasCreated(out)):
            pass
    assert out.is_file()
    first.write("{}\n")
    first.close()
    assert out.read_text() == "{}\n"


def test_a_byte_that_is_no_utf8_in_a_jsonl_text_is_read_as_in_a_file(mujaz, sample, tmp_path):
    """One bad byte in an article's text cost the line and its id: "line-1", "not a JSON object"."""
    text = sample.read_text(encoding="utf-8")
    cut = text.index(" ", 200)
    line = json.dumps({"id": "café", "text": text[:cut] + "@BAD@" + text[cut:]}, ensure_ascii=False).encode("utf-8")
    source = tmp_path / "in.jsonl"  # a Latin-1 é in the id, and a byte that is no UTF-8 in the text
    source.write_bytes(line.replace("é".encode(), b"\xe9").replace(b"@BAD@", b"\xff") + b"\n")
    done = run_batch(mujaz, source, "--task", "summarise", "--method", "extractive", "--no-cache")
    assert done.returncode == 0, done.stderr.decode()
    [record] = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert record["id"] == "caf\ufffd" and record["summary"]["ar"]
    assert "1 invalid UTF-8 sequence(s) in the input, read as U+FFFD" in record["warnings"]
    # An emoji as two encoded surrogates (CESU-8, from Java) is read as before, not as bad bytes
    # (the article was refused: "it mixes encodings"); a file name that is no UTF-8 finds its file.
    named = tmp_path / os.fsdecode(b"a\xe9.txt")
    named.write_bytes(sample.read_bytes())
    cesu = "\ud83d\ude00".encode("utf-8", "surrogatepass") * 4
    source.write_bytes(line.replace("é".encode(), b"e").replace(b"@BAD@", cesu) + b"\n"
                       + b'{"id": "p", "path": "' + os.fsencode(named) + b'"}\n')
    done = run_batch(mujaz, source, "--task", "summarise", "--method", "extractive", "--no-cache")
    assert done.returncode == 0, done.stderr.decode()
    assert [json.loads(line)["id"] for line in done.stdout.decode().splitlines()] == ["cafe", "p"]


def test_a_cache_on_a_full_disk_is_removed_by_clear_and_a_locked_one_never(tmp_path):
    """On a full disk emptying the tables writes to the log first: `cache clear`, the way to free the
    room, said "not cleared", exit 1, and every later run warned."""
    import sqlite3

    path = tmp_path / "cache.sqlite"
    cache = Cache(path)
    cache.put_many("results", {f"k{n}": {"text": "نص " * 100} for n in range(50)})

    class FullDisk:
        def __init__(self, db):
            self.db = db

        def execute(self, *args):
            raise sqlite3.OperationalError("database or disk is full")

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def close(self):
            self.db.close()

    class Locked(FullDisk):
        def execute(self, *args):
            raise sqlite3.OperationalError("database is locked")

    warnings = []
    cache.warn = warnings.append
    cache._db = FullDisk(cache._db)
    assert cache.clear()
    assert not [p for p in tmp_path.iterdir() if p.name in ("cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm")]
    assert Cache(path).info()["results"] == 0  # a new one in its place, when next wanted
    locked = Cache(path)  # a cache another run holds locked is never removed
    locked.put("results", "k", {"v": 1})
    locked._db = Locked(locked._db)
    assert not locked.clear() and path.is_file()
    notes = tmp_path / "notes.txt"  # a MUJAZ_CACHE naming another file is never removed
    notes.write_text("my notes\n")
    assert not Cache(notes).clear() and notes.read_text() == "my notes\n"


def test_the_sentence_cache_keeps_whether_the_model_ended_a_translation(tmp_path):
    """A translation the length cap stopped must be said so when it comes from the cache too."""
    from mujaz.core.cache import CachedTranslator
    from mujaz.models.base import Translation

    class Stopped:
        ref = None
        calls = 0

        def translate_noted(self, texts):
            Stopped.calls += 1
            return [Translation(f"en {text}", ended="loop" not in text) for text in texts]

    cache = Cache(tmp_path / "c.sqlite")
    for _ in range(2):  # the second from the cache alone
        translator = CachedTranslator(Stopped, {"model": "x"}, None, cache)
        assert translator.translate_noted(["جملة", "loop جملة", ""]) == [
            Translation("en جملة"), Translation("en loop جملة", ended=False), Translation("")]
    assert Stopped.calls == 1


def test_a_cached_translator_says_the_decoding_of_the_model_behind_it(tmp_path):
    """A Translator now, it took the base class's decoding() (none) for the model's own."""
    from mujaz.core.cache import CachedTranslator
    from mujaz.models.base import Translation

    class Beamed:
        ref = None

        def translate_noted(self, texts):
            return [Translation(f"en {text}") for text in texts]

        def decoding(self):
            return {"num_beams": 4}

    translator = CachedTranslator(Beamed, {"model": "x"}, None, Cache(tmp_path / "c.sqlite"))
    assert translator.decoding() == {}  # nothing loaded, nothing decoded
    translator.translate(["جملة"])
    assert translator.decoding() == {"num_beams": 4}


def test_cache_clear_older_than_removes_only_what_was_cached_before(mujaz, tmp_path):
    """Results of an older mujaz are never served again (the code is in their keys) and stayed for ever:
    a cron job over upgrades kept a full copy a version."""
    import sqlite3

    path = tmp_path / "c.sqlite"
    cache = Cache(path)
    cache.put_many("results", {"old": {"v": 1}, "new": {"v": 2}})
    cache.put_many("sentences", {"old": {"text": "x", "ended": True}})
    cache.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("UPDATE results SET created = created - 40 * 86400 WHERE key = 'old'")
    db.execute("UPDATE sentences SET created = created - 40 * 86400")
    db.close()
    env = {"MUJAZ_CACHE": str(path)}
    done = mujaz("cache", "clear", "--older-than", "30", env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout.decode() == f"cleared {path} of 1 result and 1 sentence cached over 30 days ago\n"
    info = json.loads(mujaz("cache", "info", env=env).stdout)
    assert (info["results"], info["sentences"]) == (1, 0)
    assert mujaz("cache", "clear", "--older-than", "-1", env=env).returncode == 2


def test_a_cache_given_up_mid_run_is_not_said_unused(capsys):
    """A cache given up mid-run (a full disk, locked past the timeout) served hits before: the summary
    said "cache not used"."""
    from types import SimpleNamespace

    from mujaz.commands.batch import _summary, _Tally

    tally = _Tally()
    _summary(False, tally, [], SimpleNamespace(in_use=False, lookups=Counter(results=8), found=Counter(results=3)))
    _summary(False, tally, [], SimpleNamespace(in_use=False, lookups=Counter(), found=Counter()))
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].endswith(", cache served 3 of 8 results, then given up") and lines[1].endswith(", cache not used")


def test_a_folder_that_can_be_listed_but_not_entered_fails_its_files_as_items(sample, tmp_path, monkeypatch):
    """Its files could not even be looked at: PermissionError ended the whole run, after -o was emptied.
    Now they are listed, each an item that fails when read (seen without root's override: exit 5,
    "cannot read: permission denied"; root, who runs the tests, reads them all the same)."""
    from mujaz.core import batch

    (tmp_path / "sub").mkdir()
    for name in ("a.txt", "sub/b.txt"):
        (tmp_path / name).write_bytes(sample.read_bytes())
    looked_at = Path.is_file

    def is_file(path):
        if path.parent.name == "sub":
            raise PermissionError(13, "Permission denied", str(path))
        return looked_at(path)

    monkeypatch.setattr(Path, "is_file", is_file)
    assert [item.id for item in batch.read_items(str(tmp_path))] == ["a.txt", "sub/b.txt"]


def test_a_folders_links_to_folders_are_listed_as_a_globs_are_each_once(mujaz, sample, tmp_path):
    top, real = tmp_path / "top", tmp_path / "real"
    top.mkdir(), real.mkdir()
    (top / "b.txt").write_bytes(sample.read_bytes())
    (real / "a.txt").write_bytes(sample.read_bytes())
    (top / "linked").symlink_to(real)
    (top / "loop").symlink_to(top)  # a link back up: each folder once, not again under ever longer paths
    from mujaz.core import batch

    assert [item.id for item in batch.read_items(str(top))] == ["b.txt", "linked/a.txt"]
    # A folder reached by a link and by its own name is listed under the first name (ids as in any copy)
    (top / "a_link").symlink_to(top / "z")
    (top / "z").mkdir()
    (top / "z" / "one.txt").write_bytes(sample.read_bytes())
    assert [item.id for item in batch.read_items(str(top))] == ["a_link/one.txt", "b.txt", "linked/a.txt"]
    # A file or folder whose name holds [ ] is itself, not a pattern matching nothing
    odd = tmp_path / "odd[1]"
    odd.mkdir()
    (odd / "x.txt").write_bytes(sample.read_bytes())
    batch.check_input(str(odd))
    assert [item.id for item in batch.read_items(str(odd))] == ["x.txt"]


def test_what_would_fail_every_item_alike_is_refused_before_the_output_is_touched(mujaz, sample, tmp_path, monkeypatch):
    """Pretty-printed JSON made an error record of each of its lines; a summariser's mistyped folder or
    a missing conversion, one of every item; -o "out/" wrote a file "out"; each emptied -o first."""
    from mujaz.core import batch

    out = tmp_path / "out.jsonl"
    out.write_text("earlier records\n", encoding="utf-8")
    pretty = tmp_path / "pretty.jsonl"
    pretty.write_text(json.dumps({"id": "a", "path": str(sample)}, indent=2), encoding="utf-8")
    done = run_batch(mujaz, pretty, "--method", "extractive", "-o", str(out))
    assert done.returncode == 4 and "its first line opens an object it does not close" in done.stderr.decode()
    # judged once the line has ended: a producer may write "{" apart from the rest of its record
    assert batch.not_jsonl(b"{", "standard input") is None and batch.not_jsonl(b"{\n", "standard input") is not None
    source = write_articles(tmp_path / "in.jsonl", sample, 2)
    # and a hub's model not downloaded, offline (the tests' hub is: HF_HUB_OFFLINE=1, an empty cache) — a new
    # user's review: last night's command rerun on a laptop offline left only error records, and --resume used up
    for args in (["--summariser", str(tmp_path / "sumariser")], ["--engine", "ctranslate2", "--method", "abstractive"],
                 ["--method", "abstractive"], ["--summariser", "csebuetnlp/mT5_multilingual_XLSum"]):
        done = run_batch(mujaz, source, "--task", "summarise", *args, "-o", str(out), env={"MUJAZ_HOME": str(tmp_path)})
        assert done.returncode == 3 and done.stderr.decode().count("\n") == 1, (args, done.stderr.decode())
    assert "is not in the local cache and HF_HUB_OFFLINE is set" in done.stderr.decode()
    # the translator too, where translating is all there is to do (a review of the change: -o still emptied)
    done = run_batch(mujaz, source, "--task", "translate", "--no-cache", "-o", str(out))
    assert done.returncode == 3 and done.stderr.decode().count("\n") == 1, done.stderr.decode()
    # where the extractive summariser stands in (--method auto, the default model), the hub is not even asked
    from mujaz.models import hub

    def asked(ref):
        raise AssertionError("the hub was asked")

    monkeypatch.setattr(hub, "refuse_a_download_that_cannot_be", asked)
    assert ModelProvider(method="auto").known_failure("summariser") is None
    for name in ("", str(tmp_path / "new") + "/"):
        done = run_batch(mujaz, source, "--method", "extractive", "-o", name)
        assert done.returncode == 2 and "-o takes the file the records go to" in done.stderr.decode()
    assert not (tmp_path / "new").exists() and out.read_text(encoding="utf-8") == "earlier records\n"
    # A name too long, or under a folder that may not be entered, is bad input said in one line
    with pytest.raises(BadInput, match="cannot read: file name too long"):
        batch.check_input(str(tmp_path / ("y" * 300)))


def test_a_model_found_damaged_as_it_loads_leaves_an_earlier_runs_records(mujaz, sample, tiny_models, tmp_path):
    """A cut tokenizer is known only as the model loads, which was after -o was emptied: every item
    failed (exit 3), and the earlier run's records were gone. Where -o holds records the models every
    item needs are loaded first; where it holds none, the run goes on as before."""
    source = write_articles(tmp_path / "in.jsonl", sample, 2)
    out = tmp_path / "out.jsonl"
    for role, args in (("summariser", ["--task", "summarise", "--method", "abstractive"]),
                       ("translator", ["--task", "translate"])):
        damaged = tmp_path / f"damaged-{role}"
        shutil.copytree(tiny_models / role, damaged)
        spm = damaged / ("spiece.model" if role == "summariser" else "source.spm")
        spm.write_bytes(spm.read_bytes()[:10])
        out.write_text("earlier records\n", encoding="utf-8")
        done = run_batch(mujaz, source, *args, f"--{role}", str(damaged), "--no-cache", "-o", str(out))
        said = done.stderr.decode()
        assert done.returncode == 3 and said.count("\n") == 1 and "cannot load its tokenizer" in said, said
        assert out.read_text(encoding="utf-8") == "earlier records\n"
        out.write_text("", encoding="utf-8")  # nothing to lose: the run is as it was, each item's record its failure
        done = run_batch(mujaz, source, *args, f"--{role}", str(damaged), "--no-cache", "-o", str(out))
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert done.returncode == 3 and [r["error"]["code"] for r in records] == [3, 3], done.stderr.decode()


def test_json_records_given_as_an_article_fail_as_such(mujaz, sample, tmp_path):
    """An earlier run's `-o feed/out.txt`, read as one of the feed's articles, was summarised."""
    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "a.txt").write_bytes(sample.read_bytes())
    (feed / "out.txt").write_text(json.dumps({"id": "x", "text": "مرحبا بكم"}, ensure_ascii=False) + "\n", encoding="utf-8")
    done = run_batch(mujaz, feed, "--task", "summarise", "--method", "extractive")
    records = {r["id"]: r for r in map(json.loads, done.stdout.decode().splitlines())}
    assert done.returncode == 5 and records["out.txt"]["error"]["message"].endswith("JSON records, not an article")
    assert records["a.txt"]["summary"]["ar"]
