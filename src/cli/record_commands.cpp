// Keeping a book from the command line. Each write command runs one read–modify–write under the
// book's writers' lock (store.hpp), records through record() and prints the quote of what it
// recorded (quote.hpp): the command parses and prints, the library decides every amount.
#include "record_commands.hpp"

#include <boost/date_time/posix_time/posix_time.hpp>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <optional>

#include "exit_codes.hpp"
#include "kontingent/detail/scaled.hpp"
#include "kontingent/detail/text.hpp"
#include "kontingent/evaluate.hpp"
#include "kontingent/status.hpp"
#include "kontingent/store.hpp"
#include "kontingent/whatif.hpp"
#include "kontingent/writers/quote.hpp"
#include "kontingent/writers/status.hpp"
#include "kontingent/writers/terms_sheet.hpp"

namespace kontingent::cli {
namespace {

// ---- option values: a bad one is a usage error naming the option ------------------------------

/// Now on the local clock, to the minute: what times default to.
Time now_to_the_minute() {
  const Time now = boost::posix_time::second_clock::local_time();
  return Time(now.date(), boost::posix_time::minutes(now.time_of_day().total_seconds() / 60));
}

Time time_option(const std::string& text, std::string_view option) {
  std::string rule;
  const ClockSeconds t = parse_time(text, rule);
  if (!rule.empty()) throw UsageError(std::string(option) + ": " + rule);
  return to_time(t);
}

Date date_option(const std::string& text, std::string_view option) {
  std::string rule;
  const ClockDays d = parse_date(text, rule);
  if (!rule.empty()) throw UsageError(std::string(option) + ": " + rule);
  return to_date(d);
}

Money money_option(const std::string& text, Currency currency, std::string_view option) {
  std::string rule;
  const std::int64_t cents = parse_cents(text, rule);
  if (!rule.empty()) throw UsageError(std::string(option) + ": " + rule);
  if (cents < 0) throw UsageError(std::string(option) + ": money must not be negative, got " + detail::quoted(text));
  return {cents, currency};
}

/// A duration as people type it: "90" or "90m" (minutes), "1h30", "1h30m", "2h", "1:30".
Seconds duration_option(const std::string& text, std::string_view option) {
  const auto number = [](std::string_view s, std::int64_t& n) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    return !s.empty() && ec == std::errc{} && end == s.data() + s.size() && n >= 0;
  };
  std::string_view s = text;
  std::int64_t hours = 0, minutes = 0;
  bool ok = false;
  if (const auto h = s.find('h'); h != std::string_view::npos) {
    std::string_view rest = s.substr(h + 1);
    if (rest.ends_with('m')) rest.remove_suffix(1);
    ok = number(s.substr(0, h), hours) && (rest.empty() || (number(rest, minutes) && minutes < 60));
  } else if (const auto colon = s.find(':'); colon != std::string_view::npos) {
    ok = number(s.substr(0, colon), hours) && s.size() - colon == 3 && number(s.substr(colon + 1), minutes) && minutes < 60;
  } else {
    if (s.ends_with('m')) s.remove_suffix(1);
    ok = number(s, minutes);
  }
  const Seconds seconds = (hours * 60 + minutes) * 60;
  if (!ok || seconds <= 0 || seconds > limits::longest_entry_seconds)
    throw UsageError(std::string(option) + ": expected a duration like 90, 90m, 1h30 or 1:30, got " + detail::quoted(text));
  return seconds;
}

/// Expected hours of work: a number of hours ("3", "1.5") or a duration ("1h30", "1:30").
Seconds hours_option(const std::string& text) {
  if (text.find_first_of("hm:") != std::string::npos) return duration_option(text, "--hours");
  double hours = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), hours);
  const Seconds seconds = detail::scaled_units(hours, 3600);
  if (ec != std::errc{} || end != text.data() + text.size() || !(hours > 0) || seconds <= 0 || seconds > limits::longest_entry_seconds)
    throw UsageError("--hours: expected hours like 3 or 1.5, or a duration like 1h30, got " + detail::quoted(text));
  return seconds;
}

/// A VAT as --vat takes it. Only the spelling is checked here: whether the VAT fits the book (a
/// reason given, the client's VAT id for reverse charge, a percent > 0) is validate()'s to say.
Vat vat_option(const std::string& text) {
  const std::size_t colon = text.find(':');
  const std::optional<VatCategory> category = from_name<VatCategory>(std::string_view(text).substr(0, colon));
  const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
  Vat vat;
  bool ok = category.has_value();
  if (ok) vat.category = *category;
  if (ok && vat.category == VatCategory::S) {
    // As the book reads surcharge_percent: a decimal kept to a millionth of a percent. Any number
    // that fits is passed on, so that a percent out of bounds gets the book's own message.
    double percent = 0;
    const auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), percent);
    ok = colon != std::string::npos && ec == std::errc{} && end == rest.data() + rest.size() &&
         std::abs(percent * 1e6) < static_cast<double>(std::numeric_limits<std::int64_t>::max());
    vat.micro_percent = ok ? detail::scaled_units(percent, 1e6) : 0;
    // The line the command prints repeats the percent as typed: it must be the one kept.
    if (ok && static_cast<double>(vat.micro_percent) / 1e6 != percent)
      throw UsageError("--vat: a percent has at most six decimals, got " + detail::quoted(text));
  } else if (ok && vat.category == VatCategory::Z) {
    ok = colon == std::string::npos;
  } else {
    vat.exemption_reason = rest;
  }
  if (!ok)
    throw UsageError("--vat: expected S:PERCENT, Z, E:REASON or AE:REASON, like S:19, S:5.5 or "
                     "E:\"Kleinunternehmer gemäß §19 UStG\", got " + detail::quoted(text));
  return vat;
}

