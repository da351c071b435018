"""A result folder that loses nothing: one pair of Parquet files per finished design point.

Layout::

    OUT/manifest.json                 what the experiment is (scenario hash, seed, points, ...)
    OUT/points/00017.metrics.parquet  long KPIs of point 17, one row per replication × KPI
    OUT/points/00017.runs.parquet     one row per replication of point 17 (written last)

Each file is written to a temporary name and renamed into place, so a crash or Ctrl-C leaves
only whole files; a point counts as finished when its ``runs`` file exists. Opening a folder
that holds a manifest checks it describes the same experiment and then resumes it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

MANIFEST = "manifest.json"
POINTS = "points"


class StoreMismatchError(ValueError):
    """The folder holds the results of another experiment."""


def _write_atomically(path: Path, write: Any) -> None:
    temporary = path.with_name(path.name + ".tmp")
    write(temporary)
    os.replace(temporary, path)


class ResultStore:
    """The folder of one experiment; resumable and safe to interrupt."""

    def __init__(self, directory: Path, manifest: Mapping[str, Any]) -> None:
        """Open ``directory`` for the experiment ``manifest`` (JSON-ready), creating it if new.

        Raises :class:`StoreMismatchError` if the folder holds another experiment.
        """
        self.directory = Path(directory)
        self.points = self.directory / POINTS
        path = self.directory / MANIFEST
        wanted = json.loads(json.dumps(manifest, sort_keys=True, default=str))
        if path.exists():
            found = json.loads(path.read_text(encoding="utf-8"))
            different = sorted(
                key for key in set(found) | set(wanted) if found.get(key) != wanted.get(key)
            )
            if different:
                raise StoreMismatchError(
                    f"{self.directory}: expected a new folder or one holding this experiment, "
                    f"got the results of another (different {', '.join(different)}); choose "
                    f"another --out or delete the folder"
                )
        else:
            self.points.mkdir(parents=True, exist_ok=True)
            _write_atomically(
                path,
                lambda p: p.write_text(json.dumps(wanted, indent=2, sort_keys=True), "utf-8"),
            )
        self.points.mkdir(parents=True, exist_ok=True)
        for leftover in self.points.glob("*.tmp"):
            leftover.unlink()

    def _path(self, point: int, table: str) -> Path:
        return self.points / f"{point:05d}.{table}.parquet"

    def finished(self) -> set[int]:
        """The points whose every replication finished (failed points are run again)."""
        done = set()
        for path in self.points.glob("*.runs.parquet"):
            runs = pd.read_parquet(path, columns=["status"])
            if (runs["status"] == "ok").all():
                done.add(int(path.name.split(".", 1)[0]))
        return done

    def write(self, point: int, runs: pd.DataFrame, metrics: pd.DataFrame) -> None:
        """Store one finished point: its KPIs first, then its runs (the completion mark)."""
        _write_atomically(
            self._path(point, "metrics"), lambda p: metrics.to_parquet(p, index=False)
        )
        _write_atomically(self._path(point, "runs"), lambda p: runs.to_parquet(p, index=False))

    def _read(self, table: str) -> pd.DataFrame:
        paths = sorted(self.points.glob(f"*.{table}.parquet"))
        frames = [pd.read_parquet(path) for path in paths]
        frames = [frame for frame in frames if not frame.empty]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()

    def runs(self) -> pd.DataFrame:
        """All stored runs rows, by point and replication."""
        return self._read("runs")

    def metrics(self) -> pd.DataFrame:
        """All stored long KPI rows, by point and replication."""
        return self._read("metrics")


__all__ = ["MANIFEST", "ResultStore", "StoreMismatchError"]
