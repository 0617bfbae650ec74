"""OCPI 2.3.0 wire types and their mapping to the station domain."""
