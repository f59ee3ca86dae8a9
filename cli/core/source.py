"""Reading a SOURCE (a path, `-` for stdin, or an http(s) URL) into an Article.

Decoding, HTML extraction and the checks that turn unusable input into one
clear BadInput error live here; segmentation does not.
"""

from __future__ import annotations

import codecs
import hashlib
import html as htmllib
import os
import re
import sys
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from mujaz import __version__
from mujaz.core.text import (TATWEEL, arabic_letter_forms, arabic_share, control_count, fold, looks_other_language,
                              normalise, words)
from mujaz.core.segment import is_date_line
from mujaz.errors import BadInput
from mujaz.limits import MAX_BYTES

URL_TIMEOUT_S = 20.0  # for the whole download, not per read: a server dripping bytes is cut off too
MAX_REDIRECTS = 5
READ_CHUNK = 8192  # small reads bound what one gzip-compressed chunk can inflate to
# Content types a news page or article can come as; anything else is refused.
TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss", "application/atom")
MIN_ARABIC_SHARE = 0.5
MIN_PAGE_WORDS = 8  # what a page's extracted text needs to be an article, not a menu item or two

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S)
_HTML_TAGS = re.compile(r"</?(p|div|span|br|article|h[1-6]|a|li)\b[^>]*>", re.I)
_WEB_ADDRESS = re.compile(r"^(www\.|[\w-]+(\.[\w-]+)*\.(com|net|org|news|info|tv|[a-z]{2})/)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)


@dataclass
class Source:
    """Where an article came from and how its bytes were read."""

    kind: str  # "file" | "stdin" | "url" | "inline" (a batch item's own text)
    location: str  # the path, "-", the URL as given, or the batch item's id
    encoding: str = ""  # Python's name of the codec it was read with: "utf-8", "utf-16-le", "cp1256"
    bom: bool = False  # it began with a byte-order mark
    replaced: int = 0  # sequences that were not valid in that encoding, read as U+FFFD
    sha256: str = ""
    chars: int = 0
    format: str = "text"  # "text" | "html"

    @property
    def name(self) -> str:
        """The source as messages and headings name it."""
        return "standard input" if self.kind == "stdin" else shown(self.location)

    @property
    def replaced_note(self) -> str | None:
        """What reading replaced, as a result's warnings say it; None when nothing was."""
        if not self.replaced:
            return None
        return f"{self.replaced} invalid {self.encoding.upper()} sequence(s) in the input, read as U+FFFD"

    @classmethod
    def as_given(cls, spec: str) -> "Source":
        """A source as its argument names it, before (or without) reading it: what a failed one's record says."""
        if _SCHEME.match(spec):  # http(s), or a scheme mujaz refuses (ftp://): a password masked either way
            return cls(kind="url", location=without_password(spec))
        return cls(kind="stdin" if spec == "-" else "file", location=spec)

    def place(self) -> dict:
        """Where it is, as JSON says it: its URL, or its path as given ("-" for stdin)."""
        return {"kind": self.kind, "url" if self.kind == "url" else "path": shown(self.location)}

    def to_json(self) -> dict:
        return {
            **self.place(),
            "format": self.format,
            "encoding": self.encoding,
            "bom": self.bom,
            "sha256": self.sha256,
            "chars": self.chars,
        }


@dataclass
class Article:
    source: Source
    text: str  # normalised body text, one paragraph (or heading) a line
    title: str | None = None  # from HTML metadata; plain text finds its own


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def shown(name: str) -> str:
    """A file name as text: the bytes of a name that is not UTF-8 (from a Windows archive, say),
    which Python keeps as lone surrogates, as U+FFFD, so that UTF-8 output can hold it."""
    return os.fsencode(name).decode("utf-8", errors="replace")


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


def load_article(spec: str, *, stdin: BinaryIO | None = None, max_bytes: int = MAX_BYTES) -> Article:
    """Read, decode, extract and normalise one SOURCE; raise BadInput if unusable."""
    source = Source.as_given(spec)
    if is_url(spec):
        raw, declared = fetch_url(spec, max_bytes=max_bytes)
    elif source.kind == "url":
        raise BadInput(f"{source.location}: only http and https URLs are read", hint="give a path, '-' or an http(s) URL")
    elif spec == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        try:
            raw, declared = _read_limited(stream, "standard input", max_bytes), None
        except OSError as error:  # `0>file`: a descriptor open for writing only
            raise cannot_read("standard input", error) from error
    else:
        raw, declared = read_file(spec, max_bytes), None
    return article_from_bytes(raw, source, declared_charset=declared)


def read_file(spec: str, max_bytes: int = MAX_BYTES) -> bytes:
    if not spec.strip():
        raise BadInput("an empty source name", hint="give a path, '-' for stdin, or an http(s) URL")
    # Opened first and asked afterwards: exists() hides why a path cannot be reached (a folder
    # without permission, a loop of links) and itself raises on some of them.
    name = shown(spec)
    try:
        with open(spec, "rb") as handle:
            return _read_limited(handle, name, max_bytes)
    except FileNotFoundError:
        if _WEB_ADDRESS.match(spec):  # www.aljazeera.net/news/...: a URL without its scheme
            raise BadInput(f"{name}: no such file", hint=f"for the web page, give https://{name}") from None
        raise BadInput(f"{name}: no such file", hint="give a path, '-' for stdin, or an http(s) URL") from None
    except IsADirectoryError:
        raise BadInput(f"{name}: is a directory, not an article file",
                       hint=f"give the files in it, or read them all with `mujaz batch {name}`") from None
    except OSError as error:
        raise cannot_read(name, error) from error


def cannot_read(name: str, error: OSError) -> BadInput:
    """A file or stream that would not be read, in the system's own words."""
    return BadInput(f"{name}: cannot read: {(error.strerror or str(error)).lower()}")


def too_large(name: str, max_bytes: int) -> BadInput:
    return BadInput(f"{name}: larger than {max_bytes:,} bytes; not a news article", hint="raise --max-bytes if it is")


FILE_READ_CHUNK = 1 << 20  # a file or stdin: nothing inflates there


def _read_limited(stream: BinaryIO, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    # In chunks: read(max_bytes + 1) would set aside a buffer of that size first, and a large
    # --max-bytes (100 GB) would then fail for want of memory however small the input.
    blocking(stream)
    chunks, size = [], 0
    while size <= max_bytes:
        wanted = min(FILE_READ_CHUNK, max_bytes + 1 - size)
        chunk = stream.read(wanted) or b""
        chunks.append(chunk)
        size += len(chunk)
        # A buffered read comes back short only at the end: reading on would wait for a second
        # Ctrl-D on a terminal, whose end of input is no lasting state.
        if len(chunk) < wanted:
            break
    if size > max_bytes:
        raise too_large(name, max_bytes)
    return b"".join(chunks)


def without_password(url: str) -> str:
    """A URL as mujaz writes it (errors, JSON): a password it holds (user:password@) as ***."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        host = parts.netloc.rsplit("@", 1)[1]
        return urlunsplit(parts._replace(netloc=f"{parts.username}:***@{host}"))
    except ValueError:  # not a URL urlsplit can take apart (a bad port, "[::1"): masked as text
        return without_passwords_in(url)


# "scheme://user:password@", wherever it is in a text: a URL urlsplit cannot take apart, or one
# that urllib3 quotes whole in its error ("Failed to parse: http://user:secret@host:99999/").
_CREDENTIALS = re.compile(r"\b([a-zA-Z][a-zA-Z0-9+.-]*://[^/@:\s]*):[^/\s]*@")


def without_passwords_in(text: str) -> str:
    """Every URL's password in a text as ***."""
    return _CREDENTIALS.sub(r"\1:***@", text)


def blocking(stream) -> None:
    """Make a stream's reads wait for its writer. A parent may hand over a non-blocking pipe,
    which answers "nothing yet" (None, or less than asked) while the writer is still writing:
    read as the end, it cut the article short, or left it empty. (The setting belongs to the
    pipe's open description, shared with whoever else holds it: it is what any reader of a
    pipe expects.)"""
    try:
        descriptor = stream.fileno()
        if not os.get_blocking(descriptor):
            os.set_blocking(descriptor, True)
    except (AttributeError, OSError, ValueError):  # an in-memory stream, or one closed
        pass


def fetch_url(url: str, max_bytes: int = MAX_BYTES, timeout: float = URL_TIMEOUT_S) -> tuple[bytes, str | None]:
    """GET a page: a few redirects at most, a size cap, the proxy the environment names, and one
    deadline for connecting, each redirect and the body. (Not for the headers: urllib3 times each
    read of them, so a server that sends them a byte at a time holds mujaz as long as it sends.)"""
    import time
    from urllib.parse import urljoin

    import urllib3

    name = without_password(url)  # what messages say of it
    deadline = time.monotonic() + timeout

    def too_slow() -> BadInput:
        return BadInput(f"{name}: the download took longer than {timeout:g} s", hint=SAVE_PAGE_HINT)

    def time_left() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise too_slow()
        return left

    address = url
    for _ in range(MAX_REDIRECTS + 1):  # redirects followed here, each within the time that is left
        http = _pool_for(address, _credentials(address, url))
        left = time_left()
        try:
            response = http.request(
                "GET", address, preload_content=False, redirect=False,
                timeout=urllib3.Timeout(connect=min(10.0, left / 2), read=left),
                # A refused connection is tried once more; a Retry-After (503, 429) is not waited
                # for, since it could name hours: the status is the answer.
                retries=urllib3.Retry(total=1, connect=1, read=0, status=0, redirect=0, other=0, backoff_factor=0.2,
                                      respect_retry_after_header=False, raise_on_status=False, raise_on_redirect=False),
            )
        except urllib3.exceptions.HTTPError as error:
            if isinstance(error, urllib3.exceptions.MaxRetryError):
                error = error.reason
            if "Timeout" in type(error).__name__ and deadline - time.monotonic() < 0.5:  # what ran out was the deadline
                raise too_slow() from error
            raise BadInput(f"{name}: cannot fetch: {without_passwords_in(_reason(error))}", hint=FETCH_HINT) from error
        location = response.get_redirect_location()
        if not location:
            break
        response.release_conn()
        http.clear()
        try:
            address = urljoin(address, location)
        except ValueError as error:  # a Location urlsplit cannot take apart ("http://[::1")
            raise BadInput(f"{name}: redirected to an address that cannot be fetched ({error})", hint=FETCH_HINT) from error
        if not is_url(address):
            raise BadInput(f"{name}: redirected to {without_password(address)}, which is not an http(s) address",
                           hint=FETCH_HINT)
    else:
        raise BadInput(f"{name}: cannot fetch: more than {MAX_REDIRECTS} redirects", hint=FETCH_HINT)
    try:
        if response.status >= 400:
            raise BadInput(f"{name}: the server answered HTTP {response.status} {response.reason or ''}".rstrip(),
                           hint=_status_hint(response.status))
        content_type = response.headers.get("Content-Type", "")
        if content_type and not content_type.lower().startswith(TEXT_TYPES):
            raise BadInput(f"{name}: not an HTML page or text (Content-Type: {content_type.split(';')[0]})",
                           hint="give the address of the article's page")
        chunks, size = [], 0
        while True:
            # read1 returns what has arrived (up to READ_CHUNK), so a server that
            # drips bytes still lets the deadline be checked; sizes count decoded bytes.
            chunk = response.read1(READ_CHUNK, decode_content=True)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise too_large(name, max_bytes)
            time_left()
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:
        raise BadInput(f"{name}: download failed: {without_passwords_in(_reason(error))}", hint=SAVE_PAGE_HINT) from error
    finally:
        response.release_conn()
        http.clear()  # a batch fetches many pages: close each one's connections
    match = re.search(r"charset=([\w.:-]+)", content_type, re.I)
    return b"".join(chunks), (match.group(1) if match else None)


def _credentials(address: str, first: str) -> dict[str, str]:
    """Basic authentication for the user:password@ an address holds, as curl and requests send it
    (urllib3 sends nothing); after a redirect, the first address's only to the same scheme, host
    and port (requests' rule too: a password is not handed to another site)."""
    from urllib.parse import unquote, urlsplit

    import urllib3

    try:
        here = urlsplit(address)
        if here.username is None:
            there = urlsplit(first)
            if there.username is None or (here.scheme, here.hostname, here.port) != (there.scheme, there.hostname, there.port):
                return {}
            here = there
    except ValueError:  # "http://[::1", a port that is no number: _pool_for says what is wrong with it
        return {}
    return urllib3.make_headers(basic_auth=f"{unquote(here.username)}:{unquote(here.password or '')}")


def _pool_for(url: str, credentials: dict[str, str]):
    """A connection pool for a URL: through the proxy http_proxy / https_proxy name for its scheme,
    unless no_proxy leaves its host out (as curl and pip read them). `credentials`: its
    Authorization header, if any (a request's own headers would replace the pool's, not add)."""
    import urllib.request
    from urllib.parse import unquote, urlsplit

    import urllib3

    headers = {"User-Agent": f"mujaz/{__version__} (+https://pypi.org/project/mujaz/)", "Accept-Encoding": "gzip, deflate",
               **credentials}
    try:
        parts = urlsplit(url)
    except ValueError as error:  # "http://[::1": urlsplit cannot take it apart
        raise BadInput(f"{without_password(url)}: not an address that can be fetched ({error})",
                       hint="check the address") from error
    proxy = urllib.request.getproxies().get(parts.scheme.lower())
    if not proxy or urllib.request.proxy_bypass(parts.hostname or ""):
        return urllib3.PoolManager(headers=headers)
    try:
        proxy = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        proxy.port  # noqa: B018 - a port that is no number is found out here, not in urllib3
    except ValueError as error:  # said without the proxy's address, which may hold a password
        raise BadInput(f"{without_password(url)}: the {parts.scheme}_proxy set here is not an address ({error})",
                       hint=f"correct or unset {parts.scheme}_proxy") from error
    if proxy.scheme not in ("http", "https"):
        raise BadInput(f"{without_password(url)}: the {parts.scheme}_proxy set here is a {proxy.scheme} proxy, "
                       "and mujaz speaks to http(s) proxies only", hint=f"unset {parts.scheme}_proxy, or give an http proxy")
    # urllib3 sends no credentials a proxy's address holds (user:password@): they go as a header.
    credentials = f"{unquote(proxy.username or '')}:{unquote(proxy.password or '')}" if proxy.username else None
    return urllib3.ProxyManager(f"{proxy.scheme}://{proxy.hostname}{f':{proxy.port}' if proxy.port else ''}",
                                headers=headers,
                                proxy_headers=urllib3.make_headers(proxy_basic_auth=credentials) if credentials else None)


FETCH_HINT = "check the address and the network, or save the page and give the file"
SAVE_PAGE_HINT = "try again, or save the page and give the file"


def _status_hint(status: int) -> str:
    if status in (404, 410):
        return "check the address"
    if status in (401, 403, 429, 451):
        return "the site refuses this download; save the page from a browser and give the file"
    if status >= 500:
        return "the site failed; try again later"
    return SAVE_PAGE_HINT


def _reason(error: object) -> str:
    name = type(error).__name__
    text = str(error)
    if "NameResolution" in name or "Name or service not known" in text or "getaddrinfo" in text:
        return "the host name could not be resolved"
    if "SSL" in name:
        # "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)": the words, not OpenSSL's code and line
        match = re.search(r"\[SSL: \w+\]\s*(.+?)\s*\(_ssl\.c:\d+\)", text) or re.search(r"\[SSL: \w+\]\s*(.+)", text)
        return f"TLS failed: {match.group(1).strip() if match else text}"
    if "Timeout" in name:
        return "the server did not answer in time"
    if "too many redirects" in text.lower():
        return f"more than {MAX_REDIRECTS} redirects"
    if "NewConnection" in name or "Connection refused" in text:
        return "the connection was refused"
    if "ConnectionReset" in text or "Connection reset" in text:  # ('Connection aborted.', ConnectionResetError(104, ...))
        return "the server closed the connection"
    if "RemoteDisconnected" in text:
        return "the server closed the connection without answering"
    if "IncompleteRead" in text or "Connection broken" in text:
        return "the connection broke before the page was whole"
    if "failed to decode" in text:  # ('Received response with content-encoding: gzip, but failed to decode it.', ...)
        return "the server sent a damaged compressed page"
    if "BadStatusLine" in text or "BadStatusLine" in name:  # the server's own bytes follow: not for a message
        return "the server did not answer in HTTP"
    return text or name


def looks_like_html(raw: bytes) -> bool:
    head = raw[:4096]
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    if _HTML_START.match(head):
        return True
    return False


class Decoded(NamedTuple):
    text: str
    encoding: str  # a codec name, as reported to the user: "utf-8", "utf-16", "cp1256"
    replaced: int = 0  # invalid sequences (of that encoding) read as U+FFFD
    bom: bool = False


def decode(raw: bytes, *, declared: str | None = None) -> Decoded:
    """The text and its encoding: BOM, UTF-16 without one, UTF-8 (a few bad bytes let through),
    a declared charset that gives Arabic, the Arabic code pages by detection, then anything."""
    for bom, name in _BOMS:
        if raw.startswith(bom):
            decoded = _nearly(raw, name)
            if decoded is None:
                raise BadInput(f"starts with a {name.replace('-sig', '')} byte-order mark but is not valid "
                               f"{name.replace('-sig', '')}", hint="save it again as UTF-8")
            return decoded._replace(encoding=name.replace("-sig", ""), bom=True)
    if b"\x00" in raw:  # no text holds NUL; UTF-16 does, for every ASCII character
        for name in ("utf-16-le", "utf-16-be"):  # without a byte-order mark
            decoded = _nearly(raw, name)
            if decoded is not None and _reads_as_arabic(decoded.text):
                return decoded
    repaired = _nearly(raw, "utf-8")
    if repaired is not None:
        return repaired
    if b"\x00" in raw:
        raise BadInput("binary data, not text", hint="give a text or HTML file")
    # A declared charset is taken when it gives Arabic; pages declare Western ones
    # (ISO-8859-1, windows-1252) over Arabic bytes often enough that it is only a hint.
    declared_reading = None
    if declared:
        try:
            declared_reading = Decoded(raw.decode(declared), codecs.lookup(declared).name)
        except (LookupError, UnicodeError):  # a name Python lacks; "undefined", a codec that refuses all
            pass
        if declared_reading and _reads_as_arabic(declared_reading.text):
            return declared_reading
    import charset_normalizer

    # Windows-1256 is the common legacy encoding of Arabic text; let detection
    # choose among the Arabic code pages first, then anything.
    best = charset_normalizer.from_bytes(raw, cp_isolation=["cp1256", "iso8859_6", "cp720", "cp864"]).best()
    if best is not None and best.encoding and _reads_as_arabic(str(best)):
        return Decoded(str(best), codecs.lookup(best.encoding).name)
    if declared_reading:
        return declared_reading  # not Arabic however read: the language check says so
    best = charset_normalizer.from_bytes(raw).best()
    if best is not None and best.encoding:
        return Decoded(str(best), codecs.lookup(best.encoding).name)
    as_utf8 = raw.decode("utf-8", errors="replace")
    if _reads_as_arabic(as_utf8):  # UTF-8 with more bytes of another encoding than _nearly passes over
        bad = len(raw) - len(raw.decode("utf-8", errors="ignore").encode("utf-8"))  # bytes: U+FFFD may stand for two
        try:
            raw.decode("utf-8")
            first = 0  # not reached: _nearly took valid UTF-8
        except UnicodeDecodeError as error:
            first = error.start
        raise BadInput(f"UTF-8 text with {bad:,} bytes that are not UTF-8 (the first at byte {first:,}): "
                       "it mixes encodings", hint="mend or remove those bytes; `iconv -c -f UTF-8 -t UTF-8` removes them")
    raise BadInput("cannot decode the bytes as text in any known encoding", hint="save it as UTF-8")


def _marked_up(text: str) -> bool:
    """A page without a doctype shows itself by its tags: paragraphs closed, or lines broken with <br>.
    Text that only names a few tags (`استخدموا الوسم <p> و <div>`) is text."""
    tags = [match.group(0).lower() for match in _HTML_TAGS.finditer(text)]
    closed = sum(1 for tag in tags if tag.startswith("</"))
    breaks = sum(1 for tag in tags if tag.startswith("<br"))
    return len(tags) >= 3 and (closed >= 2 or breaks >= 3)


def _reads_as_arabic(text: str) -> bool:
    """Whether a decoding gave Arabic: nearly all letters beyond ASCII are Arabic ones. Only those
    count, since the bytes an encoding decides are the high ones, and a page's markup is ASCII;
    nearly all, since a wrong Arabic code page gives mostly Arabic letters and some é, ç, ô."""
    return arabic_share("".join(ch for ch in text if ch > "\x7f")) >= ARABIC_CODE_PAGE_SHARE


ARABIC_CODE_PAGE_SHARE = 0.9


def _nearly(raw: bytes, encoding: str) -> Decoded | None:
    """The text in a Unicode encoding, with a few bad bytes read as U+FFFD: a file cut inside a
    letter by `head -c` or a byte-limited field, a few characters of another encoding pasted in
    (Windows' curly quotes); None when the bad bytes are too many for that, as in a legacy
    encoding's text, whose letters are no valid UTF-8 (nor UTF-16) at all."""
    try:
        return Decoded(raw.decode(encoding), encoding)
    except UnicodeDecodeError:
        pass
    text = raw.decode(encoding, errors="replace")
    bad = len(text) - len(raw.decode(encoding, errors="ignore"))  # one U+FFFD for each, the raw's own aside
    decoded = sum(1 for ch in text if ch > "\x7f" and ch != REPLACEMENT)  # letters that read fine
    if bad <= max(MAX_BAD_BYTES, len(raw) // 200) and decoded >= 20 * bad:
        return Decoded(text, encoding, bad)
    return None


REPLACEMENT = "\ufffd"
MAX_STRAY_CONTROLS = 16
MAX_BAD_BYTES = 3  # or one in two hundred, whichever is more


def article_from_bytes(raw: bytes, source: Source, *, declared_charset: str | None = None) -> Article:
    name = source.name
    source.sha256 = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise BadInput(f"{name}: is empty", hint="give an Arabic news article")
    html = looks_like_html(raw)
    if html and not declared_charset:
        match = _META_CHARSET.search(raw[:8192])
        declared_charset = match.group(1).decode("ascii", "replace") if match else None
    try:
        text, encoding, source.replaced, source.bom = decode(raw, declared=declared_charset)
    except BadInput as error:
        raise BadInput(f"{name}: {error.message}", hint=error.hint) from error
    # Binary data read as text is full of control characters; an article may hold a few (a terminal's
    # escape sequence pasted in), which normalise turns into spaces. More than one in a hundred, and
    # more than a short text's few, is no article.
    if control_count(text) > max(MAX_STRAY_CONTROLS, len(text) // 100):
        raise BadInput(f"{name}: binary data, not text", hint="give a text or HTML file")
    if not html and _FEED.match(text):
        raise BadInput(f"{name}: a news feed (RSS or Atom), not an article",
                       hint="give the link of one of its articles; `mujaz batch` reads many, one a line")
    # A page without a doctype still shows itself by its tags.
    if not html and _marked_up(text[:20000]):
        html = True
    source.encoding = encoding
    title = None
    if html:
        source.format = "html"
        text, title = extract_html(text, url=source.location if source.kind == "url" else None)
        if not text:
            raise BadInput(f"{name}: no article text found in the HTML page")
    text = normalise(text)
    title = normalise(title) if title else None
    if not text:
        raise BadInput(f"{name}: has no text", hint="give an Arabic news article")
    if not any(ch.isalpha() and ch != TATWEEL for ch in text):
        raise BadInput(f"{name}: has no letters (only digits, marks or punctuation)", hint="give an Arabic news article")
    share = arabic_share(text)
    if share < MIN_ARABIC_SHARE:
        raise BadInput(
            f"{name}: not Arabic text (only {share:.0%} of its letters are Arabic)",
            hint="mujaz reads Arabic news articles",
        )
    if looks_other_language(text):
        raise BadInput(f"{name}: not Arabic: Persian, Urdu or Kurdish by its letters", hint="mujaz reads Arabic news articles")
    text = arabic_letter_forms(text)
    title = arabic_letter_forms(title) if title else None
    if html and len(words(text)) < MIN_PAGE_WORDS:
        raise BadInput(f"{name}: no article text found in the HTML page (only {len(words(text))} words)")
    source.chars = len(text)
    return Article(source=source, text=text, title=title)


def extract_html(html: str, *, url: str | None = None) -> tuple[str, str | None]:
    """Main text and title of a page, by trafilatura (parsed, never executed)."""
    import trafilatura

    # A control character, raw or as a reference (&#27;), makes lxml give up on the whole page;
    # it is no part of an article's text.
    html = _CONTROL_IN_HTML.sub(" ", html)
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        # mujaz uses no page date; htmldate's extensive search (dateparser over the text) cost
        # most of the reading of a page of many short paragraphs.
        date_extraction_params={"extensive_search": False, "original_date": False},
    )
    if not document:
        return "", None
    text = document.text or ""
    title, site_part = (_without_site_name(_whole_title(document.title, html), document.sitename, text)
                        if document.title else (None, None))
    lead = _dropped_lead(document.description, title, text, html)
    if lead:
        text = lead + "\n" + text
    names = [name for name in (document.sitename, site_part) if name]
    return _without_page_furniture(text, names), title


def _dropped_lead(description: str | None, title: str | None, text: str, html: str) -> str | None:
    """The article's lead paragraph when the extraction dropped it. trafilatura, told to leave
    comments out, can prune a lead set apart from the body (Sputnik's `b-article__lead`); the
    page's description then points to it. Taken only when a paragraph of the page's body starts
    as the description does (which is often cut short: "...") and it shares words with the
    headline, not a site's tagline; the paragraph is taken whole."""
    if not description or not title:
        return None
    opening = " ".join(description.split())[:60]
    if len(description.split()) < 8 or opening in " ".join(text.split()):
        return None
    import lxml.html

    try:
        page = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    held = [" ".join(element.text_content().split()) for element in page.iter("p", "div")]
    paragraphs = [paragraph for paragraph in held if paragraph.startswith(opening)]
    if not paragraphs:
        return None
    lead = min(paragraphs, key=len)  # the innermost element that holds it
    shared = {word for word in words(title) if len(word) > 2} & set(words(lead))
    return lead if len(shared) >= 2 else None


# What a page puts around an article that trafilatura keeps as paragraphs, each kept narrow so
# that an article's own sentence is not mistaken for it (phrases are matched folded, text.fold).
# A site's notices under the article (its comment policy, terms, copyright): a paragraph among
# the last that holds such a phrase and names the site ("الموقع", "موقع CNN", or its name).
_SITE_NOTICE = re.compile(fold(
    "ارشادات الاستخدام|شروط الاستخدام|شروط استخدام الموقع|سياسة الخصوصية|لا تعبر عن راي|الاراء الواردة"
    "|جميع الحقوق محفوظة|حقوق النشر محفوظة|مراجعة التعليقات|تعليقات القراء|اضف تعليق|اضف تعليقك"))
_THE_SITE = frozenset(fold("الموقع موقع موقعنا").split())
SITE_NOTICE_MAX_WORDS = 60  # a policy of three sentences in one paragraph (CNN Arabic) is 44
# A news agency's credit alone on the last line: "--(بترا)", "(أ ف ب)".
_CREDIT_LINE = re.compile(r"[-–—\s]*\(\s*[^()\d]{2,30}\)[-–—.\s]*")
CREDIT_MAX_WORDS = 3
# The publication date as a line of its own at the top: "تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً";
# it gives a time of day or a month, and ends in no full stop as a sentence would. Or a date alone
# (segment.is_date_line): "الأحد 12 مارس 2023 - 10:45 ص".
_DATE_LINE = re.compile(fold(r"(تم نشره|نشر في|نشر بتاريخ|تاريخ النشر|اخر تحديث)\b"))
_DATE_PART = re.compile(fold(
    r"\d{1,2}:\d{2}|\b(يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر"
    r"|كانون|شباط|اذار|نيسان|ايار|حزيران|تموز|اب|ايلول|تشرين)\b"))
DATE_LINE_MAX_WORDS = 12
# A link to another article, anywhere in the text: "اقرأ أيضا: الحكومة تعلن خطة ...".
_TEASER = re.compile(fold(r"[-–—•*\s]*(اقرأ|إقرأ|اقرا|شاهد|طالع)\s+(أيضا|ايضا|أيضاً|المزيد)\b"))
TEASER_MAX_WORDS = 30
# An advertisement's label left where the advertisement was.
_AD_LABEL = re.compile(fold(r"إعلان|اعلان|مساحة إعلانية|advertisement"))
# Under the article: its source alone ("المصدر: رويترز"), or the site asking to be followed.
_SOURCE_LINE = re.compile(fold(r"(المصدر|مصدر الخبر)\s*:\s*[^.،]{2,40}"))
SOURCE_LINE_MAX_WORDS = 5
_FOLLOW_US = re.compile(fold(r"(تابعونا|تابعوا|حمل تطبيق|حملوا تطبيق)\b"))
FOLLOW_US_MAX_WORDS = 15
# A site's name opening a paragraph as a dateline: "المدينة نيوز :- بلغت ...". One word is too
# often a city's too (the newspaper الرياض, the dateline "الرياض - "): only names of two or more.
_NAME_SEPARATOR = re.compile(r"\s*(:-|:|[-–—]{1,2})\s*")
TOP_PARAGRAPHS = 3  # where a date line or a dateline stands


def _without_page_furniture(text: str, site_names: list[str]) -> str:
    """The article's text without the page's notices, date line, links to other articles,
    advertisement labels, trailing credit (an agency, a source, "follow us") and a site name
    opening its first paragraphs (each pattern above says what it takes)."""
    lines = text.split("\n")
    names = [fold(name) for name in site_names]

    def notice(line: str) -> bool:
        folded = fold(line)
        names_the_site = bool(_THE_SITE & set(words(folded))) or any(name in folded for name in names)
        return bool(_SITE_NOTICE.search(folded)) and names_the_site and len(line.split()) <= SITE_NOTICE_MAX_WORDS

    def inserted(line: str) -> bool:  # into the article by the page: a link to another, an advertisement
        folded = fold(line.strip())
        return (bool(_TEASER.match(folded)) and len(line.split()) <= TEASER_MAX_WORDS) or bool(_AD_LABEL.fullmatch(folded))

    def credit(line: str) -> bool:
        folded = fold(line.strip())
        return ((bool(_CREDIT_LINE.fullmatch(line)) and len(words(line)) <= CREDIT_MAX_WORDS)
                or (bool(_SOURCE_LINE.fullmatch(folded)) and len(line.split()) <= SOURCE_LINE_MAX_WORDS)
                or (bool(_FOLLOW_US.match(folded)) and len(line.split()) <= FOLLOW_US_MAX_WORDS))

    def date(line: str) -> bool:
        folded = fold(line.strip())
        return (bool(_DATE_LINE.match(folded)) and bool(_DATE_PART.search(folded)) and not folded.endswith(".")
                and len(line.split()) <= DATE_LINE_MAX_WORDS) or is_date_line(line)

    while len(lines) > 1 and (notice(lines[-1]) or credit(lines[-1]) or not lines[-1].strip()):
        lines.pop()
    top = [line for line in lines[:TOP_PARAGRAPHS] if not date(line)]
    lines = [line for line in (top + lines[TOP_PARAGRAPHS:]) if not inserted(line)] or lines
    for number, line in enumerate(lines[:TOP_PARAGRAPHS]):
        for name in site_names:
            if len(name.split()) > 1 and line.startswith(name):
                separator = _NAME_SEPARATOR.match(line, len(name))
                rest = line[separator.end():] if separator else ""
                if separator and len(words(rest)) >= MIN_PAGE_WORDS:
                    lines[number] = rest
                    break
    return "\n".join(lines)


_FEED = re.compile(r"\ufeff?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*<(rss|feed|rdf:RDF)\b", re.S)
_CONTROL_IN_HTML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|&#0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|127);"
                              r"|&#x0*(?:[0-8]|[bBcC]|[eEfF]|1[0-9a-fA-F]|7[fF]);")
# What sites put between a headline and their name: "الخبر - اليوم السابع", "المدينة نيوز | الخبر".
_TITLE_PARTS = re.compile(r"\s+[-|–—»•]\s+")


def _same_name(a: str, b: str) -> bool:
    """Two spellings of one name: case, spacing and a web address's trimmings aside."""
    def plain(name: str) -> str:
        name = re.sub(r"^https?://(www\.)?|/+$", "", name.strip().casefold())
        return " ".join(name.split())
    return plain(a) == plain(b)


# [^<]*: a page of "<title>" without an end is scanned once, not once from each.
_TITLE_ELEMENT = re.compile(r"<title\b[^<>]*>([^<]*)</title\s*>", re.I)


SITE_NAME_MAX_WORDS = 3


def _whole_title(title: str, html: str) -> str:
    """The page's whole <title> where trafilatura took a part of it as short as a site's name
    ("جريدة الوطن" of "جريدة الوطن | الخبر", "مصر" of "مصر - السودان: ..."; it takes the first
    part when a page has no single <h1> nor meta title), for _without_site_name to judge;
    otherwise trafilatura's title (an <h1>, a meta title, or a part long enough to be the headline)."""
    if len(title.split()) > SITE_NAME_MAX_WORDS or _given_as_headline(title, html):
        return title
    found = _TITLE_ELEMENT.search(html)
    if not found:
        return title
    whole = " ".join(htmllib.unescape(found[1]).split())
    parts = _TITLE_PARTS.split(whole)
    return whole if len(parts) > 1 and " ".join(title.split()) in parts else title


def _given_as_headline(title: str, html: str) -> bool:
    """Whether the page gives `title` as its headline itself: an <h1> or <h2>, or a meta title (og:title)."""
    # Within a few tags (<h1><a href=...>): [^<>] and the bounds keep a hostile page linear.
    inside = r"\s*(?:<[^<>]*>\s*){0,8}"
    if re.search(rf"<h[12]\b[^<>]*>{inside}{re.escape(title)}{inside}</h[12]", html, re.I):
        return True
    return any("title" in tag.lower() and title in tag for tag in _META_TAG.findall(html))


_META_TAG = re.compile(r"<meta\b[^<>]*>", re.I)


def _without_site_name(title: str, site: str | None, text: str) -> tuple[str, str | None]:
    """A page's title without the site's name at either end, and the end taken off (None if none).
    An end goes when it is the site's name as the page gives it, or when the rest of the title is
    what the article text starts with (and the whole title is not: then it is all headline,
    "عاجل | الحكومة تعلن ...")."""
    parts = _TITLE_PARTS.split(title.strip())
    if len(parts) < 2:
        return title, None
    start = " ".join(text[:400].split())
    whole_at_start = start.startswith(" ".join(title.split()))
    for kept, dropped in ((parts[:-1], parts[-1]), (parts[1:], parts[0])):
        rest = " - ".join(kept)
        is_site = bool(site) and _same_name(dropped, site)
        if is_site or (not whole_at_start and start.startswith(rest) and not start.startswith(dropped)):
            return rest, dropped
    return title, None
