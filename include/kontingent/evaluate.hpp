#pragma once
// The evaluation (docs/formats.md: the categories and the report): a pure function from an engagement and an as-of date to a report.
// One linear pass over the journal sorts every entry's billable seconds into a Tally; then one
// function per billing category — read them next to the category table of docs/formats.md — turns the tally into money.
#include <algorithm>
#include <array>
#include <boost/date_time/gregorian/gregorian_types.hpp>
#include <exception>
#include <limits>
#include <mutex>
#include <numeric>
#include <optional>
#include <span>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "kontingent/book.hpp"
#include "kontingent/detail/divide.hpp"
#include "kontingent/detail/parallel.hpp"
#include "kontingent/report.hpp"

namespace kontingent {

/// What one pass over the journal found, in seconds and counts; the category functions price it.
struct Tally {
  Seconds covered = 0;                 ///< work the base price pays for, rounded
  std::vector<Seconds> covered_by_month;  ///< retainer: covered seconds of each month counted in base
  Seconds extra_round = 0;             ///< work on extra revision rounds, rounded
  std::int64_t extra_rounds = 0;
  std::int64_t rounds_used = 0;
  Seconds unquoted_change = 0;         ///< work on change requests without a quote, rounded
  Money quotes;                        ///< Σ quotes of counted change requests
  std::int64_t call_blocks = 0;        ///< started call-fee blocks over all call entries
  Seconds rush = 0;                    ///< work on rush requests, rounded
  std::int64_t no_shows = 0;
  Seconds worked = 0;
  KindSeconds by_kind;
  bool overlap = false;
  // State of the pass, so that entries can also be added one at a time (add_entry): while they come
  // in time order, a comparison with the entry before finds an overlap.
  bool in_order = true;
  ClockSeconds previous_start = std::numeric_limits<ClockSeconds>::min();
  ClockSeconds previous_end = std::numeric_limits<ClockSeconds>::min();
};

namespace billing {

/// The calendar months a retainer's base counts: from the start month to the end month, capped at
/// the as-of month. Zero for other pricings, and for an engagement that has not started by then.
inline std::int64_t retainer_months(const Engagement& e, Date as_of) {
  if (e.terms.pricing != Pricing::retainer || e.start > as_of) return 0;
  const Date last = e.end && *e.end < as_of ? *e.end : as_of;
  return month_number(clock_days(last)) - month_number(clock_days(e.start)) + 1;
}

/// Contingent use per period: the block, or each retainer month with its carry. Empty for fixed and hourly.
inline std::vector<ContingentUse> contingent_periods(const Terms& terms, const Tally& t) {
  if (terms.pricing == Pricing::contingent)
    return {{*terms.contingent, t.covered, std::max<Seconds>(0, t.covered - *terms.contingent)}};
  std::vector<ContingentUse> months;
  if (terms.pricing != Pricing::retainer) return months;
  months.reserve(t.covered_by_month.size());
  Seconds carry = 0;
  for (const Seconds used : t.covered_by_month) {
    const Seconds available = *terms.contingent + carry;
    months.push_back({available, used, std::max<Seconds>(0, used - available)});
    carry = std::min(terms.rollover_max.value_or(0), std::max<Seconds>(0, available - used));
  }
  return months;
}

inline Money base(const Engagement& e, const Tally& t) {
  const Terms& terms = e.terms;
  switch (terms.pricing) {
    case Pricing::fixed: return *terms.fixed_price;
    case Pricing::contingent: return *terms.contingent_price;
    case Pricing::retainer: return *terms.contingent_price * static_cast<std::int64_t>(t.covered_by_month.size());
    case Pricing::hourly: return terms.rate.for_seconds(t.covered);
  }
  return Money::zero(e.currency);
}

/// Summed over all periods, rounded once.
inline Money overage(const Engagement& e, const std::vector<ContingentUse>& periods) {
  Seconds over = 0;
  for (const ContingentUse& p : periods) over += p.overage;
  return e.terms.rate.for_seconds(over);
}

/// A requested extra round counts at the flat price even with no time logged.
inline Money revision(const Engagement& e, const Tally& t) {
  const Terms& terms = e.terms;
  return terms.extra_round_price ? *terms.extra_round_price * t.extra_rounds : terms.rate.for_seconds(t.extra_round);
}

inline Money change(const Engagement& e, const Tally& t) { return t.quotes + e.terms.rate.for_seconds(t.unquoted_change); }

inline Money call(const Engagement& e, const Tally& t) {
  return e.terms.call_fee ? e.terms.call_fee->fee * t.call_blocks : Money::zero(e.currency);
}

/// Started fee blocks of one call of `raw` seconds: raw, never rounded, seconds count here.
/// `per_block` divides by the fee's block.
inline std::int64_t call_fee_blocks(const CallFee& fee, Seconds raw, const detail::DivideBy& per_block) noexcept {
  const Seconds billed = std::max<Seconds>(0, raw - fee.free);
  return per_block(billed + fee.block - 1);
}

inline Money rush(const Engagement& e, const Tally& t) {
  if (!e.terms.rush) return Money::zero(e.currency);
  const std::string_view code = e.currency.code();
  const Wide numerator = wide_product(wide_product(e.terms.rate.cents(), e.terms.rush->surcharge_micro_percent, code), t.rush, code);
  return Money::checked(divide_rounded_wide(numerator, static_cast<Wide>(100) * 1'000'000 * 3600), e.currency);
}

inline Money no_show(const Engagement& e, const Tally& t) {
  return e.terms.no_show ? e.terms.no_show->fee * t.no_shows : Money::zero(e.currency);
}

/// A request is a rush when it is due sooner than the lead time after it was received.
inline bool is_rush(const Terms& terms, const Request& r) {
  return terms.rush && r.due && (*r.due - r.received).total_seconds() < terms.rush->lead;
}

/// A missed appointment, or one cancelled less than the notice before it.
inline bool is_no_show(const Terms& terms, const Appointment& a) {
  if (a.status == AppointmentStatus::no_show) return true;
  return terms.no_show && a.status == AppointmentStatus::cancelled && a.cancelled &&
         (a.at - *a.cancelled).total_seconds() < terms.no_show->notice;
}

}  // namespace billing

namespace detail {

/// How the billable seconds of work on a request are priced.
enum class RequestWork : std::uint8_t {
  not_billable,   // declined, or not yet received at the as-of date
  covered,        // an included revision round
  extra_round,    // a revision round beyond the included ones
  quoted_change,  // paid by its quote
  hourly_change,  // a change without a quote
};

struct RequestPricing {
  std::vector<RequestWork> work;
  std::vector<std::uint8_t> rush;
  std::vector<std::int32_t> round;  ///< revision round number 1, 2, … of a counted round; 0 otherwise
};

/// Numbers the counted revision rounds and prices each request; fills the request parts of `t`.
inline RequestPricing price_requests(const Engagement& e, Date as_of, Tally& t) {
  const auto& requests = e.journal.requests;
  RequestPricing p{std::vector<RequestWork>(requests.size(), RequestWork::not_billable),
                   std::vector<std::uint8_t>(requests.size(), 0), std::vector<std::int32_t>(requests.size(), 0)};
  std::vector<std::size_t> rounds;
  t.quotes = Money::zero(e.currency);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const Request& r = requests[i];
    if (r.declined || !happened_by(r, as_of)) continue;
    p.rush[i] = billing::is_rush(e.terms, r);
    if (r.kind == RequestKind::revision) {
      rounds.push_back(i);
    } else if (r.quote) {
      p.work[i] = RequestWork::quoted_change;
      t.quotes += *r.quote;
    } else {
      p.work[i] = RequestWork::hourly_change;
    }
  }
  // Rounds are numbered by when they were received; ties go by id as plain strings.
  std::sort(rounds.begin(), rounds.end(), [&](std::size_t a, std::size_t b) {
    if (requests[a].received != requests[b].received) return requests[a].received < requests[b].received;
    return requests[a].id < requests[b].id;
  });
  for (std::size_t n = 0; n < rounds.size(); ++n) {
    p.work[rounds[n]] = static_cast<std::int64_t>(n) < e.terms.included_rounds ? RequestWork::covered : RequestWork::extra_round;
    p.round[rounds[n]] = static_cast<std::int32_t>(n + 1);
  }
  t.rounds_used = static_cast<std::int64_t>(rounds.size());
  t.extra_rounds = std::max<std::int64_t>(0, t.rounds_used - e.terms.included_rounds);
  return p;
}

/// Sorts `items` by insertion while that costs at most `budget` moves in all; false, with `items`
/// partly sorted (and still holding each item once), once it would cost more.
template <class T>
bool insertion_sort_within(std::vector<T>& items, std::size_t budget) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    T item = items[i];
    std::size_t j = i;
    for (; j > 0 && item < items[j - 1]; --j) {
      if (budget == 0) {
        items[j] = item;  // into the gap the moves opened: no item is lost or doubled
        return false;
      }
      --budget;
      items[j] = items[j - 1];
    }
    items[j] = item;
  }
  return true;
}

