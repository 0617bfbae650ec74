"""Charging tokens: the app token of every driver and the RFID cards they order."""
