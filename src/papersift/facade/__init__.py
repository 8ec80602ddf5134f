"""The parts of the facade :class:`papersift.radar.Radar`, one module per area.

Each is a mixin over :class:`FacadeBase`; ``Radar`` inherits them all. Import ``Radar`` from
:mod:`papersift.radar`, not these."""
