#!/usr/bin/env bash
# Keeping a book with the command (docs/cli.md, "Keeping a book"): SPEC worked examples A and B set
# up and logged without touching JSON give the SPEC's books byte for byte and their reports; every
# write prints what it recorded and what it costs; bad input is refused with its exit code and the
# book is unchanged; owner, VAT and client addresses set by commands make a book that `bill` drafts
# from, in JSON and .kdb; concurrent writers lose nothing.
# usage: keeping_test.sh KONTINGENT TEST_DATA_DIR
set -u
cli=$1 data=$2
source "$(dirname "$0")/harness.sh"
says() {  # says NAME TEXT: stdout holds the line TEXT
  if grep -qxF -- "$2" "$work/out"; then pass; else fail "$1: no line '$2' in:"; cat "$work/out"; fi
}

# --- worked example A, command by command ------------------------------------------------------
a=$work/a.json
run "init" 0 init "$a"
says "init" "$a: a new empty book"
run "init refuses to overwrite" 2 init "$a"
errs "init refuses to overwrite" "kontingent: $a: the file exists; init never overwrites a book"
run "client add" 0 client add "$a" acme --name "ACME GmbH" --channel referral
says "client add" "added client acme (ACME GmbH)"
run "engagement add" 0 engagement add "$a" acme-site --client acme --title "Website relaunch" --pricing fixed --rate 95 \
  --fixed-price 4800 --included-rounds 2 --extra-round-price 350 --rounding 15:up --call-fee 15:30:40 --rush 48:50 \
  --no-show 24:120 --start 2026-01-05 --end 2026-06-30 --review-by 2026-03-31
says "engagement add" "added engagement acme-site for client acme: fixed, rate 95.00 EUR/h, from 2026-01-05"
run "request R1" 0 request "$a" acme-site --revision --received 2026-02-01T09:00 --due 2026-02-05T09:00
says "request R1" "recorded a revision request of acme-site (engagements[0].requests[0])"
says "request R1 is round 1" "  - revision round 1, 2 included: covered by the price"
says "request R1 is no rush" "  - due in 96 h, not less than the 48 h lead time: no rush"
run "request R2" 0 request "$a" acme-site --revision --received 2026-02-10T09:00 --due 2026-02-11T09:00
says "request R2 is a rush" "  - due in 24 h, less than the 48 h lead time: rush, +50 % on its hours"
run "request R3" 0 request "$a" acme-site --revision --received 2026-02-20T09:00
says "request R3 costs" "acme-site: 350.00 EUR (as of 2026-02-20)"
says "request R3 is extra" "  - revision round 3, 2 included: an extra round at 350.00 EUR flat"
run "request C1" 0 request "$a" acme-site --change --received 2026-02-15T09:00 --due 2026-02-16T17:00
says "request C1 is C1" "recorded a change request of acme-site (engagements[0].requests[3])"
run "log minutes" 0 log "$a" acme-site --at 2026-01-06T09:00 --minutes 180 --note wireframes
says "log minutes" "recorded 3:00 h of scope work on acme-site (engagements[0].entries[0])"
# Its confirmation lost on a full disk: exit 3, and the change stands (docs/cli.md, exit codes).
cp "$a" "$work/full.json"
got=0
"$cli" log "$work/full.json" acme-site --at 2026-01-06T14:00 --minutes 20 --note lost >/dev/full 2>"$work/err" || got=$?
is "log into a full disk: exit" "$got" 3
errs "log into a full disk" "kontingent: cannot write the output: No space left on device"
grep -q '"note": "lost"' "$work/full.json" && pass || fail "log into a full disk: the entry was not recorded"
run "log from-to" 0 log "$a" acme-site --from 2026-01-07T09:00 --to 2026-01-07T12:20 --note "first layout"
run "log duration R1" 0 log "$a" acme-site 50m --at 2026-02-02T10:00 --kind revision --request R1
run "log R2" 0 log "$a" acme-site 1h10 --at 2026-02-10T14:00 --kind revision --request R2
says "log R2 rush: 1:15 h rounded x 95 x 50 %" "  rush               59.38 EUR"
run "log R3" 0 log "$a" acme-site 0:40 --at 2026-02-21T10:00 --kind revision --request R3
run "log C1" 0 log "$a" acme-site --minutes 100 --at 2026-02-15T13:00 --kind change --request C1 --note "extra landing page"
says "log C1 hourly" "  change            166.25 EUR"
run "call 25" 0 call "$a" acme-site 25 --at 2026-02-03T11:00
says "call 25" "  call               40.00 EUR"
says "call 25 blocks" "  - a call of 0:25 h: 15 min free, then 1 started block of 30 min at 40.00 EUR"
run "call 50" 0 call "$a" acme-site 50 --at 2026-02-12T16:00 --note "venting about their week"
says "call 50" "  call               80.00 EUR"
run "call 10" 0 call "$a" acme-site 10 --at 2026-02-13T10:00
says "call 10 is free" "  - a call of 0:10 h: within the 15 min free"
run "log internal" 0 log "$a" acme-site 30 --at 2026-02-14T08:00 --kind internal --note invoicing
run "no-show" 0 appointment "$a" acme-site --at 2026-02-17T10:00 --no-show
says "no-show" "  no_show           120.00 EUR"
run "cancelled late" 0 appointment "$a" acme-site --at 2026-02-18T10:00 --cancelled 2026-02-18T08:00
says "cancelled late" "  - cancelled too late: the no-show fee of 120.00 EUR"
run "cancelled in time" 0 appointment "$a" acme-site --at 2026-02-19T10:00 --cancelled 2026-02-16T10:00
says "cancelled in time" "  - cancelled 72 h ahead, not less than the notice: no fee"
run "kept" 0 appointment "$a" acme-site --at 2026-02-24T10:00 --kept
run "invoice" 0 invoice "$a" acme-site --id INV-1 --date 2026-02-28 base=4800 revision=350
run "payment" 0 payment "$a" INV-1 5150 --date 2026-03-10
same "example A set up by commands is the SPEC's book" "$a" "$data/spec-examples/a-fixed.book.json"
run "report A" 0 report "$a" --format json
same "report A" "$work/out" "$data/spec-examples/a-fixed.report.json"