/// True when two of the [start, end) intervals overlap.
inline bool any_overlap(std::vector<std::pair<ClockSeconds, ClockSeconds>> intervals) {
  // Entries out of time order are mostly a few logged late: sorting those by insertion takes a few
  // moves per entry, where a full sort takes log2(n) comparisons per entry whatever the order.
  if (!insertion_sort_within(intervals, 4 * intervals.size())) std::sort(intervals.begin(), intervals.end());
  for (std::size_t i = 1; i < intervals.size(); ++i)
    if (intervals[i].first < intervals[i - 1].second) return true;
  return false;
}

}  // namespace detail

/// What an entry's billable seconds pay for (docs/formats.md: categories).
enum class EntryUse : std::uint8_t {
  covered,        ///< paid by the base price: scope, included rounds, calls without a call fee
  extra_round,    ///< priced in `revision`
  quoted_change,  ///< paid by its request's quote (`change`)
  hourly_change,  ///< priced in `change` at the rate
  call_fee,       ///< priced in `call` by the fee, from raw seconds
  internal,       ///< your own overhead: never billable
  not_billable,   ///< on a declined request, or one not yet received: never covered, never rush
};
template <>
struct enum_names<EntryUse> {
  static constexpr std::array<std::string_view, 7> values{"covered",  "extra_round", "quoted_change", "hourly_change",
                                                          "call_fee", "internal",    "not_billable"};
};

