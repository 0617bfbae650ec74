"""OCPI protocol packages, one per version with identical module names.

``v2_2_1`` and ``v2_3_0`` each hold ``types`` (shared OCPI classes and enums),
``locations`` (Location, EVSE, Connector wire objects) and ``mapping`` (the only place
where wire objects meet the canonical model in ``app.stations.domain``).
"""

SUPPORTED_VERSIONS = ("2.2.1", "2.3.0")
