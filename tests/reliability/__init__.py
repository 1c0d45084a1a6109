"""Reliability: crashes, concurrency, hostile input, paths."""
