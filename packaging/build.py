"""Build VFA's installer with PyInstaller: ``python packaging/build.py`` (pip install
".[packaging]" first; VLC must be installed on the build machine).

Makes ``packaging/dist/vfa/`` (one folder: ``vfa`` or ``vfa.exe`` and ``_internal/``;
``VFA.app`` on macOS) with libVLC and its plugins from the build machine's VLC, a plugin
cache made afresh for the bundled plugins, the fonts and the shipped coding schemes, then an
archive of it: ``packaging/dist/vfa-VERSION-SYSTEM-MACHINE.tar.gz`` (``.zip`` on Windows and
macOS). The same spec (packaging/vfa.spec) builds on all three systems.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = HERE / "dist"
WORK = HERE / "build"


def find_vlc() -> tuple[list[Path], Path, Path | None]:
    """(libvlc and libvlccore and their helpers, the plugin folder, vlc-cache-gen or None)
    of the VLC installed here; ``VFA_VLC_DIR`` names another VLC folder."""
    given = os.environ.get("VFA_VLC_DIR")
    if sys.platform.startswith("win"):
        base = Path(given or r"C:\Program Files\VideoLAN\VLC")
        libs = [base / "libvlc.dll", base / "libvlccore.dll"]
        plugins, cache_gen = base / "plugins", base / "vlc-cache-gen.exe"
    elif sys.platform == "darwin":
        base = Path(given or "/Applications/VLC.app/Contents/MacOS")
        libs = [base / "lib" / "libvlc.dylib", base / "lib" / "libvlccore.dylib"]
        plugins, cache_gen = base / "plugins", base / "vlc-cache-gen"
    else:
        base = Path(given or _linux_libdir())
        libs = [base / "libvlc.so.5", base / "libvlccore.so.9"]
        # helpers some plugins link to (X11 window events, PulseAudio, VDPAU)
        libs += sorted((base / "vlc").glob("libvlc_*.so.0"))
        plugins, cache_gen = base / "vlc" / "plugins", base / "vlc" / "vlc-cache-gen"
    missing = [str(p) for p in [*libs, plugins] if not p.exists()]
    if missing:
        raise SystemExit(
            "build: VLC is not installed where expected (missing: "
            + ", ".join(missing)
            + "); install VLC (Debian: apt-get install libvlc-dev vlc-plugin-base "
            "vlc-plugin-video-output) or set VFA_VLC_DIR"
        )
    return libs, plugins, cache_gen if cache_gen.exists() else None


def _linux_libdir() -> str:
    """The folder of the system's libvlc.so.5 (ldconfig's cache)."""
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("libvlc.so.5 ") and "=>" in line:
            return str(Path(line.rsplit("=>", 1)[1].strip()).parent)
    return "/usr/lib/x86_64-linux-gnu"


def bundle_dir() -> Path:
    """Where the built folder's libraries and data are (PyInstaller's contents folder)."""
    if sys.platform == "darwin":
        return DIST / "VFA.app" / "Contents" / "Frameworks"
    return DIST / "vfa" / "_internal"


def make_plugin_cache(cache_gen: Path | None) -> str:
    """A plugin cache (plugins.dat) for the bundled plugins, made where they now are; what
    was done, in a sentence."""
    plugins = bundle_dir() / "vlc-plugins"
    stale = plugins / "plugins.dat"
    stale.unlink(missing_ok=True)
    if cache_gen is None:
        return "no vlc-cache-gen here: libVLC scans the plugins at each start"
    subprocess.run([str(cache_gen), str(plugins)], check=True, env=_clean_vlc_env())
    if not stale.exists():
        raise SystemExit(f"build: {cache_gen} made no {stale}")
    return f"plugin cache made by {cache_gen}"


def _clean_vlc_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("VLC_PLUGIN_PATH", None)
    return env


def archive() -> Path:
    """The built folder as one file to download."""
    import vfa

    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, "linux")
    name = DIST / f"vfa-{vfa.__version__}-{system}-{platform.machine().lower()}"
    if sys.platform.startswith(("win", "darwin")):
        folder = "VFA.app" if sys.platform == "darwin" else "vfa"
        return Path(shutil.make_archive(str(name), "zip", DIST, folder))
    return Path(shutil.make_archive(str(name), "gztar", DIST, "vfa"))


def size_mb(path: Path) -> float:
    """A file's or a folder's size in MiB."""
    if path.is_file():
        return path.stat().st_size / 2**20
    files = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files) / 2**20


def ensure_pyinstaller() -> None:
    """Install the ``packaging`` extra (PyInstaller) into this environment when missing."""
    import importlib.util

    if importlib.util.find_spec("PyInstaller") is None:
        print("PyInstaller is missing: installing VFA's 'packaging' extra", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "-e", f"{ROOT}[packaging]"],
            check=True,
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-archive", action="store_true", help="leave out the archive")
    args = parser.parse_args()
    try:
        ensure_pyinstaller()
        return build(args.no_archive)
    except subprocess.CalledProcessError as failed:
        print(f"build.py: {failed.cmd[0]} … stopped with status {failed.returncode}",
              file=sys.stderr)  # fmt: skip
        return 2
    except OSError as failed:
        print(f"build.py: {failed}", file=sys.stderr)
        return 2


def build(no_archive: bool) -> int:
    """Run PyInstaller on the spec, refresh the bundled plugin cache, pack the archive."""
    libs, plugins, cache_gen = find_vlc()
    env = dict(
        os.environ,
        VFA_BUILD_VLC_LIBS=os.pathsep.join(map(str, libs)),
        VFA_BUILD_VLC_PLUGINS=str(plugins),
    )
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            str(HERE / "vfa.spec"),
            "--noconfirm",
            "--distpath",
            str(DIST),
            "--workpath",
            str(WORK),
        ],
        check=True,
        cwd=ROOT,
        env=env,
    )
    print(make_plugin_cache(cache_gen))
    folder = DIST / ("VFA.app" if sys.platform == "darwin" else "vfa")
    print(f"built {folder} ({size_mb(folder):.0f} MiB)")
    if not no_archive:
        packed = archive()
        print(f"installer {packed} ({size_mb(packed):.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
