"""Hostile input, hostile pages, odd models, and the process's edges: nothing crashes."""

import functools
import http.server
import json
import os
import signal
import shutil
import socket
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from mujaz.core.segment import segment_article, split_sentences
from mujaz.core.fetch import fetch_url
from mujaz.core.source import MIN_ARABIC_SHARE, Source, article_from_bytes, load_article
from mujaz.core.text import arabic_share, normalise
from mujaz.errors import BadInput, ModelUnavailable
from mujaz.models import hub

from conftest import ROOT, Socks5Proxy, closed_port, wait_for_output, write_articles

ARABIC = st.text(alphabet=st.sampled_from(list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإةى ًٌٍَُِّْـ،؛؟.!…\"“”«»()\n\r\t 0123456789٠١٢٣")))


# -- property tests ----------------------------------------------------------
@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once


@given(st.one_of(st.text(), ARABIC))
@settings(max_examples=300)
def test_segmentation_loses_no_character(text):
    normalised = normalise(text)
    segments = segment_article(normalised)
    flat = "".join(normalised.split())
    texts = ["".join(s.text.split()) for s in segments]
    if segments and segments[0].kind == "title":
        # Every character, in order but for the headline's line, which comes first even where a
        # date, a byline or a letterless line stood over it ("0\nA\n0": A, then 0 and 0).
        title, rest = texts[0], "".join(texts[1:])
        at = next((i for i in range(len(flat) + 1) if flat[:i] + flat[i:].replace(title, "", 1) == rest), None)
        assert title in flat and at is not None
    else:
        assert "".join(texts) == flat


# split_sentences is called on text segment_article never gives it too: a model's summary, a whole document
# (bench/fullsize.py), space or a line end at its end ("بكل ود. " raised a TypeError).
@given(st.one_of(st.text(), ARABIC, st.builds("".join, st.lists(st.sampled_from(["ود.", "د.", " ", "\n", "م.", "ص.", "وقال"])))))
@settings(max_examples=300)
def test_sentence_splitting_raises_nothing_and_loses_no_character(text):
    assert "".join("".join(split_sentences(text)).split()) == "".join(text.split())


@given(st.binary(max_size=4000))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_loader_raises_nothing_but_bad_input(raw):
    try:
        article = article_from_bytes(raw, Source(kind="file", location="fuzz"))
    except BadInput:
        return
    assert article.text and article.source.chars == len(article.text)


@given(ARABIC)
def test_loader_reads_arabic_text_back_in_any_encoding(text):
    expected = normalise(text)
    assume(expected.strip() and arabic_share(expected) >= MIN_ARABIC_SHARE)
    for encoding in ("utf-8", "utf-16"):  # unambiguous: read back exactly, never refused
        assert article_from_bytes(text.encode(encoding), Source(kind="file", location="x")).text == expected
    try:
        article = article_from_bytes(text.encode("cp1256"), Source(kind="file", location="x"))
    except (UnicodeEncodeError, BadInput):  # a letter cp1256 lacks; a text too short to tell its code page
        return
    if article.source.encoding == "cp1256":
        assert article.text == expected