/// A whole number of days; whether the book takes it (not negative, not too many) is validate()'s.
std::int64_t payment_days_option(const std::string& text) {
  std::int64_t days = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc{} || end != text.data() + text.size())
    throw UsageError("--payment-days: expected a whole number of days like 14 or 30, got " + detail::quoted(text));
  return days;
}

const Engagement& engagement_in(const Book& book, const std::string& id) {
  const Engagement* e = book.find_engagement(id);
  if (!e) throw UsageError("ENG: the book has no engagement " + detail::quoted(id));
  return *e;
}


// ---- recording ---------------------------------------------------------------------------------

/// Records `events` (made from the book as it is once locked) in one locked read–modify–write, and
/// prints what was recorded and its quote.
int record_events(const std::string& path, const std::function<std::vector<Event>(const Book&)>& make,
                  const std::string& what) {
  const std::unique_ptr<BookStore> store = open_book(path);
  const BookLock held = store->lock();
  Book book = store->load();
  const std::vector<Event> events = make(book);
  const Quote q = quote(book, events);
  std::string places;
  for (const std::string& place : store->record(book, events)) places += (places.empty() ? "" : ", ") + place;
  std::cout << "recorded " << what << " (" << places << ")\n" << to_text(q);
  print_notice(store->notice());
  return exit_ok;
}

/// A change to the book that is not an event (clients, engagements, terms), saved whole.
int change_book(const std::string& path, const std::function<std::string(Book&)>& change) {
  std::string said;
  const std::unique_ptr<BookStore> store = open_book(path);
  store->update([&](Book& book) { said = change(book); });
  std::cout << said << '\n';
  print_notice(store->notice());
  return exit_ok;
}

// ---- the commands ------------------------------------------------------------------------------

/// What `owner set` and `client set` were given: an option not given leaves its field as it is.
struct PartyOptions {
  std::optional<std::string> name, channel, street, postcode, city, country, vat_id, tax_number, email, iban, invoice_prefix,
      buyer_reference, payment_days;
  bool address_given() const { return street || postcode || city || country; }
};

struct Options {
  std::string book, engagement, client, id, name, channel, kind = "scope", request, note, at, from, to, duration, due, received,
      quote_amount, date, cancelled, format = "text", language = "de", as_of, title, currency = "EUR", start, end, review_by,
      pricing, rate, fixed_price, hours, price, rollover, extra_round_price, rounding, call_fee, rush, no_show, invoice,
      amount;
  std::int64_t minutes = 0, included_rounds = -1;
  bool revision = false, change = false, kept = false, no_show_flag = false, call = false;
  std::vector<std::string> items;
  PartyOptions party;
  std::optional<std::string> vat;
};

Time at_or_now(const Options& o, Seconds before_now = 0) {
  return o.at.empty() ? now_to_the_minute() - boost::posix_time::seconds(static_cast<long>(before_now)) : time_option(o.at, "--at");
}

EntryKind kind_option(const std::string& text) {
  if (const auto k = from_name<EntryKind>(text)) return *k;
  throw UsageError("--kind: expected " + names_list<EntryKind>() + ", got " + detail::quoted(text));
}

int run_init(const Options& o) {
  if (!book_format_of(o.book))
    throw UsageError("BOOK: unknown book format \"" + std::filesystem::path(o.book).extension().string() + "\" (name the file " +
                     book_format_list() + ")");
  // Checked before the lock: a database store creates its file to lock it.
  if (std::filesystem::exists(o.book)) throw UsageError(o.book + ": the file exists; init never overwrites a book");
  const std::unique_ptr<BookStore> store = open_book(o.book);
  const BookLock held = store->lock();
  store->save(Book{});
  std::cout << o.book << ": a new empty book\n";
  return exit_ok;
}

int run_client_add(const Options& o) {
  return change_book(o.book, [&](Book& book) {
    Client client;
    client.id = o.id, client.name = o.name, client.channel = o.channel;
    book.clients.push_back(std::move(client));
    return "added client " + o.id + " (" + o.name + ")";
  });
}

/// Sets the fields whose options were given and says which, as `key=value, …` with the values as
/// typed, so that the line printed is what the user asked for.
class FieldSetter {
 public:
  template <class Field, class Convert = std::identity>
  void operator()(std::string_view key, Field& field, const std::optional<std::string>& given, Convert convert = {}) {
    if (!given) return;
    field = convert(*given);
    said_ += (said_.empty() ? "" : ", ") + std::string(key) + "=" + *given;
  }
  /// The line `command` prints for `who`; a usage error when no option was given.
  std::string said(std::string_view who, std::string_view command) const {
    if (said_.empty()) throw UsageError(std::string(command) + ": nothing to set; give at least one option");
    return std::string(who) + ": set " + said_;
  }

