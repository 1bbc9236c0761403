"""Multiple systems estimation (capture–recapture) of the total number of victims."""

from dadkhah.estimate._histories import CaptureHistories
from dadkhah.estimate._results import DocumentedCount, Estimate, Interval, Summary
from dadkhah.estimate.chapman import chapman, lincoln_petersen

__all__ = [
    "CaptureHistories",
    "DocumentedCount",
    "Estimate",
    "Interval",
    "Summary",
    "chapman",
    "lincoln_petersen",
]
