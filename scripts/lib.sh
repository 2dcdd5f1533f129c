# Shared helpers for scripts/setup and scripts/test. Sourced, not run.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${SUNPOWER_PVS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sunpower_pvs}
PYTHON_BUILD_VERSION_SERIES=3.13

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*"; }

# python_ok PYTHON MIN_MINOR MIN_PATCH: true when PYTHON is 3.13.x with x >= MIN_PATCH
python_ok() {
  "$1" -c "import sys; sys.exit(0 if sys.version_info[:2] == (3, $2) and sys.version_info[2] >= $3 else 1)" 2>/dev/null
}

# find_python MIN_PATCH [oldest]: prints a Python 3.13.>=MIN_PATCH found on PATH, under pyenv or
# in the cache; the newest by default, the oldest with "oldest" (the minimum-version run)
find_python() {
  local candidate found=()
  for candidate in \
    "$(command -v python3.13 2>/dev/null)" \
    "$(command -v python3 2>/dev/null)" \
    "$CACHE_DIR"/python-3.13.*/bin/python3.13 \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13.*/bin/python3.13; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    case $candidate in "$CACHE_DIR"/*) [ -f "${candidate%/bin/*}/.complete" ] || continue ;; esac
    if python_ok "$candidate" 13 "$1"; then
      found+=("$("$candidate" -c 'import sys; print(sys.version_info[2])') $candidate")
    fi
  done
  [ ${#found[@]} -gt 0 ] || return 1
  if [ "${2:-}" = oldest ]; then
    printf '%s\n' "${found[@]}" | sort -n | head -n1 | cut -d' ' -f2-
  else
    printf '%s\n' "${found[@]}" | sort -rn | head -n1 | cut -d' ' -f2-
  fi
}

# ensure_uv: prints a uv command, installing uv into the cache with pip when it is not on PATH
ensure_uv() {
  if command -v uv >/dev/null 2>&1; then
    command -v uv
    return 0
  fi
  local uv_home="$CACHE_DIR/uv"
  if [ ! -x "$uv_home/bin/uv" ]; then
    "$1" -m venv "$uv_home" >&2 || return 1
    "$uv_home/bin/python" -m pip install --quiet --disable-pip-version-check uv >&2 || return 1
  fi
  echo "$uv_home/bin/uv"
}

# ensure_venv VENV PYTHON REQUIREMENTS: (re)creates VENV and installs REQUIREMENTS when they changed
ensure_venv() {
  local venv=$1 python=$2 requirements=$3 stamp want uv
  stamp="$venv/.requirements.sha256"
  want=$( { "$python" -c 'import sys; print(sys.version)'; cat "$REPO_ROOT/$requirements" "$REPO_ROOT"/requirements.txt 2>/dev/null; } | sha256sum | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    say "$venv is up to date"
    return 0
  fi
  uv=$(ensure_uv "$python") || die "could not install uv with $python -m pip"
  say "creating $venv with $("$python" --version)"
  rm -rf "$venv"
  "$uv" venv --quiet --python "$python" "$venv" || die "could not create $venv"
  say "installing $requirements"
  "$uv" pip install --quiet --compile-bytecode --python "$venv/bin/python" -r "$REPO_ROOT/$requirements" \
    || die "installing $requirements failed (is the package index reachable?)"
  echo "$want" >"$stamp"
}
