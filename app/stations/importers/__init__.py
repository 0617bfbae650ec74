"""Station importers: OCPI JSON, Open Charge Map, Bundesnetzagentur, and their merge.

``load_berlin_seed`` builds the demo data set from the two Berlin files packaged in
``app/stations/seed_data`` (read through ``importlib.resources``, so it also works from an
installed wheel).
"""

from __future__ import annotations

from importlib import resources

import msgspec

from app.stations import domain
from app.stations.importers.bnetza import import_bnetza
from app.stations.importers.dedupe import MergeResult, merge_locations
from app.stations.importers.openchargemap import import_openchargemap
from app.stations.importers.report import ImportReport, ImportResult, SkippedRecord

__all__ = [
    "ImportReport",
    "ImportResult",
    "MergeResult",
    "SeedResult",
    "SkippedRecord",
    "load_berlin_seed",
    "load_berlin_seed_with_reports",
]

_SEED_PACKAGE = "app.stations.seed_data"


class SeedResult(msgspec.Struct, kw_only=True):
    locations: list[domain.Location]
    merged_ids: dict[str, list[str]]
    reports: list[ImportReport]


def load_berlin_seed_with_reports(*, include_non_open: bool = False) -> SeedResult:
    """Import both Berlin sources, merge duplicates, and return the reports as well."""
    seed = resources.files(_SEED_PACKAGE)
    ocm = import_openchargemap(
        seed.joinpath("berlin-openchargemap.json").read_bytes(),
        include_non_open=include_non_open,
    )
    bna = import_bnetza(seed.joinpath("berlin-bnetza.csv").read_bytes())
    merged = merge_locations(ocm.locations, bna.locations)
    return SeedResult(
        locations=merged.locations,
        merged_ids=merged.merged_ids,
        reports=[ocm.report, bna.report],
    )


def load_berlin_seed() -> list[domain.Location]:
    """The merged Berlin demo stations (open-licensed records only), sorted by id."""
    return load_berlin_seed_with_reports().locations
