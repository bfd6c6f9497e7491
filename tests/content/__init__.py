"""Tests that pin the real curated content (``content/``): marked ``slow`` by tests/conftest.py."""
