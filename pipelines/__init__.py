"""Normalization: pure functions (no Scrapy import) plus thin Scrapy pipeline classes."""
