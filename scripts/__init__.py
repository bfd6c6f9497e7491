"""Maintenance scripts run from the checkout (``python scripts/NAME.py``), importable by tests."""
