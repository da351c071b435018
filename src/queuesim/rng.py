"""Named random streams derived from one seed.

Stream ``name`` of replication ``r`` under seed ``s`` is a PCG64 generator seeded by
``SeedSequence(s, spawn_key=(r, crc32(name)))``. The key depends only on the name's bytes, so
adding a channel or a contact type changes no other stream, and replication ``r`` meets the same
customers at every variant and design point (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """Stable integer key of a stream name (never Python's per-process ``hash``)."""
    return zlib.crc32(name.encode("utf-8"))


def stream(seed: int, replication: int, name: str) -> np.random.Generator:
    """The generator of stream ``name`` (e.g. ``"arrivals/phone"``) in one replication."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication, stream_key(name)))
    return np.random.Generator(np.random.PCG64(sequence))
