"""Only for `scrapyd-deploy`, which builds an egg with `setup.py bdist_egg`; pyproject.toml
holds the whole configuration (packages, package data, the `scrapy` settings entry point)."""

from setuptools import setup

setup()
