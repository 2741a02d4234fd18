"""salesflow: AI sales intelligence inside PostgreSQL, driven by a thin CLI."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("salesflow")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+source"