/// The category (docs/formats.md) whose amount prices an entry's time of this use; none for time no category
/// prices. Covered time is the base price's (overage is a period's sum, not an entry's).
constexpr std::optional<Category> category_of(EntryUse use) noexcept {
  switch (use) {
    case EntryUse::covered: return Category::base;
    case EntryUse::extra_round: return Category::revision;
    case EntryUse::quoted_change:
    case EntryUse::hourly_change: return Category::change;
    case EntryUse::call_fee: return Category::call;
    case EntryUse::internal:
    case EntryUse::not_billable: break;
  }
  return std::nullopt;
}

struct EntryBilling {
  Seconds billed = 0;  ///< per-entry rounded seconds
  EntryUse use = EntryUse::covered;
  bool rush = false;  ///< its billed seconds also count for the rush surcharge
};

/// Where one entry's time goes — the one place that decides it: tally() sums it, and per-entry
/// views (Python's entries_frame) show it. `requests` comes from detail::price_requests.
inline EntryBilling bill_entry(const Terms& terms, const detail::RequestPricing& requests, EntryKind kind,
                               RequestIndex request, Seconds raw) noexcept {
  const Seconds billed = terms.billable_seconds(raw);
  switch (kind) {
    case EntryKind::scope: return {billed, EntryUse::covered};
    case EntryKind::internal: return {billed, EntryUse::internal};
    case EntryKind::call: return {billed, terms.call_fee ? EntryUse::call_fee : EntryUse::covered};
    case EntryKind::revision:
    case EntryKind::change: break;
  }
  const auto r = static_cast<std::size_t>(request);
  const bool rush = requests.rush[r] != 0;
  switch (requests.work[r]) {
    case detail::RequestWork::not_billable: return {billed, EntryUse::not_billable};
    case detail::RequestWork::covered: return {billed, EntryUse::covered, rush};
    case detail::RequestWork::extra_round: return {billed, EntryUse::extra_round, rush};
    case detail::RequestWork::hourly_change: return {billed, EntryUse::hourly_change, rush};
    case detail::RequestWork::quoted_change: return {billed, EntryUse::quoted_change, rush};
  }
  return {billed, EntryUse::not_billable};
}

/// What the per-entry step needs to know about one engagement at one as-of date: its terms, how
/// work on each request is priced, the cut-off, the retainer's first month and the divisions the
/// terms need for every entry, prepared once. Made by begin_tally().
struct TallyRules {
  Terms terms;
  detail::RequestPricing requests;
  ClockSeconds cut_off = 0;      ///< entries starting at or after it are dated after the as-of date
  std::int32_t first_month = 0;  ///< month_number of the engagement's start: retainer month 0
  detail::DivideBy per_increment{1};  ///< by the rounding increment, if the terms round
  detail::DivideBy per_call_block{1};  ///< by the call fee's block, if the terms have one
  /// Where an entry's time goes depends only on its kind and its request, so the pass sums the
  /// seconds per slot — one for each kind of entry without a request (slots 0 … 4, by kind) and
  /// one for each request (slot 5 + its index) — and bill_entry() decides once per slot.
  struct Slot {
    EntryKind kind = EntryKind::scope;
    EntryUse use = EntryUse::not_billable;
    bool rush = false;
  };
  std::vector<Slot> slots;

  static std::size_t slot_of(EntryKind kind, RequestIndex request) noexcept {
    return request == no_request ? static_cast<std::size_t>(kind) : entry_kind_count + static_cast<std::size_t>(request);
  }
};

