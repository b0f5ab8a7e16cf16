"""lawreport_site: raw 法治政府建设 reports in, a static searchable archive out."""

__version__ = "0.1.0"
