"""Runtime hook of the installer (PyInstaller runs it before VFA): use the libVLC and the
plugins bundled beside VFA, never a system VLC, whatever the environment says."""

import os
import sys
from pathlib import Path

_LIBRARIES = {"linux": "libvlc.so.5", "win32": "libvlc.dll", "darwin": "libvlc.dylib"}


def _use_bundled_vlc() -> None:
    base = Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    platform = "linux" if sys.platform.startswith("linux") else sys.platform
    library = base / _LIBRARIES.get(platform, "libvlc.so.5")
    plugins = base / "vlc-plugins"
    if library.exists() and plugins.is_dir():
        os.environ["PYTHON_VLC_LIB_PATH"] = str(library)  # python-vlc loads this one
        os.environ.pop("PYTHON_VLC_MODULE_PATH", None)
        # libVLC scans these plugins (with their cache, plugins.dat) and no others: its
        # own default, <folder of libvlccore>/vlc/plugins, is not there in the bundle
        os.environ["VLC_PLUGIN_PATH"] = str(plugins)


_use_bundled_vlc()
