"""Every page a signed-in user reaches by following links, for the navigation test and the
page benchmark (``benchmarks/pages.py``).

:func:`crawl` starts at the home page with a logged-in Django test client, follows every
same-site ``<a href>`` (a few distinct addresses per URL pattern, so that 357 participant
pages count as one page), and records each link's status and who linked to it. Nothing is
posted: forms are not submitted, so crawling never changes data.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

from django.urls import Resolver404, resolve

#: Paths never followed: signing out ends the crawl; the admin and the API docs are
#: checked only at their front page; static files and downloads are not pages.
SKIPPED_PREFIXES = ("/logout/", "/static/", "/media/")
FRONT_PAGE_ONLY = ("/admin/", "/api/")
FRONT_PAGES = ("/admin/", "/api/docs")


class _Response(Protocol):
    status_code: int
    content: bytes
    redirect_chain: list[tuple[str, int]]

    def get(self, header: str, default: str | None = None) -> str | None: ...


class _Client(Protocol):
    def get(self, path: str, *, follow: bool = ...) -> _Response: ...


@dataclass(frozen=True)
class Link:
    """A link followed: where it led, its status, its URL pattern and the page linking it."""

    url: str
    status: int
    route: str
    linked_from: str


class _Hrefs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def hrefs(html: str) -> list[str]:
    """The ``href`` of every ``<a>`` in *html*, in order."""
    parser = _Hrefs()
    parser.feed(html)
    return parser.hrefs


def route_of(url: str) -> str:
    """The URL pattern *url* resolves to, with the names of its query parameters."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
        name = match.view_name or match.route
    except Resolver404:
        name = parts.path
    keys = sorted({q.split("=", 1)[0] for q in parts.query.split("&") if q})
    return name + (f"?{'&'.join(keys)}" if keys else "")


def crawl(client: _Client, start: str = "/", per_route: int = 2, limit: int = 2000) -> list[Link]:
    """Follow links from *start*; at most *per_route* addresses per URL pattern."""
    seen = {start}
    per: Counter[str] = Counter()
    queue: deque[tuple[str, str]] = deque([(start, "")])
    links: list[Link] = []
    while queue and len(links) < limit:
        url, parent = queue.popleft()
        response = client.get(url, follow=True)  # a redirect is fine where it leads is
        links.append(Link(url, response.status_code, route_of(url), parent))
        landed = response.redirect_chain[-1][0] if response.redirect_chain else url
        if response.status_code != 200 or not _is_html(response) or _front_only(landed):
            continue
        for target in _targets(landed, response.content.decode(errors="replace")):
            route = route_of(target)
            if target in seen or per[route] >= per_route:
                continue
            seen.add(target)
            per[route] += 1
            queue.append((target, url))
    return links


def _is_html(response: _Response) -> bool:
    return (response.get("Content-Type") or "").startswith("text/html")


def _front_only(url: str) -> bool:
    return url.startswith(FRONT_PAGE_ONLY)


def _targets(base: str, html: str) -> list[str]:
    found = []
    for href in hrefs(html):
        if href.startswith(("javascript:", "mailto:", "tel:")):
            continue
        absolute, _ = urldefrag(urljoin(base, href))
        parts = urlsplit(absolute)
        if parts.netloc or not parts.path.startswith("/"):
            continue  # another site
        if parts.path.startswith(SKIPPED_PREFIXES):
            continue
        if _front_only(parts.path) and parts.path not in FRONT_PAGES:
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found
