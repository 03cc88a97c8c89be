"""Widgets the screens are built from, one a module."""
