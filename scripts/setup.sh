#!/usr/bin/env bash
# Make a fresh Debian/Ubuntu machine ready for VFA: system libraries, .venv, pip install.
# Run it or source it; when sourced it runs in a child bash and leaves the caller's shell alone.
# Env: VFA_WITH_POSTGRES=1 also installs the postgres extra.

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
  bash "${BASH_SOURCE[0]}"
  return $?
fi

set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

note() { printf 'VFA: %s\n' "$*" >&2; }
die() {
  note "error: $*"
  exit 1
}

# True if the interpreter $1 runs and is >= 3.11.
py_ok() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 11))' >/dev/null 2>&1; }

# --- Python >= 3.11 ---------------------------------------------------------
py=""
for cand in python3 python3.13 python3.12 python3.11; do
  if command -v "$cand" >/dev/null 2>&1 && py_ok "$cand"; then
    py="$(command -v "$cand")"
    break
  fi
done
if [[ -z "$py" ]]; then
  found="$(python3 --version 2>&1 || echo 'no python3')"
  die "Python >= 3.11 is required (found: $found). On Debian/Ubuntu: apt-get install python3.11 python3.11-venv"
fi
pyver="$("$py" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"

# A usable .venv needs nothing from the system; otherwise `python -m venv` must work.
venv_ok() { [[ -x .venv/bin/python ]] && py_ok .venv/bin/python; }
venv_module_ok() { "$py" -c 'import ensurepip, venv' >/dev/null 2>&1; }

# --- System packages (Debian names) -------------------------------------------
pkgs=(
  # Qt offscreen
  libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
  # Qt on X / Xvfb
  libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0
  libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1
  libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 xvfb xauth
  # QtMultimedia
  libpulse0 libxrandr2
  # libVLC (libvlc-bin builds the plugin cache that halves libVLC start-up)
  libvlc5 libvlc-bin vlc-plugin-base vlc-plugin-video-output
  # fonts so Qt shows text
  fonts-dejavu-core
  # the no-network test watches the app's connect() calls
  strace
)

deb_installed() {
  # shellcheck disable=SC2016  # ${Status} is a dpkg-query field, not a shell variable
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}
# Ubuntu 24.04+ renamed some libraries with a t64 suffix (libglib2.0-0t64).
pkg_present() { deb_installed "$1" || deb_installed "${1}t64"; }

if command -v dpkg-query >/dev/null 2>&1; then
  if ! venv_ok && ! venv_module_ok; then
    # python3-venv for the distro python, pythonX.Y-venv for any other version.
    venv_pkg="python3-venv"
    sys_ver="$(/usr/bin/python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null || true)"
    [[ "$sys_ver" == "$pyver" ]] || venv_pkg="python${pyver}-venv"
    pkgs+=("$venv_pkg")
  fi

  missing=()
  for p in "${pkgs[@]}"; do
    pkg_present "$p" || missing+=("$p")
  done

  if ((${#missing[@]})); then
    if [[ "$(id -u)" -eq 0 ]]; then
      note "installing system packages: ${missing[*]}"
      export DEBIAN_FRONTEND=noninteractive
      if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
        note "warning: apt-get failed; tests that need these libraries will skip (and fail under CI)"
      fi
    else
      note "missing system packages; install them with:"
      printf 'sudo apt-get install -y --no-install-recommends %s\n' "${missing[*]}" >&2
    fi
  fi
else
  note "dpkg-query not found (not Debian/Ubuntu); skipping the system package check"
fi

# --- .venv --------------------------------------------------------------------
fresh=0
if ! venv_ok; then
  if [[ -e .venv && ! -O .venv ]]; then
    die ".venv exists but is unusable and not owned by you; remove it and run again"
  fi
  venv_module_ok || die "'$py -m venv' does not work; install python3-venv (or python${pyver}-venv) first"
  # --clear also replaces a broken .venv (for example one made with an older python).
  "$py" -m venv --clear .venv
  fresh=1
fi

pip=(.venv/bin/python -m pip --disable-pip-version-check)
if ((fresh)); then
  "${pip[@]}" install --quiet --upgrade pip
fi

# --- pip install, only when pyproject.toml or the extras changed ---------------
extras="test"
[[ "${VFA_WITH_POSTGRES:-}" == "1" ]] && extras="test,postgres"

stamp=.venv/.vfa-setup-stamp
sha="$(.venv/bin/python -c 'import hashlib, sys; print(hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest())' pyproject.toml)"
have="$(cat "$stamp" 2>/dev/null || true)"
# An install with the postgres extra also covers a plain test install.
if [[ "$have" != "$sha extras=$extras" && "$have" != "$sha extras=test,postgres" ]]; then
  rm -f "$stamp"
  "${pip[@]}" install --quiet -e ".[$extras]"
  printf '%s\n' "$sha extras=$extras" >"$stamp"
fi

echo "VFA: setup done (.venv ready)"
