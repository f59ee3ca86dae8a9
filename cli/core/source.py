"""Reading a SOURCE (a path, `-` for stdin, or an http(s) URL) into an Article.

Reading and decoding, and the checks that turn unusable input into one clear BadInput error,
live here; fetching a URL is mujaz.core.fetch's, a page's extraction mujaz.core.page's, and
segmentation is not done here.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import sys
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from mujaz.core.fetch import fetch_url, is_url, without_password
from mujaz.core.page import MIN_PAGE_WORDS, extract_html, forwarding_address, is_one_element
from mujaz.core.text import (LINKS, PRESENTATION_FORMS, arabic_letter_forms, arabic_share, control_count, definite_words,
                             has_letters, in_words, is_arabic_letter, is_letter, looks_other_language, normalise, words)
from mujaz.errors import BadInput, too_large
from mujaz.limits import MAX_BYTES

MIN_ARABIC_SHARE = 0.5
# Less than half, a quarter at least, is Arabic news: after an Arabic opening (the headline and lead),
# an article that a page follows with English (comments, spam); or with more Arabic letters than English
# prose's, an item that names products, firms and standards in English ("كشفت Apple عن هاتف iPhone 16 Pro
# Max بمعالج A18 Pro ...": English in runs of a few words between Arabic ones, not in sentences).
MIN_ARABIC_SHARE_OF_MIXED_NEWS = 0.25
OPENING_CHARS = 600
MIN_ARABIC_SHARE_OF_OPENING = 2 / 3
PROSE_WORDS = 6  # in a row, with no Arabic letter: a sentence of another language, not a name
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
ARABIC_CODE_PAGE_SHARE = 0.9  # of the letters a legacy code page decides (the non-ASCII ones)
REPLACEMENT = "\ufffd"
MAX_STRAY_CONTROLS = 16
# A page whose article its scripts fetch, or that is an index of links, gives the extractor no article.
PAGE_HINT = "give the article's own page, or save its text and give the file"
MAX_BAD_BYTES = 3  # or one in two hundred, whichever is more
FILE_READ_CHUNK = 1 << 20  # a file or stdin: nothing inflates there

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
# A feed or a sitemap: lists of a site's articles, not one (a news sitemap holds their titles in Arabic).
_LIST_OF_ARTICLES = re.compile(
    r"\ufeff?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*|<\?xml-stylesheet[^>]*>\s*)*<(rss|feed|rdf:RDF|urlset|sitemapindex)\b", re.S)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_JSON_RECORD = re.compile(r'\ufeff?\s*\{\s*"[^"\n]{0,200}"\s*:')  # {"id": ..., "text": ...}


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


def shown(name: str) -> str:
    """A file name as text: the bytes of a name that is not UTF-8 (from a Windows archive, say),
    which Python keeps as lone surrogates, as U+FFFD, so that UTF-8 output can hold it."""
    return os.fsencode(name).decode("utf-8", errors="replace")


SOURCE_HINT = "give a path, '-' for stdin, or an http(s) URL"


def load_article(spec: str, *, stdin: BinaryIO | None = None, max_bytes: int = MAX_BYTES,
                 fetched: tuple[bytes, str | None] | None = None) -> Article:
    """Read, decode, extract and normalise one SOURCE; raise BadInput if unusable. `fetched`: a URL's
    page as fetch_page gave it already (a batch fetches a chunk's pages together)."""
    if is_url(spec.strip()):  # an address copied with a space or a line end, which a browser drops too
        spec = spec.strip()
    source = Source.as_given(spec)
    if is_url(spec):
        raw, declared = fetched or fetch_page(spec, max_bytes)
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


def fetch_page(url: str, max_bytes: int = MAX_BYTES) -> tuple[bytes, str | None]:
    """A URL source's page: its bytes, and the charset its Content-Type names."""
    return fetch_url(url.strip(), max_bytes=max_bytes)


def read_file(spec: str, max_bytes: int = MAX_BYTES) -> bytes:
    if not spec.strip() and not os.path.lexists(spec):  # a table's empty cell; but a file named " " is one
        raise BadInput("an empty source name", hint=SOURCE_HINT)
    # Opened first and asked afterwards: exists() hides why a path cannot be reached (a folder
    # without permission, a loop of links) and itself raises on some of them.
    name = shown(spec)
    try:
        with open(spec, "rb") as handle:
            return _read_limited(handle, name, max_bytes)
    except FileNotFoundError:
        if _WEB_ADDRESS.match(spec):  # www.aljazeera.net/news/...: a URL without its scheme
            raise BadInput(f"{name}: no such file", hint=f"for the web page, give https://{name}") from None
        refusal = broken_link(spec)  # on a share not mounted, or moved away
        if refusal:
            raise refusal from None
        raise BadInput(f"{name}: no such file", hint=SOURCE_HINT) from None
    except IsADirectoryError:
        raise BadInput(f"{name}: is a directory, not an article file",
                       hint=f"give the files in it, or read them all with `mujaz batch {name}`") from None
    except OSError as error:
        raise cannot_read(name, error) from error


def broken_link(spec: str) -> BadInput | None:
    """A link that leads nowhere, said as such: to what is not there (a share not mounted, a file moved
    away) or round in a loop; None for any other path."""
    if not os.path.islink(spec):
        return None
    try:
        os.stat(spec)
    except FileNotFoundError:
        return BadInput(f"{shown(spec)}: a link to {shown(os.readlink(spec))}, which is not there",
                        hint="mount or restore what it links to, or give the file itself")
    except OSError as error:
        return cannot_read(shown(spec), error)
    return None


PERMISSIONS_HINT = "check its permissions (ls -l), or read it as a user who may"


def cannot_read(name: str, error: OSError) -> BadInput:
    """A file or stream that would not be read, in the system's own words, and what to do where that is known."""
    hint = {errno.EACCES: PERMISSIONS_HINT, errno.EPERM: PERMISSIONS_HINT,
            errno.ELOOP: "its links lead round in a loop: give the file itself"}.get(error.errno)
    return BadInput(f"{name}: cannot read: {(error.strerror or str(error)).lower()}", hint=hint)


def permission_denied(name: str) -> BadInput:
    """A file or folder that os.access says may not be read, refused before anything is opened."""
    return BadInput(f"{name}: cannot read: permission denied", hint=PERMISSIONS_HINT)


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
    if declared_reading and _plainly_arabic(declared_reading.text):
        return declared_reading  # detection (seconds on a big page) could only agree
    import charset_normalizer

    # Windows-1256 is the common legacy encoding of Arabic text; let detection
    # choose among the Arabic code pages first, then anything.
    best = charset_normalizer.from_bytes(raw, cp_isolation=["cp1256", "iso8859_6", "cp720", "cp864"]).best()
    detected = Decoded(str(best), codecs.lookup(best.encoding).name) if best is not None and best.encoding else None
    if declared_reading and _reads_as_arabic(declared_reading.text):
        # One Arabic code page read as another gives Arabic letters in the wrong words (Windows-1256's
        # bytes as cp864 or cp720: its لـ as ف, so no word has the article): a page declaring the wrong
        # one is read as the one whose words are Arabic's.
        if detected and _how_arabic(detected.text) > _how_arabic(declared_reading.text):
            return detected
        return declared_reading
    if detected and _reads_as_arabic(detected.text):
        return detected
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
    """A page without a doctype shows itself by its tags: paragraphs closed, or lines broken with <br>,
    or one paragraph the whole text, in its tags ("<p>...</p>"). Text that only names a few tags
    (`استخدموا الوسم <p> و <div>`) is text."""
    tags = [match.group(0).lower() for match in _HTML_TAGS.finditer(text)]
    closed = sum(1 for tag in tags if tag.startswith("</"))
    breaks = sum(1 for tag in tags if tag.startswith("<br"))
    return (len(tags) >= 3 and (closed >= 2 or breaks >= 3)) or is_one_element(text)


def is_arabic_article(text: str) -> bool:
    """Whether `text` is Arabic news, its links and e-mail addresses aside: half its letters Arabic or
    more; or a quarter, and its opening Arabic (ARGEn's "السودان اليوم" pages, an article and then
    English spam, 32-48% Arabic in all) or more of its letters Arabic than in another language's
    sentences (a tech item naming its products in English). Not an English article under an Arabic
    title and quotation."""
    prose = without_links(text)
    whole = arabic_share(prose)
    if whole >= MIN_ARABIC_SHARE:
        return True
    if whole < MIN_ARABIC_SHARE_OF_MIXED_NEWS:
        return False
    if arabic_share(prose[:OPENING_CHARS]) >= MIN_ARABIC_SHARE_OF_OPENING:
        return True
    # What brackets hold aside: an English text glossing its terms in Arabic ("the cabinet (مجلس الوزراء)
    # approved ...") has its sentences broken into short runs by the glosses, and read as Arabic news.
    unglossed = _BRACKETED.sub(" ", prose)
    arabic_letters = sum(1 for ch in unglossed if is_letter(ch) and is_arabic_letter(ch))  # as arabic_share counts
    return arabic_letters > _letters_in_other_sentences(unglossed)


def without_links(text: str) -> str:
    """Links and e-mail addresses are no language: a long one made an Arabic item "45% Arabic"."""
    return LINKS.sub(" ", text)


def _letters_in_other_sentences(text: str) -> int:
    """The letters of the runs of PROSE_WORDS words or more without an Arabic letter."""
    in_sentences = run_words = run_letters = 0
    for word in [*text.split(), "ب"]:  # an Arabic letter at the end closes the last run
        if any(map(is_arabic_letter, word)):
            in_sentences += run_letters if run_words >= PROSE_WORDS else 0
            run_words = run_letters = 0
        else:
            run_words += 1
            run_letters += sum(map(is_letter, word))
    return in_sentences


def _reads_as_arabic(text: str) -> bool:
    """Whether a decoding gave Arabic: nearly all letters beyond ASCII are Arabic ones. Only those
    count, since the bytes an encoding decides are the high ones, and a page's markup is ASCII;
    nearly all, since a wrong Arabic code page gives mostly Arabic letters and some é, ç, ô."""
    return arabic_share("".join(ch for ch in text if ch > "\x7f")) >= ARABIC_CODE_PAGE_SHARE


def _plainly_arabic(text: str) -> bool:
    """Whether a declared charset's reading is Arabic as no other code page's reading of the same bytes
    would be: nearly all its high characters Arabic, an eighth of its Arabic words or more with the
    article, and no shaped glyphs (cp864's reading of ISO-8859-6). Read off ARGEn's and EASC's 1,084
    articles (ad hoc): right readings have the article in 7-81% of their words (99% of them over
    16%); wrong ones (each in windows-1256 and ISO-8859-6, read as the other Arabic code pages) in 6%
    at most. Below the line, detection decides (_how_arabic). Judged on the text's opening: a code page
    reads every byte alike, and this is to cost less than the detection it spares (0.5 s on 2.3 MB)."""
    opening = text[:PLAINLY_ARABIC_CHARS]
    if not _reads_as_arabic(opening) or PRESENTATION_FORMS.search(opening):  # (ﷺ too: then detection decides)
        return False
    tokens = [token for token in words(normalise(opening)) if is_arabic_letter(token[0])]
    return len(tokens) >= PLAINLY_ARABIC_WORDS and definite_words(tokens) >= len(tokens) / 8


PLAINLY_ARABIC_WORDS = 20  # fewer, and a wrong reading's few words could pass by chance
PLAINLY_ARABIC_CHARS = 100_000


def _how_arabic(text: str) -> tuple[int, int]:
    """How well a reading reads as Arabic: first its words with Arabic's article (a right reading's
    tenth of them, a wrong code page's next to none), then its letters given as letters, not as the
    shaped glyphs cp864 decodes to (ISO-8859-6's letters as cp864's are the same letters, not its
    tanween and punctuation)."""
    return definite_words(words(normalise(text))), -len("".join(PRESENTATION_FORMS.findall(text)))


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


def _names_itself(forwarded_to: str, source: Source) -> bool:
    """Whether a saved page's refresh reloads the page itself: its own file's name ("self.html",
    "/news/self.html?x=1"), as a page saved from its site names itself."""
    from urllib.parse import urlsplit

    try:
        path = urlsplit(forwarded_to).path
    except ValueError:
        return False
    return source.kind == "file" and bool(path) and os.path.basename(path) == os.path.basename(source.location)


def _empty(source: Source) -> str:
    from mujaz.streams import stdin_closed

    return "is closed" if source.kind == "stdin" and stdin_closed() else "is empty"


def article_from_bytes(raw: bytes, source: Source, *, declared_charset: str | None = None) -> Article:
    name = source.name
    source.sha256 = hashlib.sha256(raw).hexdigest()
    if not raw.strip():
        raise BadInput(f"{name}: {_empty(source)}", hint="give an Arabic news article")
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
    listing = _LIST_OF_ARTICLES.match(text) if not html else None
    if listing:
        what = "a sitemap" if listing.group(3) in ("urlset", "sitemapindex") else "a news feed (RSS or Atom)"
        raise BadInput(f"{name}: {what}, not an article",
                       hint="give the link of one of its articles; `mujaz batch` reads many, one a line")
    if not html and _JSON_RECORD.match(text):  # a batch's input, or its output, given as an article
        raise BadInput(f"{name}: JSON records, not an article", hint="`mujaz batch FILE` reads JSONL records, one a line")
    # A page without a doctype still shows itself by its tags.
    if not html and _marked_up(text[:20000]):
        html = True
    source.encoding = encoding
    title = None
    if html:
        source.format = "html"
        forwarded_to = forwarding_address(text) if source.kind != "url" else None  # a URL's, fetch followed
        if forwarded_to and not _names_itself(forwarded_to, source):
            raise BadInput(f"{name}: the page only sends its reader on to {forwarded_to}",
                           hint="give that page's address, or save that page and give the file")
        text, title = extract_html(text, url=source.location if source.kind == "url" else None)
        if not text:
            raise BadInput(f"{name}: no article text found in the HTML page", hint=PAGE_HINT)
    text = normalise(text)
    title = normalise(title) if title else None
    if not text:
        raise BadInput(f"{name}: has no text", hint="give an Arabic news article")
    if not has_letters(text):
        raise BadInput(f"{name}: has no letters (only digits, marks or punctuation)", hint="give an Arabic news article")
    if not is_arabic_article(text):
        raise BadInput(
            f"{name}: not Arabic text (only {int(arabic_share(without_links(text)) * 100)}% of its letters are Arabic)",
            hint="mujaz reads Arabic news articles",
        )
    if looks_other_language(text):
        raise BadInput(f"{name}: not Arabic: Persian, Urdu or Kurdish by its letters and words",
                       hint="mujaz reads Arabic news articles")
    text = arabic_letter_forms(text)
    title = arabic_letter_forms(title) if title else None
    if html and len(words(text)) < MIN_PAGE_WORDS:
        raise BadInput(f"{name}: no article text found in the HTML page (only {in_words(len(words(text)))})",
                       hint=PAGE_HINT)
    source.chars = len(text)
    return Article(source=source, text=text, title=title)