/// Starts a tally: prices the requests and counts the no-shows up to the as-of date. Entries are
/// then added with add_entries() or add_entry().
inline TallyRules begin_tally(const Engagement& e, Date as_of, Tally& t) {
  const Terms& terms = e.terms;
  TallyRules rules{terms,
                   detail::price_requests(e, as_of, t),
                   entries_cut_off(as_of),
                   month_number(clock_days(e.start)),
                   detail::DivideBy(terms.rounding ? terms.rounding->increment : 1),
                   detail::DivideBy(terms.call_fee ? terms.call_fee->block : 1),
                   {}};
  const auto& requests = e.journal.requests;
  rules.slots.resize(entry_kind_count + requests.size());
  const auto decide = [&](EntryKind kind, RequestIndex request) {
    const EntryBilling b = bill_entry(terms, rules.requests, kind, request, 0);
    rules.slots[TallyRules::slot_of(kind, request)] = {kind, b.use, b.rush};
  };
  // Revision and change entries always name a request (validate()), so slots 1 and 2 stay unused.
  for (const EntryKind kind : {EntryKind::scope, EntryKind::call, EntryKind::internal}) decide(kind, no_request);
  for (std::size_t r = 0; r < requests.size(); ++r) decide(entry_kind_of(requests[r].kind), static_cast<RequestIndex>(r));
  t.covered_by_month.assign(static_cast<std::size_t>(billing::retainer_months(e, as_of)), 0);
  for (const Appointment& a : e.journal.appointments)
    if (happened_by(a, as_of) && billing::is_no_show(e.terms, a)) ++t.no_shows;
  return rules;
}

namespace detail {

/// Sums covered seconds into Tally::covered_by_month, by the retainer month of each entry's start.
/// Entries come mostly in time order, so the sum of the current month stays in a register and goes
/// to memory, and the calendar is consulted, only when the month changes.
class CoveredByMonth {
 public:
  CoveredByMonth(std::int32_t first_month, std::vector<Seconds>& months) noexcept
      : first_month_(first_month), months_(months.data()) {}
  void add(ClockSeconds start, Seconds covered) noexcept {
    if (start < begin_ || start >= end_) [[unlikely]] move_to(start);
    sum_ += covered;
  }
  /// Adds the current month's sum to its month; the last call after the entries.
  void flush() noexcept {
    if (sum_ != 0) months_[index_] += sum_;
    sum_ = 0;
  }

 private:
  void move_to(ClockSeconds start) noexcept {
    flush();
    const CivilDate c = civil_from_days(day_of(start));
    const CivilDate next = c.month == 12 ? CivilDate{c.year + 1, 1, 1} : CivilDate{c.year, c.month + 1, 1};
    begin_ = Seconds{days_from_civil(c.year, c.month, 1)} * seconds_per_day;
    end_ = Seconds{days_from_civil(next.year, next.month, 1)} * seconds_per_day;
    index_ = static_cast<std::size_t>(c.year * 12 + static_cast<std::int32_t>(c.month) - 1 - first_month_);
  }

