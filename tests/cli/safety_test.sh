#!/usr/bin/env bash
# Issue 18, items 7–9, end to end: what the command prints cannot drive a terminal; CSV cells cannot
# become formulas in any spreadsheet; a save keeps the book's mode, owner and group, writes through
# a symlink, refuses a read-only book unless forced, and names a missing directory as such.
# usage: safety_test.sh KONTINGENT TEST_DATA_DIR
set -euo pipefail
cli=$1 data=$2
py=/usr/bin/python3
source "$(dirname "$0")/harness.sh"
chmod 0755 "$work"  # the save test as another user reaches into it
no_control_bytes() {  # no_control_bytes NAME FILE: no byte of C0 (but tab and newline), DEL or C1 in FILE
  if LC_ALL=C grep -q $'[\x01-\x08\x0b-\x1f\x7f]\|\xc2[\x80-\x9f]' "$2"; then fail "$1: $2 holds control characters"; else pass; fi
}

a=$data/spec-examples/a-fixed.book.json

# --- a client and an engagement whose names try to drive the terminal -------------------------
"$py" - "$a" "$work/hostile.book.json" <<'PY'
import json, sys
book = json.load(open(sys.argv[1], encoding="utf-8"))
book["clients"][0]["name"] = "ACME \x1b]0;pwned\x07\x1b[2J GmbH \u009b31m"
book["engagements"][0]["title"] = "Relaunch \x1b[31mred"
book["engagements"][0]["id"] = "x;=1+2"
json.dump(book, open(sys.argv[2], "w", encoding="utf-8"))
PY
h=$work/hostile.book.json
for command in "report" "triage" "status" "terms"; do
  case $command in
    terms) run "terminal: $command" 0 terms "$h" "x;=1+2" ;;
    *) run "terminal: $command" 0 $command "$h" ;;
  esac
  no_control_bytes "terminal: $command" "$work/out"
done
run "terminal: text shows the escapes" 0 terms "$h" "x;=1+2" --lang en
grep -qF 'ACME \u001B]0;pwned\u0007\u001B[2J GmbH \u009B31m' "$work/out" && pass || fail "terminal: the client's name is not shown escaped: $(head -5 "$work/out")"
run "terminal: an error message" 2 report "$h" --engagement $'R\e[2J\a'
errs "terminal: an error message" 'kontingent: --engagement: the book has no engagement "R\u001B[2J\u0007"'
long=$(printf 'y%.0s' $(seq 1 300))
run "a long value is cut in a message" 2 report "$h" --engagement "$long"
errs "a long value is cut in a message" "kontingent: --engagement: the book has no engagement \"$(printf 'y%.0s' $(seq 1 80))…\""

# --- CSV cells: guarded after every , ; or tab ----------------------------------------------------
run "csv: report" 0 report "$h" --format csv
grep -q "^x;'=1+2," "$work/out" && pass || fail "csv: the id x;=1+2 is not guarded: $(sed -n 2p "$work/out")"
run "csv: triage" 0 triage "$h" --format csv
grep -q ",x;'=1+2," "$work/out" && pass || fail "csv: the triage id x;=1+2 is not guarded: $(sed -n 2p "$work/out")"

# --- .kxml: the XML after the 32-byte header is well-formed, with control characters in the texts ---
run "kxml: convert" 0 convert "$h" "$work/hostile.kxml"
if command -v xmllint >/dev/null; then
  tail -c +33 "$work/hostile.kxml" | xmllint --noout - 2>"$work/xml.err" && pass || fail "kxml: not well-formed: $(head -3 "$work/xml.err")"
fi
run "kxml: back to JSON" 0 convert "$work/hostile.kxml" "$work/back.book.json"
run "kxml: the JSON written directly" 0 convert "$h" "$work/direct.book.json"
same "kxml: the texts come back exactly" "$work/back.book.json" "$work/direct.book.json"

# --- saving keeps mode, owner and group; links are written through --------------------------------
b=$work/book.json
cp "$a" "$b"
chmod 0640 "$b"
chown 65534:65534 "$b" 2>/dev/null && owned=1 || owned=0
run "save: log" 0 log "$b" acme-site --minutes 30 --at 2026-03-02T09:00
is "save: the mode is kept" "$(stat -c %a "$b")" 640
if [ "$owned" = 1 ]; then is "save: owner and group are kept" "$(stat -c %u:%g "$b")" 65534:65534; fi
ln -s book.json "$work/link.json"
run "save: through a link" 0 log "$work/link.json" acme-site --minutes 15 --at 2026-03-03T09:00
[ -L "$work/link.json" ] && pass || fail "save: the link was replaced by a file"
grep -q '"2026-03-03T09:00"' "$b" && pass || fail "save: the linked book did not get the entry"

# A user who may not give files away: the save succeeds and says what it could not keep.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  shared=$work/shared
  mkdir "$shared" && chmod 0777 "$shared"
  cp "$a" "$shared/book.json" && chmod 0666 "$shared/book.json"
  got=0
  setpriv --reuid=65534 --regid=65534 --clear-groups "$cli" log "$shared/book.json" acme-site --minutes 30 --at 2026-03-02T09:00 \
    >"$work/out" 2>"$work/err" || got=$?
  is "save: another user's book, exit" "$got" 0
  errs "save: another user's book, the note" "kontingent: note: $shared/book.json: saved, but its owner (uid 0) and group (gid 0) could not be kept (Operation not permitted): the file now belongs to uid 65534, gid 65534"
fi

