"""Bringing data in: file readers and normalisers for `salesflow import`."""