  std::int32_t first_month_;
  Seconds* months_;
  ClockSeconds begin_ = 0, end_ = 0;
  std::size_t index_ = 0;
  Seconds sum_ = 0;
};

/// add_entries() for engagements whose terms round entries (`Rounded`), charge for calls
/// (`CallFee`) and count covered time per retainer month (`Monthly`): each such term costs work
/// on every entry, so each combination gets a loop of its own, and an engagement pays only for its own.
template <bool Rounded, bool CallFee, bool Monthly>
void add_entries_with(Tally& tally, const TallyRules& rules, std::span<const ClockSeconds> starts,
                      std::span<const Seconds> seconds, std::span<const EntryKind> kinds,
                      std::span<const RequestIndex> requests) {
  // What the loop needs of the rules is copied into locals: the compiler cannot keep fields in
  // registers across the stores into `by_slot`, which might alias them.
  const ClockSeconds cut_off = rules.cut_off;
  const Rounding rounding = Rounded ? *rules.terms.rounding : Rounding{};
  const detail::DivideBy per_increment = rules.per_increment, per_call_block = rules.per_call_block;
  const kontingent::CallFee call_fee = CallFee ? *rules.terms.call_fee : kontingent::CallFee{};
  const TallyRules::Slot* const slots = rules.slots.data();
  // Raw and billed seconds per slot: where they go (kind, use, rush) is looked up once per slot
  // after the loop, not per entry.
  struct SlotSeconds {
    Seconds raw = 0, billed = 0;
  };
  std::vector<SlotSeconds> by_slot(rules.slots.size());
  CoveredByMonth by_month(rules.first_month, tally.covered_by_month);
  std::int64_t call_blocks = 0;
  // The order check: whether the counted entries come in time order and, while they do, whether
  // two overlap. In time order, an entry that overlaps an earlier one also overlaps the one just
  // before it (entries last more than zero seconds), so comparing neighbours suffices. Each
  // comparison a < b is taken as the sign of a − b, and the signs are collected with bitwise or:
  // cheaper than comparisons, and nothing to wait for from one entry to the next. Times are far
  // from the ends of the 64-bit range, so no difference overflows; they are subtracted unsigned only
  // so that even absurd ones could not make it undefined.
  const auto minus = [](ClockSeconds a, ClockSeconds b) { return static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b); };
  constexpr std::uint64_t negative = std::uint64_t{1} << 63;
  std::uint64_t back_in_time = 0, overlapping = 0;
  ClockSeconds previous_start = tally.previous_start, previous_end = tally.previous_end;
  if (previous_start == std::numeric_limits<ClockSeconds>::min()) {  // no entry counted yet
    const auto first = std::find_if(starts.begin(), starts.end(), [&](ClockSeconds start) { return start < cut_off; });
    if (first != starts.end()) previous_start = previous_end = *first;
  }
  for (std::size_t i = 0; i < starts.size(); ++i) {
    const ClockSeconds start = starts[i];
    if (start >= cut_off) continue;
    const Seconds raw = seconds[i];
    const EntryKind kind = kinds[i];
    back_in_time |= minus(start, previous_start);
    overlapping |= minus(start, previous_end);
    previous_start = start;
    previous_end = start + raw;
    const std::size_t slot = TallyRules::slot_of(kind, requests[i]);
    const Seconds billed = Rounded ? rounding.apply(raw, per_increment) : raw;
    by_slot[slot].raw += raw;
    by_slot[slot].billed += billed;
    if constexpr (Monthly) by_month.add(start, slots[slot].use == EntryUse::covered ? billed : 0);
    if constexpr (CallFee)
      call_blocks += kind == EntryKind::call ? billing::call_fee_blocks(call_fee, raw, per_call_block) : 0;
  }
  by_month.flush();
  for (std::size_t slot = 0; slot < by_slot.size(); ++slot) {
    const auto [raw, billed] = by_slot[slot];
    const TallyRules::Slot& s = slots[slot];
    tally.worked += raw;
    tally.by_kind[s.kind] += raw;
    if (s.use == EntryUse::covered) tally.covered += billed;
    if (s.use == EntryUse::extra_round) tally.extra_round += billed;
    if (s.use == EntryUse::hourly_change) tally.unquoted_change += billed;
    if (s.rush) tally.rush += billed;
  }
  tally.call_blocks += call_blocks;
  tally.in_order &= (back_in_time & negative) == 0;
  tally.overlap |= (overlapping & negative) != 0;
  tally.previous_start = previous_start, tally.previous_end = previous_end;
}

/// The eight loops of add_entries_with, indexed by a bit per term: rounding 4, call fee 2, retainer months 1.
template <std::size_t... Combination>
constexpr auto add_entries_table(std::index_sequence<Combination...>) noexcept {
  return std::array{&add_entries_with<(Combination & 4) != 0, (Combination & 2) != 0, (Combination & 1) != 0>...};
}

}  // namespace detail

/// The per-entry step of the pass, over a run of entries given as columns (those of Entries, or
/// one appended entry): sorts each entry's raw and billable seconds into the tally. Entries dated
/// after the as-of date are ignored. tally() calls it for all entries, LiveBalance for each
/// appended one. When entries came out of time order (`!t.in_order`), `t.overlap` is only known
/// after detail::any_overlap over all of them.
inline void add_entries(Tally& tally, const TallyRules& rules, std::span<const ClockSeconds> starts,
                        std::span<const Seconds> seconds, std::span<const EntryKind> kinds,
                        std::span<const RequestIndex> requests) {
  static constexpr auto loops = detail::add_entries_table(std::make_index_sequence<8>());
  const std::size_t terms = (rules.terms.rounding ? 4 : 0) + (rules.terms.call_fee ? 2 : 0) + (tally.covered_by_month.empty() ? 0 : 1);
  loops[terms](tally, rules, starts, seconds, kinds, requests);
}

/// add_entries() for one entry.
inline void add_entry(Tally& t, const TallyRules& rules, ClockSeconds start, Seconds raw, EntryKind kind,
                      RequestIndex request) {
  add_entries(t, rules, {&start, 1}, {&raw, 1}, {&kind, 1}, {&request, 1});
}

namespace detail {

/// True when two entries starting before `cut_off` overlap: the sort that entries out of time order need.
inline bool any_overlap(const Entries& entries, ClockSeconds cut_off) {
  std::vector<std::pair<ClockSeconds, ClockSeconds>> intervals;
  const auto starts = entries.starts();
  const auto seconds = entries.seconds();
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (starts[i] < cut_off) intervals.emplace_back(starts[i], starts[i] + seconds[i]);
  return any_overlap(std::move(intervals));
}

}  // namespace detail

/// One pass over the journal up to the as-of date (entries, requests and appointments dated later are ignored).
inline Tally tally(const Engagement& e, Date as_of) {
  Tally t;
  const TallyRules rules = begin_tally(e, as_of, t);
  const Entries& entries = e.journal.entries;
  add_entries(t, rules, entries.starts(), entries.seconds(), entries.kinds(), entries.requests());
  if (!t.in_order) t.overlap = detail::any_overlap(entries, rules.cut_off);
  return t;
}

