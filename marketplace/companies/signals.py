"""Signals of the companies domain (search re-indexes profiles on `profile_updated`).

Sent inside the transaction that changes the profile: receivers should only queue work.
"""

from blinker import Namespace

_signals = Namespace()
profile_updated = _signals.signal("company-profile-updated")  # sender=profile
