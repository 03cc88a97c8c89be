"""Claim and source files on disk: reading, the locked atomic writer, the load index, merges."""
