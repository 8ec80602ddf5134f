"""Deliver: exports, feeds and digests."""