 private:
  std::string said_;
};

void set_address(FieldSetter& set, Address& address, const PartyOptions& p) {
  set("street", address.street, p.street);
  set("postcode", address.postcode, p.postcode);
  set("city", address.city, p.city);
  set("country", address.country, p.country);
}

/// Something new (an owner, an address) has fields the book requires and no value to keep for
/// them: a usage error naming the options among `options` that were not given.
void require_given(const std::string& what, std::initializer_list<std::pair<std::string_view, bool>> options) {
  std::vector<std::string_view> missing;
  for (const auto& [option, given] : options)
    if (!given) missing.push_back(option);
  std::string list;
  for (std::size_t i = 0; i < missing.size(); ++i)
    list += std::string(i == 0 ? "" : i + 1 == missing.size() ? " and " : ", ") + std::string(missing[i]);
  if (!missing.empty()) throw UsageError(what + "; give " + list);
}

int run_owner_set(const Options& o) {
  const PartyOptions& p = o.party;
  return change_book(o.book, [&](Book& book) {
    if (!book.owner) {
      require_given("owner set: the book has no owner yet",
                    {{"--name", p.name.has_value()}, {"--city", p.city.has_value()}, {"--country", p.country.has_value()}});
      book.owner.emplace();
    }
    Owner& owner = *book.owner;
    FieldSetter set;
    set("name", owner.name, p.name);
    set_address(set, owner.address, p);
    set("vat_id", owner.vat_id, p.vat_id);
    set("tax_number", owner.tax_number, p.tax_number);
    set("email", owner.email, p.email);
    set("iban", owner.iban, p.iban);
    set("invoice_prefix", owner.invoice_prefix, p.invoice_prefix);
    set("vat", owner.vat, o.vat, vat_option);
    return set.said("owner", "owner set");
  });
}

Client& client_in(Book& book, const std::string& id) {
  for (Client& c : book.clients)
    if (c.id == id) return c;
  throw UsageError("ID: the book has no client " + detail::quoted(id));
}

int run_client_set(const Options& o) {
  const PartyOptions& p = o.party;
  return change_book(o.book, [&](Book& book) {
    Client& client = client_in(book, o.id);
    FieldSetter set;
    set("name", client.name, p.name);
    set("channel", client.channel, p.channel);
    if (p.address_given()) {
      if (!client.address) {
        require_given("client set: client \"" + o.id + "\" has no address yet",
                      {{"--city", p.city.has_value()}, {"--country", p.country.has_value()}});
        client.address.emplace();
      }
      set_address(set, *client.address, p);
    }
    set("vat_id", client.vat_id, p.vat_id);
    set("email", client.email, p.email);
    set("buyer_reference", client.buyer_reference, p.buyer_reference);
    set("payment_days", client.payment_days, p.payment_days, payment_days_option);
    return set.said(o.id, "client set");
  });
}

/// Which `whatif --set` key each option of `engagement add` sets, and how a `A:B:C` value splits.
std::vector<TermsChange> terms_changes(const Options& o) {
  std::vector<TermsChange> changes;
  const auto set = [&](const char* key, const std::string& value) {
    if (!value.empty()) changes.push_back({key, value});
  };
  const auto split = [&](const std::string& value, std::initializer_list<const char*> keys, const char* option) {
    if (value.empty()) return;
    std::vector<std::string> parts(1);
    for (char c : value) {
      if (c == ':') parts.emplace_back();
      else parts.back().push_back(c);
    }
    if (parts.size() != keys.size())
      throw UsageError(std::string(option) + ": expected " + std::to_string(keys.size()) + " values separated by ':', got " + detail::quoted(value));
    std::size_t i = 0;
    for (const char* key : keys) changes.push_back({key, parts[i++]});
  };
  set("rate", o.rate);
  set("fixed_price", o.fixed_price);
  set("contingent_hours", o.hours);
  set("contingent_price", o.price);
  set("rollover_max_hours", o.rollover);
  if (o.included_rounds >= 0) set("included_rounds", std::to_string(o.included_rounds));
  set("extra_round_price", o.extra_round_price);
  split(o.rounding, {"rounding.increment_minutes", "rounding.mode"}, "--rounding");
  split(o.call_fee, {"call_fee.free_minutes", "call_fee.block_minutes", "call_fee.fee"}, "--call-fee");
  split(o.rush, {"rush.lead_hours", "rush.surcharge_percent"}, "--rush");
  split(o.no_show, {"no_show.notice_hours", "no_show.fee"}, "--no-show");
  return changes;
}

/// apply() of the changes, its errors as usage errors (they name the key, like `--set rate`).
void apply_changes(Terms& terms, const std::vector<TermsChange>& changes, Currency currency) {
  try {
    apply(terms, changes, currency);
  } catch (const validation_error& e) {
    throw UsageError(e.what());
  }
}

