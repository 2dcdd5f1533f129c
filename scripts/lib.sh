# Shared helpers for the scripts: Pythons, virtual environments and the test legs. Sourced.
# shellcheck shell=bash

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE_DIR=${SUNPOWER_PVS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/sunpower_pvs}
# This workplace's ready-made CPython 3.14 builder, used when it sits beside the checkout.
SHARED_PYTHON314=${SUNPOWER_PVS_SHARED_PYTHON314:-$REPO_ROOT/../shared/tools/python314/install}

die() { echo "error: $*" >&2; exit 1; }
say() { echo "==> $*"; }

# The test legs: Home Assistant releases the suite runs on, each in a venv of its own.
#   leg        venv            requirements                      Python  min patch  pick
LEGS=(
  "newest     .venv           requirements_test.txt              3.14    2          newest"
  "2026.2     .venv-ha2026.2  requirements_test_ha2026.2.txt     3.13    2          newest"
  "min        .venv-ha-min    requirements_test_min.txt          3.13    0          oldest"
)
LEG_NAMES="newest 2026.2 min"

# leg_field LEG N: the Nth column (1-based) of a leg's row
leg_field() {
  local row
  for row in "${LEGS[@]}"; do
    read -r -a cols <<<"$row"
    if [ "${cols[0]}" = "$1" ]; then
      echo "${cols[$(($2 - 1))]}"
      return 0
    fi
  done
  die "unknown leg $1 (legs: $LEG_NAMES)"
}

# python_ok PYTHON SERIES MIN_PATCH: true when PYTHON is SERIES.x with x >= MIN_PATCH
python_ok() {
  "$1" -c "import sys; want = tuple(map(int, '$2'.split('.'))); \
sys.exit(0 if sys.version_info[:2] == want and sys.version_info[2] >= $3 else 1)" 2>/dev/null
}

# find_python SERIES MIN_PATCH [oldest]: prints a Python SERIES.>=MIN_PATCH found on PATH, under
# pyenv or in the cache; the newest by default, the oldest with "oldest" (the minimum leg)
find_python() {
  local series=$1 candidate found=()
  for candidate in \
    "$(command -v "python$series" 2>/dev/null)" \
    "$(command -v python3 2>/dev/null)" \
    "$CACHE_DIR"/python-"$series".*/bin/python"$series" \
    "$CACHE_DIR/python-$series/root/usr/bin/python$series" \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$series".*/bin/python"$series"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] || continue
    # a cache folder counts only once its build finished
    case $candidate in
      "$CACHE_DIR/python-$series/"*) [ -f "$CACHE_DIR/python-$series/.complete" ] || continue ;;
      "$CACHE_DIR"/*) [ -f "${candidate%/bin/*}/.complete" ] || continue ;;
    esac
    if python_ok "$candidate" "$series" "$2"; then
      found+=("$("$candidate" -c 'import sys; print(sys.version_info[2])') $candidate")
    fi
  done
  [ ${#found[@]} -gt 0 ] || return 1
  if [ "${3:-}" = oldest ]; then
    printf '%s\n' "${found[@]}" | sort -n | head -n1 | cut -d' ' -f2-
  else
    printf '%s\n' "${found[@]}" | sort -rn | head -n1 | cut -d' ' -f2-
  fi
}

# provide_python SERIES MIN_PATCH [oldest]: like find_python, building one into the cache when
# none exists: 3.14 from Debian's binary packages (the workplace's builder beside the checkout,
# else scripts/build-python314), 3.13 from Debian trixie's source package (scripts/build-python)
provide_python() {
  local python
  if python=$(find_python "$@"); then
    echo "$python"
    return 0
  fi
  case $1 in
    3.14)
      say "no Python >= 3.14.$2 found; building one into $CACHE_DIR/python-3.14" >&2
      if [ -x "$SHARED_PYTHON314" ]; then
        "$SHARED_PYTHON314" "$CACHE_DIR/python-3.14" >&2 || die "$SHARED_PYTHON314 failed"
        touch "$CACHE_DIR/python-3.14/.complete"
      else
        "$REPO_ROOT/scripts/build-python314" >&2 || die "scripts/build-python314 failed"
      fi
      ;;
    3.13)
      say "no Python >= 3.13.$2 found; building one from Debian's source package" >&2
      "$REPO_ROOT/scripts/build-python" >&2 || die "scripts/build-python failed"
      ;;
    *) die "no way to provide Python $1" ;;
  esac
  find_python "$@" || die "the build finished but no usable python$1 was found in $CACHE_DIR"
}

# ensure_uv PYTHON: prints a uv command, installing uv into the cache with pip when not on PATH
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

# ensure_leg LEG: the leg's venv, with its Python provided first; prints nothing
ensure_leg() {
  local python
  python=$(provide_python "$(leg_field "$1" 4)" "$(leg_field "$1" 5)" "$(leg_field "$1" 6)")
  ensure_venv "$REPO_ROOT/$(leg_field "$1" 2)" "$python" "$(leg_field "$1" 3)"
}
