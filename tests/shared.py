"""Where the workplace's shared, read-only data is (../shared: real tenders, the OCDS schema).

Looked for beside every parent of the checkout (the main checkout, a worktree one level deeper,
a clone anywhere under the workplace), then at MARKETPLACE_SHARED_DIR, then at /work/shared.
"""

from __future__ import annotations

import os
from pathlib import Path

_HERE = Path(__file__).resolve()


def shared_path(*parts: str) -> Path:
    """The first existing `shared/<parts>`; the last candidate if none exists (callers that
    need it then fail or skip, saying which path they looked for)."""
    candidates = [parent / "shared" for parent in _HERE.parents]
    if os.environ.get("MARKETPLACE_SHARED_DIR"):
        candidates.insert(0, Path(os.environ["MARKETPLACE_SHARED_DIR"]))
    candidates.append(Path("/work/shared"))
    for base in candidates:
        if base.joinpath(*parts).exists():
            return base.joinpath(*parts)
    return candidates[-1].joinpath(*parts)
