"""Fetching an article's page over http(s): one deadline, a size cap, the environment's proxy,
a few redirects, and failures said in words (a password in an address never written out)."""

from __future__ import annotations

import re
from typing import NamedTuple

from mujaz import __version__
from mujaz.errors import BadInput, too_large, without_passwords_in
from mujaz.limits import MAX_BYTES

URL_TIMEOUT_S = 20.0  # for the whole download, not per read: a server dripping bytes is cut off too
MAX_REDIRECTS = 5
READ_CHUNK = 8192  # small reads bound what one gzip-compressed chunk can inflate to
# Content types a news page or article can come as; anything else is refused.
TEXT_TYPES = ("text/", "application/xhtml", "application/xml", "application/rss", "application/atom")
# "Type unknown": what http.server, nginx and S3 send for a name without a known extension (an
# article saved as "article", a page.php); what comes decides, as for a file or no Content-Type.
UNKNOWN_TYPES = ("application/octet-stream", "binary/octet-stream")


def is_url(spec: str) -> bool:
    return spec.lower().startswith(("http://", "https://"))


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


def fetch_url(url: str, max_bytes: int = MAX_BYTES, timeout: float = URL_TIMEOUT_S) -> tuple[bytes, str | None]:
    """GET a page: a few redirects at most, a size cap, the proxy the environment names, and one
    deadline for connecting, each redirect and the body. (Not for the headers: urllib3 times each
    read of them, so a server that sends them a byte at a time holds mujaz as long as it sends.)
    A page that only sends its reader on (a meta refresh, mujaz.core.page.forwarding_address) is
    followed as a redirect is, within the same count and deadline. Returns the body and the charset
    its Content-Type names, if any. Messages name the address with its password masked."""
    from mujaz.core.page import forwarding_address, mentions_a_refresh

    hops = _Hops(url, without_password(url))
    deadline = _Deadline(hops.name, timeout)
    address = url
    while True:
        http, response, address = _follow_redirects(address, hops, deadline)
        try:
            if 300 <= response.status < 400:  # a redirect that names no address: its body is no article
                raise BadInput(f"{hops.said}: the server answered HTTP {response.status} without the address it "
                               "redirects to", hint=SAVE_PAGE_HINT)
            if response.status >= 400:
                raise BadInput(f"{hops.said}: the server answered HTTP {response.status} {response.reason or ''}".rstrip(),
                               hint=_status_hint(response.status))
            content_type = response.headers.get("Content-Type", "")
            if content_type and not content_type.lower().startswith(TEXT_TYPES + UNKNOWN_TYPES):
                raise BadInput(f"{hops.said}: not an HTML page or text (Content-Type: {content_type.split(';')[0]})",
                               hint="give the address of the article's page")
            body = _read_body(response, hops.said, max_bytes, deadline)
        finally:
            response.release_conn()
            http.clear()  # a batch fetches many pages: close each one's connections
        match = re.search(r"charset=([\w.:-]+)", content_type, re.I)
        charset = match.group(1) if match else None
        forwarded_to = forwarding_address(_as_text(body, charset)) if mentions_a_refresh(body) else None
        if forwarded_to is None or _same_page(address, forwarded_to):
            return body, charset
        address = hops.take(address, forwarded_to)


def _as_text(body: bytes, charset: str | None) -> str:
    """A body as text enough to find its markup in (what mujaz.core.source decodes properly later)."""
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", errors="replace")


def _same_page(address: str, location: str) -> bool:
    """Whether a refresh reloads the page at `address` itself (whatever the fragment)."""
    from urllib.parse import urldefrag, urljoin

    try:
        return urldefrag(urljoin(address, location))[0] == urldefrag(address)[0]
    except ValueError:  # "http://[::1": no page; taken as one to go to, and refused there
        return False


class _Hops:
    """The redirects a download takes, HTTP's and a page's refresh alike: at most MAX_REDIRECTS,
    never out of http(s); and the name messages give it: the address as typed (`name`), and past a
    redirect the address it failed at ("a TLS error" of an http:// address, "refused" by a host that
    answered, were said of the first)."""

    def __init__(self, first: str, name: str) -> None:
        self.first, self.name, self.said = first, name, name
        self.taken = 0

    def take(self, address: str, location: str) -> str:
        """The address `location` leads to from `address`, counted; BadInput past the count or out of http(s)."""
        from urllib.parse import urljoin

        if self.taken == MAX_REDIRECTS:
            raise BadInput(f"{self.name}: cannot fetch: more than {MAX_REDIRECTS} redirects", hint=FETCH_HINT)
        self.taken += 1
        try:
            address = urljoin(address, location)
        except ValueError as error:  # a Location urlsplit cannot take apart ("http://[::1")
            raise BadInput(f"{self.name}: redirected to an address that cannot be fetched ({error})",
                           hint=FETCH_HINT) from error
        if not is_url(address):
            raise BadInput(f"{self.name}: redirected to {without_password(address)}, which is not an http(s) address",
                           hint=FETCH_HINT)
        self.said = f"{self.name} (redirected to {without_password(address)})"
        return address


