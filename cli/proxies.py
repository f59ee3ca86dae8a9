"""The proxy the environment names for a URL, read as curl reads it (http_proxy, https_proxy, then
all_proxy for either, their upper-case forms, no_proxy), with the variable that named it: a message
that says what to check or unset must name the one the user set."""

from __future__ import annotations

import os


def environment_proxy(scheme: str, host: str) -> tuple[str, str] | None:
    """(the proxy's address as given, the variable that set it) for a URL of `scheme` on `host`;
    None when none is set for the scheme or for all, or no_proxy leaves the host out."""
    import urllib.request

    scheme = scheme.lower()
    proxies = urllib.request.getproxies()
    # all_proxy (often a SOCKS proxy: ssh -D, Tor) serves the schemes that have none of their own;
    # huggingface_hub's client reads it so too.
    named = scheme if proxies.get(scheme) else "all"
    proxy = proxies.get(named)
    if not proxy or urllib.request.proxy_bypass(host) or _in_a_range(host):
        return None
    # urllib reads the lower-case name first, as curl does
    variable = next((name for name in (f"{named}_proxy", f"{named.upper()}_PROXY") if os.environ.get(name)),
                    f"{named}_proxy")
    return proxy, variable


def _in_a_range(host: str) -> bool:
    """Whether no_proxy names a range the host's address is in (10.0.0.0/8, fd00::/8), as curl and Go
    read it; urllib matches names and single addresses only."""
    import ipaddress

    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False  # a name: no range holds it before it is looked up, and curl does not look
    for entry in (os.environ.get("no_proxy") or os.environ.get("NO_PROXY") or "").split(","):
        try:
            if "/" in entry and address in ipaddress.ip_network(entry.strip(), strict=False):
                return True
        except ValueError:  # no range ("127.0.0.0/33"), or one of the other family
            continue
    return False


SOCKS = ("socks5h", "socks5", "socks4a", "socks4")  # h, a: the proxy looks up the site's name
SOCKS_PORT = 1080


def proxy_url(address: str):
    """A proxy's address taken apart (urlsplit), http:// when it names no scheme ("host:3128", as
    curl reads it); ValueError for one that is no address (a port that is no number)."""
    from urllib.parse import urlsplit

    proxy = urlsplit(address.strip() if "://" in address else f"http://{address.strip()}")
    proxy.port  # noqa: B018 - a port that is no number is found out here, not where it is used
    if not proxy.hostname or any(ch.isspace() or ch in "\"'<>" for ch in proxy.netloc):
        raise ValueError("no host name")  # "not a url", '"http://proxy:3128"' (quoted), "http://exa mple:3128"
    return proxy
