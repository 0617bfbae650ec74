"""The driver's account: profile, vehicles, favourites, data export and erasure."""
