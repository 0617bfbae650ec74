"""OCPI 2.2.1 wire types and their mapping to the station domain."""
