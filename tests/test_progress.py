"""Long inputs report progress: records handled and how much of the input was read."""

from __future__ import annotations

from pathlib import Path

from papersift.radar import Radar
from papersift.sources.base import Input

ENTRY = "Title: Paper number {n}\nPDF: https://arxiv.org/pdf/2501.{n:05d}\nSummary: {s}\n---\n"


def test_progress_reports_records_and_fraction_read(radar: Radar, tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("".join(ENTRY.format(n=n, s=f"Abstract {n}. " * 20) for n in range(1600)))
    calls: list[tuple[str, int, float | None]] = []
    (report,) = radar.ingest([Input.from_path(path)], progress=lambda *a: calls.append(a))
    assert report.new == 1600
    assert [records for _, records, _ in calls] == [500, 1000, 1500]
    fractions = [f for _, _, f in calls]
    assert all(f is not None and 0 < f <= 1 for f in fractions)
    assert fractions == sorted(fractions)
    assert {name for name, _, _ in calls} == {str(path)}