int run_engagement_add(const Options& o) {
  if (!Currency::valid(o.currency)) throw UsageError("--currency: must be 3 capital letters like \"EUR\", got " + detail::quoted(o.currency));
  const auto pricing = from_name<Pricing>(o.pricing);
  if (!pricing) throw UsageError("--pricing: expected " + names_list<Pricing>() + ", got " + detail::quoted(o.pricing));
  Engagement e;
  e.id = o.id, e.client = o.client, e.title = o.title, e.currency = Currency(o.currency);
  e.start = o.start.empty() ? boost::gregorian::day_clock::local_day() : date_option(o.start, "--start");
  if (!o.end.empty()) e.end = date_option(o.end, "--end");
  if (!o.review_by.empty()) e.review_by = date_option(o.review_by, "--review-by");
  e.terms.pricing = *pricing;
  apply_changes(e.terms, terms_changes(o), e.currency);
  if (o.vat) e.terms.vat = vat_option(*o.vat);
  return change_book(o.book, [&](Book& book) {
    book.engagements.push_back(e);
    validate(book);
    return "added engagement " + e.id + " for client " + e.client + ": " + std::string(name(e.terms.pricing)) + ", rate " +
           e.terms.rate.to_display_string() + "/h, from " + format_date(clock_days(e.start)) + (o.vat ? ", vat " + *o.vat : "");
  });
}

int run_engagement_set(const Options& o) {
  std::vector<TermsChange> changes;
  for (const std::string& item : o.items) {
    try {
      changes.push_back(TermsChange::parse(item));
    } catch (const validation_error& e) {
      throw UsageError(e.what());
    }
  }
  if (changes.empty() && !o.vat) throw UsageError("KEY=VALUE: give at least one change, or --vat");
  const std::optional<Vat> vat = o.vat ? std::optional<Vat>(vat_option(*o.vat)) : std::nullopt;
  return change_book(o.book, [&](Book& book) {
    engagement_in(book, o.engagement);  // a usage error when there is none
    Engagement& e = *std::find_if(book.engagements.begin(), book.engagements.end(),
                                  [&](const Engagement& x) { return x.id == o.engagement; });
    apply_changes(e.terms, changes, e.currency);
    if (vat) e.terms.vat = vat;
    validate(book);
    std::string said = o.engagement + ": set";
    for (const TermsChange& c : changes) said += " " + c.key + "=" + c.value;
    if (vat) said += " vat=" + *o.vat;
    return said;
  });
}

int run_log(const Options& o) {
  const int forms = (o.minutes > 0) + (!o.from.empty() || !o.to.empty()) + !o.duration.empty();
  if (forms != 1) throw UsageError("log: give the time once: --minutes N, --from T --to T, or a DURATION like 1h30");
  if (!o.from.empty() && !o.at.empty()) throw UsageError("log: --at and --from both give the start; give one");
  Time start;
  Seconds seconds = 0;
  bool as_minutes = true;
  if (!o.from.empty() || !o.to.empty()) {
    if (o.from.empty() || o.to.empty()) throw UsageError("log: --from and --to go together");
    start = time_option(o.from, "--from");
    seconds = (time_option(o.to, "--to") - start).total_seconds();
    as_minutes = false;
  } else {
    seconds = o.minutes > 0 ? o.minutes * 60 : duration_option(o.duration, "DURATION");
    start = at_or_now(o, seconds);  // without --at, the work has just ended
  }
  const EntryKind kind = kind_option(o.kind);
  const NewEntry entry{o.engagement, start, seconds, kind, o.request, o.note, as_minutes};
  return record_events(o.book, [&](const Book& book) {
    engagement_in(book, o.engagement);
    return std::vector<Event>{entry};
  }, format_duration(seconds) + " h of " + std::string(name(kind)) + " work on " + o.engagement);
}

int run_call(const Options& o) {
  if (o.minutes <= 0 || o.minutes > limits::max_count)
    throw UsageError("MINUTES: expected a whole number from 1 to " + std::to_string(limits::max_count));
  const NewEntry entry{o.engagement, at_or_now(o, o.minutes * 60), o.minutes * 60, EntryKind::call, "", o.note, true};
  return record_events(o.book, [&](const Book& book) {
    engagement_in(book, o.engagement);
    return std::vector<Event>{entry};
  }, "a call of " + std::to_string(o.minutes) + " min with " + o.engagement);
}

/// The request the options describe, with an id new in its engagement unless --id names one.
Request request_of(const Options& o, const Engagement& e) {
  Request r;
  r.kind = o.revision ? RequestKind::revision : RequestKind::change;
  r.id = o.id.empty() ? next_request_id(e, r.kind) : o.id;
  r.received = o.received.empty() ? (o.at.empty() ? now_to_the_minute() : time_option(o.at, "--at")) : time_option(o.received, "--received");
  if (!o.due.empty()) r.due = time_option(o.due, "--due");
  if (!o.quote_amount.empty()) {
    if (r.kind != RequestKind::change) throw UsageError("--quote: only a change request has a quote");
    r.quote = money_option(o.quote_amount, e.currency, "--quote");
  }
  return r;
}

int run_request(const Options& o) {
  return record_events(o.book, [&](const Book& book) {
    const Engagement& e = engagement_in(book, o.engagement);
    return std::vector<Event>{NewRequest{o.engagement, request_of(o, e)}};
  }, std::string(o.revision ? "a revision" : "a change") + " request of " + o.engagement);
}

