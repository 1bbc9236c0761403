"""dadkhah: documentation and accountability for mass atrocities.

The library is a set of packages, each owning one part of the work (CONTRIBUTING.md draws
them): :mod:`dadkhah.store` (the case), :mod:`dadkhah.ingest` (lists in),
:mod:`dadkhah.names` (Persian and Latin text, dates, places), :mod:`dadkhah.register` (the
register of persons), :mod:`dadkhah.linkage` (splink), :mod:`dadkhah.estimate` (multiple
systems estimation), :mod:`dadkhah.casefile` (actors, events, allegations, evidence),
:mod:`dadkhah.users`, :mod:`dadkhah.portal`, :mod:`dadkhah.report`, :mod:`dadkhah.web` and
the command line :mod:`dadkhah.cli`.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
