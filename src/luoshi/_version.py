"""The package version (one place; pyproject.toml carries the same number)."""

__version__ = "0.1.0"


def code_fingerprint() -> str:
    """A hash of the package's code and data files as they are on disk now: taken when the
    batch code is loaded (``batch.LOADED_CODE``), it tells a Dask worker that loaded another
    luoshi from the client."""
    import hashlib
    from pathlib import Path

    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".yaml", ".txt") and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
