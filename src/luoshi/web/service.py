"""What the pages and the API ask of the database, with derived results cached per data version.

A document page loads every layer of a document; the target table judges every target of
the corpus. Both are cached until a document is ingested or replaced (``data_version``), so
concurrent readers mostly hit memory. Digests and comparisons read the stored layers: the
store keeps every layer, so nothing is analysed again here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable

from luoshi.link.verdicts import targets as judged_targets
from luoshi.model import Document
from luoshi.resources import Resources
from luoshi.store.db import Database, Page
from luoshi.store.scan import SentenceScanner

VERSION_TTL_SECONDS = 1.0  # how long a read of the data version is trusted


class _LRU:
    """Least-recently-used entries, bounded by a budget: a count, or the bytes of the values."""

    def __init__(self, budget: int, size: Callable[[Any], int]) -> None:
        self._entries: OrderedDict[tuple, Any] = OrderedDict()
        self._budget, self._size, self._used = budget, size, 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Any:
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def put(self, key: tuple, value: Any) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self._used += self._size(value)
            while self._used > self._budget and len(self._entries) > 1:
                _, old = self._entries.popitem(last=False)
                self._used -= self._size(old)


class Service:
    def __init__(self, db: Database, resources: Resources, cache_entries: int = 256,
                 page_cache_bytes: int = 64 * 1024 * 1024) -> None:
        self.db = db
        self.resources = resources
        self._cache = _LRU(cache_entries, lambda _: 1)
        self._pages = _LRU(page_cache_bytes, len)
        self._lock = threading.Lock()
        self._version: tuple = ()
        self._scan: tuple[tuple, SentenceScanner | None] | None = None
        self._version_read = 0.0

    def version(self) -> tuple:
        import time

        now = time.monotonic()
        if now - self._version_read > VERSION_TTL_SECONDS:
            self._version, self._version_read = self.db.data_version(), now
        return self._version

    def _cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        key = (self.version(),) + key
        value = self._cache.get(key)
        if value is None:
            value = compute()
            if value is not None:
                self._cache.put(key, value)
        return value

    def page(self, key: tuple, render: Callable[[], bytes]) -> bytes:
        """A rendered page, cached by bytes; the version is read once, before anything is fetched,
        so a page is never stored under a newer version than its data."""
        key = (self.version(),) + key
        body = self._pages.get(key)
        if body is None:
            body = render()
            self._pages.put(key, body)
        return body

    def targets(self, region: str | None = None, indicator: str | None = None, verdict: str | None = None,
                year_from: int | None = None, year_to: int | None = None) -> list[dict]:
        key = ("targets", region, indicator, verdict, year_from, year_to)
        return self._cached(key, lambda: judged_targets(self.db, self.resources.catalog, region, indicator, year_from,
                                                        year_to, with_verdict=verdict, links=True).records)

    def target_filters(self) -> dict[str, list]:
        rows = self.targets()
        return {"regions": sorted({r["region"] for r in rows if r["region"]}),
                "indicators": sorted({(r["indicator_id"], r["indicator"]) for r in rows})}

    def document(self, doc_id: str) -> Document | None:
        """The stored document with every layer (what digest and compare read too)."""
        return self._cached(("document", doc_id), lambda: self.db.load(doc_id))

    def overview(self) -> list[dict]:
        return self._cached(("overview",), self.db.overview)

    def documents(self, **filters) -> Page:
        key = ("documents",) + tuple(sorted(filters.items()))
        return self._cached(key, lambda: self.db.documents(**filters))

    def search(self, query: str, **filters) -> Page:
        key = ("search", query) + tuple(sorted(filters.items()))
        scanner = self._scanner()
        if scanner is not None and len(query) >= 3 and not scanner.handles_long_queries:
            scanner = None
        return self._cached(key, lambda: self.db.search(query, scanner=scanner, **filters))

    def warm(self) -> None:
        """Build what the first requests would otherwise wait for (the short-query scanner)."""
        self._scanner()

    def _scanner(self) -> SentenceScanner | None:
        """One per data version, kept apart from the LRU: a stream of new queries must not evict it."""
        version = self.version()
        with self._lock:
            if self._scan is not None and self._scan[0] == version:
                return self._scan[1]
        scanner = self.db.scanner()
        with self._lock:
            self._scan = (version, scanner)
        return scanner

    def series(self, indicator_id: str, region: str) -> list[dict]:
        """Target and outcome by year: the chart's and the API's points."""
        fields = ("year", "target_low", "target_high", "qualifier", "outcome_value", "verdict")
        return [{k: r[k] for k in fields} for r in self.targets(region=region, indicator=indicator_id)]

    def facts(self, **filters) -> Page:
        return self.db.facts(**filters)

    # ------------------------------------------------------------ monitoring (track)

    def track_version(self) -> tuple:
        """Changes when a monitoring load changes a row or a document is ingested (report targets)."""
        import time

        from luoshi.store import track as track_store

        now = time.monotonic()
        cached = getattr(self, "_track_version", None)
        if cached is not None and now - cached[1] <= VERSION_TTL_SECONDS:
            return cached[0]
        with self._lock:
            cached = getattr(self, "_track_version", None)
            if cached is None or now - cached[1] > VERSION_TTL_SECONDS:
                documents = self.version()  # its own connection, before this one is taken
                with self.db.engine.connect() as conn:
                    cached = ((documents, track_store.version(conn)), now)
                self._track_version = cached
        return cached[0]

    def track_regions(self) -> list[str]:
        return self._cached(("track-regions", self.track_version()), self._tracker().regions)

    def _tracker(self):
        from luoshi.track.service import TrackService

        return TrackService(self.db)

    def track_sheet(self, region: str | None, as_of: str | None):
        """(cache key, the region's sheet as of the date); a bad date is a 422, an unknown region a 404."""
        from luoshi.errors import BadParameterError, NotFoundError
        from luoshi.track.service import TrackError, parse_as_of

        try:
            day = parse_as_of(as_of)
        except TrackError as exc:
            raise BadParameterError(str(exc).replace("--as-of", "as_of")) from exc
        tracker = self._tracker()
        try:
            region = tracker.region_or_only(region, self.track_regions())
        except TrackError as exc:
            raise NotFoundError(str(exc).replace("give --region", "give region")) from exc
        key = ("track", self.track_version(), region, day.isoformat())

        def compute():
            try:
                return tracker.sheet(region, day)
            except TrackError as exc:
                raise NotFoundError(str(exc)) from exc
        return key, self._cached(key, compute)

    def track_page(self, key: tuple, render: Callable[[], bytes]) -> bytes:
        body = self._pages.get(key)
        if body is None:
            body = render()
            self._pages.put(key, body)
        return body
