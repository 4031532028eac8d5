# Shared by scripts/run and scripts/test: make (once) and enter the project's own virtualenv.
# Usage: source scripts/_env.sh EXTRA   (EXTRA: "" or "test")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="${PYTHON:-python3}"
extra="${1:-}"
if ! "$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: Python >= 3.11 is needed (found: $("$PY" --version 2>&1))" >&2
    exit 2
fi
[[ -x "$VENV/bin/python" ]] || "$PY" -m venv "$VENV"
stamp="$VENV/.installed${extra:+-$extra}"
if [[ ! -f "$stamp" || "$ROOT/pyproject.toml" -nt "$stamp" ]]; then
    echo "Installing the project into $VENV (once; log: $VENV/install.log) ..." >&2
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check \
            -e "$ROOT${extra:+[$extra]}" >"$VENV/install.log" 2>&1; then
        tail -n 30 "$VENV/install.log" >&2
        echo "error: installing the project failed; see $VENV/install.log" >&2
        exit 2
    fi
    touch "$stamp"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