# -- limits ------------------------------------------------------------------
def test_one_megabyte_line_without_punctuation_is_bounded(mujaz, tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("عنوان\n" + "كلمة " * 200_000, encoding="utf-8")  # 1 MB, one sentence
    for command in (["segment"], ["summarise", "--method", "extractive", "-f", "json"]):
        started = time.monotonic()
        done = mujaz(*command, str(path))
        assert done.returncode == 0, done.stderr.decode()
        assert time.monotonic() - started < 30


def test_pathological_abbreviations_are_linear():
    started = time.monotonic()
    segment_article("د. " * 300_000)
    assert time.monotonic() - started < 10


def test_size_and_sentence_limits(mujaz, sample):
    for limit in ("100000000000", str(2**63)):  # a limit far above the input is no reason to set memory aside
        done = mujaz("segment", "--max-bytes", limit, str(sample))
        assert done.returncode == 0 and done.stdout, done.stderr.decode()
    small = mujaz("brief", str(sample), "--max-bytes", "100", "--method", "extractive")
    assert small.returncode == 4 and "--max-bytes" in small.stderr.decode()
    few = mujaz("brief", str(sample), "--max-sentences", "5", "--method", "extractive")
    assert few.returncode == 4 and "19 sentences" in few.stderr.decode()
    few = mujaz("segment", str(sample), "--max-sentences", "5")
    assert few.returncode == 4 and "19 sentences" in few.stderr.decode() and few.stdout == b""


# -- odd but real text -------------------------------------------------------
MIXED = (
    "عاجل: الرئيس Emmanuel Macron يزور الرياض 🇸🇦\n"
    "وصل الرئيس الفرنسي إيمانويل ماكرون (Emmanuel Macron) إلى الرياض يوم ٢٠٢٤/١٢/٠٢، وقال إن النمو بلغ ٣٫٥٪ هذا العام. "
    "وأضاف أن ۱۴۰۳ موعد مهم \u200fللجميع\u200f 😀. "
    "قال تعالى: ﴿وَقُل رَّبِّ زِدْنِي عِلْمًا﴾ ۝ وانتهت الكلمة."
)


def test_mixed_scripts_digits_marks_and_emoji(tmp_path, mujaz):
    path = tmp_path / "mixed.txt"
    path.write_text(MIXED, encoding="utf-8")
    done = mujaz("segment", str(path), "-f", "json")
    assert done.returncode == 0, done.stderr.decode()
    segments = json.loads(done.stdout)["segments"]
    assert segments[0]["kind"] == "title" and "Macron" in segments[0]["text"]
    texts = [s["text"] for s in segments[1:]]
    assert len(texts) == 3 and "٣٫٥٪" in texts[0] and "\u200f" not in texts[1]
    assert mujaz("summarise", str(path), "--method", "extractive").returncode == 0


@pytest.mark.parametrize("text", [
    "The president arrived in Riyadh on Monday. He met the crown prince.",
    "Le président est arrivé à Riyad lundi. Il a rencontré le prince héritier.",
])
def test_english_or_french_is_refused_not_summarised(tmp_path, mujaz, text):
    path = tmp_path / "foreign.txt"
    path.write_text(text, encoding="utf-8")
    done = mujaz("brief", str(path), "--method", "extractive")
    assert done.returncode == 4 and "not Arabic" in done.stderr.decode() and done.stdout == b""


# -- hostile pages -----------------------------------------------------------
@functools.lru_cache(maxsize=None)
def _gzip_of_zeros(megabytes: int) -> bytes:
    """A gzip stream of that many megabytes of zeros, made a megabyte at a time (~1 KB each);
    made when a test first asks for it (seconds), not whenever this file is collected."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: the gzip wrapper
    zeros = bytes(1 << 20)
    return b"".join(packer.compress(zeros) for _ in range(megabytes)) + packer.flush()


BOMB_MEGABYTES = 1024  # 1 GB of zeros in ~1 MB: read whole, it would be seen in any measure of memory


class Hostile(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):  # noqa: N802
        page = urlsplit(self.path).path.strip("/")  # a proxy is asked for the whole URL
        if page == "loop":
            return self._send(302, b"", Location="/loop")
        if page == "retry-after":  # "come back in an hour"
            return self._send(503, b"busy", **{"Retry-After": "3600"})
        if page.startswith("slow-hop/"):  # each hop quick enough alone, all of them together too slow
            time.sleep(0.8)
            return self._send(302, b"", Location=f"/slow-hop/{int(page.split('/')[1]) + 1}")
        if page == "to-file":
            return self._send(302, b"", Location="file:///etc/passwd")
        if page == "to-nowhere":
            return self._send(302, b"", Location="http://[::1")
        if page == "slow":  # drips a byte every 0.2 s, forever
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(10_000))
            self.end_headers()
            try:
                for _ in range(10_000):
                    self.wfile.write("ا".encode()[:1])
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return None
        if page == "huge":
            return self._send(200, b"a" * (12 * 1024 * 1024), **{"Content-Type": "text/plain"})
        if page == "bomb":
            return self._send(200, _gzip_of_zeros(BOMB_MEGABYTES), **{"Content-Type": "text/html", "Content-Encoding": "gzip"})
        if page == "wrong-charset":  # says UTF-8, sends Windows-1256
            return self._send(200, "خبر عاجل: انتهى الاجتماع في موسكو.".encode("cp1256"),
                              **{"Content-Type": "text/plain; charset=utf-8"})
        if page == "whoami":
            return self._send(200, f"وصل الوزير إلى موسكو اليوم في زيارة رسمية تستمر أربعة أيام. "
                                   f"وكيل المستخدم: {self.headers.get('User-Agent')} "
                                   f"encoding={self.headers.get('Accept-Encoding')} "
                                   f"authorization={self.headers.get('Authorization')} "
                                   f"{self.headers.get('Proxy-Authorization', '')}".encode(),
                              **{"Content-Type": "text/plain; charset=utf-8"})
        if page == "image":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, **{"Content-Type": "image/png"})
        if page in ("article", "page.php"):  # what http.server, nginx and S3 say of a name without a known extension
            body = "<html><body><p>وصل الوزير إلى موسكو اليوم في زيارة رسمية تستمر أربعة أيام.</p></body></html>"
            return self._send(200, body.encode() if page == "page.php" else body[18:-18].encode(),
                              **{"Content-Type": "application/octet-stream"})
        if page == "unknown-image":
            return self._send(200, b"\x89PNG\r\n\x1a\n" + b"\0" * 100, **{"Content-Type": "binary/octet-stream"})
        if page == "deep":
            body = ("<html><head><title>عنوان</title></head><body>" + "<div>" * 50_000 +
                    "<p>" + "نص الخبر هنا. " * 50 + "</p>" + "</div>" * 50_000 + "</body></html>")
            return self._send(200, body.encode(), **{"Content-Type": "text/html; charset=utf-8"})
        if page == "attribute":
            body = f"<html><body><p title='{'x' * 5_000_000}'>نص الخبر هنا في موسكو اليوم.</p></body></html>"
            return self._send(200, body.encode(), **{"Content-Type": "text/html"})
        return self._send(404, b"missing")

    def _send(self, status, body, **headers):
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def log_message(self, *args):
        pass


class QuietServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up on purpose are the point of these tests


@pytest.fixture(scope="module")
def hostile():
    server = QuietServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_redirect_loop(hostile):
    with pytest.raises(BadInput, match="redirects"):
        fetch_url(f"{hostile}/loop")


def test_the_deadline_covers_redirects_and_retry_after_is_not_waited_for(hostile):
    started = time.monotonic()
    with pytest.raises(BadInput, match="HTTP 503"):
        fetch_url(f"{hostile}/retry-after")  # urllib3 slept the hour, seven times over
    assert time.monotonic() - started < 5
    started = time.monotonic()
    with pytest.raises(BadInput, match="longer than 2 s"):
        fetch_url(f"{hostile}/slow-hop/0", timeout=2)  # five hops of 0.8 s: each had its own 2 s
    assert time.monotonic() - started < 4


def test_a_redirect_out_of_http_is_refused(hostile):
    with pytest.raises(BadInput, match="redirected to file:///etc/passwd, which is not an http"):
        fetch_url(f"{hostile}/to-file")


def test_an_address_urlsplit_cannot_take_apart_is_bad_input_not_a_crash(hostile, monkeypatch, mujaz, sample):
    """A ValueError from urlsplit ended a run with exit 1 and left the sources after it unread
    (a batch died on that item on every --resume)."""
    with pytest.raises(BadInput, match=r"redirected to an address that cannot be fetched \(Invalid IPv6 URL\)"):
        fetch_url(f"{hostile}/to-nowhere")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    for proxy in ("http://127.0.0.1:abc", "http://[::1"):
        monkeypatch.setenv("http_proxy", proxy)
        with pytest.raises(BadInput, match="the http_proxy set here is not an address"):
            fetch_url("http://no-such-host.invalid/page")
    done = mujaz("segment", str(sample), "http://[::1", str(sample))
    assert done.returncode == 5 and done.stdout.decode().count("==>") == 2, done.stderr.decode()
    said = "mujaz: error: http://[::1: not an address that can be fetched (Invalid IPv6 URL) (check the address)\n"
    assert done.stderr.decode() == said
    # Its password is masked all the same, on stderr and in the failed source's record
    done = mujaz("segment", "-f", "json", "http://u:s3cret@[::1/x", str(sample))
    assert b"s3cret" not in done.stdout + done.stderr and json.loads(done.stdout)[0]["source"]["url"] == "http://u:***@[::1/x"
    # A port that is no port is said so (it was urllib3's "Failed to parse: ...", with a hint to check the network)
    for address in ("http://127.0.0.1:99999/a", "http://127.0.0.1:abc/a"):
        with pytest.raises(BadInput, match=r"not an address that can be fetched \(its port is not a number from 0 to 65535\)"):
            fetch_url(address)
    # ...and where urllib3 quotes the URL whole in its error, and in a scheme mujaz refuses
    done = mujaz("segment", "-f", "jsonl", "http://user:s3cret@host:99999/", "ftp://u:s3cret@host/x", str(sample))
    assert done.returncode == 5 and b"s3cret" not in done.stdout + done.stderr
    # A URL that is no UTF-8 fails alone: its record holds U+FFFD (it was a UnicodeEncodeError, exit 1, all output lost)
    done = mujaz("segment", "-f", "jsonl", str(sample), os.fsdecode(b"http://127.0.0.1:9/\xff"))
    records = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert done.returncode == 5 and records[1]["source"]["url"] == "http://127.0.0.1:9/\ufffd"


def test_a_password_in_an_address_is_masked_in_debugs_tracebacks_too(mujaz, sample):
    """urllib3's error quotes the URL whole ("Failed to parse: http://user:secret@host:99999/"):
    the message masked it, the traceback --debug printed under it did not."""
    done = mujaz("segment", "--debug", "http://user:s3cret@host:99999/", "ftp://u:s3cret@host/x", str(sample))
    assert done.returncode == 5 and b"Traceback" in done.stderr and b"s3cret" not in done.stdout + done.stderr
    done = mujaz("segment", "--debug", "http://user:s3cret@host:99999/")
    assert done.returncode == 4 and b"Traceback" in done.stderr and b"s3cret" not in done.stderr
    assert b"http://user:***@host:99999/" in done.stderr


def test_the_environments_proxy_is_used(hostile, monkeypatch):
    monkeypatch.setenv("http_proxy", hostile)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    text, _ = fetch_url("http://no-such-host.invalid/whoami")  # only the proxy can answer it
    assert "mujaz/" in text.decode() and "Basic" not in text.decode()
    monkeypatch.setenv("http_proxy", hostile.replace("http://", "http://user:p%40ss@"))
    text, _ = fetch_url("http://no-such-host.invalid/whoami")
    assert "Basic dXNlcjpwQHNz" in text.decode()  # user:p@ss, which urllib3 alone never sent
    monkeypatch.setenv("http_proxy", "ftp://127.0.0.1:21")
    with pytest.raises(BadInput, match="a proxy of the ftp scheme, and mujaz speaks to http\\(s\\) and SOCKS proxies only"):
        fetch_url("http://no-such-host.invalid/whoami")  # was ProxySchemeUnknown, exit 1
    # A proxy that cannot be reached is named as what failed, not the site (a stale http_proxy).
    monkeypatch.setenv("http_proxy", f"http://user:secret@127.0.0.1:{closed_port()}")
    refusal = r"through the proxy 127\.0\.0\.1:\d+ \(http_proxy\): the connection was refused"
    with pytest.raises(BadInput, match=refusal) as refused:
        fetch_url("http://example.com/article")
    assert "secret" not in str(refused.value) and "unset http_proxy" in refused.value.hint
    monkeypatch.delenv("http_proxy")  # set in upper case, it is named so: unsetting http_proxy would do nothing
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(BadInput, match=r"\(HTTP_PROXY\): the connection was refused") as refused:
        fetch_url("http://example.com/article")
    assert "unset HTTP_PROXY" in refused.value.hint
    monkeypatch.delenv("HTTP_PROXY")
    monkeypatch.setenv("http_proxy", hostile)
    import socket

    def no_such_host(*args, **kwargs):  # as a resolver answers, without asking one
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    monkeypatch.setenv("no_proxy", "no-such-host.invalid")  # not through the proxy: then the host is looked up
    with pytest.raises(BadInput, match="host name could not be resolved"):
        fetch_url("http://no-such-host.invalid/whoami", timeout=5)


def test_slow_server_hits_the_deadline(hostile):
    started = time.monotonic()
    with pytest.raises(BadInput, match="longer than 2 s"):
        fetch_url(f"{hostile}/slow", timeout=2)
    assert time.monotonic() - started < 6


def test_huge_body_is_cut_off(hostile):
    with pytest.raises(BadInput, match="larger than"):
        fetch_url(f"{hostile}/huge")


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads the peak memory from /proc")
def test_gzip_bomb_is_cut_off_in_bounded_memory(hostile):
    # In a process of its own: this one's peak memory is already raised by the models of other tests.
    # Its peak is VmHWM, that of its own memory since exec: getrusage's maxrss would count the
    # forking test process's memory too.
    _gzip_of_zeros(BOMB_MEGABYTES)  # made now, not while the download's deadline runs
    script = ("import re, sys\n"
              "from mujaz.core.fetch import fetch_url\n"
              "from mujaz.errors import BadInput\n"
              "try:\n    fetch_url(sys.argv[1], max_bytes=5_000_000)\n"
              "except BadInput as error:\n    print(error.message)\n"
              "status = open('/proc/self/status').read()\n"
              "print(int(re.search(r'VmHWM:\\s+(\\d+) kB', status)[1]) // 1024)\n")
    done = subprocess.run([sys.executable, "-c", script, f"{hostile}/bomb"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    said, peak_mb = done.stdout.splitlines()
    assert "larger than 5,000,000 bytes" in said
    assert int(peak_mb) < 150  # the 1 GB it inflates to was never held (the process alone: ~40 MB)


def test_wrong_charset_is_detected(hostile):
    article = load_article(f"{hostile}/wrong-charset")
    assert article.source.encoding == "cp1256" and "موسكو" in article.text


def test_not_html_or_text(hostile):
    with pytest.raises(BadInput, match="Content-Type: image/png") as refused:
        fetch_url(f"{hostile}/image")
    assert refused.value.hint  # what to do, as every error line says


def test_a_type_the_server_does_not_know_is_read_by_what_comes(hostile):
    """application/octet-stream says "type unknown" (a file without an extension, or .php, on
    http.server, nginx or S3): the page and the text were refused as no text, with a hint to give
    the address just given; what comes decides, as for a file."""
    for page in ("article", "page.php"):
        assert "موسكو" in load_article(f"{hostile}/{page}").text, page
    with pytest.raises(BadInput, match="binary"):
        load_article(f"{hostile}/unknown-image")


def test_url_failures_say_what_to_do(mujaz, hostile):
    missing = mujaz("brief", f"{hostile}/missing", "--method", "extractive")
    assert missing.returncode == 4
    assert missing.stderr.decode().strip() == (
        f"mujaz: error: {hostile}/missing: the server answered HTTP 404 Not Found (check the address)")


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_a_certificate_no_authority_here_signs_says_how_to_trust_one(tmp_path, monkeypatch):
    """A site signed by a CA the machine lacks (a company network's own): the hint names SSL_CERT_FILE, and it works."""
    import ssl

    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(certificate)],
                   check=True, capture_output=True)
    server = QuietServer(("127.0.0.1", 0), Hostile)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"https://127.0.0.1:{server.server_address[1]}/whoami"
        with pytest.raises(BadInput, match="certificate verify failed") as refused:
            fetch_url(url)
        assert "SSL_CERT_FILE" in refused.value.hint
        monkeypatch.setenv("SSL_CERT_FILE", str(certificate))
        text, _ = fetch_url(url)
        assert "mujaz/" in text.decode()
    finally:
        server.shutdown()
        server.server_close()


