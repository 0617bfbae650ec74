"""EMSP backend: the driver API, OCPI EMSP role and Plug & Charge services."""

__version__ = "0.1.0"
