"""wheretowatch: where can I watch this film or series?

The package imports nothing heavy on purpose: a cached lookup must not pay for the
HTTP stack. `wheretowatch.service` is the entry point for use from Python.
"""

__version__ = "0.1.0"
