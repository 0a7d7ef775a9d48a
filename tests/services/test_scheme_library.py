"""The scheme library: the scheme folders read once by the composition root, again only
on ``reload``; the export choices read through a service."""

from __future__ import annotations

import pytest

from vfa.errors import NotFoundError
from vfa.services import schemes as scheme_files
from vfa.services.coding import ensure_coder
from vfa.services.export_selection import export_choices
from vfa.services.schemes import SchemeLibrary, get_scheme, register_scheme


def _scheme_text(scheme_id: str) -> str:
    text = (scheme_files.shipped_dir() / "vipp_sd.yaml").read_text(encoding="utf-8")
    assert "\nid: vipp_sd\n" in text
    return text.replace("\nid: vipp_sd\n", f"\nid: {scheme_id}\n")


@pytest.fixture
def folder(tmp_path, monkeypatch):
    path = tmp_path / "schemes"
    path.mkdir()
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(path))
    return path


def count_reads(monkeypatch) -> list[int]:
    """A counter of how often the scheme folders are listed from now on."""
    count = [0]
    listing = scheme_files._scheme_files

    def counted(problems):
        count[0] += 1
        return listing(problems)

    monkeypatch.setattr(scheme_files, "_scheme_files", counted)
    return count


@pytest.fixture
def reads(monkeypatch):
    return count_reads(monkeypatch)


def test_the_library_reads_the_folders_once_until_reloaded(folder, reads):
    library = SchemeLibrary()
    ids = [s.id for s in library()]
    assert ids == [s.id for s in scheme_files.available_schemes()]
    reads[0] = 0
    (folder / "home_visits.yaml").write_text(_scheme_text("home_visits"), encoding="utf-8")
    assert "home_visits" not in [s.id for s in library()]
    assert library.get("vipp_sd").id == "vipp_sd"
    assert reads[0] == 0  # looking up reads nothing
    library.reload()
    assert reads[0] == 1
    assert library.get("home_visits").source_file == str(folder / "home_visits.yaml")
    assert [s.id for s in library()] == sorted([*ids, "home_visits"])


def test_the_library_keeps_the_problems_of_the_files_it_skipped(folder):
    (folder / "broken.yaml").write_text("id: [\n", encoding="utf-8")
    library = SchemeLibrary()
    assert [p.file for p in library.problems] == [str(folder / "broken.yaml")]


def test_an_unknown_scheme_is_refused_naming_the_known_ones_as_get_scheme_does(folder):
    library = SchemeLibrary()
    with pytest.raises(NotFoundError) as from_library:
        library.get("nope")
    with pytest.raises(NotFoundError) as from_folders:
        get_scheme("nope")
    assert str(from_library.value) == str(from_folders.value)
    assert "'nope'" in str(from_library.value) and "vipp_sd" in str(from_library.value)


def test_the_export_choices_are_the_stored_coders_and_scheme_ids_sorted(workspace):
    assert export_choices(workspace) == ([], [])
    for name in ("Zoe", "Ann"):
        ensure_coder(workspace, name)
    for scheme_id in ("vipp_sd", "kips", "vipp_sd"):
        register_scheme(workspace, get_scheme(scheme_id))
    assert export_choices(workspace) == (["Ann", "Zoe"], ["kips", "vipp_sd"])


def test_current_scheme_asks_the_lookup_given_and_falls_back_to_the_workspace(
    folder, reads, workspace
):
    kips = get_scheme("kips")
    register_scheme(workspace, kips)
    library = SchemeLibrary()
    reads[0] = 0
    assert scheme_files.current_scheme(workspace, "kips", library.get) is library.get("kips")
    assert reads[0] == 0

    def nothing_installed(scheme_id: str):
        raise NotFoundError(f"scheme {scheme_id!r}: not found (known schemes: none)")

    stored = scheme_files.current_scheme(workspace, "kips", nothing_installed)
    assert (stored.id, stored.content_hash) == ("kips", kips.content_hash)
    with pytest.raises(NotFoundError, match="known schemes: none"):
        scheme_files.current_scheme(workspace, "vig", nothing_installed)
    assert reads[0] == 0