def test_tls_and_reset_failures_read_as_words():
    from mujaz.core.fetch import _reason

    class SSLError(Exception):
        pass

    # as urllib3 wraps it, and as the ssl module writes it: OpenSSL's reason, no bracket, no source line
    assert _reason(SSLError("SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)')")) == (
        "TLS failed: wrong version number")
    assert _reason(SSLError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate "
                            "(_ssl.c:1006)")) == "TLS failed: certificate verify failed: self-signed certificate"
    for raw, said in (
        ("('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))",
         "the server closed the connection without answering"),
        ("('Connection broken: IncompleteRead(4056 bytes read, 4056 more expected)', IncompleteRead(...))",
         "the connection broke before the page was whole"),
        ("('Received response with content-encoding: gzip, but failed to decode it.', error('Error -3'))",
         "the server sent a damaged compressed page"),
        ("('Connection aborted.', BadStatusLine('<html><body><p>\xd9\x86'))", "the server did not answer in HTTP"),
    ):
        assert _reason(type("ProtocolError", (Exception,), {})(raw)) == said
    reset = "('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))"
    assert _reason(type("ProtocolError", (Exception,), {})(reset)) == "the server closed the connection"
    hostname = ("SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: "
                "Hostname mismatch, certificate is not valid for 'localhost'. (_ssl.c:1006)\"))")
    assert _reason(SSLError(hostname)) == (
        "TLS failed: certificate verify failed: Hostname mismatch, certificate is not valid for 'localhost'.")


