"""`mujaz batch --runner ray` on a local Ray instance: the same records as the local runner."""

import json
import os
import signal
import subprocess
import sys

import pytest

from conftest import ROOT, closed_port, wait_for_output, write_articles
from test_batch import ids, run_batch

pytest.importorskip("ray", reason="the Ray runner needs mujaz[ray], which `make test` installs")


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture
def translator_env(tiny_models, tmp_path):
    return ["--translator", str(tiny_models / "translator")], {"MUJAZ_CACHE": str(tmp_path / "cache.sqlite")}


def test_ray_gives_the_local_runners_records_byte_for_byte(mujaz, articles, translator_env, tmp_path):
    options, env = translator_env
    local = run_batch(mujaz, articles, *options, "--no-cache", "--chunk", "3", env=env)
    on_ray = run_batch(mujaz, articles, *options, "--runner", "ray", "--chunk", "3", "-o", str(tmp_path / "ray.jsonl"), env=env)
    assert (local.returncode, on_ray.returncode) == (5, 5), on_ray.stderr.decode()
    assert [r["id"] for r in records(local.stdout.decode())][4] == "line-5"  # the broken line, numbered by both
    assert (tmp_path / "ray.jsonl").read_bytes() == local.stdout

    def warnings(done):
        return [line for line in done.stderr.decode().splitlines() if line.startswith("mujaz: warning:")]

    assert warnings(on_ray) == warnings(local) != []  # the summariser's fallback, said once, as locally
    assert "Traceback" not in on_ray.stderr.decode()