# Another user's .kdb in their directory: read without the -wal and -shm files a reader would make;
# a change, which needs them, is refused by name, and the directory stays as it was.
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  theirs=$work/theirs
  mkdir "$theirs"
  "$cli" convert "$a" "$theirs/book.kdb" >/dev/null
  chmod 0666 "$theirs/book.kdb" && chmod 0555 "$theirs"
  as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$cli" "$@" >"$work/out" 2>"$work/err"; }
  got=0 && as_nobody report "$theirs/book.kdb" --format json || got=$?
  is "another user's kdb: report, exit" "$got" 0
  "$cli" report "$a" --format json >"$work/expected.json"
  same "another user's kdb: the same report" "$work/out" "$work/expected.json"
  got=0 && as_nobody log "$theirs/book.kdb" acme-site --minutes 30 --at 2026-03-02T09:00 || got=$?
  is "another user's kdb: log, exit" "$got" 3
  errs "another user's kdb: log" "kontingent: $theirs/book.kdb: cannot save: a change is written beside the book first (book.kdb-wal), and the directory $theirs is not writable; nothing was written"
  is "another user's kdb: nothing beside it" "$(ls -A "$theirs")" "book.kdb"
  chmod 0755 "$theirs"
fi

# --- a read-only book is not replaced unless forced ------------------------------------------------
r=$work/readonly.json
cp "$a" "$r" && chmod 0444 "$r"
cp "$r" "$work/readonly.before"
run "read-only: log" 3 log "$r" acme-site --minutes 30 --at 2026-03-02T09:00
errs "read-only: log" "kontingent: $r: cannot save: the file is read-only (mode 0444), so it is left unchanged; make it writable (chmod u+w) to change it"
same "read-only: log leaves the book" "$r" "$work/readonly.before"
run "read-only: convert onto it" 3 convert "$work/hostile.book.json" "$r"
same "read-only: convert leaves the book" "$r" "$work/readonly.before"
run "read-only: convert --force" 0 convert "$work/hostile.book.json" "$r" --force
is "read-only: --force keeps it read-only" "$(stat -c %a "$r")" 444
"$cli" convert "$a" "$work/ro.kdb" >/dev/null
chmod 0444 "$work/ro.kdb"
run "read-only kdb: report reads it" 0 report "$work/ro.kdb"
run "read-only kdb: log" 3 log "$work/ro.kdb" acme-site --minutes 30 --at 2026-03-02T09:00
errs "read-only kdb: log" "kontingent: $work/ro.kdb: cannot save: the file is read-only (mode 0444), so it is left unchanged; make it writable (chmod u+w) to change it"

# --- another program's SQLite database is neither read nor written into ---------------------------
"$py" -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE photos (x)"); c.commit()' "$work/photos.kdb"
cp "$work/photos.kdb" "$work/photos.before"
run "foreign kdb: convert into it" 1 convert "$a" "$work/photos.kdb"
errs "foreign kdb: convert into it" "kontingent: $work/photos.kdb: not a kontingent book database (a SQLite database with other tables: photos); nothing was written, save the book to a new file"
same "foreign kdb: left as it was" "$work/photos.kdb" "$work/photos.before"
run "foreign kdb: report" 1 report "$work/photos.kdb"
errs "foreign kdb: report" "kontingent: $work/photos.kdb: not a kontingent book database (a SQLite database without kontingent's tables)"

# --- a missing directory is named, and nothing claims a previous file --------------------------------
run "missing directory" 3 convert "$a" "$work/nowhere/book.json"
errs "missing directory" "kontingent: $work/nowhere/book.json: cannot save: the directory $work/nowhere does not exist"
run "missing directory: kdb" 3 convert "$a" "$work/nowhere/book.kdb"
errs "missing directory: kdb" "kontingent: $work/nowhere/book.kdb: cannot save: the directory $work/nowhere does not exist"
run "missing directory: init kdb" 3 init "$work/nowhere/new.kdb"
errs "missing directory: init kdb" "kontingent: $work/nowhere/new.kdb: cannot save: the directory $work/nowhere does not exist"

# --- imports: what is not UTF-8 never reaches a book; endless input stops with a size error ---------
i=$work/import.book.json
cp "$a" "$i"
cp1252=$data/import/kimai-de-cp1252.csv
run "import: cp1252 without --encoding" 1 import --from kimai "$cp1252" --into "$i" --engagement acme-site
errs "import: cp1252 without --encoding" "kontingent: $cp1252:1:22: not valid UTF-8 (byte 0xE4); a file saved by Excel or Windows is likely Windows-1252: import it with --encoding cp1252"
same "import: cp1252 refused, book unchanged" "$i" "$a"
run "import: --encoding cp1252" 0 import --from kimai "$cp1252" --into "$i" --engagement acme-site --encoding cp1252
run "import: the saved book loads" 0 check "$i"
grep -q 'Müller – Korrektur €' "$i" && pass || fail "import: the note is not the UTF-8 of the cp1252 text"
run "import: an endless stream" 1 import --from toggl /dev/zero --into "$i" --engagement acme-site
errs "import: an endless stream" "kontingent: /dev/zero: the export is larger than 256 MiB (268435456 bytes), the most one import reads: split it into smaller exports"
run "import: an unknown time zone" 2 import --from timeclock "$data/import/dst.timeclock" --into "$i" --engagement acme-site --time-zone Europe/Berln
errs "import: an unknown time zone" 'kontingent: --time-zone: unknown time zone "Europe/Berln" (expected an IANA name such as "Europe/Berlin", as in /usr/share/zoneinfo)'

finish safety
