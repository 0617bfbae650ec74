"""PKI benchmarks: ``python -m benchmarks.pki``."""