class _Deadline:
    """The one deadline of a download: connecting, each redirect and the body share it."""

    def __init__(self, name: str, timeout: float) -> None:
        import time

        self._clock = time.monotonic
        self.name, self.timeout = name, timeout
        self.at = self._clock() + timeout

    def too_slow(self) -> BadInput:
        return BadInput(f"{self.name}: the download took longer than {self.timeout:g} s", hint=SAVE_PAGE_HINT)

    def time_left(self) -> float:
        """Seconds left; past the deadline, the error that says so."""
        left = self.at - self._clock()
        if left <= 0:
            raise self.too_slow()
        return left

    def nearly_past(self) -> bool:
        """Whether a read timed out because the deadline was (all but) reached, not the server."""
        return self.at - self._clock() < 0.5


def _follow_redirects(address: str, hops: _Hops, deadline: _Deadline):
    """The pool and the response of the address `address` leads to, following HTTP's redirects here
    (each within the time that is left; counted in `hops`), its body not yet read; and that address."""
    import urllib3

    while True:
        http, proxy = _pool_for(address, _credentials(address, hops.first))
        left = deadline.time_left()
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
            if proxy and (isinstance(error, urllib3.exceptions.ProxyError)
                          or proxy.socks and isinstance(error, urllib3.exceptions.NewConnectionError)
                          and not _site_name_not_found(error)):
                raise _proxy_failed(hops.said, proxy, error) from error
            if "Timeout" in type(error).__name__ and deadline.nearly_past():  # what ran out was the deadline
                raise deadline.too_slow() from error
            hint = CERTIFICATE_HINT if "CERTIFICATE_VERIFY_FAILED" in str(error) else FETCH_HINT
            raise BadInput(f"{hops.said}: cannot fetch: {without_passwords_in(_reason(error))}", hint=hint) from error
        location = response.get_redirect_location()
        if not location:
            return http, response, address
        response.release_conn()
        http.clear()
        try:
            # http.client reads headers as Latin-1: a Location a site sent in UTF-8 bytes ("/أخبار/سوريا",
            # as browsers and curl read it) was encoded twice, and the page it named answered 404.
            location = location.encode("latin-1").decode("utf-8")
        except UnicodeError:
            pass  # Latin-1 it is, or ASCII
        address = hops.take(address, location)


def _read_body(response, name: str, max_bytes: int, deadline: _Deadline) -> bytes:
    """The response's body, decompressed, refused past `max_bytes` or the deadline."""
    import urllib3

    chunks, size = [], 0
    try:
        while True:
            # read1 returns what has arrived (up to READ_CHUNK), so a server that
            # drips bytes still lets the deadline be checked; sizes count decoded bytes.
            chunk = response.read1(READ_CHUNK, decode_content=True)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > max_bytes:
                raise too_large(name, max_bytes)
            deadline.time_left()
            chunks.append(chunk)
    except urllib3.exceptions.HTTPError as error:
        raise BadInput(f"{name}: download failed: {without_passwords_in(_reason(error))}", hint=SAVE_PAGE_HINT) from error


def _credentials(address: str, first: str) -> dict[str, str]:
    """Basic authentication for the user:password@ an address holds, as curl and requests send it
    (urllib3 sends nothing); after a redirect, the first address's only to the same scheme, host
    and port (requests' rule too: a password is not handed to another site)."""
    from urllib.parse import urlsplit

    try:
        here = urlsplit(address)
        if here.username is None:
            there = urlsplit(first)
            if there.username is None or (here.scheme, here.hostname, here.port) != (there.scheme, there.hostname, there.port):
                return {}
            here = there
    except ValueError:  # "http://[::1", a port that is no number: _pool_for says what is wrong with it
        return {}
    return {"Authorization": _basic(here.username, here.password)}


def _basic(user: str, password: str | None) -> str:
    """Basic authentication's value for a URL's user and password as written there: their percent
    escapes are the bytes sent, as curl sends them (%D9%83 the UTF-8 of an Arabic letter, %E9 a
    Latin-1 é); letters written as such go in UTF-8 (RFC 7617's charset). urllib3 encodes them as
    Latin-1, and an Arabic password was a UnicodeEncodeError."""
    import base64
    from urllib.parse import unquote_to_bytes

    def raw(part: str) -> bytes:
        return unquote_to_bytes(part.encode("utf-8", "surrogateescape"))

    return "Basic " + base64.b64encode(raw(user) + b":" + raw(password or "")).decode("ascii")