def test_user_agent_names_mujaz(hostile):
    from mujaz import __version__

    for address in (hostile, hostile.replace("http://", "http://reader:secret@")):
        said = fetch_url(f"{address}/whoami")[0].decode()  # a page's credentials once replaced these headers
        assert f"mujaz/{__version__}" in said and "encoding=gzip, deflate" in said
    assert "authorization=Basic cmVhZGVyOnNlY3JldA==" in said  # reader:secret
    assert "authorization=None" in fetch_url(f"{hostile}/whoami")[0].decode()


def test_unresolvable_host_names_the_reason(monkeypatch):
    import socket

    def no_such_host(*args, **kwargs):  # as a resolver answers, without asking one (no network in tests)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(BadInput, match=r"http://no-such-host\.invalid/a: cannot fetch: the host name could not be resolved"):
        fetch_url("http://no-such-host.invalid/a", timeout=5)


def test_only_http_and_https():
    for url in ("ftp://example.org/a.txt", "file:///etc/passwd", "javascript://x"):
        with pytest.raises(BadInput, match="only http and https"):
            load_article(url)


@pytest.mark.parametrize("page", ["deep", "attribute"])
def test_hostile_html_in_bounded_time(hostile, page):
    started = time.monotonic()
    try:
        article = load_article(f"{hostile}/{page}")
        assert "نص الخبر" in article.text or "موسكو" in article.text
    except BadInput:
        pass  # refusing is fine too; crashing or hanging is not
    assert time.monotonic() - started < 30


# -- models ------------------------------------------------------------------
def test_english_to_arabic_translator_is_refused(tmp_path, tiny_models):
    import shutil

    folder = tmp_path / "en-ar"
    shutil.copytree(tiny_models / "translator", folder)
    config = json.loads((folder / "tokenizer_config.json").read_text())
    config.update(source_lang="en", target_lang="ar")
    (folder / "tokenizer_config.json").write_text(json.dumps(config))
    with pytest.raises(ModelUnavailable, match="translates en to ar"):
        hub.check_translation_direction(hub.resolve(str(folder)))


