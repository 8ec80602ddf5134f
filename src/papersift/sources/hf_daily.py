"""(being written)"""

from papersift.sources.base import Format

FORMATS: tuple[Format, ...] = ()
