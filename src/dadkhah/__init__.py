"""dadkhah: documentation and accountability for mass atrocities."""

__version__ = "0.1.0"