/// True when the invoice's due date (docs/formats.md, book version 2: its own, else its date + the client's payment days)
/// is before `day`. Counted in days rather than as a date, which could lie past the year 9999.
inline bool due_before(const Invoice& invoice, std::int64_t payment_days, Date day) {
  return invoice.due ? *invoice.due < day : (day - invoice.date).days() > payment_days;
}

/// The invoices dated on or before `as_of` whose due date is before it and that are not fully paid
/// by then. What a credit note takes back of an invoice is no longer owed on it.
inline std::vector<const Invoice*> overdue_invoices(const Engagement& e, Date as_of,
                                                    std::int64_t payment_days = default_payment_days) {
  std::vector<const Invoice*> overdue;
  for (const Invoice& invoice : e.journal.invoices) {
    if (invoice.credit_note || !happened_by(invoice, as_of) || !due_before(invoice, payment_days, as_of)) continue;
    Money owed = Money::zero(e.currency);
    for (const InvoiceLine& line : invoice.lines) owed += line.amount;
    for (const Payment& p : e.journal.payments)
      if (p.invoice == invoice.id && happened_by(p, as_of)) owed -= p.amount;
    for (const Invoice& credit : e.journal.invoices)
      if (credit.credit_note && credit.refers_to == invoice.id && happened_by(credit, as_of))
        for (const InvoiceLine& line : credit.lines) owed -= line.amount;
    if (owed.cents() > 0) overdue.push_back(&invoice);
  }
  return overdue;
}

/// The report of one engagement as of a date from its tally (docs/formats.md: categories and report): prices each category,
/// compares with the invoices, raises the alerts. Costs nothing per entry.
inline EngagementReport report_from_tally(const Engagement& e, Date as_of, const Tally& t,
                                          std::int64_t payment_days = default_payment_days) {
  const std::vector<ContingentUse> periods = billing::contingent_periods(e.terms, t);

  EngagementReport r;
  r.id = e.id;
  r.client = e.client;
  r.currency = e.currency;
  r.billable[Category::base] = billing::base(e, t);
  r.billable[Category::overage] = billing::overage(e, periods);
  r.billable[Category::revision] = billing::revision(e, t);
  r.billable[Category::change] = billing::change(e, t);
  r.billable[Category::call] = billing::call(e, t);
  r.billable[Category::rush] = billing::rush(e, t);
  r.billable[Category::no_show] = billing::no_show(e, t);

  for (Money& m : r.invoiced.values) m = Money::zero(e.currency);
  for (const Invoice& invoice : e.journal.invoices)
    if (happened_by(invoice, as_of))
      for (const InvoiceLine& line : invoice.lines)
        r.invoiced[line.category] += invoice.credit_note ? -line.amount : line.amount;

  r.unbilled = r.overbilled = Money::zero(e.currency);
  Money invoiced_total = Money::zero(e.currency);
  for (std::size_t c = 0; c < category_count; ++c) {
    const Money leak = r.billable.values[c] - r.invoiced.values[c];
    r.leakage.values[c] = leak;
    if (leak.cents() > 0) r.unbilled += leak;
    else r.overbilled -= leak;
    invoiced_total += r.invoiced.values[c];
  }

  r.worked_seconds = t.worked;
  r.seconds_by_kind = t.by_kind;
  if (t.worked > 0)
    r.effective_rate = Money::checked(divide_rounded_wide(static_cast<Wide>(invoiced_total.cents()) * 3600, t.worked), e.currency);
  r.rounds = {e.terms.included_rounds, t.rounds_used, t.extra_rounds};
  if (e.terms.has_contingent())
    r.contingent = std::accumulate(periods.begin(), periods.end(), ContingentUse{});

  const auto alert_if = [&](bool condition, Alert a) {
    if (condition) r.alerts.push_back(a);
  };
  // The last period is the block, or the last retainer month counted in base; "≥ 80 %" in integers.
  alert_if(!periods.empty() && periods.back().consumed * 5 >= periods.back().available * 4, Alert::contingent_80);
  alert_if(std::any_of(periods.begin(), periods.end(), [](const ContingentUse& p) { return p.overage > 0; }),
           Alert::contingent_exceeded);
  alert_if(r.rounds.extra > 0, Alert::extra_rounds);
  alert_if(!overdue_invoices(e, as_of, payment_days).empty(), Alert::invoice_overdue);
  alert_if(t.overlap, Alert::overlap);
  alert_if(e.review_by && *e.review_by < as_of, Alert::review_overdue);
  alert_if(r.rounds.included > 0 && r.rounds.used >= r.rounds.included, Alert::rounds_exhausted);
  alert_if(r.unbilled.cents() > 0, Alert::unbilled);
  return r;
}

