"""assetreg: a registry of a cooperative federation's collective assets."""

__version__ = "0.1.0"
