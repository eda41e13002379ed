"""The ``graphsvc`` command line (CONTRACT §1); ``main`` is the console script's entry point."""

from graphsvc.cli.app import app, main

__all__ = ["app", "main"]
