"""One way for timeline media to come from the clip's cache or be built and cached
(``vfa.media.cache.cached_or_built``), used by the filmstrip and the waveform."""

from __future__ import annotations

import numpy as np
import pytest

from vfa.media import cache as cache_module
from vfa.media.cache import cached_or_built


class Builder:
    """Builds a value (counting the builds) and turns it into and out of arrays."""

    def __init__(self, value: list[int] | None) -> None:
        self.value, self.builds = value, 0

    def build(self) -> list[int] | None:
        self.builds += 1
        return self.value

    @staticmethod
    def arrays(value: list[int] | None) -> dict[str, np.ndarray]:
        return {"has": np.array(value is not None), "values": np.array(value or [], np.int64)}

    @staticmethod
    def load(data) -> list[int] | None:
        return [int(v) for v in data["values"]] if bool(data["has"]) else None

    def get(self, settings: list[int], fingerprint: str = "f1") -> list[int] | None:
        return cached_or_built(
            fingerprint, "things", np.array(settings, np.int64), self.load, self.build, self.arrays
        )


def test_built_once_then_read_from_the_cache():
    builder = Builder([3, 1, 2])
    assert builder.get([1]) == [3, 1, 2]
    builder.value = [9]  # a second build would say so
    assert builder.get([1]) == [3, 1, 2]
    assert builder.builds == 1


def test_other_settings_or_another_clip_are_built_again():
    builder = Builder([5])
    builder.get([1])
    builder.value = [6]
    assert builder.get([2]) == [6]
    assert builder.get([2], fingerprint="f2") == [6]
    assert builder.builds == 3


def test_nothing_is_a_value_the_cache_keeps():
    builder = Builder(None)
    assert builder.get([1]) is None
    assert builder.get([1]) is None
    assert builder.builds == 1


def test_without_a_cache_folder_it_is_built_every_time(monkeypatch):
    def no_folder(*_args: object) -> None:
        raise PermissionError("the cache folder cannot be made")

    monkeypatch.setattr(cache_module, "clip_cache_path", no_folder)
    builder = Builder([4])
    assert builder.get([1]) == [4]
    assert builder.get([1]) == [4]
    assert builder.builds == 2


def test_an_unreadable_cache_file_is_built_again():
    builder = Builder([7])
    builder.get([1])
    path = cache_module.clip_cache_path("f1", "things", "npz")
    path.write_bytes(b"not an npz file")
    assert builder.get([1]) == [7]
    assert builder.builds == 2
    assert builder.get([1]) == [7] and builder.builds == 2  # written again, whole


@pytest.mark.parametrize("fingerprint", ["../escape", "a/b"])
def test_a_fingerprint_that_is_no_file_name_is_refused_before_any_build(fingerprint):
    builder = Builder([1])
    with pytest.raises(ValueError, match=r"fingerprint .* is not a safe file name part"):
        builder.get([1], fingerprint=fingerprint)
    assert builder.builds == 0
