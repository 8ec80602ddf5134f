"""The web app and the JSON API: a thin interface over :class:`papersift.radar.Radar`.

Build it with :func:`papersift.web.app.create_app`; `papersift serve` runs it under uvicorn.
"""
