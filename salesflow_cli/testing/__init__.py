"""Test doubles shipped with the CLI (used by the pytest suite and by `salesflow bench --ai`)."""
