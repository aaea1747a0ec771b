// Reads the book file (docs/formats.md, book) with simdjson's DOM, checking the spelling rules: fields, types,
// formats. The meaning rules are validate()'s (src/validate.cpp), so a book is returned whole and
// valid or not at all. Big books are read engagement by engagement on several threads, each checked
// as it is read, and an entry list written plainly is read straight from the text (json_entries.hpp);
// whenever that finds a problem, the whole text is read again in one piece by simdjson, so the
// problem reported is the first in the file, whichever way it was found. Text that is not JSON at all
// is walked again by json_syntax.hpp, which says where it breaks and what was expected there.
#include <simdjson.h>

#include "formats/json_entries.hpp"
#include "formats/json_layout.hpp"
#include "formats/json_read.hpp"
#include "formats/json_syntax.hpp"
#include "formats/json_types.hpp"
#include "formats/mapped_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <tuple>
#include <utility>

#include "kontingent/detail/parallel.hpp"
#include "kontingent/formats/json.hpp"

namespace kontingent {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

/// Where a value sits in the book; built cheaply on the stack, turned into text only for an error.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;
  std::size_t index = 0;
  bool is_index = false;

  Path operator[](std::size_t i) const { return {this, {}, i, true}; }
  Path operator/(std::string_view k) const { return {this, k, 0, false}; }
  std::string str() const {
    if (!parent) return std::string(key);
    std::string s = parent->str();
    if (is_index) return s + "[" + std::to_string(index) + "]";
    return s.empty() ? std::string(key) : s + "." + std::string(key);
  }
};

[[noreturn]] void fail(const Path& path, std::string rule) { throw validation_error(path.str(), std::move(rule)); }


[[noreturn]] void wrong_type(const Path& path, std::string_view expected, element value) {
  fail(path, "expected " + std::string(expected) + ", got " + std::string(detail::json_type_name(value.type())));
}

/// The fields of one object, checked against the names its kind allows (the tables of docs/formats.md).
template <const auto& names>
class Fields {
 public:
  static constexpr std::size_t N = names.size();

  /// One of those names, looked up when compiling: the reader cannot ask for a field the object
  /// does not have, and asking costs nothing at run time.
  class Name {
   public:
    consteval Name(const char* name) : slot_(Fields::slot(name)) {
      if (slot_ == N) throw "not a field of this kind of object";
    }
    std::size_t index() const noexcept { return slot_; }
    std::string_view text() const noexcept { return names[slot_]; }

   private:
    std::size_t slot_;
  };

  Fields(element value, const Path& path) : path_(path) {
    simdjson::dom::object object;
    if (value.get_object().get(object)) wrong_type(path, "an object", value);
    for (auto field : object) {
      const std::size_t i = slot(field.key);
      if (i == N) fail(path, "unknown field \"" + std::string(field.key) + "\"");
      if (present_ >> i & 1) fail(path, "field \"" + std::string(field.key) + "\" appears twice");
      present_ |= 1u << i;
      values_[i] = field.value;
    }
  }

  bool has(Name name) const { return present_ >> name.index() & 1; }
  const Path& path() const { return path_; }

  /// The value of a field that must be there.
  element required(Name name) const {
    if (!has(name)) fail(path_, "missing field \"" + std::string(name.text()) + "\"");
    return values_[name.index()];
  }
  std::optional<element> optional(Name name) const {
    if (!has(name)) return std::nullopt;
    return values_[name.index()];
  }

