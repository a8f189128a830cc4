"""Helpers shared by tests of several apps (a test module never imports another test module)."""
