"""The base of every schema object: immutable and strict about unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FrozenModel(BaseModel):
    """A validated, immutable piece of a scenario; unknown keys are errors."""

    model_config = ConfigDict(frozen=True, extra="forbid")