 private:
  static constexpr std::size_t slot(std::string_view name) noexcept {
    for (std::size_t i = 0; i < N; ++i)
      if (same(names[i], name)) return i;
    return N;
  }
  /// Field names are short: sizes, then characters, compared inline. (A call to memcmp for every
  /// candidate name was the reader's largest cost on big books.)
  static constexpr bool same(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  const Path& path_;
  std::array<element, N> values_{};
  std::uint32_t present_ = 0;
};

// Field names per object, as in docs/formats.md, book.
constexpr std::array<std::string_view, 4> book_fields{"format", "owner", "clients", "engagements"};
constexpr std::array<std::string_view, 8> owner_fields{"name", "address", "vat_id", "tax_number", "email", "iban", "invoice_prefix", "vat"};
constexpr std::array<std::string_view, 4> address_fields{"street", "postcode", "city", "country"};
constexpr std::array<std::string_view, 3> vat_fields{"category", "percent", "exemption_reason"};
constexpr std::array<std::string_view, 8> client_fields{"id", "name", "channel", "address", "vat_id", "email", "buyer_reference", "payment_days"};
constexpr std::array<std::string_view, 13> engagement_fields{
    "id",    "client",   "currency", "start",        "end",      "review_by", "title",
    "terms", "requests", "entries",  "appointments", "invoices", "payments"};
constexpr std::array<std::string_view, 13> terms_fields{
    "pricing",         "rate",              "fixed_price", "contingent_hours", "contingent_price", "rollover_max_hours",
    "included_rounds", "extra_round_price", "rounding",    "call_fee",         "rush",             "no_show", "vat"};
constexpr std::array<std::string_view, 2> rounding_fields{"increment_minutes", "mode"};
constexpr std::array<std::string_view, 3> call_fee_fields{"free_minutes", "block_minutes", "fee"};
constexpr std::array<std::string_view, 2> rush_fields{"lead_hours", "surcharge_percent"};
constexpr std::array<std::string_view, 2> no_show_fields{"notice_hours", "fee"};
constexpr std::array<std::string_view, 6> request_fields{"id", "kind", "received", "due", "quote", "declined"};
constexpr std::array<std::string_view, 6> entry_fields{"start", "end", "minutes", "kind", "request", "note"};
constexpr std::array<std::string_view, 3> appointment_fields{"at", "status", "cancelled"};
constexpr std::array<std::string_view, 6> invoice_fields{"id", "date", "lines", "credit_note", "refers_to", "due"};
constexpr std::array<std::string_view, 2> line_fields{"category", "amount"};
constexpr std::array<std::string_view, 3> payment_fields{"invoice", "date", "amount"};

std::string_view string_of(element value, const Path& path) {
  std::string_view s;
  if (value.get_string().get(s)) wrong_type(path, "a string", value);
  return s;
}

template <const auto& names>
std::string_view text(const Fields<names>& f, typename Fields<names>::Name name) {
  return string_of(f.required(name), f.path() / name.text());
}
template <const auto& names>
std::string optional_text(const Fields<names>& f, typename Fields<names>::Name name) {
  const auto v = f.optional(name);
  return v ? std::string(string_of(*v, f.path() / name.text())) : std::string();
}

template <class Enum, const auto& names>
Enum word(const Fields<names>& f, typename Fields<names>::Name field, std::string_view what) {
  const std::string_view w = text(f, field);
  if (const auto e = from_name<Enum>(w)) return *e;
  fail(f.path() / field.text(), "unknown " + std::string(what) + " \"" + std::string(w) + "\" (expected " + names_list<Enum>() + ")");
}

Money money(element value, const Path& path, Currency currency) {
  std::string_view s;
  if (value.get_string().get(s)) fail(path, "money must be a string like \"95.50\", got " + std::string(detail::json_type_name(value.type())));
  std::string rule;
  const std::int64_t cents = parse_cents(s, rule);
  if (!rule.empty()) fail(path, rule);
  return {cents, currency};
}

template <const auto& names>
std::optional<Money> optional_money(const Fields<names>& f, typename Fields<names>::Name name, Currency currency) {
  const auto v = f.optional(name);
  if (!v) return std::nullopt;
  return money(*v, f.path() / name.text(), currency);
}

ClockSeconds time_of(element value, const Path& path) {
  std::string rule;
  const ClockSeconds t = parse_time(string_of(value, path), rule);
  if (!rule.empty()) fail(path, rule);
  return t;
}
ClockDays date_of(element value, const Path& path) {
  std::string rule;
  const ClockDays d = parse_date(string_of(value, path), rule);
  if (!rule.empty()) fail(path, rule);
  return d;
}
template <const auto& names>
std::optional<Date> optional_date(const Fields<names>& f, typename Fields<names>::Name name) {
  const auto v = f.optional(name);
  if (!v) return std::nullopt;
  return to_date(date_of(*v, f.path() / name.text()));
}
template <const auto& names>
std::optional<Time> optional_time(const Fields<names>& f, typename Fields<names>::Name name) {
  const auto v = f.optional(name);
  if (!v) return std::nullopt;
  return to_time(time_of(*v, f.path() / name.text()));
}

/// Counts (rounds, minutes) are JSON integers; `minimum` is 0 or 1.
std::int64_t integer(element value, const Path& path, std::int64_t minimum) {
  std::int64_t n = 0;
  const std::string_view wanted = minimum > 0 ? "a positive integer" : "an integer >= 0";
  const auto too_big = [&](const std::string& got) { fail(path, "must be at most " + std::to_string(detail::largest_count) + ", got " + got); };
  if (value.type() == element_type::UINT64) too_big(simdjson::minify(value));
  if (value.get_int64().get(n)) {
    double d = 0;
    if (value.get_double().get(d)) wrong_type(path, wanted, value);
    fail(path, "must be " + std::string(wanted) + ", got " + simdjson::minify(value));
  }
  if (n < minimum) fail(path, "must be " + std::string(wanted) + ", got " + std::to_string(n));
  if (n > detail::largest_count) too_big(std::to_string(n));
  return n;
}

/// Hours and percentages are JSON numbers and may have decimals; they are kept exact to `scale`.
/// Hours and percentages share their largest value (kontingent/limits.hpp).
static_assert(limits::max_hours == limits::max_percent);
std::int64_t scaled_number(element value, const Path& path, double scale, bool positive) {
  double d = 0;
  if (value.get_double().get(d)) wrong_type(path, "a number", value);
  if (positive ? !(d > 0) : !(d >= 0)) fail(path, std::string("must be a number ") + (positive ? "> 0" : ">= 0") + ", got " + simdjson::minify(value));
  if (d > static_cast<double>(limits::max_hours))
    fail(path, "must be at most " + std::to_string(limits::max_hours) + ", got " + simdjson::minify(value));
  const std::int64_t scaled = detail::scaled_units(d, scale);
  // Hours are kept to the second and percentages to a millionth: a positive value below that is lost.
  if (positive && scaled == 0) fail(path, "must be a number > 0, got " + simdjson::minify(value) + ", which is less than one second");
  return scaled;
}

Vat read_vat(element value, const Path& path) {
  const Fields<vat_fields> f(value, path);
  Vat vat;
  vat.category = word<VatCategory>(f, "category", "VAT category");
  if (auto v = f.optional("percent")) vat.micro_percent = scaled_number(*v, path / "percent", 1e6, false);
  vat.exemption_reason = optional_text(f, "exemption_reason");
  return vat;
}

Address read_address(element value, const Path& path) {
  const Fields<address_fields> f(value, path);
  return {optional_text(f, "street"), optional_text(f, "postcode"), std::string(text(f, "city")), std::string(text(f, "country"))};
}

Owner read_owner(element value, const Path& path) {
  const Fields<owner_fields> f(value, path);
  Owner o;
  o.name = text(f, "name");
  o.address = read_address(f.required("address"), path / "address");
  o.vat_id = optional_text(f, "vat_id");
  o.tax_number = optional_text(f, "tax_number");
  o.email = optional_text(f, "email");
  o.iban = optional_text(f, "iban");
  o.invoice_prefix = optional_text(f, "invoice_prefix");
  if (auto v = f.optional("vat")) o.vat = read_vat(*v, path / "vat");
  return o;
}

Client read_client(element value, const Path& path) {
  const Fields<client_fields> f(value, path);
  Client c;
  c.id = text(f, "id");
  c.name = text(f, "name");
  c.channel = optional_text(f, "channel");
  if (auto v = f.optional("address")) c.address = read_address(*v, path / "address");
  c.vat_id = optional_text(f, "vat_id");
  c.email = optional_text(f, "email");
  c.buyer_reference = optional_text(f, "buyer_reference");
  if (auto v = f.optional("payment_days")) c.payment_days = integer(*v, path / "payment_days", 0);
  return c;
}

Terms read_terms(element value, const Path& path, Currency currency) {
  const Fields<terms_fields> f(value, path);
  Terms t;
  t.pricing = word<Pricing>(f, "pricing", "pricing");
  t.rate = money(f.required("rate"), path / "rate", currency);
  t.fixed_price = optional_money(f, "fixed_price", currency);
  t.contingent_price = optional_money(f, "contingent_price", currency);
  t.extra_round_price = optional_money(f, "extra_round_price", currency);
  if (auto v = f.optional("contingent_hours")) t.contingent = scaled_number(*v, path / "contingent_hours", 3600, true);
  if (auto v = f.optional("rollover_max_hours")) t.rollover_max = scaled_number(*v, path / "rollover_max_hours", 3600, false);
  if (auto v = f.optional("included_rounds")) t.included_rounds = integer(*v, path / "included_rounds", 0);
  if (auto v = f.optional("rounding")) {
    const Path p = path / "rounding";
    const Fields<rounding_fields> r(*v, p);
    t.rounding = Rounding{60 * integer(r.required("increment_minutes"), p / "increment_minutes", 1),
                          word<RoundingMode>(r, "mode", "rounding mode")};
  }
  if (auto v = f.optional("call_fee")) {
    const Path p = path / "call_fee";
    const Fields<call_fee_fields> c(*v, p);
    t.call_fee = CallFee{60 * integer(c.required("free_minutes"), p / "free_minutes", 0),
                         60 * integer(c.required("block_minutes"), p / "block_minutes", 1),
                         money(c.required("fee"), p / "fee", currency)};
  }
  if (auto v = f.optional("rush")) {
    const Path p = path / "rush";
    const Fields<rush_fields> r(*v, p);
    t.rush = Rush{scaled_number(r.required("lead_hours"), p / "lead_hours", 3600, true),
                  scaled_number(r.required("surcharge_percent"), p / "surcharge_percent", 1e6, false)};
  }
  if (auto v = f.optional("no_show")) {
    const Path p = path / "no_show";
    const Fields<no_show_fields> n(*v, p);
    t.no_show = NoShow{scaled_number(n.required("notice_hours"), p / "notice_hours", 3600, false),
                       money(n.required("fee"), p / "fee", currency)};
  }
  if (auto v = f.optional("vat")) t.vat = read_vat(*v, path / "vat");
  return t;
}

/// Calls `each(item, path)` for every element of an optional list field.
template <const auto& names, class Each>
void for_each_item(const Fields<names>& f, typename Fields<names>::Name name, Each&& each, bool required = false) {
  const auto v = required ? std::optional<element>(f.required(name)) : f.optional(name);
  if (!v) return;
  const Path list = f.path() / name.text();
  simdjson::dom::array items;
  if (v->get_array().get(items)) wrong_type(list, "a list", *v);
  std::size_t i = 0;
  for (element item : items) {
    each(item, list[i]);
    ++i;
  }
}

template <const auto& names>
std::size_t list_size(const Fields<names>& f, typename Fields<names>::Name name) {
  const auto v = f.optional(name);
  simdjson::dom::array items;
  return v && !v->get_array().get(items) ? items.size() : 0;
}

Request read_request(element value, const Path& path, Currency currency) {
  const Fields<request_fields> f(value, path);
  Request r;
  r.id = text(f, "id");
  r.kind = word<RequestKind>(f, "kind", "request kind");
  r.received = to_time(time_of(f.required("received"), path / "received"));
  r.due = optional_time(f, "due");
  r.quote = optional_money(f, "quote", currency);
  if (auto v = f.optional("declined"))
    if (v->get_bool().get(r.declined)) wrong_type(path / "declined", "true or false", *v);
  return r;
}

void read_entry(element value, const Path& path, const Journal& journal, Entries& entries) {
  const Fields<entry_fields> f(value, path);
  const ClockSeconds start = time_of(f.required("start"), path / "start");
  const EntryKind kind = word<EntryKind>(f, "kind", "entry kind");
  const bool has_end = f.has("end"), has_minutes = f.has("minutes");
  if (has_end == has_minutes)
    fail(path, has_end ? "give either \"end\" or \"minutes\", not both" : "give its \"end\" or its \"minutes\"");
  const Seconds seconds = has_minutes ? 60 * integer(f.required("minutes"), path / "minutes", 1)
                                      : time_of(f.required("end"), path / "end") - start;
  RequestIndex request = no_request;
  if (auto v = f.optional("request")) {
    const std::string_view id = string_of(*v, path / "request");
    request = journal.find_request(id);
    if (request == no_request) fail(path / "request", "unknown request \"" + std::string(id) + "\"");
  }
  std::string_view note;
  if (auto v = f.optional("note")) note = string_of(*v, path / "note");
  entries.push_back(start, seconds, kind, request, note, has_minutes);
}

Engagement read_engagement(element value, const Path& path) {
  const Fields<engagement_fields> f(value, path);
  Engagement e;
  e.id = text(f, "id");
  e.client = text(f, "client");
  e.title = optional_text(f, "title");
  const std::string_view code = text(f, "currency");
  if (!Currency::valid(code)) fail(path / "currency", "must be 3 capital letters like \"EUR\", got \"" + std::string(code) + "\"");
  e.currency = Currency(code);
  e.start = to_date(date_of(f.required("start"), path / "start"));
  e.end = optional_date(f, "end");
  e.review_by = optional_date(f, "review_by");
  e.terms = read_terms(f.required("terms"), path / "terms", e.currency);

  Journal& j = e.journal;
  for_each_item(f, "requests", [&](element v, const Path& p) { j.requests.push_back(read_request(v, p, e.currency)); });
  j.entries.reserve(list_size(f, "entries"));
  for_each_item(f, "entries", [&](element v, const Path& p) { read_entry(v, p, j, j.entries); });
  for_each_item(f, "appointments", [&](element v, const Path& p) {
    const Fields<appointment_fields> a(v, p);
    j.appointments.push_back({to_time(time_of(a.required("at"), p / "at")),
                              word<AppointmentStatus>(a, "status", "appointment status"), optional_time(a, "cancelled")});
  });
  for_each_item(f, "invoices", [&](element v, const Path& p) {
    const Fields<invoice_fields> inv(v, p);
    Invoice invoice;
    invoice.id = text(inv, "id");
    invoice.date = to_date(date_of(inv.required("date"), p / "date"));
    for_each_item(inv, "lines", [&](element lv, const Path& lp) {
      const Fields<line_fields> line(lv, lp);
      invoice.lines.push_back({word<Category>(line, "category", "category"), money(line.required("amount"), lp / "amount", e.currency)});
    }, true);
    if (auto cv = inv.optional("credit_note"))
      if (cv->get_bool().get(invoice.credit_note)) wrong_type(p / "credit_note", "true or false", *cv);
    invoice.refers_to = optional_text(inv, "refers_to");
    invoice.due = optional_date(inv, "due");
    j.invoices.push_back(std::move(invoice));
  });
  for_each_item(f, "payments", [&](element v, const Path& p) {
    const Fields<payment_fields> pay(v, p);
    j.payments.push_back({std::string(text(pay, "invoice")), to_date(date_of(pay.required("date"), p / "date")),
                          money(pay.required("amount"), p / "amount", e.currency)});
  });
  return e;
}

}  // namespace