def test_two_processes_convert_one_model_at_once(tiny_models, tmp_path):
    env = {**__import__("os").environ, "MUJAZ_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "mujaz", "models", "convert", str(tiny_models / "translator"), "-q"]
    processes = [subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(2)]
    outputs = [process.communicate(timeout=300) for process in processes]
    assert all(process.returncode == 0 for process in processes), [err.decode() for _, err in outputs]
    folders = {out.decode().strip() for out, _ in outputs}
    assert len(folders) == 1 and (Path(folders.pop()) / "model.bin").is_file()


def test_model_loading_never_trusts_remote_code():
    # Every from_pretrained call in mujaz says trust_remote_code=False explicitly.
    source = (ROOT / "models" / "hf.py").read_text()
    assert source.count("from_pretrained(") == source.count("trust_remote_code=False")


def test_verify_needs_a_hub_model(mujaz, tiny_models):
    local = mujaz("models", "verify", str(tiny_models / "translator"))
    assert local.returncode == 2 and "local directory" in local.stderr.decode()  # nothing to verify: a usage problem
    missing = mujaz("models", "verify", "translator")
    assert missing.returncode == 3 and "not downloaded" in missing.stderr.decode()


def test_verify_says_on_stderr_which_files_differ_and_how_to_have_them_anew(mujaz, tiny_models, tmp_path):
    """A mismatch was exit 3 with the JSON alone, nothing on stderr: a script keeping stderr's log
    recorded nothing of damaged weights."""
    import hashlib

    from mujaz.models.registry import DEFAULT_TRANSLATOR, known

    ref = known(DEFAULT_TRANSLATOR)
    repository = tmp_path / "hf" / "hub" / f"models--{ref.id.replace('/', '--')}"
    snapshot = repository / "snapshots" / ref.revision
    shutil.copytree(tiny_models / "translator", snapshot)

    class Hub(http.server.BaseHTTPRequestHandler):  # the tree of files the hub records, one weight's hash wrong
        def do_GET(self):  # noqa: N802
            body = b"[]"
            if "/tree/" in self.path:
                entries = []
                for file in sorted(snapshot.iterdir()):
                    data = file.read_bytes()
                    entry = {"type": "file", "path": file.name, "size": len(data),
                             "oid": hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()}
                    if file.suffix == ".safetensors":
                        entry["lfs"] = {"oid": "0" * 64, "size": len(data), "pointerSize": 130}
                    entries.append(entry)
                body = json.dumps(entries).encode()
            self.send_response(200 if "/tree/" in self.path else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = QuietServer(("127.0.0.1", 0), Hub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        env = {"HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf"), "HF_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}"}
        done = mujaz("models", "verify", "translator", env=env)
    finally:
        server.shutdown()
        server.server_close()
    said = done.stderr.decode()
    assert done.returncode == 3 and [m["path"] for m in json.loads(done.stdout)["mismatches"]] == ["model.safetensors"], said
    assert said == (f"mujaz: error: model {ref.id}: 1 file differs from the hub's record (model.safetensors) "
                    f"(delete {repository}, then run `mujaz models pull {ref.id}`)\n")


class NotTheHub(http.server.BaseHTTPRequestHandler):
    """What a captive portal, or a wrong HF_ENDPOINT, answers: a page, a redirect loop."""

    def do_GET(self):  # noqa: N802
        if "loop" in self.path:
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        body = b"<html><body>Sign in to use this network</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args):
        pass


def test_a_hub_address_that_answers_no_hub_is_a_model_that_cannot_be_had(mujaz, sample, tmp_path):
    """Was exit 1 (JSONDecodeError, TooManyRedirects): --method auto falls back, a named model is exit 3."""
    server = QuietServer(("127.0.0.1", 0), NotTheHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for path in ("portal", "loop"):
            env = {"HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf"),
                   "HF_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}/{path}"}
            done = mujaz("summarise", str(sample), env=env)
            assert done.returncode == 0 and done.stdout, done.stderr.decode()
            assert "abstractive summariser unavailable" in done.stderr.decode() and "download failed" in done.stderr.decode()
            named = mujaz("models", "pull", "someone/model", env=env)
            assert named.returncode == 3, named.stderr.decode()
            assert named.stderr.decode().count("\n") == 1 and "HF_ENDPOINT" in named.stderr.decode()
    finally:
        server.shutdown()
        server.server_close()


def test_a_silent_hub_is_waited_on_once_a_run_and_briefly(mujaz, sample, tmp_path):
    """A hub that takes the connection and says nothing: the summariser is stood in for after one
    bounded request, and the translator is not waited on again (a brief waited some 170 s). `models
    pull` asks once too (it waited 86 s through the download's retries)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    threading.Thread(target=lambda: [held.append(listener.accept()[0]) for _ in range(40)], daemon=True).start()
    env = {"HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf"), "HF_ENDPOINT": f"http://127.0.0.1:{listener.getsockname()[1]}"}
    try:
        started = time.monotonic()
        done = mujaz("brief", str(sample), env=env)
        took = time.monotonic() - started
        started = time.monotonic()
        pulled = mujaz("models", "pull", "someone/model", env=env)
        pull_took = time.monotonic() - started
    finally:
        listener.close()
        for connection in held:
            connection.close()
    assert done.returncode == 3 and done.stdout.decode().startswith("الخارجية الروسية"), done.stderr.decode()
    said = done.stderr.decode()
    assert "abstractive summariser unavailable" in said and "ReadTimeout" in said
    assert "the hub failed a moment ago" in said
    assert took < 3 * hub.HUB_SILENCE_SECONDS, took  # one bounded request, and a little start-up
    said = pulled.stderr.decode()
    assert pulled.returncode == 3 and "ReadTimeout" in said and pull_took < 2 * hub.HUB_SILENCE_SECONDS, (pull_took, said)
    assert "model directory" not in said  # nothing for pull to download (nor for verify to check)


def test_a_hub_that_went_silent_says_what_to_check(monkeypatch):
    """huggingface_hub wraps the timeout as "Got: ReadTimeout": that failure said nothing of what to do."""
    import huggingface_hub
    from huggingface_hub.errors import LocalEntryNotFoundError

    from mujaz.models import hub

    def silent(*args, **kwargs):
        raise LocalEntryNotFoundError("Got: ReadTimeout: timed out")

    monkeypatch.setattr(hub, "offline", lambda: False)
    monkeypatch.setattr(hub, "hub_unreachable_reason", lambda: None)
    monkeypatch.setattr(huggingface_hub, "snapshot_download", silent)
    with pytest.raises(ModelUnavailable, match="download failed: Got: ReadTimeout") as failed:
        hub.download(hub.resolve("Helsinki-NLP/opus-mt-ar-en"))  # known: its files are listed here, not asked for
    assert failed.value.hint == hub.HUB_ANSWER_HINT


def test_the_hubs_requests_wait_no_longer_than_a_bound_and_its_notices_are_mujazs(monkeypatch):
    import logging

    from mujaz.models import hub

    hub._bound_hub_client()
    hub._bound_hub_client()  # once is enough: the bound is not added twice
    import huggingface_hub

    hooks = huggingface_hub.get_session().event_hooks["request"]
    assert hooks.count(hub._bounded) == 1
    request = huggingface_hub.get_session().build_request("GET", "http://127.0.0.1/", timeout=None)
    hub._bounded(request)
    assert set(request.extensions["timeout"].values()) == {hub.HUB_SILENCE_SECONDS}  # None was: wait for ever
    request = huggingface_hub.get_session().build_request("GET", "http://127.0.0.1/", timeout=3.0)
    hub._bounded(request)
    assert set(request.extensions["timeout"].values()) == {3.0}  # a caller's own stays
    assert logging.getLogger("huggingface_hub").getEffectiveLevel() >= logging.ERROR  # its "Retrying in 8s" notices


def test_behind_a_proxy_the_hub_is_reached_through_it(monkeypatch):
    """The hub's name need not resolve here: the proxy is asked (a reachable hub was said to be 'no network?')."""
    from mujaz.models import hub

    monkeypatch.setenv("https_proxy", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    hub.hub_unreachable_reason.cache_clear()
    try:
        reason = hub.hub_unreachable_reason()
        assert reason.startswith("cannot connect to the proxy (https_proxy) 127.0.0.1:"), reason
        monkeypatch.delenv("https_proxy")
        monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{closed_port()}")
        hub.hub_unreachable_reason.cache_clear()
        assert hub.hub_unreachable_reason().startswith("cannot connect to the proxy (HTTPS_PROXY) 127.0.0.1:")
        monkeypatch.delenv("HTTPS_PROXY")
        server = QuietServer(("127.0.0.1", 0), NotTheHub)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        monkeypatch.setenv("https_proxy", f"http://127.0.0.1:{server.server_address[1]}")
        hub.hub_unreachable_reason.cache_clear()
        assert hub.hub_unreachable_reason() is None  # huggingface.co is not looked up here
        server.shutdown()
        server.server_close()
    finally:
        hub.hub_unreachable_reason.cache_clear()


def test_a_socks_proxy_or_a_wrong_hf_endpoint_is_said_not_a_crash(mujaz, sample, tmp_path, monkeypatch):
    """https_proxy=socks5://... (ssh -D) made brief and summarise fail, exit 1 "ImportError: Using SOCKS proxy, but
    the 'socksio' package is not installed", nothing printed; HF_ENDPOINT=http://host:abc, exit 1 "ValueError: Port
    could not be cast"; HF_ENDPOINT=notaurl was said as huggingface.co that cannot be resolved (a new user's hour)."""
    from mujaz.models import hub

    # The hub is asked through a SOCKS proxy (socksio is mujaz's): here a portal's page answers, through it
    server = QuietServer(("127.0.0.1", 0), NotTheHub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    proxy = Socks5Proxy(server.server_address)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        env = {"HF_HUB_OFFLINE": "0", "HF_HOME": str(tmp_path / "hf"), "HF_ENDPOINT": "http://hub.example.invalid/portal",
               "all_proxy": f"socks5h://127.0.0.1:{proxy.server_address[1]}"}
        done = mujaz("models", "pull", "someone/model", env=env)
        assert done.returncode == 3 and "HF_ENDPOINT" in done.stderr.decode(), done.stderr.decode()
        assert ("hub.example.invalid", True) in proxy.asked  # its name is the proxy's to look up
    finally:
        for running in (proxy, server):
            running.shutdown()
            running.server_close()
    # A client without socksio, or a SOCKS4 proxy (mujaz's own fetching speaks it; the hub's client does not)
    monkeypatch.setenv("https_proxy", "socks5://127.0.0.1:1080")
    with monkeypatch.context() as patched:
        patched.setattr(hub.importlib.util, "find_spec", lambda name: None)
        hub.hub_unreachable_reason.cache_clear()
        assert "the https_proxy set here is a socks5 proxy, which the hub's client speaks only with the socksio" in \
            hub.hub_unreachable_reason()
    monkeypatch.setenv("https_proxy", "socks4://127.0.0.1:1080")
    hub.hub_unreachable_reason.cache_clear()
    assert "a proxy of the socks4 scheme, and the hub's client speaks to http(s) and SOCKS5 proxies only" in \
        hub.hub_unreachable_reason()
    hub.hub_unreachable_reason.cache_clear()
    monkeypatch.delenv("https_proxy")
    # HF_ENDPOINT's port no number failed huggingface_hub's very import, and transformers', local models too
    for endpoint in ("http://127.0.0.1:abc", "notaurl"):
        done = mujaz("brief", str(sample), env={"HF_HUB_OFFLINE": "0", "HF_ENDPOINT": endpoint})
        assert done.returncode == 3 and done.stdout.decode().startswith("الخارجية الروسية"), done.stderr.decode()
        assert f"HF_ENDPOINT ({endpoint}) is not an address" in done.stderr.decode() and "Error" not in done.stderr.decode()
    # A proxy for all schemes (all_proxy) is not asked about before the hub's client meets it: what that raises
    # is the model's failure, said, not a crash.
    import huggingface_hub

    def socks_without_socksio():
        raise ImportError("Using SOCKS proxy, but the 'socksio' package is not installed.")

    monkeypatch.setattr(hub, "offline", lambda: False)
    monkeypatch.setattr(hub, "hub_unreachable_reason", lambda: None)
    monkeypatch.setattr(huggingface_hub, "get_session", socks_without_socksio)
    with pytest.raises(ModelUnavailable, match="SOCKS proxy") as failed:
        hub.ask_hub(hub.resolve("Helsinki-NLP/opus-mt-ar-en"))
    assert failed.value.hint == hub.HUB_ANSWER_HINT


def test_verify_offline_says_that_offline_is_set(monkeypatch):
    from mujaz.models import hub

    monkeypatch.setattr(hub, "cached_path", lambda ref: "/somewhere/snapshots/" + "a" * 40)  # downloaded
    with pytest.raises(ModelUnavailable, match="HF_HUB_OFFLINE is set") as refused:  # the tests run offline
        hub.verify(hub.resolve("translator"))
    assert refused.value.hint == "unset HF_HUB_OFFLINE for this command"


def test_refusals_say_what_to_do(mujaz, sample, tmp_path):
    """Each of these said what was wrong and nothing of what to do (a README walk-through)."""
    (tmp_path / "empty").mkdir()
    cases = [
        (["batch", str(tmp_path / "empty")], "no article files (.txt, .html, .htm) there (give a JSONL file"),
        (["batch", str(sample.parent), "-o", str(tmp_path / "no" / "out.jsonl")],
         "does not exist: create it, or write elsewhere"),
        (["batch", str(sample.parent), "-o", str(sample / "out.jsonl")], f"({sample} is a file, not a folder: write elsewhere)"),
        (["batch", str(sample), str(sample)], "batch takes one INPUT: quote a glob, 'feed/*.html', for mujaz to expand"),
    ]
    page = tmp_path / "menu.html"
    page.write_text("<html><body><nav><a href='/'>الرئيسية</a></nav><p>أخبار اليوم</p></body></html>", encoding="utf-8")
    cases.append((["segment", str(page)], "(give the article's own page, or save its text and give the file)"))
    for args, said in cases:
        done = mujaz(*args)
        assert done.returncode in (1, 2, 4) and said in done.stderr.decode(), (args, done.stderr.decode())
    assert not (tmp_path / "no").exists()


# -- the process -------------------------------------------------------------
def test_disk_full_and_unwritable_output(mujaz, sample):
    if Path("/dev/full").is_char_device():
        full = mujaz("batch", str(sample.parent), "--task", "summarise", "--method", "extractive", "--no-cache",
                     "-o", "/dev/full")
        assert full.returncode == 1
        assert full.stderr.decode().strip().splitlines()[-1].startswith(
            "mujaz: error: cannot write the output: No space left on device (")
        # Every command's stdout on a full disk: the same line, exit 1, not an unexpected error
        for command in (["summarise", str(sample), "--method", "extractive"], ["segment", str(sample)],
                        ["summarise", str(sample), "--method", "extractive", "-f", "json"], ["models", "list"]):
            with open("/dev/full", "w") as stdout:
                done = subprocess.run([sys.executable, "-m", "mujaz", *command], stdout=stdout, stderr=subprocess.PIPE,
                                      cwd=ROOT)
            assert done.returncode == 1, command
            assert done.stderr.decode().startswith("mujaz: error: cannot write the output: No space left on device ("), command
    nowhere = mujaz("batch", str(sample.parent), "--task", "summarise", "--method", "extractive", "--no-cache",
                    "-o", "/proc/mujaz-cannot-write-here.jsonl")
    assert nowhere.returncode == 1 and "cannot write" in nowhere.stderr.decode()
    assert "Traceback" not in nowhere.stderr.decode()


def test_a_standard_error_that_cannot_be_written_costs_no_result(articles, tmp_path):
    """Warnings to a stderr on a full disk, or open for reading only: they are dropped, the results
    written and the exit code the run's own (it was 1, stdout empty, and nothing said)."""
    one_line = tmp_path / "one.txt"
    one_line.write_text("وصل الوزير إلى القاهرة اليوم في زيارة رسمية تستغرق يومين.\n", encoding="utf-8")  # a warning: no headline
    readable_only = open(os.devnull)  # noqa: SIM115 - closed below
    unwritable = [readable_only] + ([open("/dev/full", "w")] if Path("/dev/full").is_char_device() else [])
    try:
        for stderr in unwritable:
            done = subprocess.run([sys.executable, "-m", "mujaz", "summarise", str(one_line), str(one_line), "--method",
                                   "extractive", "-f", "json"], stdout=subprocess.PIPE, stderr=stderr, cwd=ROOT)
            assert done.returncode == 0, stderr
            assert [record["summary"]["ar"] for record in json.loads(done.stdout)] == [one_line.read_text().strip()] * 2
            done = subprocess.run([sys.executable, "-m", "mujaz", "batch", str(articles), "--task", "summarise",
                                   "--method", "extractive", "--no-cache"], stdout=subprocess.PIPE, stderr=stderr, cwd=ROOT)
            assert done.returncode == 5 and len(done.stdout.splitlines()) == 9, stderr  # two items fail
    finally:
        for stream in unwritable:
            stream.close()


def test_sigterm_keeps_the_results_already_made(hostile, sample):
    """`timeout`, `docker stop`: the JSON list is closed on the article done before the signal (the
    process died on the spot, stdout empty), exit 143 and one line."""
    process = subprocess.Popen([sys.executable, "-m", "mujaz", "summarise", str(sample), f"{hostile}/slow", "--method",
                                "extractive", "-f", "json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(6)  # the sample done; the slow page drips for its 20 s deadline
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 143 and err.decode().splitlines()[-1] == "mujaz: terminated", err.decode()
    assert [record["source"]["path"] for record in json.loads(out)] == [str(sample)]


# A thread running beside the main one, as a spinner's or a progress bar's does on a terminal: the
# kernel may hand it a signal, which a pthread_sigmask on the main thread alone did not hold.
_A_THREAD_RUNNING = "import threading, time; threading.Thread(target=time.sleep, args=(30,), daemon=True).start()"


@pytest.mark.parametrize("thread", ["", _A_THREAD_RUNNING])
def test_a_signal_during_the_model_libraries_import_is_handled_once_they_are_in(thread):
    """SIGTERM or Ctrl-C landing in torch's C start-up was swallowed there (the run printed its results
    and exited 0), left numpy half imported (exit 1), or ended the process by SIGINT (130 for 143): 1 in 8
    of the signals a helper sent in a model run's first second. Held during the import, it is raised
    after it, in mujaz's code; a second SIGTERM meanwhile ends the process on the spot (143)."""
    script = f"""
{thread}
import importlib, os, signal, sys
from mujaz import signals, streams
signals.end_as_interrupted_on_sigterm()
real_import = importlib.import_module
def import_module(name, *args):
    if name == "json":  # a signal mid-import: here, at its start
        os.kill(os.getpid(), signal.SIGTERM)
        time_enough_for_it = sum(range(10**6))
        print("imported", flush=True)
    if name == "csv":
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGTERM)
        sum(range(10**6))
        print("not ended", flush=True)
    return real_import(name, *args)
importlib.import_module = import_module
try:
    signals.import_uninterrupted("json")
except KeyboardInterrupt:
    print("interrupted", signals.terminated(), flush=True)
signals._sigterm_received = False
signals.import_uninterrupted("csv")
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["imported", "interrupted", "True"] and done.returncode == 143, done.stderr


@pytest.mark.parametrize("previous, ends", [("signal.SIG_DFL", -signal.SIGTERM), ("own", 0)])
def test_a_second_sigterm_while_held_in_a_program_using_mujaz_ends_it_as_its_own_handler_would(previous, ends):
    """mujaz's handler ends the process at a second SIGTERM (exit 143, above); the default ends it by
    the signal; a program's own handler keeps its say, run for each SIGTERM as the block ends (it was
    os._exit(143) whatever the handler). A handler raising on replay leaves no later signal unrun."""
    script = f"""
import os, signal
from mujaz import signals
ran = []
def own(signum, frame):
    ran.append(signum)
    raise RuntimeError("stop")
signal.signal(signal.SIGTERM, {previous})
try:
    with signals.held(signal.SIGTERM):
        os.kill(os.getpid(), signal.SIGTERM)
        os.kill(os.getpid(), signal.SIGTERM)
        sum(range(10**6))
        print("held", flush=True)
except RuntimeError:
    print("ran", len(ran), flush=True)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == ends, done.stderr
    assert done.stdout.split() == ([] if ends else ["held", "ran", "2"]), done.stderr


@pytest.mark.parametrize("thread", ["", _A_THREAD_RUNNING])
def test_sigterm_while_records_are_written_to_a_file_counts_them_before_it_ends_the_run(tmp_path, thread):
    """SIGTERM landing after a chunk's write, before it was counted: "320 items written" of a file
    holding 352 (a helper's run; --resume reads the file, a script reading the line was misled)."""
    script = f"""
{thread}
import io, os, signal
from mujaz import signals, streams
signals.end_as_interrupted_on_sigterm()
class File(io.StringIO):
    def flush(self):
        os.kill(os.getpid(), signal.SIGTERM)  # the signal, mid-write
        sum(range(10**6))
    def fileno(self):
        return os.open({str(tmp_path / "synced")!r}, os.O_WRONLY | os.O_CREAT)
counted = []
try:
    streams.write_lines(File(), ["{{}}", "{{}}"], sync=True, then=lambda: counted.append(2))
except KeyboardInterrupt:
    print("interrupted", counted, flush=True)
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "interrupted [2]", done.stderr


def test_sigterm_ends_a_batch_whose_reader_stopped_reading(sample, tmp_path):
    """A write blocked on a full pipe held SIGTERM (as it holds Ctrl-C, to write whole records):
    `timeout mujaz batch ... | stalled` never ended."""
    source = write_articles(tmp_path / "many.jsonl", sample, 600)
    process = subprocess.Popen([sys.executable, "-m", "mujaz", "batch", str(source), "--task", "summarise", "--method",
                                "extractive", "--no-cache"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    time.sleep(6)  # the pipe (64 KiB) is full after a chunk or two of records nobody reads
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 143 and process.stderr.read().decode().splitlines()[-1] == "mujaz: terminated"


def test_ctrl_c_mid_batch_leaves_whole_records(sample, tiny_models, tmp_path):
    source = write_articles(tmp_path / "many.jsonl", sample, 80)
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen(
        [sys.executable, "-m", "mujaz", "batch", str(source), "--translator", str(tiny_models / "translator"),
         "--task", "translate", "--chunk", "1", "--no-cache", "-o", str(out), "-q"],
        cwd=ROOT, stderr=subprocess.PIPE,
    )
    wait_for_output(out, 10_000)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err.decode()
    assert "Traceback" not in err.decode() and "interrupted" in err.decode()
    lines = out.read_bytes().split(b"\n")
    assert lines[-1] == b""  # ends on a whole record
    assert all(json.loads(line)["id"] for line in lines[:-1])