def _pool_for(url: str, credentials: dict[str, str]):
    """A connection pool for a URL, and the proxy it goes through (None without one): the one
    http_proxy / https_proxy, or all_proxy, name for its scheme, unless no_proxy leaves its host out
    (as curl reads them); an http(s) or a SOCKS one. `credentials`: its Authorization header, if any (a
    request's own headers would replace the pool's, not add)."""
    from urllib.parse import urlsplit

    import urllib3

    from mujaz.proxies import SOCKS, SOCKS_PORT, environment_proxy, proxy_url

    headers = {"User-Agent": f"mujaz/{__version__} (+https://pypi.org/project/mujaz/)", "Accept-Encoding": "gzip, deflate",
               **credentials}
    try:
        parts = urlsplit(url)
    except ValueError as error:  # "http://[::1": urlsplit cannot take it apart
        raise BadInput(f"{without_password(url)}: not an address that can be fetched ({error})",
                       hint="check the address") from error
    try:
        parts.port  # noqa: B018 - urllib3 would say "Failed to parse: <the address>", the network blamed
    except ValueError as error:
        raise BadInput(f"{without_password(url)}: not an address that can be fetched (its port is not a number "
                       "from 0 to 65535)", hint="check the address") from error
    found = environment_proxy(parts.scheme, parts.hostname or "")
    if found is None:
        return urllib3.PoolManager(headers=headers), None
    address, variable = found
    try:
        proxy = proxy_url(address)
    except ValueError as error:  # said without the proxy's address, which may hold a password
        raise BadInput(f"{without_password(url)}: the {variable} set here is not an address ({error})",
                       hint=f"correct or unset {variable}") from error
    if proxy.scheme not in ("http", "https", *SOCKS):
        raise BadInput(f"{without_password(url)}: the {variable} set here is a proxy of the {proxy.scheme} scheme, and "
                       "mujaz speaks to http(s) and SOCKS proxies only",
                       hint=f"unset {variable}, or give an http or socks5 proxy")
    host = f"[{proxy.hostname}]" if ":" in proxy.hostname else proxy.hostname  # an IPv6 address in its brackets
    socks = proxy.scheme in SOCKS
    # the port a proxy's address leaves out, as urllib3 takes it (and curl): the scheme's, or SOCKS' 1080
    port = proxy.port or (SOCKS_PORT if socks else 443 if proxy.scheme == "https" else 80)
    try:
        if socks:
            from urllib.parse import unquote
            from urllib3.contrib.socks import SOCKSProxyManager

            manager = SOCKSProxyManager(f"{proxy.scheme}://{host}:{port}", headers=headers,
                                        username=unquote(proxy.username) if proxy.username else None,
                                        password=unquote(proxy.password or "") if proxy.username else None)
        else:
            # urllib3 sends no credentials a proxy's address holds (user:password@): they go as a header.
            credentials = _basic(proxy.username, proxy.password) if proxy.username else None
            manager = urllib3.ProxyManager(f"{proxy.scheme}://{host}:{port}", headers=headers,
                                           proxy_headers={"Proxy-Authorization": credentials} if credentials else None)
    except urllib3.exceptions.LocationParseError as error:  # a host urllib3 will not take: the source's failure, not the run's
        raise BadInput(f"{without_password(url)}: the {variable} set here is not an address",
                       hint=f"correct or unset {variable}") from error
    return manager, Proxy(host, port, variable, socks)


FETCH_HINT = "check the address and the network, or save the page and give the file"
SAVE_PAGE_HINT = "try again, or save the page and give the file"
# OpenSSL, under urllib3, reads SSL_CERT_FILE: a network whose proxy signs every site with its own CA needs it.
CERTIFICATE_HINT = "if your network signs sites with its own CA, set SSL_CERT_FILE to its certificates; or save the page"


def _status_hint(status: int) -> str:
    if status in (404, 410):
        return "check the address"
    if status in (401, 403, 429, 451):
        return "the site refuses this download; save the page from a browser and give the file"
    if status >= 500:
        return "the site failed; try again later"
    return SAVE_PAGE_HINT


class Proxy(NamedTuple):
    """The proxy a pool goes through, as messages name it: never its credentials."""
    host: str
    port: int
    variable: str  # the environment's variable that named it: http_proxy, HTTPS_PROXY, all_proxy ...
    socks: bool


def _proxy_failed(name: str, proxy: Proxy, error) -> BadInput:
    """The proxy, not the site, failed: a stale http_proxy would otherwise send the user to check
    the article's address."""
    # A SOCKS proxy's failure is PySocks' words after urllib3's ("Failed to establish a new connection:
    # 0x04: Host unreachable"); an http proxy's, the error under urllib3's ProxyError.
    cause = _reason(str(error).rpartition("new connection: ")[2] if proxy.socks else error.original_error or error)
    return BadInput(f"{name}: cannot fetch through the proxy {proxy.host}:{proxy.port} ({proxy.variable}): "
                    f"{without_passwords_in(cause)}",
                    hint=f"check the proxy, or unset {proxy.variable}; no_proxy names the hosts reached without it")


def _site_name_not_found(error) -> bool:
    """Whether a SOCKS connection failed on looking up the site's own name, here (socks5://, socks4://
    resolve it before asking the proxy): the site's address is wrong, not the proxy. PySocks wraps the
    lookup's error in its GeneralProxyError, which urllib3's contrib/socks raises NewConnectionError
    over inside its except clause (so it is the __context__); a proxy whose own name is not found gives
    the lookup's error bare, from PySocks' create_connection. Should either change, the proxy is blamed
    again, as before: a worse message, no failure."""
    import socket

    failed = error.__context__
    return type(failed).__name__ == "GeneralProxyError" and isinstance(getattr(failed, "socket_err", None), socket.gaierror)


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