# --- worked example B --------------------------------------------------------------------------
b=$work/b.json
run "init B" 0 init "$b"
run "client B" 0 client add "$b" bolt --name "Bolt & Partner" --channel website
run "retainer" 0 engagement add "$b" bolt-retainer --client bolt --title "Monthly care retainer" --pricing retainer --rate 100 \
  --hours 10 --price 900 --rollover 5 --rounding 6:nearest --start 2026-01-01 --end 2026-03-31
for line in "2026-01-12T09:00 480 scope" "2026-01-13T09:00 30 call" "2026-02-09T08:00 840 scope" "2026-03-16T09:00 598 scope"; do
  set -- $line
  run "log B $1" 0 log "$b" bolt-retainer --at "$1" --minutes "$2" --kind "$3"
done
says "B's March: 598 min rounded to 10 h" "  - contingent: 10:00 h more used"
for m in 01-31 02-28 03-31; do
  run "invoice B $m" 0 invoice "$b" bolt-retainer --id "B-${m%-*}" --date "2026-$m" base=900
done
for m in 01-31 02-28 03-31; do run "payment B $m" 0 payment "$b" "B-${m%-*}" 900 --date "2026-$m"; done
same "example B set up by commands is the SPEC's book" "$b" "$data/spec-examples/b-retainer.book.json"

