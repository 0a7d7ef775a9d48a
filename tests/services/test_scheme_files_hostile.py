"""Scheme files made to crash or exhaust VFA: each is refused with a SchemeError naming the
file, and a bad file in a scheme folder is skipped and reported, never fatal."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vfa.cli import main
from vfa.errors import SchemeError
from vfa.services import scheme_yaml
from vfa.services import schemes as svc

SHIPPED = Path(__file__).resolve().parents[2] / "coding_schemes"
SHIPPED_TEXTS = {p.name: p.read_bytes() for p in sorted(SHIPPED.glob("*.yaml"))}

ALIAS_LOOP = b"id: &x [*x]\n"
LAUGHS = b"a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + b"".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n".encode()
    for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def refused(path: Path) -> SchemeError:
    with pytest.raises(SchemeError) as caught:
        svc.load_scheme_file(path)
    assert caught.value.file == str(path)
    return caught.value


def in_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, content: bytes) -> Path:
    folder = tmp_path / "schemes"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    return path


# -- aliases and anchors -------------------------------------------------------------------


def test_an_alias_loop_is_refused_naming_the_file_and_line(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_bytes(ALIAS_LOOP)
    error = refused(path)
    assert error.line == 1 and "anchor &x" in error.reason and "aliases" in error.reason


def test_a_billion_laughs_file_is_refused_before_anything_is_built(tmp_path, monkeypatch):
    assert len(LAUGHS) < 700
    path = tmp_path / "laughs.yaml"
    path.write_bytes(LAUGHS)
    # the composer must never be reached: the events are checked first
    monkeypatch.setattr(scheme_yaml, "_Loader", None)
    error = refused(path)
    assert "anchor &a" in error.reason


def test_an_anchor_or_alias_anywhere_is_refused_with_its_line(tmp_path):
    text = (SHIPPED / "kips.yaml").read_text(encoding="utf-8")
    anchored = text.replace("source:", "source: &src", 1)
    path = tmp_path / "anchored.yaml"
    path.write_text(anchored, encoding="utf-8")
    error = refused(path)
    assert "anchor &src" in error.reason
    assert error.line == 1 + anchored[: anchored.index("&src")].count("\n")


def test_text_with_ampersands_and_stars_still_loads(tmp_path):
    text = (SHIPPED / "kips.yaml").read_text(encoding="utf-8")
    path = tmp_path / "kips.yaml"
    path.write_text(text.replace('name: "', 'name: "*&* ', 1), encoding="utf-8")
    assert svc.load_scheme_file(path).id == "kips"


def test_a_bad_file_in_a_scheme_folder_is_skipped_and_the_others_load(tmp_path, monkeypatch):
    loop = in_folder(tmp_path, monkeypatch, "loop.yaml", ALIAS_LOOP)
    in_folder(tmp_path, monkeypatch, "laughs.yaml", LAUGHS)
    scan = svc.scan_schemes()
    assert [s.id for s in scan.schemes] == [
        "care_index_infant",
        "kips",
        "vfa_interaction",
        "vig",
        "vipp_sd",
    ]
    assert sorted(Path(p.file).name for p in scan.problems) == ["laughs.yaml", "loop.yaml"]
    assert svc.get_scheme("kips").id == "kips"
    assert str(loop) in {p.file for p in svc.scheme_problems()}


def test_the_cli_names_the_bad_file_and_every_scheme_command_still_works(
    tmp_path, monkeypatch, capsys
):
    loop = in_folder(tmp_path, monkeypatch, "loop.yaml", ALIAS_LOOP)
    assert main(["schemes", "list"]) == 0
    out, err = capsys.readouterr()
    assert "kips" in out and f"vfa: skipped {loop}: line 1: anchor &x" in err
    assert "Traceback" not in err
    assert main(["schemes", "show", "kips"]) == 0
    capsys.readouterr()
    for argv in (["schemes", "validate", str(loop)], ["schemes", "show", str(loop)]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert str(loop) in err and "aliases" in err and "Traceback" not in err


# -- what is not a small regular file --------------------------------------------------------


def test_a_file_over_one_mebibyte_is_refused_by_its_size(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"id: x\n" + b"#" * (scheme_yaml.MAX_BYTES))
    error = refused(path)
    assert f"{path.stat().st_size:,} bytes" in error.reason and "1,048,576" in error.reason


def test_a_folder_and_a_device_named_like_schemes_are_refused(tmp_path, monkeypatch):
    folder = tmp_path / "schemes"
    (folder / "folder.yaml").mkdir(parents=True)
    (folder / "null.yaml").symlink_to(os.devnull)
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    assert "a folder" in refused(folder / "folder.yaml").reason
    assert "a device" in refused(folder / "null.yaml").reason
    assert len(svc.scan_schemes().problems) == 2


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_in_a_scheme_folder_never_hangs_the_scan(tmp_path, monkeypatch):
    folder = tmp_path / "schemes"
    folder.mkdir()
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    monkeypatch.setenv("VFA_SCHEMES_DIR", str(folder))
    result: list[svc.SchemeScan] = []
    worker = threading.Thread(target=lambda: result.append(svc.scan_schemes()), daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the reader so the test run can go on
        fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(timeout=5)
        pytest.fail("reading a FIFO in a scheme folder blocked the scan")
    (scan,) = result
    assert [p.file for p in scan.problems] == [str(fifo)]
    assert "FIFO" in scan.problems[0].reason
    assert "kips" in [s.id for s in scan.schemes]


# -- nesting, tags and numbers -----------------------------------------------------------


def test_deep_nesting_is_refused_in_flow_and_block_style(tmp_path):
    depth = scheme_yaml.MAX_DEPTH + 1
    flow = tmp_path / "flow.yaml"
    flow.write_text("id: " + "[" * depth + "]" * depth + "\n")
    assert "levels deep" in refused(flow).reason
    block = tmp_path / "block.yaml"
    block.write_text("".join(f"{'  ' * n}k{n}:\n" for n in range(depth)) + "  " * depth + "x\n")
    assert "levels deep" in refused(block).reason
    huge = tmp_path / "huge.yaml"
    huge.write_text("id: " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert refused(huge).reason


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("!!binary aGVsbG8=", "the tag !!binary"),
        ("!!set {a: null}", "the tag !!set"),
        ("!!timestamp 2020-01-01", "the tag !!timestamp"),
        ("!!python/object/apply:os.system [echo]", "the tag !!python/object/apply:os.system"),
        ("!custom x", "the tag !custom"),
        (".inf", "not a finite number"),
        ("-.inf", "not a finite number"),
        (".nan", "not a finite number"),
        ("1.0e+400", "not a finite number"),
        ("1" * 5000, "is too long"),
        ("0x" + "f" * 30, "is too large"),
        ("10000000000000000.0", "is too large"),
        ("1:2:3:4:5:6:7:8:9:10:11:12", "is too large"),
    ],
)
def test_values_no_scheme_needs_are_refused_with_their_line(tmp_path, value, reason):
    path = tmp_path / "value.yaml"
    path.write_text(f"id: x\nname: y\nversion: {value}\n")
    error = refused(path)
    assert reason in error.reason and error.line == 3


# -- mutated scheme files (property tests) ---------------------------------------------------

ENCODINGS = ["utf-16", "utf-32", "latin-1", "cp1252", "utf-8-sig", "shift_jis"]
ABSURD = [
    "1e308",
    "-1e308",
    "1.0e+400",
    ".inf",
    "-.inf",
    ".nan",
    "99999999999999999999",
    "-0",
    "0x7fffffffffffffff",
    "1_000_000_000_000",
    "9" * 4400,
    "1:30:00",
    "0o777",
    "-2147483649",
    "0.000000000000000000001",
]


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    return tmp_path_factory.mktemp("mutated") / "scheme.yaml"


def loads_or_refuses(path: Path, content: bytes) -> None:
    """The reader's contract: a Scheme, or a SchemeError naming the file; nothing else."""
    path.write_bytes(content)
    try:
        scheme = svc.load_scheme_file(path)
    except SchemeError as exc:
        assert exc.file == str(path)
        assert str(exc).startswith(str(path))
    else:
        assert scheme.source_file == str(path)