namespace {

/// The book's parsed text: its fields, clients and engagements, not yet validate()d. `version`:
/// the version its "format" says, 1 or 2.
Book read_book(element root, int& version) {
  const Path top;
  // The format first: another kind of file (a report, say) is refused for what it is, not for a field.
  std::string_view format;
  if (!root["format"].get_string().get(format) && format != "kontingent-book/1" && format != "kontingent-book/2")
    fail(top / "format", "expected \"kontingent-book/1\" or \"kontingent-book/2\", got \"" + std::string(format) + "\"");
  const Fields<book_fields> f(root, top);
  version = text(f, "format") == "kontingent-book/2" ? 2 : 1;
  Book book;
  if (auto v = f.optional("owner")) book.owner = read_owner(*v, top / "owner");
  for_each_item(f, "clients", [&](element v, const Path& p) { book.clients.push_back(read_client(v, p)); }, true);
  for_each_item(f, "engagements", [&](element v, const Path& p) { book.engagements.push_back(read_engagement(v, p)); }, true);
  return book;
}

/// Engagements' texts, handed from the thread cutting the book to the threads parsing them, and
/// the buffers a book file is read into for that: a few megabytes each, each used again once every
/// engagement cut from it is parsed. Mapping the file instead cost about as much as parsing it: the
/// kernel maps its pages a few at a time, dearly in a virtual machine, and fresh memory as big as
/// the file costs as much to fault in and zero (docs/performance.md, row 6).
class EngagementTexts {
 public:
  /// Part of a book file, in memory. The engagements cut from it point into it.
  struct Buffer {
    std::unique_ptr<char[]> bytes;
    std::size_t capacity = 0;  // and simdjson's padding after it, readable
    std::size_t unparsed = 0;  // engagements cut from it and not parsed yet
    bool cutting = true;       // the cut still reads into it or cuts from it
  };