int run_appointment(const Options& o) {
  if (o.kept + o.no_show_flag + !o.cancelled.empty() != 1) throw UsageError("appointment: give one of --kept, --no-show, --cancelled T");
  Appointment a{time_option(o.at, "--at"), AppointmentStatus::kept, {}};
  if (o.no_show_flag) a.status = AppointmentStatus::no_show;
  if (!o.cancelled.empty()) a.status = AppointmentStatus::cancelled, a.cancelled = time_option(o.cancelled, "--cancelled");
  return record_events(o.book, [&](const Book& book) {
    engagement_in(book, o.engagement);
    return std::vector<Event>{NewAppointment{o.engagement, a}};
  }, "an appointment (" + std::string(name(a.status)) + ") of " + o.engagement);
}

int run_invoice(const Options& o) {
  return record_events(o.book, [&](const Book& book) {
    const Engagement& e = engagement_in(book, o.engagement);
    Invoice invoice;
    invoice.id = o.id;
    invoice.date = o.date.empty() ? boost::gregorian::day_clock::local_day() : date_option(o.date, "--date");
    for (const std::string& item : o.items) {
      const auto eq = item.find('=');
      const auto category = from_name<Category>(item.substr(0, eq));
      if (eq == std::string::npos || !category)
        throw UsageError("CATEGORY=AMOUNT: expected one of " + names_list<Category>() + " with an amount, got " + detail::quoted(item));
      invoice.lines.push_back({*category, money_option(item.substr(eq + 1), e.currency, item.substr(0, eq))});
    }
    return std::vector<Event>{NewInvoice{o.engagement, invoice}};
  }, "invoice " + o.id + " of " + o.engagement);
}

int run_payment(const Options& o) {
  std::string engagement;
  return record_events(o.book, [&](const Book& book) {
    for (const Engagement& e : book.engagements)
      for (const Invoice& invoice : e.journal.invoices)
        if (invoice.id == o.invoice) engagement = e.id;
    if (engagement.empty()) throw UsageError("INVOICE: the book has no invoice " + detail::quoted(o.invoice));
    const Engagement& e = *book.find_engagement(engagement);
    const Date date = o.date.empty() ? boost::gregorian::day_clock::local_day() : date_option(o.date, "--date");
    return std::vector<Event>{NewPayment{engagement, {o.invoice, date, money_option(o.amount, e.currency, "AMOUNT")}}};
  }, "a payment of " + o.amount + " for " + o.invoice);
}

int run_start(const Options& o) {
  const std::unique_ptr<BookStore> store = open_book(o.book);
  const BookLock held = store->lock();
  Book book = store->load();
  engagement_in(book, o.engagement);
  const RunningTimer timer{o.engagement, o.at.empty() ? Time(boost::posix_time::second_clock::local_time()) : time_option(o.at, "--at"),
                           kind_option(o.kind), o.request, o.note};
  quote(book, std::vector<Event>{timer.entry_until(timer.start + boost::posix_time::minutes(1))});  // refuses what stop could not record
  if (const std::optional<RunningTimer> running = store->running_timer()) {
    if (timer.start <= running->start)
      throw UsageError("start: the timer of " + running->engagement + " runs since " + format_time(clock_seconds(running->start)) +
                       "; a new one must start after it");
    const std::vector<Event> stopped{running->entry_until(timer.start)};
    store->record(book, stopped);
    std::cout << "stopped the timer of " << running->engagement << " after "
              << format_duration((timer.start - running->start).total_seconds()) << " h and recorded it\n";
  }
  store->set_running_timer(timer);
  std::cout << "timer started: " << name(timer.kind) << " work on " << o.engagement << " since "
            << format_time(clock_seconds(timer.start)) << '\n';
  return exit_ok;
}

int run_stop(const Options& o) {
  const std::unique_ptr<BookStore> store = open_book(o.book);
  const BookLock held = store->lock();
  const std::optional<RunningTimer> timer = store->running_timer();
  if (!timer) throw UsageError("stop: no timer is running for " + o.book);
  Book book = store->load();
  const Time end = o.at.empty() ? Time(boost::posix_time::second_clock::local_time()) : time_option(o.at, "--at");
  const NewEntry entry = timer->entry_until(end);
  // A stop that was cut short after saving the entry but before clearing the timer is finished, not repeated.
  const Engagement* e = book.find_engagement(timer->engagement);
  const auto starts = e ? e->journal.entries.starts() : std::span<const ClockSeconds>{};
  if (std::find(starts.begin(), starts.end(), clock_seconds(timer->start)) != starts.end()) {
    store->set_running_timer(std::nullopt);
    std::cout << "the timer's entry was already recorded; the timer is stopped\n";
    return exit_ok;
  }
  const std::vector<Event> events{entry};
  const Quote q = quote(book, events);
  const std::string place = store->record(book, events).front();
  store->set_running_timer(std::nullopt);
  std::cout << "recorded " << format_duration(entry.seconds) << " h of " << name(entry.kind) << " work on " << entry.engagement
            << " (" << place << ")\n" << to_text(q);
  return exit_ok;
}