namespace detail {
/// `report()`, with a money overflow in it named by the engagement it happened in.
template <class Work>
auto in_engagement(const Engagement& e, Work&& report) {
  try {
    return report();
  } catch (const money_overflow& overflow) {
    throw money_overflow("engagement \"" + e.id + "\": " + overflow.what());
  }
}
}  // namespace detail

/// The report of one engagement as of a date (docs/formats.md: categories and report). The engagement must be valid;
/// `payment_days` are its client's (Client::days_to_pay), for invoices without a due date.
inline EngagementReport evaluate(const Engagement& e, Date as_of, std::int64_t payment_days = default_payment_days) {
  return detail::in_engagement(e, [&] { return report_from_tally(e, as_of, tally(e, as_of), payment_days); });
}

/// tally(e, later) from `t` = tally(e, as_of), for an `as_of` on or after every event of `e`
/// (latest_event_date): what counted then counts the same later, and only a retainer's months run
/// on, with no work in them. Costs nothing per entry.
inline Tally tally_later(Tally t, const Engagement& e, Date later) {
  t.covered_by_month.resize(static_cast<std::size_t>(billing::retainer_months(e, later)), 0);
  return t;
}

/// The latest date of any entry, request, appointment, invoice or payment of the engagement (docs/formats.md, report:
/// due dates, review dates and engagement ends do not count); none for an engagement without events.
inline std::optional<Date> latest_event_date(const Engagement& e) {
  std::optional<Date> latest;
  const auto later = [&](Date d) {
    if (!latest || *latest < d) latest = d;
  };
  const auto each = [&](const auto& events) {
    for (const auto& event : events) later(event_date(event));
  };
  const Journal& j = e.journal;
  if (const auto start = j.entries.latest_start()) later(to_date(day_of(*start)));
  each(j.requests), each(j.appointments), each(j.invoices), each(j.payments);
  return latest;
}

namespace detail {
/// latest_event_date() of each engagement of the book, on up to `threads` threads (0: one per core).
inline std::vector<std::optional<Date>> latest_event_dates(const Book& book, unsigned threads) {
  const std::size_t n = book.engagements.size();
  std::vector<std::optional<Date>> each(n);
  detail::parallel_for(n, detail::threads_for(detail::entry_count(book), n, threads),
                       [&](std::size_t i, unsigned) { each[i] = latest_event_date(book.engagements[i]); });
  return each;
}

/// The latest of `dates`; none if none is set.
inline std::optional<Date> latest_of(std::span<const std::optional<Date>> dates) {
  std::optional<Date> latest;
  for (const std::optional<Date>& d : dates)
    if (d && (!latest || *latest < *d)) latest = d;
  return latest;
}

/// default_as_of(book) from each engagement's latest_event_date().
inline std::optional<Date> default_as_of(const Book& book, std::span<const std::optional<Date>> latest_events) {
  if (const std::optional<Date> latest = latest_of(latest_events)) return latest;
  std::optional<Date> start;
  for (const Engagement& e : book.engagements)
    if (!start || *start < e.start) start = e.start;
  return start;
}
}  // namespace detail

/// The latest event date of any engagement of the book; none for a book without events. A big
/// book's engagements are looked through on up to `threads` threads (0: one per core).
inline std::optional<Date> latest_event_date(const Book& book, unsigned threads = 1) {
  return detail::latest_of(detail::latest_event_dates(book, threads));
}

/// The default as-of date of a book made of `e` alone: its latest event, else its start.
inline Date default_as_of(const Engagement& e) { return latest_event_date(e).value_or(e.start); }

/// The default as-of date: latest_event_date() (on up to `threads` threads); for a book with no
/// events, its latest engagement start; none for a book without engagements.
inline std::optional<Date> default_as_of(const Book& book, unsigned threads = 1) {
  return detail::default_as_of(book, detail::latest_event_dates(book, threads));
}

namespace detail {
/// Each engagement's client's payment days, looking each client up once.
inline std::vector<std::int64_t> days_to_pay(const Book& book, const std::vector<const Engagement*>& engagements) {
  std::vector<std::int64_t> days(engagements.size(), default_payment_days);
  if (std::none_of(book.clients.begin(), book.clients.end(), [](const Client& c) { return c.payment_days.has_value(); }))
    return days;
  std::unordered_map<std::string_view, std::int64_t> by_client;
  for (const Client& c : book.clients) by_client.emplace(c.id, c.days_to_pay());
  for (std::size_t i = 0; i < engagements.size(); ++i)
    if (const auto it = by_client.find(engagements[i]->client); it != by_client.end()) days[i] = it->second;
  return days;
}

/// The report as of `as_of` (none: today, for a book without engagements, whose report is empty
/// whatever the date) of the engagements that have started by then, in the book's order, each
/// `report_of(index in the book, as_of, its client's payment days)`, on up to `threads` threads
/// as their entries pay off.
template <class ReportOf>
Report report_started(const Book& book, std::optional<Date> as_of, unsigned threads, ReportOf&& report_of) {
  Report report{as_of ? *as_of : boost::gregorian::day_clock::local_day(), {}};
  std::vector<const Engagement*> started;
  std::size_t entries = 0;
  for (const Engagement& e : book.engagements)
    if (e.start <= report.as_of) started.push_back(&e), entries += e.journal.entries.size();

  report.engagements.resize(started.size());
  const std::vector<std::int64_t> payment_days = days_to_pay(book, started);
  parallel_for(started.size(), threads_for(entries, started.size(), threads), [&](std::size_t i, unsigned) {
    report.engagements[i] = report_of(static_cast<std::size_t>(started[i] - book.engagements.data()), report.as_of, payment_days[i]);
  });
  return report;
}
}  // namespace detail

