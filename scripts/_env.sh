# Shared by the developer scripts: find or install uv, then sync the locked environment.
# Sourced, not executed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-$ROOT/.data/runtime}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export UV_PYTHON_DOWNLOADS=never

ensure_uv() {
  # pip --user puts uv here; a later script run finds it without reinstalling.
  case ":$PATH:" in *":$HOME/.local/bin:"*) ;; *) export PATH="$HOME/.local/bin:$PATH" ;; esac
  if ! command -v uv >/dev/null 2>&1; then
    echo "uv not found: installing it with pip" >&2
    python3 -m pip install --quiet --user uv >&2 || python3 -m pip install --quiet uv >&2
    export PATH="$HOME/.local/bin:$PATH"
    hash -r
    command -v uv >/dev/null 2>&1 || { echo "could not install uv" >&2; exit 1; }
  fi
}

sync_env() {
  ensure_uv
  uv sync --locked --quiet "$@"
}

ensure_chromium() {
  # The browser test drives Debian's Chromium (playwright-core cannot download browsers here).
  local chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return 0
  echo "$chromium not found: installing Debian's chromium with apt-get" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >&2 \
    || { echo "could not install chromium (set CHROMIUM_PATH to a Chromium binary)" >&2; exit 1; }
}
