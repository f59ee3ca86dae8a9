"""Shared fixtures: the sample article, tiny local models, an isolated HF cache.

No test touches the network: every test runs with HF_HUB_OFFLINE=1 and an
empty, temporary Hugging Face cache, so the real default models are "not
downloaded" and the tiny ones are loaded from build/tiny-models.
"""

from __future__ import annotations

import json
import os
import socket
import socketserver
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "lavrov-wang-yi-multipolar.ar.txt"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
TINY = ROOT / "build" / "tiny-models"


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on: one the system just gave out, and closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Socks5Proxy(socketserver.ThreadingTCPServer):
    """A SOCKS5 proxy (RFC 1928; RFC 1929's user and password when `credentials` are given) that
    connects every address it is asked for to `target`, so that names need not resolve; it notes
    each address asked for, and whether it came as a name. A host ending ".unreachable" gets
    the reply a proxy gives for a host it cannot reach."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, target: tuple[str, int], credentials: tuple[bytes, bytes] | None = None):
        super().__init__(("127.0.0.1", 0), _Socks5Handler)
        self.target, self.credentials, self.asked = target, credentials, []


class _Socks5Handler(socketserver.BaseRequestHandler):
    def handle(self):
        import select

        client, server = self.request, self.server

        def read(count: int) -> bytes:
            data = b""
            while len(data) < count and (chunk := client.recv(count - len(data))):
                data += chunk
            return data

        greeting = read(2)
        if len(greeting) < 2:
            return  # one that only connects, to see that the proxy is there
        methods = read(greeting[1])
        if server.credentials:
            if 2 not in methods:
                return client.sendall(b"\x05\xff")
            client.sendall(b"\x05\x02")
            user = read(read(2)[1])
            password = read(read(1)[0])
            if (user, password) != server.credentials:
                return client.sendall(b"\x01\x01")
            client.sendall(b"\x01\x00")
        else:
            client.sendall(b"\x05\x00")
        kind = read(4)[3]
        host = (socket.inet_ntoa(read(4)) if kind == 1 else read(read(1)[0]).decode() if kind == 3
                else socket.inet_ntop(socket.AF_INET6, read(16)))
        read(2)  # the port: every address is the target's
        server.asked.append((host, kind == 3))
        if host.endswith(".unreachable"):
            return client.sendall(b"\x05\x04\x00\x01" + bytes(6))
        with socket.create_connection(server.target) as upstream:
            client.sendall(b"\x05\x00\x00\x01" + bytes(6))
            while True:
                for ready in select.select([client, upstream], [], [], 10)[0]:
                    data = ready.recv(65536)
                    if not data:
                        return
                    (upstream if ready is client else client).sendall(data)


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path_factory, monkeypatch):
    hf_home = tmp_path_factory.getbasetemp() / "hf-home"
    monkeypatch.setenv("HF_HOME", str(hf_home))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    # An empty store of converted (CTranslate2) models; tests that want some point elsewhere.
    monkeypatch.setenv("MUJAZ_HOME", str(tmp_path_factory.getbasetemp() / "mujaz-home"))
    monkeypatch.setenv("MUJAZ_CACHE", str(tmp_path_factory.getbasetemp() / "cache.sqlite"))
    for name in ("MUJAZ_SUMMARISER", "MUJAZ_TRANSLATOR", "MUJAZ_BIDI", "MUJAZ_DEBUG", "MUJAZ_ENGINE", "HF_HUB_CACHE",
                 # The developer's own settings: a proxy would take the tests' requests to 127.0.0.1,
                 # another output encoding would change what they read back.
                 "PYTHONIOENCODING", *(f"{name}_proxy" for name in ("http", "https", "no", "all")),
                 *(f"{name.upper()}_PROXY" for name in ("http", "https", "no", "all"))):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def tiny_models() -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from tiny_models import build

    return build(TINY)


@pytest.fixture(scope="session")
def sample() -> Path:
    return SAMPLE


def run_mujaz(*args: str, input: bytes | None = None, env: dict | None = None, timeout: float = 300, cwd: Path = ROOT):
    """mujaz as a real subprocess, with real pipes."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mujaz", *args],
        input=input,
        capture_output=True,
        env=full_env,
        timeout=timeout,
        cwd=cwd,
    )


@pytest.fixture
def mujaz():
    return run_mujaz


@pytest.fixture
def articles(sample, tmp_path):
    """A JSONL input: good articles, a non-Arabic one, a broken line, a path item."""
    text = sample.read_text(encoding="utf-8")
    lines = [json.dumps({"id": f"a{i}", "text": text.replace("موسكو", f"موسكو {i}")}, ensure_ascii=False) for i in range(6)]
    lines.insert(2, json.dumps({"id": "english", "text": "Only English here, nothing Arabic."}))
    lines.insert(4, "{not json")
    lines.append(json.dumps({"id": "by-path", "path": str(sample)}))
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_articles(path: Path, sample: Path, count: int, prefix: str = "n") -> Path:
    """A JSONL input of `count` distinct articles made from the sample, with ids prefix0, prefix1, ..."""
    text = sample.read_text(encoding="utf-8")
    path.write_text("".join(json.dumps({"id": f"{prefix}{i}", "text": f"{text}\nرقم {i}."}, ensure_ascii=False) + "\n"
                            for i in range(count)), encoding="utf-8")
    return path


def wait_for_output(path: Path, min_bytes: int, process: subprocess.Popen | None = None, timeout: float = 120) -> None:
    """Until `path` holds `min_bytes`, the process ends, or `timeout` seconds pass: a run caught mid-way."""
    deadline = time.monotonic() + timeout
    while (time.monotonic() < deadline and (not path.exists() or path.stat().st_size < min_bytes)
           and (process is None or process.poll() is None)):
        time.sleep(0.05)
