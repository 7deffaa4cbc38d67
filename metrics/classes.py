"""Map classes: at most seven stepped classes diverging at the speed target, and quota-share classes.

Class 0 is "insufficient data" (fewer than min_samples in the speed scope) and class -1 "no data" (none at all,
RULES §15): such communes are drawn apart and never coloured as if their figure were reliable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Breaks as multiples of the target: 4 classes below it, 3 at or above it (40 Mbps -> 10/20/30/40/60/100).
SPEED_BREAK_FACTORS = (0.25, 0.5, 0.75, 1.0, 1.5, 2.5)
QUOTA_BREAKS_PCT = (25.0, 50.0, 100.0)
INSUFFICIENT = 0
NO_DATA = -1


def speed_breaks(target: float) -> list[float]:
    return [round(target * f, 1) for f in SPEED_BREAK_FACTORS]


def speed_classes(
    mean: pd.Series, sufficient: pd.Series, target: float, samples: pd.Series | None = None
) -> np.ndarray:
    """1..7 by mean download against breaks around the target; 0 where data are insufficient, -1 where there are
    none (``samples``: the speed-scope count, 0 for no data)."""
    codes = 1 + np.searchsorted(speed_breaks(target), mean.to_numpy(dtype="float64"), side="right")
    return judged_classes(codes, sufficient, mean, samples)


def judged_classes(codes: np.ndarray, sufficient: pd.Series, value: pd.Series, samples: pd.Series | None) -> np.ndarray:
    """The classes where the figure can be judged; INSUFFICIENT or NO_DATA elsewhere."""
    out = np.where(sufficient.to_numpy(dtype=bool) & value.notna().to_numpy(), codes, INSUFFICIENT)
    if samples is not None:
        out = np.where(samples.fillna(0).to_numpy() == 0, NO_DATA, out)
    return out


def quota_classes(quota_pct: pd.Series) -> np.ndarray:
    """1: under 25%, 2: 25 to 50%, 3: 50 to 100%, 4: quota met."""
    return 1 + np.searchsorted(QUOTA_BREAKS_PCT, quota_pct.fillna(0).to_numpy(dtype="float64"), side="right")
