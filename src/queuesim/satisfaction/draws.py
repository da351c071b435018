"""Random draws of the satisfaction model indexed by journey id.

Scoring and surveys take their randomness per row from a generator in row order
(:func:`~queuesim.satisfaction.score_journeys`, :func:`~queuesim.satisfaction.sample_surveys`).
A simulation scores journeys in batches as they close, in another order than the final
table, and must give each journey the same scores either way: :class:`JourneyDraws` gives
journey ``j`` the draws stored at index ``j`` of arrays grown from one generator in
fixed-size blocks, always in the same order (block 0, then 1, ...; within a block the
(size, 2) standard normals of the scores, then the size uniforms of the surveys). A journey's
draws therefore depend only on its id and the generator's seed, never on when or in which
batch they were asked for.
"""

from __future__ import annotations

import numpy as np

BLOCK = 4096
"""Journeys per block of draws."""


class JourneyDraws:
    """The satisfaction model's draws for journeys 0, 1, 2, ... (ids ≥ 0) from one generator.

    ``scores(ids)`` gives the standard normals (ε, η) of each journey's latent score and
    likelihood to recommend, ``surveys(ids)`` the uniform deciding whether it answers a survey.
    """

    def __init__(self, rng: np.random.Generator, block: int = BLOCK) -> None:
        self.rng = rng
        self.block = block
        self._normals = np.empty((0, 2))
        self._uniforms = np.empty(0)

    def _grow(self, ids: np.ndarray) -> np.ndarray:
        ids = np.asarray(ids, dtype=np.int64)
        if len(ids) and ids.min() < 0:
            raise ValueError(f"ids: expected journey ids ≥ 0, got {int(ids.min())}")
        needed = int(ids.max()) + 1 if len(ids) else 0
        normals, uniforms = [self._normals], [self._uniforms]
        for _ in range(len(self._uniforms), needed, self.block):
            normals.append(self.rng.standard_normal((self.block, 2)))
            uniforms.append(self.rng.random(self.block))
        if len(uniforms) > 1:  # one copy, however many blocks were drawn
            self._normals, self._uniforms = np.concatenate(normals), np.concatenate(uniforms)
        return ids

    def scores(self, ids: np.ndarray) -> np.ndarray:
        """Shape (len(ids), 2): ε (latent score noise) and η (recommendation noise) per id."""
        ids = self._grow(ids)
        return self._normals[ids]

    def surveys(self, ids: np.ndarray) -> np.ndarray:
        """One uniform per id: the journey answers a survey when it is below its probability."""
        ids = self._grow(ids)
        return self._uniforms[ids]


__all__ = ["BLOCK", "JourneyDraws"]
