"""Imported first: pyHanko imports cryptography's DSA types, which warn on import; we sign
with EC P-256 only, so the warning says nothing about this code."""

import warnings

warnings.filterwarnings("ignore", message="DSA is deprecated")