def test_ray_splits_lines_as_the_local_runner_does(mujaz, sample, tmp_path):
    """U+2028 is valid inside a JSON string, and bad UTF-8 is one item's problem, not the run's; a first line of a
    byte-order mark alone is blank (on Ray it was an item that failed)."""
    text = sample.read_text(encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_bytes(
        b"\xef\xbb\xbf\n"
        + json.dumps({"id": "sep", "text": text.replace("\n", "\u2028", 1)}, ensure_ascii=False).encode("utf-8") + b"\n"
        + b'{"id": "bad", "text": "\xff\xfe"}\n\n'
        + json.dumps({"text": text + "\u0085"}, ensure_ascii=False).encode("utf-8") + b"\n"
    )
    common = ("--task", "summarise", "--method", "extractive", "--no-cache")
    local = run_batch(mujaz, source, *common)
    on_ray = run_batch(mujaz, source, *common, "--runner", "ray")
    assert (local.returncode, on_ray.returncode) == (5, 5), on_ray.stderr.decode()
    assert [r["id"] for r in records(local.stdout.decode())] == ["sep", "bad", "line-5"]  # bad UTF-8: the text's problem
    assert on_ray.stdout == local.stdout


def test_ray_reads_a_folder_and_writes_part_files(mujaz, sample, tmp_path):
    folder = tmp_path / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(sample.read_bytes())
    (folder / "sub" / "b.html").write_text(f"<html><body><p>{sample.read_text(encoding='utf-8')}</p></body></html>", encoding="utf-8")
    (folder / "english.txt").write_text("Nothing Arabic here.", encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    out = tmp_path / "out"
    spelled = "./" + os.path.relpath(folder, ROOT) + "/"  # ids do not depend on how the folder is spelled
    done = run_batch(mujaz, spelled, "--runner", "ray", "--task", "summarise", "--method", "extractive",
                     "--no-cache", "--output-dir", str(out))
    assert done.returncode == 5, done.stderr.decode()
    lines = [json.loads(line) for part in sorted(out.glob("*.jsonl")) for line in part.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["id"] for r in lines) == ["a.txt", "english.txt", "sub/b.html"]
    assert [r["error"]["code"] for r in lines if "error" in r] == [4]
    assert "3 items written, 1 failed" in done.stderr.decode()
    again = run_batch(mujaz, folder, "--runner", "ray", "--output-dir", str(out))  # Ray would add files beside these
    assert again.returncode == 2 and "not empty" in again.stderr.decode()


def test_ray_never_reads_its_output_file_as_an_article(mujaz, sample, tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "a.txt").write_bytes(sample.read_bytes())
    out = folder / "out.jsonl"
    out.write_bytes(sample.read_bytes())  # listed by the glob, and readable as an article until it is written over
    done = run_batch(mujaz, f"{folder}/*", "--runner", "ray", "--task", "summarise", "--method", "extractive",
                     "--no-cache", "-o", str(out))
    assert done.returncode == 0, done.stderr.decode()
    assert [r["id"] for r in records(out.read_text(encoding="utf-8"))] == [f"{folder}/a.txt"]
    # an output named as one of the articles (.txt) would destroy it: refused before Ray starts
    refused = run_batch(mujaz, f"{folder}/*", "--runner", "ray", "--task", "summarise", "--method", "extractive",
                        "-o", str(folder / "a.txt"))
    assert refused.returncode == 2 and (folder / "a.txt").read_bytes() == sample.read_bytes()


def test_ray_exits_with_the_failure_every_item_shares(mujaz, sample, tmp_path):
    source = write_articles(tmp_path / "in.jsonl", sample, 3)  # no translator to be had here: error 3 on each
    streamed = run_batch(mujaz, source, "--method", "extractive", "--no-cache", "--runner", "ray")
    assert streamed.returncode == 3, streamed.stderr.decode()
    to_folder = run_batch(mujaz, source, "--method", "extractive", "--no-cache", "--runner", "ray",
                          "--output-dir", str(tmp_path / "out"))
    assert to_folder.returncode == 3, to_folder.stderr.decode()


def test_ray_names_a_device_this_machine_lacks_in_every_record(mujaz, sample, tiny_models, tmp_path):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has the CUDA device the test asks for")
    source = write_articles(tmp_path / "in.jsonl", sample, 2)
    done = run_batch(mujaz, source, "--task", "summarise", "--method", "abstractive", "--summariser",
                     str(tiny_models / "summariser"), "--device", "cuda", "--no-cache", "--runner", "ray")
    assert done.returncode == 2, done.stderr.decode()  # the usage problem's own code, not Ray's failure (1)
    messages = {record["error"]["message"] for record in records(done.stdout.decode())}
    assert messages == {"--device cuda: this torch build sees no CUDA device"}


def test_ray_to_dev_stdout_and_with_stdout_closed(mujaz, sample, tmp_path):
    source = write_articles(tmp_path / "in.jsonl", sample, 3)
    options = ("--task", "summarise", "--method", "extractive", "--no-cache", "--runner", "ray")
    done = run_batch(mujaz, source, *options, "-o", "/dev/stdout")
    assert done.returncode == 0, done.stderr.decode()
    assert [r["id"] for r in records(done.stdout.decode())] == ["n0", "n1", "n2"]  # stdout, not the stderr it is moved to
    closed = subprocess.run(f"{sys.executable} -m mujaz batch {source} {' '.join(options)} >&-", shell=True,
                            capture_output=True, cwd=ROOT)
    assert closed.returncode == 1
    assert closed.stderr.decode().strip() == "mujaz: error: cannot write the output: standard output is closed (give -o FILE)"


def test_ray_resume_appends_only_what_is_missing(mujaz, articles, translator_env, tmp_path):
    options, env = translator_env
    out = tmp_path / "out.jsonl"
    whole = run_batch(mujaz, articles, *options, "--no-cache", env=env)
    lines = whole.stdout.decode().splitlines(keepends=True)
    out.write_text("".join(lines[:3]) + lines[3][:40], encoding="utf-8")  # a run that died mid-record
    resumed = run_batch(mujaz, articles, *options, "--runner", "ray", "-o", str(out), "--resume", env=env)
    assert resumed.returncode == 5, resumed.stderr.decode()
    got = ids(out)
    assert got[:3] == ["a0", "a1", "english"] and len(got) == len(set(got)) == len(lines)


def test_ray_options_without_the_ray_runner_are_a_usage_error(mujaz, articles):
    # "--actor-cpus 1", its default's value, too: given, it was passed over (a review)
    for option in (["--actors", "2"], ["--actor-cpus", "1"]):
        done = run_batch(mujaz, articles, *option)
        assert done.returncode == 2
        assert done.stderr.decode().strip() == ("mujaz: error: --ray-address, --actors and --actor-cpus go with --runner ray "
                                                "(add --runner ray, or leave them out)")


@pytest.mark.parametrize("actors", [[], ["--actors", "1"]], ids=["actors by default", "actors given"])
def test_an_actor_larger_than_any_node_is_refused(mujaz, articles, actors):
    # Before the check ran with --actors given too, this run waited forever.
    done = mujaz("batch", str(articles), "--runner", "ray", "--actor-cpus", "1000", *actors,
                 "--task", "summarise", "--no-cache", timeout=120)
    assert done.returncode == 2
    assert "--actor-cpus 1000: the largest Ray node has" in done.stderr.decode()


def test_ray_refuses_stdin_in_one_line(mujaz):
    done = mujaz("batch", "-", "--runner", "ray", input=b'{"id": "x", "text": "\xd9\x86\xd8\xb5"}\n')
    assert done.returncode == 2
    assert done.stderr.decode().strip().splitlines() == [
        "mujaz: error: --runner ray reads files, folders, globs or URIs, not standard input (write the JSONL to a file first)"
    ]


def test_an_unreachable_cluster_is_one_line_and_leaves_the_output_alone(mujaz, articles, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id": "earlier"}\n', encoding="utf-8")
    address = f"127.0.0.1:{closed_port()}"
    done = run_batch(mujaz, articles, "--runner", "ray", "--ray-address", address, "-o", str(out))
    assert done.returncode == 1
    assert done.stderr.decode().startswith(f"mujaz: error: cannot reach the Ray cluster at {address}")
    assert len(done.stderr.decode().strip().splitlines()) == 1
    assert out.read_text(encoding="utf-8") == '{"id": "earlier"}\n'
    new = tmp_path / "new.jsonl"  # and a file the run would have made is not left behind, empty
    assert run_batch(mujaz, articles, "--runner", "ray", "--ray-address", address, "-o", str(new)).returncode == 1
    assert not new.exists()


def ray_workers_of(driver: int) -> list[int]:
    """Process ids of the Ray actors started for this driver (its descendants, through the raylet it
    launched), so that a test never kills a worker of another run on the same machine."""
    parents, names = {}, {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as stat:
                    parents[int(entry)] = int(stat.read().rsplit(b")", 1)[1].split()[1])
                with open(f"/proc/{entry}/cmdline", "rb") as cmdline:
                    names[int(entry)] = cmdline.read()
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
    family, grew = {driver}, True
    while grew:
        children = {pid for pid, parent in parents.items() if parent in family} - family
        family |= children
        grew = bool(children)
    return sorted(pid for pid in family if b"ray::MapWorker" in names.get(pid, b""))


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="finds the run's own Ray workers through /proc")
def test_a_killed_actor_is_replaced_and_nothing_is_lost_or_doubled(sample, tiny_models, tmp_path):
    source = write_articles(tmp_path / "in.jsonl", sample, 2000, prefix="a")
    out = tmp_path / "out.jsonl"
    errors = tmp_path / "stderr.txt"
    # stdout, not -o: Ray's own notices of the lost worker must not land among the records. stderr
    # to a file: a pipe nobody reads while the run goes on could fill up and stop it.
    with out.open("wb") as stdout, errors.open("wb") as stderr:
        run = subprocess.Popen([sys.executable, "-m", "mujaz", "batch", str(source), "--runner", "ray", "--chunk", "8",
                                "--translator", str(tiny_models / "translator"), "--no-cache", "-q"],
                               cwd=ROOT, stdout=stdout, stderr=stderr)
        try:
            wait_for_output(out, 1, run, timeout=240)
            workers = ray_workers_of(run.pid)
            assert workers and run.poll() is None, "the run ended before an actor could be killed"
            os.kill(workers[0], signal.SIGKILL)
            assert run.wait(timeout=300) == 0, errors.read_text(encoding="utf-8", errors="replace")
        finally:
            if run.poll() is None:
                run.kill()
    assert ids(out) == [f"a{i}" for i in range(2000)]  # every line a record; in order, none missing, none twice
