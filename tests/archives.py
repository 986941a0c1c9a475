"""Archives made up in tests, as the build scripts' sources (npm tarballs, sdists) are read."""

import io
import tarfile
from collections.abc import Iterable
from pathlib import Path


def write_tar_gz(path: Path, members: Iterable[tuple[str, str]]) -> Path:
    """A gzipped tar of these (name, text) members, in that order."""
    with tarfile.open(path, "w:gz") as archive:
        for name, text in members:
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path
