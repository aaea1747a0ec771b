#!/usr/bin/env bash
# The `kontingent` command end to end: output, exit codes and error messages, to the letter.
# usage: cli_test.sh KONTINGENT TEST_DATA_DIR DEMO_BOOK
set -u
cli=$1 data=$2 demo=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0 failed=0

# expect NAME CODE STDOUT_FILE_OR_- STDERR_TEXT_OR_- -- ARGS...
expect() {
  local name=$1 code=$2 out=$3 err=$4
  shift 5
  "$cli" "$@" >"$work/out" 2>"$work/err"
  local got=$? ok=1
  [ "$got" -eq "$code" ] || { echo "FAIL $name: exit $got, expected $code"; ok=0; }
  if [ "$out" != - ] && ! diff -u "$out" "$work/out" >"$work/diff"; then
    echo "FAIL $name: stdout differs"; cat "$work/diff"; ok=0
  fi
  if [ "$err" != - ] && [ "$(cat "$work/err")" != "$err" ]; then
    echo "FAIL $name: stderr was '$(cat "$work/err")', expected '$err'"; ok=0
  fi
  if [ $ok = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
}
contains() {  # contains NAME FILE TEXT
  if grep -qF -- "$3" "$2"; then passed=$((passed + 1)); else echo "FAIL $1: no '$3' in $2"; cat "$2"; failed=$((failed + 1)); fi
}

a=$data/spec-examples/a-fixed.book.json
expect "report json of example A" 0 "$data/spec-examples/a-fixed.report.json" "" -- report "$a" --format json
expect "as-of option" 0 - "" -- report "$a" --as-of 2026-01-31 --format json
contains "as-of option" "$work/out" '"as_of": "2026-01-31"'
contains "as-of cuts off later work" "$work/out" '"worked_seconds": 22800'
expect "text report" 0 - "" -- report "$a"
contains "text report" "$work/out" "  alerts extra_rounds, rounds_exhausted, unbilled"
contains "text report" "$work/out" "  change            166.25 EUR          0.00 EUR        166.25 EUR"
# A book from a pipe: `-` is standard input; a pipe without a name that says otherwise is JSON.
"$cli" report - --format json <"$a" >"$work/out" 2>"$work/err"
got=$?
[ "$got" -eq 0 ] && cmp -s "$work/out" "$data/spec-examples/a-fixed.report.json" && passed=$((passed + 1)) ||
  { echo "FAIL report from a redirected stdin: exit $got, $(cat "$work/err")"; failed=$((failed + 1)); }
cat "$a" | "$cli" report - --format json >"$work/out" 2>"$work/err"
got=$?
[ "$got" -eq 0 ] && cmp -s "$work/out" "$data/spec-examples/a-fixed.report.json" && passed=$((passed + 1)) ||
  { echo "FAIL report from a pipe: exit $got, $(cat "$work/err")"; failed=$((failed + 1)); }
"$cli" convert "$a" "$work/a.kbin" >/dev/null
mkfifo "$work/piped.kbin"
# The reader opens the pipe first and waits for the writer; it must open it only once (timeout: a
# reader that opened, closed and opened again would wait for a second writer forever).
(sleep 0.3; cat "$work/a.kbin" >"$work/piped.kbin") 2>/dev/null &
timeout 30 "$cli" report "$work/piped.kbin" --format json >"$work/out" 2>"$work/err"
got=$?
wait
[ "$got" -eq 0 ] && cmp -s "$work/out" "$data/spec-examples/a-fixed.report.json" && passed=$((passed + 1)) ||
  { echo "FAIL an archive from a named pipe: exit $got, $(cat "$work/err")"; failed=$((failed + 1)); }
expect "a directory" 3 - "kontingent: $work: cannot read the book file (Is a directory)" -- report "$work"
echo '{"format": "kontingent-book/1", "clients": [' | "$cli" check - >"$work/out" 2>"$work/err"
got=$?
[ "$got" -eq 1 ] && [ "$(cat "$work/err")" = "kontingent: /dev/stdin:2:1: expected ']' to close the list opened at 1:44, got end of file" ] && passed=$((passed + 1)) ||
  { echo "FAIL a broken book from a pipe: exit $got, $(cat "$work/err")"; failed=$((failed + 1)); }
# Output that never reaches its file is a failure, not an empty success.
"$cli" report "$a" >/dev/full 2>"$work/err"
got=$?
[ "$got" -eq 3 ] && [ "$(cat "$work/err")" = "kontingent: cannot write the output: No space left on device" ] && passed=$((passed + 1)) ||
  { echo "FAIL report into a full disk: exit $got, stderr '$(cat "$work/err")'"; failed=$((failed + 1)); }
"$cli" report "$a" >&- 2>"$work/err"
got=$?
[ "$got" -eq 3 ] && [ "$(cat "$work/err")" = "kontingent: cannot write the output: Bad file descriptor" ] && passed=$((passed + 1)) ||
  { echo "FAIL report into a closed stdout: exit $got, stderr '$(cat "$work/err")'"; failed=$((failed + 1)); }
expect "csv report" 0 - "" -- report "$a" --format csv
contains "csv report" "$work/out" "engagement,client,currency,category,billable,invoiced,leakage"
contains "csv report" "$work/out" "acme-site,acme,EUR,rush,142.50,0.00,142.50"
expect "one engagement" 0 - "" -- report "$demo" --engagement nordlicht-pflege --format csv
[ "$(wc -l <"$work/out")" -eq 8 ] && passed=$((passed + 1)) || { echo "FAIL one engagement: $(wc -l <"$work/out") lines"; failed=$((failed + 1)); }
expect "check a valid book" 0 - "" -- check "$a"
contains "check a valid book" "$work/out" "ok, 1 clients, 1 engagements"

sed 's/"minutes": 50,/"minutes": 0,/' "$a" >"$work/bad.json"
expect "check an invalid book" 1 - "kontingent: $work/bad.json: engagements[0].entries[2].minutes: must be a positive integer, got 0" -- check "$work/bad.json"
expect "report refuses an invalid book" 1 - "kontingent: $work/bad.json: engagements[0].entries[2].minutes: must be a positive integer, got 0" -- report "$work/bad.json"
printf '{"format": "kontingent-book/1", "clients": [' >"$work/cut.json"
expect "not JSON" 1 - "kontingent: $work/cut.json:1:45: expected ']' to close the list opened at 1:44, got end of file" -- check "$work/cut.json"
expect "missing file" 3 - "kontingent: $work/none.json: cannot read the book file (No such file or directory)" -- report "$work/none.json"
expect "bad as-of" 2 - 'kontingent: --as-of: impossible date "2026-02-30"' -- report "$a" --as-of 2026-02-30
expect "unknown engagement" 2 - 'kontingent: --engagement: the book has no engagement "nope"' -- report "$a" --engagement nope
commands="the commands are report, check, triage, whatif, convert, import, init, client, owner, engagement, log, start, stop, request, call, appointment, invoice, payment, quote, status, terms, bill (kontingent --help says what each does)"
expect "unknown format" 2 - "kontingent: --format: xml not in {text,json,csv} (kontingent report --help lists the options)" -- report "$a" --format xml
expect "unknown option" 2 - "kontingent: The following argument was not expected: --bogus (kontingent report --help lists the options)" -- report "$a" --bogus
expect "unknown option of a nested command" 2 - "kontingent: The following argument was not expected: --bogus (kontingent owner set --help lists the options)" -- owner set "$a" --bogus
expect "no command" 2 - "kontingent: give a command; $commands" --
expect "unknown command" 2 - "kontingent: unknown command \"reprot\"; $commands" -- reprot "$a"
expect "option without a command" 2 - "kontingent: unknown option \"--bogus\" before the command; $commands" -- --bogus
expect "help" 0 - - -- --help
contains "help names the commands" "$work/out" "report"
contains "help names the exit codes" "$work/out" "Exit codes: 0 done; 1 the book breaks a rule"
expect "version" 0 - - -- --version
grep -Eq '^[0-9]+\.[0-9]+\.[0-9]+$' "$work/out" && passed=$((passed + 1)) || { echo "FAIL version: $(cat "$work/out")"; failed=$((failed + 1)); }
expect "demo book" 0 - "" -- report "$demo"
contains "demo book" "$work/out" "kontingent report as of 2026-12-31"

expect "triage" 0 - "" -- triage "$a" --format csv
contains "triage" "$work/out" "client,acme,,EUR,renegotiate,5150.00,5818.75,668.75"
expect "triage text" 0 - "" -- triage "$demo"
contains "triage text" "$work/out" "  let_go      Möbelhaus Krüger & Söhne (krueger)"
contains "triage text" "$work/out" "  keep        Nordlicht Verlag (nordlicht)"
expect "whatif" 0 - "" -- whatif "$a" --set call_fee.fee=50 --format csv
contains "whatif" "$work/out" "acme,EUR,call,120.00,150.00,30.00"
expect "whatif bad key" 2 - - -- whatif "$a" --set ratte=1
contains "whatif bad key" "$work/err" "kontingent: --set ratte: unknown key (expected one of rate, fixed_price,"
expect "whatif breaks the terms" 2 - 'kontingent: engagements[0].terms: "contingent_hours" is only for pricing "contingent" and "retainer"' -- whatif "$a" --set contingent_hours=5
expect "whatif needs --set" 2 - - -- whatif "$a"

# import: adds once, is idempotent, and leaves the book byte for byte as it was on any error.
imp=$data/import
cp "$imp/a-fixed.terms.book.json" "$work/book.json"
expect "import" 0 - "" -- import --from toggl "$imp/a-fixed.toggl.csv" --into "$work/book.json"
contains "import" "$work/out" "  imported:   10 (acme-site 10)"
expect "import gives example A" 0 "$data/spec-examples/a-fixed.report.json" "" -- report "$work/book.json" --format json
cp "$work/book.json" "$work/before.json"
expect "import twice" 0 - "" -- import --from toggl "$imp/a-fixed.toggl.csv" --into "$work/book.json"
contains "import twice" "$work/out" "  duplicates: 10 (already in the book, not imported again)"
cmp -s "$work/book.json" "$work/before.json" && passed=$((passed + 1)) || { echo "FAIL import twice changed the book"; failed=$((failed + 1)); }
expect "import a malformed export" 1 - - -- import --from toggl "$imp/errors/bad-time.csv" --into "$work/book.json"
contains "import a malformed export" "$work/err" "kontingent: $imp/errors/bad-time.csv:"
cmp -s "$work/book.json" "$work/before.json" && passed=$((passed + 1)) || { echo "FAIL a failed import changed the book"; failed=$((failed + 1)); }
ls "$work" | grep -q tmp && { echo "FAIL a temporary file was left"; failed=$((failed + 1)); } || passed=$((passed + 1))

# Two imports into one book at the same time: the writers' lock serialises them, and both land
# (each reads the book with the other's entries and requests). Five trials.
head -1 "$imp/a-fixed.toggl.csv" >"$work/first.csv"; cp "$work/first.csv" "$work/second.csv"
sed -n '2,6p' "$imp/a-fixed.toggl.csv" >>"$work/first.csv"; sed -n '7,$p' "$imp/a-fixed.toggl.csv" >>"$work/second.csv"
for trial in 1 2 3 4 5; do
  cp "$imp/a-fixed.terms.book.json" "$work/shared.json"
  "$cli" import --from toggl "$work/first.csv" --into "$work/shared.json" >"$work/out1" 2>&1 &
  "$cli" import --from toggl "$work/second.csv" --into "$work/shared.json" >"$work/out2" 2>&1 &
  wait
  expect "concurrent imports, trial $trial: both land" 0 "$data/spec-examples/a-fixed.report.json" "" -- report "$work/shared.json" --format json
done
expect "import --help lists the trackers" 0 - - -- import --help
contains "import --help lists the trackers" "$work/out" "toggl, clockify, harvest, kimai, timeclock or solidtime"
expect "report --help lists the book formats" 0 - - -- report --help
contains "report --help lists the book formats" "$work/out" ".kbin  binary archive: the fastest to open"
expect "convert to an unknown format" 2 - 'kontingent: OUT: unknown book format ".doc" (name the file .json, .kbin, .kxml, .ktxt or .kdb)' -- convert "$a" "$work/a.doc"

# convert: every format round-trips to the same report.
for ext in kbin kxml ktxt; do
  expect "convert to .$ext" 0 - - -- convert "$a" "$work/a.$ext"
  expect "report from .$ext" 0 "$data/spec-examples/a-fixed.report.json" "" -- report "$work/a.$ext" --format json
done
printf 'garbage' >"$work/bad.kbin"
expect "corrupt archive" 1 - - -- report "$work/bad.kbin"
contains "corrupt archive" "$work/err" "kontingent: "

# An amount past the largest a book holds is refused naming the engagement, never printed wrapped.
cat >"$work/huge.json" <<'JSON'
{"format": "kontingent-book/1", "clients": [{"id": "c", "name": "C"}],
 "engagements": [{"id": "huge", "client": "c", "currency": "EUR", "start": "2026-01-01",
   "terms": {"pricing": "hourly", "rate": "999999999999999.99"},
   "entries": [{"start": "2026-01-02T00:00", "minutes": 10000000, "kind": "scope"}]}]}
JSON
expect "money overflow" 1 - 'kontingent: engagement "huge": an amount exceeds 999999999999999.99 EUR, the largest a book holds' -- report "$work/huge.json" --format csv

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
