"""Shipped test doubles: an OpenAI-compatible HTTP server for tests and `salesflow bench --ai`."""