  /// At most `most_buffers` buffers; the cut waits for one, or parses engagements itself, rather than take more.
  explicit EngagementTexts(std::size_t most_buffers) : most_buffers_(most_buffers) {}

  /// Text `text` of an engagement, from `in` (null: from text that is no buffer's).
  void add(std::string_view text, Buffer* in) {
    {
      const std::lock_guard lock(mutex_);
      texts_.emplace_back(text, in);
      if (in) ++in->unparsed;
    }
    ready_.notify_one();
  }
  /// No more will come.
  void close() {
    {
      const std::lock_guard lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }
  /// The index of the next text to parse, the text and its buffer; nullopt once all are handed
  /// out, or (`wait` false) when none is ready now.
  std::optional<std::size_t> next(std::string_view& text, Buffer*& in, bool wait = true) {
    std::unique_lock lock(mutex_);
    if (wait) ready_.wait(lock, [&] { return taken_ < texts_.size() || closed_; });
    if (taken_ == texts_.size()) return std::nullopt;
    std::tie(text, in) = texts_[taken_];
    return taken_++;
  }
  /// A text from `in` is parsed, or failed to be.
  void parsed(Buffer* in) {
    if (!in) return;
    {
      const std::lock_guard lock(mutex_);
      --in->unparsed;
    }
    freed_.notify_one();
  }
  /// The cut has done with `in`: it is free again once its engagements are parsed.
  void cut(Buffer* in) {
    const std::lock_guard lock(mutex_);
    in->cutting = false;
  }
  /// A buffer of at least `size` bytes for the cut. While every buffer is taken, the cut parses
  /// an engagement with `parse_one` (false: none was left to it) or waits for one to be parsed.
  Buffer* take(std::size_t size, const std::function<bool()>& parse_one) {
    std::unique_lock lock(mutex_);
    for (;;) {
      const auto free = std::find_if(buffers_.begin(), buffers_.end(), [](const auto& b) { return !b->cutting && b->unparsed == 0; });
      if (free != buffers_.end() || buffers_.size() < most_buffers_) {
        Buffer& buffer = free != buffers_.end() ? **free : *buffers_.emplace_back(std::make_unique<Buffer>());
        buffer.cutting = true;
        lock.unlock();
        if (buffer.capacity < size) {
          buffer.bytes.reset();
          buffer.bytes = std::make_unique_for_overwrite<char[]>(size + simdjson::SIMDJSON_PADDING);
          buffer.capacity = size;
        }
        return &buffer;
      }
      if (taken_ < texts_.size()) {
        lock.unlock();
        parse_one();
        lock.lock();
      } else {
        freed_.wait(lock);
      }
    }
  }
  std::size_t size() const { return texts_.size(); }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, freed_;
  std::deque<std::pair<std::string_view, Buffer*>> texts_;
  std::size_t taken_ = 0;
  bool closed_ = false;
  std::vector<std::unique_ptr<Buffer>> buffers_;
  std::size_t most_buffers_;
};

/// What a thread reading engagements keeps from one to the next: its buffers stay warm in the cache.
struct EngagementReader {
  simdjson::dom::parser parser;
  detail::PlainEntryList entries;
  std::vector<RequestIndex> requests;  ///< no_request, then where each of entries.request_ids is in the journal
  std::string rest;  ///< the engagement's text with its entry list left empty
};

/// Adds the entries read by detail::read_plain_entry_list to the journal, as read_entry() would;
/// false if one names a request the journal does not have.
bool add_plain_entries(EngagementReader& reader, Journal& journal) {
  reader.requests.assign(1, no_request);
  for (const std::string_view id : reader.entries.request_ids) {
    reader.requests.push_back(journal.find_request(id));
    if (reader.requests.back() == no_request) return false;
  }
  journal.entries.append(reader.entries.entries, [&](RequestIndex r) { return reader.requests[static_cast<std::size_t>(r + 1)]; });
  return true;
}

/// One engagement's text read into an engagement (not validate()d). A plainly written entry list
/// is read by detail::read_plain_entry_list and the rest by simdjson; any other is left to simdjson.
Engagement read_engagement_text(EngagementReader& reader, std::string_view text, bool padded, const Path& path) {
  if (const auto list = detail::find_entry_list(text)) {
    if (const auto length = detail::read_plain_entry_list(text.substr(*list), reader.entries)) {
      reader.rest.assign(text.substr(0, *list)).append("[]").append(text.substr(*list + *length));
      // Only the engagement has an "entries" field: read_engagement() refuses the rest if the list
      // found was another object's, and the whole book is then read again by the full parser.
      Engagement e = read_engagement(reader.parser.parse(reader.rest).value(), path);
      if (e.journal.entries.empty() && add_plain_entries(reader, e.journal)) return e;
    }
  }
  return read_engagement(reader.parser.parse(text.data(), text.size(), !padded).value(), path);
}

/// A book that says it is version 1 has none of version 2's fields: to a version 1 reader they are
/// unknown fields, so the book would mean something else to it.
void check_version(const Book& book, int version) {
  if (version == 1)
    if (const std::string place = first_version_2_field(book); !place.empty())
      throw validation_error(place, "a field of book version 2: the book must say \"format\": \"kontingent-book/2\"");
}

/// How a book's text is cut into engagements for read_book_by_engagement(): into `texts`, with
/// `parse_one` to parse one of them meanwhile (while the cut waits for a buffer).
using Cut = std::function<std::optional<detail::BookLayout>(EngagementTexts& texts, const std::function<bool()>& parse_one)>;

/// Reads and validates a book engagement by engagement (detail::EngagementCutter); nullopt when its
/// text is not laid out as a book's or anything in it is wrong. Then the whole text is parsed at
/// once, which finds the first problem in the order a reader expects. `bytes`: how long the text
/// is; `buffered`: `cut` reads it into buffers (else it is in memory already). The engagements'
/// texts are followed by SIMDJSON_PADDING readable bytes if `padded`.
std::optional<Book> read_book_by_engagement(std::size_t bytes, bool buffered, bool padded, const Cut& cut,
                                            const EachEngagement& each) {
  // A thread pays off for about 8 MB of JSON: starting one costs as much as parsing 10 KB.
  constexpr std::size_t bytes_per_thread = std::size_t{8} << 20;
  const auto threads = static_cast<unsigned>(
      std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), bytes / bytes_per_thread + 1));
  // A buffer for each thread to parse from and one for the cut to read into: with more, the cut
  // would only run further ahead of the parsers, into fresh memory.
  EngagementTexts texts(buffered ? threads + 1 : 0);
  std::optional<detail::BookLayout> layout;
  std::vector<EngagementReader> readers(threads);
  std::vector<std::vector<std::pair<std::size_t, Engagement>>> parsed(threads);
  const Path top;
  const Path list = top / "engagements";
  Book book;  // its format, owner and clients: the text around the engagement list
  int version = 1;
  const auto parse = [&](unsigned worker, bool wait) {
    std::string_view text;
    EngagementTexts::Buffer* in = nullptr;
    const auto i = texts.next(text, in, wait);
    if (!i) return false;
    struct Parsed {  // however the parse ends, the buffer may be used again
      EngagementTexts& texts;
      EngagementTexts::Buffer* in;
      ~Parsed() { texts.parsed(in); }
    } parsed_text{texts, in};
    Engagement engagement = read_engagement_text(readers[worker], text, padded, list[*i]);
    detail::validate_engagement(engagement, *i);
    if (each) each(*i, engagement);
    parsed[worker].emplace_back(*i, std::move(engagement));
    return true;
  };
  try {
    // Task 0 cuts the text, reads the rest of the book and then parses engagements too; the other
    // threads parse what it has cut meanwhile.
    detail::parallel_for(threads, threads, [&](std::size_t task, unsigned worker) {
      if (task == 0) {
        {
          struct Closing {  // the parsing threads stop waiting however the cut ends
            EngagementTexts& texts;
            ~Closing() { texts.close(); }
          } closing{texts};
          layout = cut(texts, [&] { return parse(worker, false); });
        }
        if (layout) book = read_book(readers[worker].parser.parse(layout->head + layout->tail).value(), version);
      }
      while (parse(worker, true)) {
      }
    });
    if (!layout) return std::nullopt;
    book.engagements.resize(texts.size());
    for (auto& engagements : parsed)
      for (auto& [i, engagement] : engagements) book.engagements[i] = std::move(engagement);
    detail::validate_across(book);
    check_version(book, version);
    return book;
  } catch (const validation_error&) {
    return std::nullopt;
  } catch (const simdjson::simdjson_error&) {
    return std::nullopt;
  }
}

