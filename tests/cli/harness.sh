# The checks the command's shell tests share (sourced by tests/cli/*_test.sh after they set `cli`):
# a scratch directory $work removed at exit, pass/fail counts, and checks of one run of the command.
# `run` runs it in $run_in (default: the current directory), its output in $work/out and $work/err.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0
run_in=.
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

# run NAME CODE ARGS...: runs the command, checks its exit code.
run() {
  local name=$1 code=$2 got=0
  shift 2
  (cd "$run_in" && "$cli" "$@") >"$work/out" 2>"$work/err" || got=$?
  if [ "$got" -eq "$code" ]; then pass; else fail "$name: exit $got, expected $code: $(cat "$work/err")"; fi
}
out_is() {  # out_is NAME: stdout is exactly the text on stdin
  cat >"$work/expected"
  if diff -u "$work/expected" "$work/out" >"$work/diff"; then pass; else fail "$1: stdout differs"; cat "$work/diff"; fi
}
errs() {  # errs NAME TEXT: stderr is exactly TEXT
  if [ "$(cat "$work/err")" = "$2" ]; then pass; else fail "$1: stderr '$(cat "$work/err")', expected '$2'"; fi
}
errs_like() {  # errs_like NAME PATTERN: stderr matches the shell PATTERN (* for what varies)
  # shellcheck disable=SC2053
  if [[ "$(cat "$work/err")" == $2 ]]; then pass; else fail "$1: stderr '$(cat "$work/err")', expected '$2'"; fi
}
same() {  # same NAME FILE EXPECTED: the files are byte for byte the same
  if cmp -s "$2" "$3"; then pass; else fail "$1: $2 differs from $3"; diff -u "$3" "$2" | head -20 || true; fi
}
is() {  # is NAME GOT EXPECTED
  if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi
}
# finish WHAT: the counts, and the exit status of the test.
finish() {
  echo "$1: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]
}
