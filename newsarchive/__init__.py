"""The `newsarchive` application: the command line over the crawler, the archive and the
normalization pipelines. Nothing below imports it."""