/// The whole text parsed at once. Text that is not JSON is refused at the first place it breaks
/// JSON's grammar, as "FILE:LINE:COLUMN: what was expected there" (`file` empty: "LINE:COLUMN: …").
element parse_whole(simdjson::dom::parser& parser, std::string_view json, bool padded, const std::string& file) {
  element root;
  const auto error = parser.parse(json.data(), json.size(), !padded).get(root);
  if (!error) return root;
  if (auto syntax = detail::find_json_syntax_error(json, parser.max_depth())) {
    const std::string place = std::to_string(syntax->line) + ":" + std::to_string(syntax->column);
    throw validation_error(file.empty() ? place : file + ":" + place, std::move(syntax->rule));
  }
  // The scanner and simdjson disagree about what JSON is: simdjson's reason is better than none.
  throw validation_error(file, std::string("not valid JSON: ") + simdjson::error_message(error));
}

/// The UTF-8 byte order mark, which editors on Windows may start a text with; it is no part of the JSON.
constexpr std::string_view byte_order_mark = "\xEF\xBB\xBF";

/// `json` read from `file` (empty for text that is no file's), whose name prefixes the place of an
/// error; `engagement_by_engagement` false where that was tried already. Each engagement goes to
/// `each` (if any) once read.
Book read_book(std::string_view json, bool padded, const std::string& file, bool engagement_by_engagement = true,
               const EachEngagement& each = {}) {
  if (json.starts_with(byte_order_mark)) json.remove_prefix(byte_order_mark.size());
  if (engagement_by_engagement) {
    const Cut cut = [&](EngagementTexts& texts, const std::function<bool()>&) {
      return detail::find_engagements(json, [&](std::string_view text) { texts.add(text, nullptr); });
    };
    if (auto book = read_book_by_engagement(json.size(), false, padded, cut, each)) return std::move(*book);
  }
  simdjson::dom::parser parser;
  const element root = parse_whole(parser, json, padded, file);
  try {
    int version = 1;
    Book book = read_book(root, version);
    validate(book);
    check_version(book, version);
    if (each) detail::each_engagement(book, each);
    return book;
  } catch (const validation_error& e) {
    throw e.within(file);
  }
}