int run_quote(const Options& o) {
  if (o.revision + o.change + o.call + o.no_show_flag != 1)
    throw UsageError("quote: give one of --revision, --change, --call MINUTES, --no-show");
  const Book book = load_book(o.book);
  const Engagement& e = engagement_in(book, o.engagement);
  std::vector<Event> events;
  const Time at = at_or_now(o);
  if (o.revision || o.change) {
    Options request = o;
    request.at = format_time(clock_seconds(at));
    const Request r = request_of(request, e);
    events.push_back(NewRequest{o.engagement, r});
    if (!o.hours.empty()) {
      const Seconds expected = hours_option(o.hours);
      events.push_back(NewEntry{o.engagement, r.received, expected, entry_kind_of(r.kind), r.id, "", true});
    }
  } else if (o.call) {
    if (o.minutes <= 0) throw UsageError("--call: expected the call's minutes, a whole number from 1");
    events.push_back(NewEntry{o.engagement, at, o.minutes * 60, EntryKind::call, "", "", true});
  } else {
    events.push_back(NewAppointment{o.engagement, {at, AppointmentStatus::no_show, {}}});
  }
  try {
    const Quote q = quote(book, events);
    std::cout << (o.format == "json" ? to_json(q) : to_text(q));
  } catch (const validation_error& e) {
    // Nothing is recorded, so the place the event would take in the book means nothing here: the
    // event as the options made it does.
    throw UsageError("quote: " + event_name(events.front()) + (o.at.empty() ? " (now; --at quotes another time)" : "") +
                     " cannot be recorded: " + e.rule());
  }
  return exit_ok;
}

int run_status(const Options& o) {
  const std::unique_ptr<BookStore> store = open_book(o.book);
  const Book book = store->load();
  if (!o.engagement.empty()) engagement_in(book, o.engagement);
  Status s = status(book, o.as_of.empty() ? std::nullopt : std::optional<Date>(date_option(o.as_of, "--as-of")));
  s.timer = store->running_timer();
  if (!o.engagement.empty())
    std::erase_if(s.engagements, [&](const EngagementStatus& e) { return e.engagement != o.engagement; });
  std::cout << (o.format == "json" ? to_json(s) : to_text(s));
  return exit_ok;
}

int run_terms(const Options& o) {
  const Book book = load_book(o.book);
  const Engagement& e = engagement_in(book, o.engagement);
  std::cout << terms_sheet(book, e, *from_name<Language>(o.language), *from_name<SheetFormat>(o.format));
  return exit_ok;
}

// ---- wiring ------------------------------------------------------------------------------------

std::vector<std::string> names_of(std::span<const std::string_view> names) { return {names.begin(), names.end()}; }

}  // namespace