/// The report of every engagement that has started by the as-of date (default: default_as_of;
/// today for a book without engagements, whose report is empty whatever the date). Engagements are
/// evaluated in parallel on up to `threads` threads (0: one per core; 1: this thread only); the
/// report is the same whatever the number, engagements in the book's order.
inline Report evaluate(const Book& book, std::optional<Date> as_of, unsigned threads) {
  if (!as_of) as_of = default_as_of(book, threads);
  return detail::report_started(book, as_of, threads, [&](std::size_t i, Date date, std::int64_t payment_days) {
    return evaluate(book.engagements[i], date, payment_days);
  });
}

/// evaluate(book, as_of, threads) on one thread per core.
inline Report evaluate(const Book& book, std::optional<Date> as_of = std::nullopt) { return evaluate(book, as_of, 0); }

/// evaluate(book, as_of) of a book while it is read, for a book too big to hold with all its
/// entries, or to report it sooner: a reader hands each engagement to add() as soon as it has read
/// it (load_book(file, each), on the thread that read it), which tallies it while its entries are
/// still in the cache and then lets its entries go; report() then prices the tallies. The report is
/// evaluate(book, as_of)'s (tests/cpp/report_while_reading_test.cpp).
class ReportWhileReading {
 public:
  explicit ReportWhileReading(std::optional<Date> as_of = std::nullopt) : as_of_(as_of) {}

  /// Tallies the engagement of index `index` in its book and empties its entries. Safe to call from
  /// several threads at once; a second call for an index replaces the first (a reader that read
  /// the book again). A money overflow is thrown by report(), where evaluate() would throw it.
  void add(std::size_t index, Engagement& e) {
    Tallied tallied{latest_event_date(e), {}, {}};
    // The default as-of date is on or after every event of the book, and an engagement that has
    // not started by then is left out: the tally as of its last event or start, whichever is
    // later, is the tally as of that date, which tally_later() moves it to.
    const Date date = as_of_ ? *as_of_ : std::max(tallied.latest_event.value_or(e.start), e.start);
    if (e.start <= date) {
      try {
        tallied.tally = detail::in_engagement(e, [&] { return tally(e, date); });
      } catch (...) {
        tallied.failure = std::current_exception();
      }
    }
    e.journal.entries = Entries{};
    const std::lock_guard lock(mutex_);
    if (tallied_.size() <= index) tallied_.resize(index + 1);
    tallied_[index] = std::move(tallied);
  }

  /// The report of `book`, whose engagements were add()ed; an engagement that was not is
  /// evaluated from its entries now.
  Report report(const Book& book) const {
    const std::lock_guard lock(mutex_);
    const std::size_t n = book.engagements.size();
    const auto added = [&](std::size_t i) { return i < tallied_.size() && tallied_[i] ? &*tallied_[i] : nullptr; };
    std::optional<Date> as_of = as_of_;
    if (!as_of) {
      std::vector<std::optional<Date>> latest(n);
      for (std::size_t i = 0; i < n; ++i)
        latest[i] = added(i) ? added(i)->latest_event : latest_event_date(book.engagements[i]);
      as_of = detail::default_as_of(book, latest);
    }
    return detail::report_started(book, as_of, 0, [&](std::size_t i, Date date, std::int64_t payment_days) {
      const Engagement& e = book.engagements[i];
      const Tallied* t = added(i);
      if (!t) return evaluate(e, date, payment_days);
      if (t->failure) std::rethrow_exception(t->failure);
      return detail::in_engagement(e, [&] { return report_from_tally(e, date, tally_later(t->tally, e, date), payment_days); });
    });
  }

 private:
  struct Tallied {
    std::optional<Date> latest_event;
    Tally tally;
    std::exception_ptr failure;
  };
  std::optional<Date> as_of_;
  mutable std::mutex mutex_;
  std::vector<std::optional<Tallied>> tallied_;
};

}  // namespace kontingent