/// The book file open as `fd`, of `size` bytes, read and cut into buffers of `chunk` bytes.
std::optional<Book> read_book_file(int fd, std::size_t size, std::size_t chunk, const EachEngagement& each) {
  const Cut cut = [&](EngagementTexts& texts, const std::function<bool()>& parse_one) -> std::optional<detail::BookLayout> {
    EngagementTexts::Buffer* buffer = texts.take(std::min(chunk, size + 1), parse_one);
    detail::EngagementCutter cutter([&](std::string_view text) { texts.add(text, buffer); });
    std::size_t window_at = 0, filled = 0;  // the buffer holds the text from window_at on, `filled` bytes of it
    bool first = true;
    // The first reads are small, then each twice the last, up to a whole buffer: the parsing threads
    // start on the first engagements while the cut reads on, rather than wait for a buffer's worth.
    std::size_t step = std::size_t{64} << 10;
    for (;;) {
      if (filled == buffer->capacity) {  // full: what the cut still needs goes on in another buffer
        const std::size_t keep = cutter.keep_from(), carry = window_at + filled - keep;
        EngagementTexts::Buffer* const next = texts.take(std::max(chunk, 2 * carry), parse_one);
        std::memcpy(next->bytes.get(), buffer->bytes.get() + (keep - window_at), carry);
        texts.cut(buffer);
        buffer = next, window_at = keep, filled = carry;
      }
      const ::ssize_t n = ::read(fd, buffer->bytes.get() + filled, std::min(step, buffer->capacity - filled));
      step = std::min(2 * step, chunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (n < 0) return std::nullopt;  // read again whole, which names the problem
        break;
      }
      filled += static_cast<std::size_t>(n);
      if (std::exchange(first, false) && std::string_view(buffer->bytes.get(), filled).starts_with(byte_order_mark)) {
        filled -= byte_order_mark.size();
        std::memmove(buffer->bytes.get(), buffer->bytes.get() + byte_order_mark.size(), filled);
      }
      if (!cutter.feed({buffer->bytes.get(), filled}, window_at)) return std::nullopt;
    }
    return cutter.finish({buffer->bytes.get(), filled}, window_at);
  };
  return read_book_by_engagement(size, true, true, cut, each);
}

}  // namespace