void add_record_commands(CLI::App& app, std::function<int()>& run) {
  const auto o = std::make_shared<Options>();
  const auto on = [&run, o](CLI::App* command, int (*action)(const Options&)) {
    command->callback([&run, o, action] { run = [o, action] { return guarded([&] { return action(*o); }); }; });
  };
  const std::string book_help = "the book file (" + book_format_list() + ")";
  const auto book = [&](CLI::App* c) { c->add_option("BOOK", o->book, book_help)->required(); };
  const auto engagement = [&](CLI::App* c) { c->add_option("ENG", o->engagement, "the engagement's id")->required(); };
  const std::string time_help = "a time YYYY-MM-DDTHH:MM[:SS] (default: now)";
  const std::string kinds = names_list<EntryKind>();
  const std::string vat_help =
      "S:PERCENT (standard rate, e.g. S:19 or S:7), Z (zero rated), E:REASON (exempt, e.g. E:\"Kleinunternehmer gemäß §19 UStG\") "
      "or AE:REASON (reverse charge; the client needs a VAT id)";
  const auto address = [&](CLI::App* c, const std::string& required_when) {
    c->add_option("--street", o->party.street, "street and number");
    c->add_option("--postcode", o->party.postcode, "postcode");
    c->add_option("--city", o->party.city, "city" + required_when);
    c->add_option("--country", o->party.country, "ISO 3166-1 alpha-2 country code like DE" + required_when);
  };

  CLI::App* init = app.add_subcommand("init", "Create a new empty book (never overwrites a file)");
  book(init);
  on(init, run_init);

  CLI::App* client = app.add_subcommand("client", "Clients of a book")->require_subcommand(1);
  CLI::App* client_add = client->add_subcommand("add", "Add a client");
  book(client_add);
  client_add->add_option("ID", o->id, "the client's id")->required();
  client_add->add_option("--name", o->name, "the client's name")->required();
  client_add->add_option("--channel", o->channel, "how the client found you (website, referral, …)");
  on(client_add, run_client_add);
  CLI::App* client_set = client->add_subcommand("set", "Change a client: name, address, VAT id, e-mail, buyer reference, payment days");
  book(client_set);
  client_set->add_option("ID", o->id, "the client's id")->required();
  client_set->add_option("--name", o->party.name, "the client's name");
  client_set->add_option("--channel", o->party.channel, "how the client found you");
  address(client_set, " (with any address field, when the client has no address yet)");
  client_set->add_option("--vat-id", o->party.vat_id, "the client's VAT id, e.g. ATU12345678 (reverse charge needs it)");
  client_set->add_option("--email", o->party.email, "where invoices go");
  client_set->add_option("--buyer-reference", o->party.buyer_reference, "the client's reference for its invoices, e.g. a Leitweg-ID");
  client_set->add_option("--payment-days", o->party.payment_days, "days the client has to pay an invoice (default 30)")->type_name("DAYS");
  on(client_set, run_client_set);

  CLI::App* owner = app.add_subcommand("owner", "The book's owner: you, the seller every invoice names")->require_subcommand(1);
  CLI::App* owner_set = owner->add_subcommand("set", "Give the book its owner, or change it (options not given keep their value)");
  book(owner_set);
  const std::string for_a_new_owner = " (required when the book has no owner yet)";
  owner_set->add_option("--name", o->party.name, "your or your studio's name, as invoices show it" + for_a_new_owner);
  address(owner_set, for_a_new_owner);
  owner_set->add_option("--vat-id", o->party.vat_id, "your VAT id (USt-IdNr.), e.g. DE123456789");
  owner_set->add_option("--tax-number", o->party.tax_number, "your Steuernummer, without a VAT id");
  owner_set->add_option("--email", o->party.email, "your e-mail address");
  owner_set->add_option("--iban", o->party.iban, "the account invoices are paid to");
  owner_set->add_option("--invoice-prefix", o->party.invoice_prefix, "drafted invoice numbers are this and the next free number, e.g. RE-2026-");
  owner_set->add_option("--vat", o->vat, "the VAT of every engagement without its own: " + vat_help);
  on(owner_set, run_owner_set);

  CLI::App* eng = app.add_subcommand("engagement", "Engagements of a book and their terms")->require_subcommand(1);
  CLI::App* eng_add = eng->add_subcommand("add", "Add an engagement with its terms");
  book(eng_add);
  eng_add->add_option("ID", o->id, "the engagement's id")->required();
  eng_add->add_option("--client", o->client, "the client's id")->required();
  eng_add->add_option("--pricing", o->pricing, "fixed, contingent, retainer or hourly")->required();
  eng_add->add_option("--rate", o->rate, "hourly rate, e.g. 95 or 95.50")->required();
  eng_add->add_option("--fixed-price", o->fixed_price, "fixed: the price");
  eng_add->add_option("--hours", o->hours, "contingent, retainer: hours of the block (per month for a retainer)");
  eng_add->add_option("--price", o->price, "contingent, retainer: the block's price");
  eng_add->add_option("--rollover", o->rollover, "retainer: unused hours carried to the next month, at most");
  eng_add->add_option("--included-rounds", o->included_rounds, "revision rounds the price includes");
  eng_add->add_option("--extra-round-price", o->extra_round_price, "flat price of an extra round (else billed by the hour)");
  eng_add->add_option("--rounding", o->rounding, "MINUTES:MODE, each entry rounded, e.g. 15:up (up, down, nearest)");
  eng_add->add_option("--call-fee", o->call_fee, "FREE:BLOCK:FEE, the Quatschpauschale, e.g. 15:30:40");
  eng_add->add_option("--rush", o->rush, "LEAD_HOURS:PERCENT, e.g. 48:50");
  eng_add->add_option("--no-show", o->no_show, "NOTICE_HOURS:FEE, e.g. 24:120");
  eng_add->add_option("--start", o->start, "first day YYYY-MM-DD (default: today)");
  eng_add->add_option("--end", o->end, "last day YYYY-MM-DD");
  eng_add->add_option("--review-by", o->review_by, "review date YYYY-MM-DD");
  eng_add->add_option("--currency", o->currency, "ISO 4217 code (default EUR)");
  eng_add->add_option("--title", o->title, "what the engagement is about");
  eng_add->add_option("--vat", o->vat, "the engagement's own VAT, instead of the owner's: " + vat_help);
  on(eng_add, run_engagement_add);
  std::string keys;
  for (const std::string_view key : terms_change_keys) keys += (keys.empty() ? "" : ", ") + std::string(key);
  CLI::App* eng_set = eng->add_subcommand("set", "Change an engagement's terms (the keys of whatif --set) or its --vat");
  book(eng_set);
  eng_set->add_option("ID", o->engagement, "the engagement's id")->required();
  eng_set->add_option("KEY=VALUE", o->items, "one or more of " + keys);
  eng_set->add_option("--vat", o->vat, "the engagement's own VAT, instead of the owner's: " + vat_help);
  on(eng_set, run_engagement_set);

  CLI::App* log = app.add_subcommand("log", "Record time worked: --minutes N, --from T --to T, or a DURATION like 1h30");
  book(log);
  engagement(log);
  log->add_option("DURATION", o->duration, "90, 90m, 1h30 or 1:30; without --at the work ends now");
  log->add_option("--minutes", o->minutes, "minutes worked");
  log->add_option("--from", o->from, "start time (with --to)");
  log->add_option("--to", o->to, "end time (with --from)");
  log->add_option("--at", o->at, "start time of the work (default: now minus its duration)");
  log->add_option("--kind", o->kind, kinds + " (default scope)");
  log->add_option("--request", o->request, "the request's id (revision and change work)");
  log->add_option("--note", o->note, "what was done");
  on(log, run_log);

  CLI::App* start = app.add_subcommand("start", "Start the book's timer (a running one is stopped and recorded first)");
  book(start);
  engagement(start);
  start->add_option("--kind", o->kind, kinds + " (default scope)");
  start->add_option("--request", o->request, "the request's id (revision and change work)");
  start->add_option("--note", o->note, "what is being done");
  start->add_option("--at", o->at, "start time (default: now)");
  on(start, run_start);
  CLI::App* stop = app.add_subcommand("stop", "Stop the book's timer and record its entry");
  book(stop);
  stop->add_option("--at", o->at, "end time (default: now)");
  on(stop, run_stop);

  CLI::App* request = app.add_subcommand("request", "Record a revision or change request; prints its round, whether it is extra, its price and rush");
  book(request);
  engagement(request);
  auto* revision = request->add_flag("--revision", o->revision, "a revision round (Korrekturschleife)");
  request->add_flag("--change", o->change, "a change request")->excludes(revision);
  request->add_option("--id", o->id, "the request's id (default: the next free R1, R2, … or C1, C2, …)");
  request->add_option("--received", o->received, "when the client asked: " + time_help);
  request->add_option("--due", o->due, "when it is due: a time YYYY-MM-DDTHH:MM");
  request->add_option("--quote", o->quote_amount, "change requests: the agreed price");
  request->callback([&run, o] {
    run = [o] {
      return guarded([&] {
        if (o->revision == o->change) throw UsageError("request: give --revision or --change");
        return run_request(*o);
      });
    };
  });

  CLI::App* call = app.add_subcommand("call", "Record a call; prints the fee it adds");
  book(call);
  engagement(call);
  call->add_option("MINUTES", o->minutes, "the call's length in minutes")->required();
  call->add_option("--at", o->at, "when it started (default: now minus its length)");
  call->add_option("--note", o->note, "what it was about");
  on(call, run_call);

  CLI::App* appointment = app.add_subcommand("appointment", "Record an appointment: kept, missed or cancelled");
  book(appointment);
  engagement(appointment);
  appointment->add_option("--at", o->at, "when it was set for: a time YYYY-MM-DDTHH:MM")->required();
  appointment->add_flag("--kept", o->kept, "it took place");
  appointment->add_flag("--no-show", o->no_show_flag, "the client did not come");
  appointment->add_option("--cancelled", o->cancelled, "when the client called it off");
  on(appointment, run_appointment);

  CLI::App* invoice = app.add_subcommand("invoice", "Record an invoice: CATEGORY=AMOUNT lines");
  book(invoice);
  engagement(invoice);
  invoice->add_option("--id", o->id, "the invoice number")->required();
  invoice->add_option("--date", o->date, "its date YYYY-MM-DD (default: today)");
  invoice->add_option("CATEGORY=AMOUNT", o->items, "lines, e.g. base=4800 revision=350; categories " + names_list<Category>())->required();
  on(invoice, run_invoice);

  CLI::App* payment = app.add_subcommand("payment", "Record a payment of an invoice");
  book(payment);
  payment->add_option("INVOICE", o->invoice, "the invoice number")->required();
  payment->add_option("AMOUNT", o->amount, "the amount paid")->required();
  payment->add_option("--date", o->date, "when it was paid YYYY-MM-DD (default: today)");
  on(payment, run_payment);

  CLI::App* quote_command = app.add_subcommand("quote", "What an event would cost now, before it happens (nothing is written)");
  book(quote_command);
  engagement(quote_command);
  auto* q_revision = quote_command->add_flag("--revision", o->revision, "a new revision round");
  auto* q_change = quote_command->add_flag("--change", o->change, "a new change request")->excludes(q_revision);
  auto* q_call = quote_command->add_option("--call", o->minutes, "a call of MINUTES minutes")->excludes(q_revision)->excludes(q_change);
  quote_command->add_flag("--no-show", o->no_show_flag, "a missed appointment")->excludes(q_revision)->excludes(q_change)->excludes(q_call);
  quote_command->add_option("--quote", o->quote_amount, "--change: the agreed price");
  quote_command->add_option("--due", o->due, "the request's due time YYYY-MM-DDTHH:MM");
  quote_command->add_option("--hours", o->hours, "expected hours of work on the request: 3, 1.5 or 1h30");
  quote_command->add_option("--at", o->at, "when it happens: " + time_help);
  quote_command->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  quote_command->callback([&run, o] {
    run = [o] {
      o->call = o->minutes > 0;
      return guarded([&] { return run_quote(*o); });
    };
  });

  CLI::App* status_command = app.add_subcommand("status", "Where each open engagement stands today, most urgent first");
  book(status_command);
  status_command->add_option("ENG", o->engagement, "only this engagement");
  status_command->add_option("--as-of", o->as_of, "as of this date YYYY-MM-DD (default: today)");
  status_command->add_option("--format", o->format, "text (default) or json")->check(CLI::IsMember({"text", "json"}));
  on(status_command, run_status);

  CLI::App* terms = app.add_subcommand("terms", "The engagement's terms in plain words, for the offer the client signs");
  book(terms);
  engagement(terms);
  terms->add_option("--lang", o->language, "de (default) or en")->check(CLI::IsMember(names_of(enum_names<Language>::values)));
  terms->add_option("--format", o->format, "text (default), md or html")->check(CLI::IsMember(names_of(enum_names<SheetFormat>::values)));
  on(terms, run_terms);
}

}  // namespace kontingent::cli
