"""The inline SQLite search index: a read-only ``sqlite3`` connection on the event loop.

SQLite is a library inside this process: a bounded index lookup costs tens of
microseconds, less than one hand-off to aiosqlite's thread, so running it inline is
both faster and simpler. Statements are bounded (small boxes, ``LIMIT``), which keeps
the loop responsive. The structures it reads are built by migration 0002.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from sqlalchemy.engine import make_url

from app.stations.geo import EARTH_RADIUS_M, Box
from app.stations.search_index import (
    Candidate,
    CoarseFilters,
    SpatialMode,
    box_predicate,
    search_parameters,
)


class SqliteFileSearchIndex:
    """Read-only inline access to the SQLite file (see the module docstring).

    Filters are applied lazily, nearest first: the R*Tree alone yields the next chunk
    of candidates in distance order, one lookup in ``locations_search`` keeps those that
    pass, and only the page is joined for summaries. A selective filter therefore costs
    a few extra chunks, not a join for every station in the disc.
    """

    mode = SpatialMode.SQLITE_RTREE
    initial_radius_m = 600.0

    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, check_same_thread=False, cached_statements=512
        )
        self._connection.execute("PRAGMA query_only = ON")
        self._connection.execute("PRAGMA cache_size = -65536")
        self._connection.execute("PRAGMA mmap_size = 268435456")

    @classmethod
    def for_url(cls, database_url: str) -> SqliteFileSearchIndex | None:
        """An inline index for a SQLite file URL, or None (memory databases, no math)."""
        url = make_url(database_url)
        if url.get_backend_name() != "sqlite" or not url.database:
            return None
        if url.database == ":memory:" or url.database.startswith("file:"):
            return None
        path = Path(url.database)
        if not path.exists():
            return None
        try:
            index = cls(path)
            # The distance needs SQLite's math functions (3.35+, compiled in by default
            # in CPython's builds) and json_each; without them the session path serves.
            index._connection.execute(
                "SELECT asin(sqrt(power(sin(radians(1)), 2))), "
                "(SELECT count(*) FROM json_each('[1]'))"
            )
        except sqlite3.Error:
            return None
        return index

    def close(self) -> None:
        self._connection.close()

    async def nearest(
        self,
        *,
        boxes: Sequence[Box],
        lat: float,
        lon: float,
        radius_m: float,
        filters: CoarseFilters,
        after: tuple[float, int] | None,
        limit: int,
    ) -> list[Candidate]:
        params = search_parameters(
            boxes=boxes,
            lat=lat,
            lon=lon,
            radius_m=radius_m,
            filters=filters,
            after=None,
            limit=0,
        )
        filter_sql = _sqlite_filter_sql(filters)
        filter_params = {k: v for k, v in params.items() if k not in _GEOMETRY_PARAMS}
        chunk = max(limit * 3, 64)
        params["limit"] = chunk
        found: list[tuple[int, float]] = []
        position = after
        while len(found) < limit:
            if position is not None:
                params["after_key"], params["after_pk"] = position
            rows = self._connection.execute(
                _sqlite_candidates_sql(len(boxes), after=position is not None), params
            ).fetchall()
            if not rows:
                break
            if filter_sql is None:
                passing = rows
            else:
                keep = {
                    pk
                    for (pk,) in self._connection.execute(
                        filter_sql, {**filter_params, "pks": json.dumps([r[0] for r in rows])}
                    )
                }
                passing = [r for r in rows if r[0] in keep]
            found.extend(passing[: limit - len(found)])
            if len(rows) < chunk:
                break
            position = (rows[-1][1], rows[-1][0])
        if not found:
            return []
        summaries = dict(
            self._connection.execute(
                "SELECT pk, summary FROM locations WHERE pk IN (SELECT value FROM json_each(:pks))",
                {"pks": json.dumps([pk for pk, _ in found])},
            ).fetchall()
        )
        return [
            Candidate(pk=pk, distance_m=dist, sort_key=dist, summary=summaries[pk])
            for pk, dist in found
        ]


_GEOMETRY_PARAMS = frozenset(
    {"lat", "lon", "x", "y", "z", "chord2", "limit", "radius", "after_key", "after_pk"}
)


@lru_cache(maxsize=64)
def _sqlite_candidates_sql(box_count: int, *, after: bool) -> str:
    """Live stations of the boxes, nearest first, from the R*Tree alone (migration 0002)."""
    lat, lon = "(r.min_lat + r.max_lat) / 2", "(r.min_lon + r.max_lon) / 2"
    distance = (
        f"2 * {EARTH_RADIUS_M} * asin(min(1.0, sqrt("
        f"power(sin(radians({lat} - :lat) / 2), 2) + "
        f"cos(radians(:lat)) * cos(radians({lat})) * "
        f"power(sin(radians({lon} - :lon) / 2), 2))))"
    )
    candidates = " UNION ALL ".join(
        f"SELECT r.id AS pk, {distance} AS dist FROM locations_rtree r "  # noqa: S608
        f"WHERE {box_predicate(SpatialMode.SQLITE_RTREE, i)}"
        for i in range(box_count)
    )
    window = ["d.dist <= :radius"]
    if after:
        window.append("(d.dist > :after_key OR (d.dist = :after_key AND d.pk > :after_pk))")
    return (
        f"SELECT d.pk, d.dist FROM ({candidates}) d "  # noqa: S608
        f"WHERE {' AND '.join(window)} ORDER BY d.dist, d.pk LIMIT :limit"
    )


def _sqlite_filter_sql(filters: CoarseFilters) -> str | None:
    conditions = []
    if filters.min_power_w > 0:
        conditions.append("f.max_power_w >= :min_power_w")
    if filters.available_now:
        conditions.append("f.available_evse_count > 0")
    if filters.standards_mask:
        conditions.append("(f.standards_mask & :standards_mask) != 0")
    if filters.operator_keys:
        keys = ", ".join(f":op{i}" for i in range(len(filters.operator_keys)))
        conditions.append(f"f.operator_key IN ({keys})")
    if filters.plug_and_charge:
        conditions.append("f.plug_and_charge = :true")
    if filters.ad_hoc_payment:
        conditions.append("f.ad_hoc_payment = :true")
    if not conditions:
        return None
    return (
        "SELECT f.pk FROM locations_search f "  # noqa: S608 - fixed fragments
        f"WHERE f.pk IN (SELECT value FROM json_each(:pks)) AND {' AND '.join(conditions)}"
    )