# --- an hourly engagement, the timer, quote and status -----------------------------------------
run "client C" 0 client add "$b" cafe --name "Café Süd"
run "hourly" 0 engagement add "$b" cafe-menu --client cafe --pricing hourly --rate 80 --rounding 15:up --start 2026-03-01
run "start" 0 start "$b" cafe-menu --at 2026-03-02T09:00 --note "menu layout"
says "start" "timer started: scope work on cafe-menu since 2026-03-02T09:00"
run "start again stops the first" 0 start "$b" cafe-menu --at 2026-03-02T10:10 --kind internal
says "start again stops the first" "stopped the timer of cafe-menu after 1:10 h and recorded it"
run "a timer cannot start before the running one" 2 start "$b" cafe-menu --at 2026-03-02T10:00
errs "a timer cannot start before the running one" "kontingent: start: the timer of cafe-menu runs since 2026-03-02T10:10; a new one must start after it"
run "status shows the timer" 0 status "$b" --as-of 2026-03-02
says "status shows the timer" "timer running: cafe-menu, internal, since 2026-03-02T10:10"
run "stop" 0 stop "$b" --at 2026-03-02T10:40
says "stop" "recorded 0:30 h of internal work on cafe-menu (engagements[1].entries[1])"
run "stop without a timer" 2 stop "$b"
errs "stop without a timer" "kontingent: stop: no timer is running for $b"
run "hourly report" 0 report "$b" --engagement cafe-menu --format csv
says "hourly base: 1:15 h at 80" "cafe-menu,cafe,EUR,base,100.00,0.00,100.00"
run "quote a change" 0 quote "$a" acme-site --change --at 2026-03-09T09:00 --due 2026-03-10T09:00 --hours 2
says "quote a change" "acme-site: 285.00 EUR (as of 2026-03-10)"
says "quote a change: hourly" "  change            190.00 EUR"
says "quote a change: rush" "  rush               95.00 EUR"
run "quote with decimal hours" 0 quote "$a" acme-site --change --at 2026-03-09T09:00 --due 2026-03-10T09:00 --hours 1.5
says "quote with decimal hours" "  change            142.50 EUR"
run "quote with bad hours" 2 quote "$a" acme-site --change --hours 1,5
errs "quote with bad hours" 'kontingent: --hours: expected hours like 3 or 1.5, or a duration like 1h30, got "1,5"'
cp "$a" "$work/a-before-quote.json"
run "quote json" 0 quote "$a" acme-site --call 50 --at 2026-03-09T09:00 --format json
grep -q '"call": "80.00"' "$work/out" && pass || fail "quote json: $(cat "$work/out")"
same "a quote writes nothing" "$a" "$work/a-before-quote.json"
# An event the book could not record is wrong usage of quote: named by its time, not by a place in the book.
run "quote after the end" 2 quote "$a" acme-site --call 20 --at 2026-07-01T09:00
errs "quote after the end" "kontingent: quote: a call at 2026-07-01T09:00 cannot be recorded: starts 2026-07-01, after the engagement's end 2026-06-30"
run "quote now, after the end" 2 quote "$a" acme-site --change --hours 2  # the engagement ended 2026-06-30: now is after it
errs_like "quote now, after the end" "kontingent: quote: a change request at 20*T* (now; --at quotes another time) cannot be recorded: starts 20*, after the engagement's end 2026-06-30"
run "status" 0 status "$a" --as-of 2026-03-10
says "status rounds" "  rounds 3 used of 2 included, 1 extra"
says "status review" "  review 2026-03-31 (21 days left)"
run "status json" 0 status "$a" acme-site --as-of 2026-04-15 --format json
grep -q '"days_to_review": -15' "$work/out" && pass || fail "status json: $(cat "$work/out")"

# --- bad input: exit 2 (usage) or 1 (rule), the place and the rule named, the book unchanged ------
cp "$a" "$work/a-before.json"
bad() {  # bad NAME CODE STDERR ARGS...
  local name=$1 code=$2 err=$3
  shift 3
  run "$name" "$code" "$@"
  errs "$name" "$err"
  same "$name: book unchanged" "$a" "$work/a-before.json"
}
bad "unknown engagement" 2 'kontingent: ENG: the book has no engagement "nope"' log "$a" nope 1h --at 2026-03-01T09:00
bad "unknown request" 1 "kontingent: engagements[0].entries[10].request: unknown request \"R9\"" \
  log "$a" acme-site 1h --at 2026-03-01T09:00 --kind revision --request R9
bad "request id taken" 1 'kontingent: engagements[0].requests[4].id: duplicate request id "R1" in this engagement' \
  request "$a" acme-site --revision --id R1 --received 2026-03-01T09:00
bad "outside the engagement" 1 "kontingent: engagements[0].entries[10]: starts 2026-07-01, after the engagement's end 2026-06-30" \
  log "$a" acme-site 1h --at 2026-07-01T09:00
bad "malformed duration" 2 'kontingent: DURATION: expected a duration like 90, 90m, 1h30 or 1:30, got "1h75"' \
  log "$a" acme-site 1h75 --at 2026-03-01T09:00
bad "malformed time" 2 'kontingent: --at: impossible time "2026-03-01T25:00"' log "$a" acme-site 1h --at 2026-03-01T25:00
bad "three decimals" 2 'kontingent: base: more than 2 decimals in "4800.001"' invoice "$a" acme-site --id INV-2 base=4800.001
bad "unknown client" 1 'kontingent: engagements[1].client: unknown client "nobody"' \
  engagement add "$a" other --client nobody --pricing hourly --rate 90 --start 2026-01-01
bad "terms the pricing cannot take" 1 'kontingent: engagements[1].terms: pricing "contingent" needs "contingent_hours"' \
  engagement add "$a" other --client acme --pricing contingent --rate 90 --price 900 --start 2026-01-01