Book parse_book_json(std::string_view json) { return read_book(json, false, ""); }

namespace detail {

Book load_book_json(const std::filesystem::path& file, std::size_t piece, const EachEngagement& each) {
  // A regular file is read a piece at a time; if that finds a problem, or the file is no regular
  // one (a pipe), it is read whole, which names the problem.
  if (const FileDescriptor fd(file); fd.regular())
    if (auto book = read_book_file(fd.get(), fd.size(), piece, each)) return std::move(*book);
  const detail::MappedFile mapped(file, simdjson::SIMDJSON_PADDING);
  simdjson::padded_string json;
  if (!mapped.mapped()) json = simdjson::padded_string(detail::read_whole(file));
  // Both carry their own padding, so simdjson need not copy them.
  return read_book(mapped.mapped() ? mapped.bytes() : std::string_view(json), true, file.string(), !mapped.mapped(), each);
}

}  // namespace detail

// Reads of a few megabytes: smaller ones cost more calls, bigger ones outgrow the caches. A buffer
// and simdjson's padding after it take two whole huge pages of the command's allocator (src/cli/memory.cpp):
// 64 bytes more would take a third, which the kernel zeroes as well.
Book load_book_json(const std::filesystem::path& file, const EachEngagement& each) {
  return detail::load_book_json(file, (std::size_t{4} << 20) - simdjson::SIMDJSON_PADDING, each);
}

}  // namespace kontingent
