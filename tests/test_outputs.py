"""Every file VFA writes, as a user meets it on the command line: a link, a pipe, a device
or a folder at the path is refused and left as it was, an existing file is replaced only
with --force, an impossible place gives `vfa: PATH: reason` and exit 2 with nothing left
behind, and what is written has ordinary permissions and the format its name says."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.requirements import as_user, hand_over, user_folder
from tests.test_cli_reel import add_clip, add_moment, run
from vfa.cli import main

Writer = Callable[[Path], list[str]]


@pytest.fixture
def feedback(capsys, clips, tmp_path):
    """A workspace with one clip, a reel of one moment and consent for feedback and notes."""
    return make_feedback(capsys, clips, tmp_path)


def make_feedback(capsys, clips, folder: Path) -> tuple[Path, Path, int]:
    """The ``feedback`` workspace, its clip and its session id, made in ``folder``."""
    ws = folder / "ws.vfa"
    clip = folder / "clip.mp4"
    shutil.copy(clips["cfr25"], clip)
    clip_id, session_id = add_clip(capsys, ws, clip)
    add_moment(capsys, ws, clip_id, 1_000, 2_000, "--feedback", "--caption", "You waited")
    code, _, err = run(
        capsys, "consent", "set", "--clip", str(clip_id), "--purposes", "feedback,notes",
        "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err
    return ws, clip, session_id


def writers(ws: Path, clip: Path, session_id: int) -> dict[str, tuple[str, Writer]]:
    """Each file writer of the CLI: (the suffix it writes, argv for an output path)."""
    w = ["--workspace", str(ws)]
    return {
        "still": (".png", lambda o: ["still", str(clip), "--frame", "3", "--purpose", "notes",
                                     "-o", str(o), *w]),
        "reel script": (".pdf", lambda o: ["reel", "script", "--session", str(session_id),
                                           "-o", str(o), *w]),
        "reliability-report": (".csv", lambda o: ["reliability-report", "--scheme", "kips",
                                                  "-o", str(o), *w]),
        "progress": (".svg", lambda o: ["progress", "--case", "FAM-9", "--scheme", "kips",
                                        "-o", str(o), *w]),
    }  # fmt: skip


WRITERS = ["still", "reel script", "reliability-report", "progress"]


def reel_export(ws: Path, session_id: int) -> Writer:
    """argv of `vfa reel export` into a folder (it writes a folder of files)."""
    return lambda o: ["reel", "export", "--session", str(session_id), "--purpose", "feedback",
                      "-o", str(o), "--workspace", str(ws)]  # fmt: skip


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def make(kind: str, path: Path, victim: Path) -> Callable[[], object]:
    """Put a ``kind`` at ``path``; returns how to read back what it is."""
    if kind == "symlink":
        path.symlink_to(victim)
        return lambda: (os.readlink(path), victim.read_text())
    if kind == "fifo":
        os.mkfifo(path)
        return lambda: stat.S_ISFIFO(os.lstat(path).st_mode)
    if kind == "device":
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a /dev/null of our own
        return lambda: (stat.S_ISCHR(os.lstat(path).st_mode), os.lstat(path).st_rdev)
    path.mkdir()
    (path / "inside.txt").write_text("kept")
    return lambda: (path / "inside.txt").read_text()


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("kind", ["symlink", "fifo", "device", "folder"])
@pytest.mark.parametrize("force", [False, True])
def test_what_is_not_a_plain_file_is_never_written_over(
    capsys, feedback, tmp_path, writer, kind, force
):
    suffix, argv = writers(*feedback)[writer]
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("the family's notes")
    target = out_dir / f"target{suffix}"
    if kind == "device" and os.geteuid() != 0:
        target = Path("/dev/null")  # only root makes device nodes: the system's one, then
        state = _null_device()
    else:
        state = make(kind, target, victim)
    before = state()
    code, _, err = run(capsys, *argv(target), *(["--force"] if force else []))
    assert code == 2
    assert err.startswith(f"vfa: {target}: is a ") and "Traceback" not in err
    assert state() == before  # the link, the pipe, the device and the folder are as they were
    assert victim.read_text() == "the family's notes"
    assert leftovers(out_dir) == []


@pytest.mark.parametrize("writer", ["still", "reel script"])
def test_an_existing_file_is_replaced_only_with_force(capsys, feedback, tmp_path, writer):
    suffix, argv = writers(*feedback)[writer]
    target = tmp_path / f"earlier{suffix}"
    target.write_bytes(b"an earlier file")
    code, _, err = run(capsys, *argv(target))
    assert code == 2 and f"vfa: {target}: a file of that name already exists" in err
    assert "--force" in err
    assert target.read_bytes() == b"an earlier file"
    code, _, err = run(capsys, *argv(target), "--force")
    assert code == 0, err
    assert target.read_bytes()[:4] == (b"\x89PNG" if suffix == ".png" else b"%PDF")
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("place", ["missing folder", "a file as folder", "proc", "no name"])
def test_impossible_places_exit_2_naming_the_path(capsys, feedback, tmp_path, writer, place):
    suffix, argv = writers(*feedback)[writer]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    target = {
        "missing folder": tmp_path / "nowhere" / f"x{suffix}",
        "a file as folder": blocker / f"x{suffix}",
        "proc": Path("/proc") / f"vfa-test{suffix}",
        "no name": tmp_path / f"nowhere{suffix}" / "",
    }[place]
    given = str(target) + ("/" if place == "no name" else "")
    code, _, err = run(capsys, *argv(given))  # type: ignore[arg-type]
    assert code == 2
    assert err.startswith("vfa: ") and "Traceback" not in err
    assert str(target) in err
    assert not target.exists()
    assert leftovers(tmp_path) == []


def _null_device() -> Callable[[], object]:
    """How to read back what /dev/null is."""
    return lambda: (stat.S_ISCHR(os.lstat("/dev/null").st_mode), os.lstat("/dev/null").st_rdev)


def _main_captured(argv: list[str]) -> tuple[int, str]:
    """``vfa ARGV`` with its stderr, captured here (also in a forked child)."""
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(argv)
    return code, err.getvalue()


@pytest.mark.parametrize("writer", ["still", "reel export"])
def test_a_folder_without_write_permission_is_named(capsys, clips, writer):
    """Run as an ordinary user (as 'nobody' when the suite runs as root, who may write
    into any folder)."""
    with user_folder() as home:
        ws, clip, session_id = make_feedback(capsys, clips, home)
        if writer == "still":
            suffix, argv = writers(ws, clip, session_id)["still"]
            name = f"x{suffix}"
        else:
            name = "reel"
            argv = reel_export(ws, session_id)
        # the same command into a folder that may be written works (and imports what it needs)
        assert _main_captured(argv(home / name)) == (0, "")
        locked = home / "locked"
        locked.mkdir()
        hand_over(home)
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        target = locked / name
        code, err = as_user(home, lambda: _main_captured(argv(target)))
        assert code == 2, err
        assert err.startswith(f"vfa: {target}: ") and "Traceback" not in err
        assert f"cannot write into the folder {locked} (Permission denied)" in err
        assert list(locked.iterdir()) == []


@pytest.fixture
def umask_027():
    old = os.umask(0o027)
    yield 0o640, 0o750
    os.umask(old)


def test_a_still_and_a_script_have_ordinary_permissions(capsys, feedback, tmp_path, umask_027):
    file_mode, _ = umask_027
    for writer in ("still", "reel script"):
        suffix, argv = writers(*feedback)[writer]
        target = tmp_path / f"perm{suffix}"
        assert run(capsys, *argv(target))[0] == 0
        assert stat.S_IMODE(target.stat().st_mode) == file_mode, writer


def test_every_file_of_a_reel_export_has_the_same_ordinary_permissions(
    capsys, feedback, tmp_path, umask_027
):
    ws, _clip, session_id = feedback
    file_mode, folder_mode = umask_027
    out = tmp_path / "reel"
    code, _, err = run(
        capsys, "reel", "export", "--session", str(session_id), "--purpose", "feedback",
        "-o", str(out), "--workspace", str(ws),
    )  # fmt: skip
    assert code == 0, err
    assert stat.S_IMODE(out.stat().st_mode) == folder_mode
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir()}
    assert set(modes) == {"01.mp4", "01.png", "reel.srt", "handout.pdf"}
    assert set(modes.values()) == {file_mode}


def test_a_jpg_still_holds_jpeg_and_other_names_are_refused(capsys, feedback, tmp_path):
    _suffix, argv = writers(*feedback)["still"]
    for name in ("a.jpg", "b.JPEG"):
        assert run(capsys, *argv(tmp_path / name))[0] == 0
        with Image.open(tmp_path / name) as image:
            assert image.format == "JPEG"
    png = tmp_path / "c.png"
    assert run(capsys, *argv(png))[0] == 0
    with Image.open(png) as image:
        assert image.format == "PNG"
    for name in ("d.gif", "e"):
        code, _, err = run(capsys, *argv(tmp_path / name))
        assert code == 2 and f"vfa: {tmp_path / name}: the file name must end in .png" in err
        assert not (tmp_path / name).exists()


def test_a_link_planted_where_the_still_used_to_be_staged_changes_nothing(
    capsys, feedback, tmp_path
):
    _suffix, argv = writers(*feedback)["still"]
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / ".x.png.part.png").symlink_to(victim)  # the old, predictable name
    assert run(capsys, *argv(tmp_path / "x.png"))[0] == 0
    assert victim.read_text() == "keep me"
    with Image.open(tmp_path / "x.png") as image:
        assert image.format == "PNG"


# -- a reel's folder -------------------------------------------------------------------


def export(capsys, feedback, out: Path, *extra: str) -> tuple[int, str]:
    ws, _clip, session_id = feedback
    code, _, err = run(
        capsys, "reel", "export", "--session", str(session_id), "--purpose", "feedback",
        "-o", str(out), "--workspace", str(ws), *extra,
    )  # fmt: skip
    return code, err


def test_a_reel_is_not_exported_through_a_linked_folder(capsys, feedback, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    for extra in ((), ("--force",)):
        code, err = export(capsys, feedback, link, *extra)
        assert code == 2 and f"vfa: {link}: is a symbolic link" in err
    assert list(real.iterdir()) == [] and leftovers(tmp_path) == []


def test_files_already_in_the_folder_are_replaced_only_with_force(capsys, feedback, tmp_path):
    out = tmp_path / "visit"
    out.mkdir()
    (out / "01.png").write_bytes(b"last week's still")
    (out / "notes.txt").write_text("mine")
    code, err = export(capsys, feedback, out)
    assert code == 2 and "already holds 01.png" in err and "--force" in err
    assert (out / "01.png").read_bytes() == b"last week's still"
    assert sorted(p.name for p in out.iterdir()) == ["01.png", "notes.txt"]
    code, err = export(capsys, feedback, out, "--force")
    assert code == 0, err
    assert (out / "01.png").read_bytes()[:4] == b"\x89PNG"
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in out.iterdir()) == [
        "01.mp4", "01.png", "handout.pdf", "notes.txt", "reel.srt",
    ]  # fmt: skip


def test_a_pipe_in_the_folder_is_refused_even_with_force(capsys, feedback, tmp_path):
    out = tmp_path / "visit"
    out.mkdir()
    os.mkfifo(out / "reel.srt")
    code, err = export(capsys, feedback, out, "--force")
    assert code == 2 and f"vfa: {out / 'reel.srt'}: is a pipe" in err
    assert stat.S_ISFIFO(os.lstat(out / "reel.srt").st_mode)
    assert [p.name for p in out.iterdir()] == ["reel.srt"]


def test_force_comes_before_or_after_the_other_options(capsys, feedback, tmp_path):
    ws, clip, _ = feedback
    target = tmp_path / "s.png"
    target.write_bytes(b"old")
    argv = ["--workspace", str(ws), "still", "--force", str(clip), "--frame", "2",
            "--purpose", "notes", "-o", str(target)]  # fmt: skip
    assert main(argv) == 0
    assert target.read_bytes()[:4] == b"\x89PNG"


# -- the module itself: what appears at the target while a file is being written --------


def test_a_file_that_appears_meanwhile_is_not_replaced_without_force(tmp_path):
    from vfa.outputs import OutputError, staged

    target = tmp_path / "a.txt"
    with pytest.raises(OutputError, match="already exists"), staged(target) as tmp:
        tmp.write_text("mine")
        target.write_text("theirs")  # another program was quicker
    assert target.read_text() == "theirs" and leftovers(tmp_path) == []


def test_a_link_that_appears_meanwhile_is_refused_even_with_force(tmp_path):
    from vfa.outputs import OutputError, staged

    target = tmp_path / "a.txt"
    target.write_text("old")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep")
    with pytest.raises(OutputError, match="symbolic link"), staged(target, force=True) as tmp:
        tmp.write_text("mine")
        target.unlink()
        target.symlink_to(victim)
    assert victim.read_text() == "keep" and target.is_symlink() and leftovers(tmp_path) == []


def test_without_hard_links_the_same_rules_hold(tmp_path, monkeypatch):
    import errno

    from vfa.outputs import OutputError, write_text

    def no_links(*args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "a.txt"
    write_text(target, "one")
    with pytest.raises(OutputError, match="already exists"):
        write_text(target, "two")
    write_text(target, "three", force=True)
    assert target.read_text() == "three" and leftovers(tmp_path) == []


@pytest.mark.parametrize("place", ["proc", "missing folder", "a file"])
def test_a_reel_export_into_an_impossible_place_exits_2_and_leaves_nothing(
    capsys, feedback, tmp_path, place
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = {
        "proc": Path("/proc") / "vfa-reel",
        "missing folder": tmp_path / "nowhere" / "reel",
        "a file": blocker,
    }[place]
    code, err = export(capsys, feedback, out)
    assert code == 2 and err.startswith(f"vfa: {out}: ") and "Traceback" not in err
    assert leftovers(tmp_path) == [] and blocker.read_text() == "not a folder"


def test_the_systems_null_device_is_refused_before_anything_is_written():
    from vfa.outputs import OutputError, check_target

    with pytest.raises(OutputError, match="/dev/null: is a device"):
        check_target("/dev/null", force=True)  # only the check: nothing is written here
