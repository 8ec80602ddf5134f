"""papersift: a self-hostable research paper radar."""

__version__ = "0.1.0"