def _mutations(data: st.DataObject, original: bytes) -> bytes:
    kind = data.draw(st.sampled_from(["truncate", "flip", "insert", "delete", "numbers", "encode"]))
    if kind == "truncate":
        return original[: data.draw(st.integers(0, len(original)))]
    if kind == "encode":
        encoding = data.draw(st.sampled_from(ENCODINGS))
        return original.decode("utf-8").encode(encoding, errors="replace")
    if kind == "numbers":
        text = original.decode("utf-8")
        spots = [m.span() for m in re.finditer(r"(?<![\w.])\d+(\.\d+)?(?![\w.])", text)]
        chosen = data.draw(st.lists(st.sampled_from(spots), min_size=1, max_size=4, unique=True))
        for start, end in sorted(chosen, reverse=True):
            text = text[:start] + data.draw(st.sampled_from(ABSURD)) + text[end:]
        return text.encode("utf-8")
    content = bytearray(original)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, max(len(content) - 1, 0)))
        if kind == "flip":
            content[at] ^= 1 << data.draw(st.integers(0, 7))
        elif kind == "insert":
            content[at:at] = data.draw(
                st.sampled_from([b"&a ", b"*a", b"!!binary ", b"[", b"{", b"\x00", b"\xff", b"\t"])
            )
        else:
            del content[at : at + data.draw(st.integers(1, 40))]
    return bytes(content)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(SHIPPED_TEXTS)), data=st.data())
def test_a_mutated_scheme_file_loads_or_is_refused_naming_it(scratch, name, data):
    loads_or_refuses(scratch, _mutations(data, SHIPPED_TEXTS[name]))


@settings(max_examples=200, deadline=None)
@given(content=st.binary(max_size=2000))
def test_any_bytes_load_or_are_refused_naming_the_file(scratch, content):
    loads_or_refuses(scratch, content)


YAML_PIECES = st.sampled_from(
    [
        "id: ",
        "name: ",
        "version: ",
        "ratings:\n",
        "  items:\n",
        "    - ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ", ",
        ": ",
        "&a ",
        "*a",
        "!!str ",
        "!!int ",
        "!!float ",
        "? ",
        "<<: ",
        "|\n",
        ">-\n",
        '"',
        "'",
        "\n",
        "  ",
        "1e308",
        ".nan",
        "1",
        "x",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "#",
    ]
)


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(YAML_PIECES, max_size=60))
def test_yaml_like_text_loads_or_is_refused_naming_the_file(scratch, pieces):
    loads_or_refuses(scratch, "".join(pieces).encode("utf-8"))