bad "bad rounding" 2 'kontingent: --set rounding.mode: expected up, down or nearest, got "upward"' \
  engagement add "$a" other --client acme --pricing hourly --rate 90 --rounding 15:upward
bad "two durations" 2 "kontingent: log: give the time once: --minutes N, --from T --to T, or a DURATION like 1h30" \
  log "$a" acme-site 1h --minutes 60
bad "unknown invoice" 2 'kontingent: INVOICE: the book has no invoice "INV-9"' payment "$a" INV-9 10
bad "a timer on a missing request" 1 'kontingent: engagements[0].entries[10].request: unknown request "R9"' \
  start "$a" acme-site --kind revision --request R9 --at 2026-03-01T09:00

# --- a symlinked book stays a symlink, its permissions kept ---------------------------------------
chmod 640 "$a"
ln -s a.json "$work/link.json"
run "log through a symlink" 0 log "$work/link.json" acme-site 1h --at 2026-03-01T09:00
[ -L "$work/link.json" ] && pass || fail "the symlink was replaced by a file"
[ "$(stat -c %a "$a")" = 640 ] && pass || fail "permissions not kept: $(stat -c %a "$a")"
grep -q '"start": "2026-03-01T09:00"' "$a" && pass || fail "the linked book was not updated"

# --- engagement set ------------------------------------------------------------------------------
run "engagement set" 0 engagement set "$a" acme-site call_fee.fee=50 included_rounds=3
says "engagement set" "acme-site: set call_fee.fee=50 included_rounds=3"
run "report after set" 0 report "$a" --format csv
says "report after set: calls at 50" "acme-site,acme,EUR,call,150.00,0.00,150.00"

