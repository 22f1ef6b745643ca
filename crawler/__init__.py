"""The Scrapy project: settings, site definitions, the generic spider, the replay."""