# --- owner, VAT and client addresses: a book kept by commands can be billed, in every store ------
# bill_json NAME EXPECTED: the draft `bill --format json` printed, as "number net tax total due buyer".
bill_json() {
  local got
  got=$(/usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["number"], d["net"], d["tax"], d["total"], d["due"], d["buyer"]["address"]["city"])' "$work/out")
  if [ "$got" = "$2" ]; then pass; else fail "$1: '$got', expected '$2'"; fi
}
parties() {  # parties EXT
  local p=$work/parties.$1 x="$1:"
  run "$x init" 0 init "$p"
  run "$x client add" 0 client add "$p" acme --name "ACME GmbH"
  run "$x engagement add" 0 engagement add "$p" site --client acme --pricing hourly --rate 90 --start 2026-01-05
  run "$x log" 0 log "$p" site --at 2026-01-06T09:00 --minutes 120
  run "$x no owner, no bill" 1 bill "$p" --engagement site --format json
  grep -q "the book has no owner" "$work/err" && pass || fail "$x no owner, no bill: $(cat "$work/err")"

  cp "$p" "$work/parties-before"
  unchanged() { same "$1: book unchanged" "$p" "$work/parties-before"; }
  run "$x a new owner needs a name" 2 owner set "$p" --city Berlin --country DE
  errs "$x a new owner needs a name" "kontingent: owner set: the book has no owner yet; give --name"
  unchanged "$x a new owner needs a name"
  run "$x owner set" 0 owner set "$p" --name "Jana Design" --street "Hauptstr. 1" --postcode 10115 --city Berlin --country DE \
    --vat-id DE123456789 --iban DE02120300000000202051 --invoice-prefix RE-2026- --vat S:19
  says "$x owner set" "owner: set name=Jana Design, street=Hauptstr. 1, postcode=10115, city=Berlin, country=DE, vat_id=DE123456789, iban=DE02120300000000202051, invoice_prefix=RE-2026-, vat=S:19"
  run "$x owner set keeps what it is not given" 0 owner set "$p" --email jana@example.de
  says "$x owner set keeps what it is not given" "owner: set email=jana@example.de"
  run "$x a new address needs city and country" 2 client set "$p" acme --street "Ring 2"
  errs "$x a new address needs city and country" 'kontingent: client set: client "acme" has no address yet; give --city and --country'
  run "$x client set" 0 client set "$p" acme --street "Ring 2" --postcode 1010 --city Wien --country AT --vat-id ATU12345678 \
    --email ap@acme.at --buyer-reference PO-77 --payment-days 14
  says "$x client set" "acme: set street=Ring 2, postcode=1010, city=Wien, country=AT, vat_id=ATU12345678, email=ap@acme.at, buyer_reference=PO-77, payment_days=14"

  # 2 h at 90 EUR/h with 19 % VAT, due 14 days after the draft's date.
  run "$x bill" 0 bill "$p" --engagement site --format json
  bill_json "$x bill" "RE-2026-1 180.00 34.20 214.20 2026-01-20 Wien"
  run "$x the engagement's own VAT" 0 engagement set "$p" site --vat S:7
  says "$x the engagement's own VAT" "site: set vat=S:7"
  run "$x bill at 7 %" 0 bill "$p" --engagement site --format json
  bill_json "$x bill at 7 %" "RE-2026-1 180.00 12.60 192.60 2026-01-20 Wien"
  local as_json=$p
  if [ "$1" != json ]; then
    as_json=$work/parties-$1.json
    run "$x convert" 0 convert "$p" "$as_json"
  fi
  grep -qxF ' "format": "kontingent-book/2",' "$as_json" && pass || fail "$x not a version 2 book: $(head -2 "$as_json")"

  run "$x client without a VAT id" 0 client add "$p" bolt --name "Bolt & Partner"
  run "$x engagement add with VAT" 0 engagement add "$p" bolt-1 --client bolt --pricing hourly --rate 80 --start 2026-01-01 --vat Z
  says "$x engagement add with VAT" "added engagement bolt-1 for client bolt: hourly, rate 80.00 EUR/h, from 2026-01-01, vat Z"
  cp "$p" "$work/parties-before"
  run "$x malformed VAT" 2 owner set "$p" --vat X
  errs "$x malformed VAT" 'kontingent: --vat: expected S:PERCENT, Z, E:REASON or AE:REASON, like S:19, S:5.5 or E:"Kleinunternehmer gemäß §19 UStG", got "X"'
  unchanged "$x malformed VAT"
  run "$x VAT to seven decimals" 2 owner set "$p" --vat S:19.1234567
  errs "$x VAT to seven decimals" 'kontingent: --vat: a percent has at most six decimals, got "S:19.1234567"'
  unchanged "$x VAT to seven decimals"
  run "$x VAT to six decimals" 0 owner set "$p" --vat S:19.123456
  says "$x VAT to six decimals" "owner: set vat=S:19.123456"
  run "$x VAT back" 0 owner set "$p" --vat S:19
  cp "$p" "$work/parties-before"
  run "$x unknown country" 1 owner set "$p" --country XX
  errs "$x unknown country" 'kontingent: owner.address.country: must be an ISO 3166-1 alpha-2 country code like "DE", got "XX"'
  unchanged "$x unknown country"
  run "$x reverse charge without the client's VAT id" 1 engagement set "$p" bolt-1 --vat "AE:Steuerschuldnerschaft des Leistungsempfängers"
  errs "$x reverse charge without the client's VAT id" \
    'kontingent: engagements[1].terms.vat: VAT category "AE" (reverse charge) needs the client'"'"'s "vat_id", and client "bolt" has none'
  unchanged "$x reverse charge without the client's VAT id"
  run "$x exempt without a reason" 1 owner set "$p" --vat E
  errs "$x exempt without a reason" 'kontingent: owner.vat: VAT category "E" needs an "exemption_reason" (printed on the invoice, e.g. "Kleinunternehmer gemäß §19 UStG")'
  unchanged "$x exempt without a reason"
  run "$x negative payment days" 1 client set "$p" bolt --payment-days -1
  errs "$x negative payment days" "kontingent: clients[1].payment_days: must be an integer >= 0 and at most 10000000"
  unchanged "$x negative payment days"
}
parties json
parties kdb

# --- concurrent writers: 8 processes x 25 log commands leave all 200 entries ----------------------
c=$work/c.kbin
"$cli" init "$c" >/dev/null && "$cli" client add "$c" x --name X >/dev/null &&
  "$cli" engagement add "$c" x-1 --client x --pricing hourly --rate 50 --start 2026-01-01 >/dev/null
for w in 0 1 2 3 4 5 6 7; do
  (for i in $(seq 0 24); do
    day=$(printf '2026-%02d-%02d' $((w + 1)) $((i + 1)))
    "$cli" log "$c" x-1 --minutes 30 --at "${day}T09:00" >/dev/null 2>>"$work/writers.err" || echo "writer $w failed" >>"$work/writers.err"
  done) &
done
wait
run "concurrent writers" 0 status "$c" --as-of 2026-12-31 --format json
"$cli" report "$c" --format json | grep -q '"worked_seconds": 360000' && pass || fail "concurrent writers: not all 200 entries ($(cat "$work/writers.err"))"

finish keeping
