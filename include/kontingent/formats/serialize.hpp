#pragma once
// Boost.Serialization for every kontingent value type, and to_bytes/from_bytes (what Python's
// pickle uses). Heavy: include it only where values are saved or loaded; for whole books,
// kontingent/formats/archive.hpp is enough.
//
// Versions (docs/formats.md, "Archives"): every type starts at BOOST_CLASS_VERSION 1. Version 0 is
// never written, so a 0 read back marks a damaged or foreign archive. A type that gains or changes a
// field gets the next version, and its serialize() keeps reading every older one: Book, Client,
// Terms and Invoice are at 2 since book version 2 (docs/formats.md, book version 2), and Book at 3
// since texts in XML archives are made safe for XML (detail::xml_safe_text). Boost itself refuses
// class versions newer than the code.
//
// Times are archived as clock seconds and dates as clock days (time.hpp), not with Boost's
// time_serialize.hpp: one exact integer, the representation the journal's columns already use, a
// range that is checked on load, and no dependence on how Boost lays out its special values.
//
// Loading is safe only through from_bytes, from_archive and load_book: they check the header and
// its checksum first and tell the serialize() functions how many bytes are left, so that no count,
// length or text in an archive can make them allocate more than the archive could hold. Loading
// from an archive made any other way throws archive_error.
#include <boost/archive/binary_iarchive.hpp>
#include <boost/archive/binary_oarchive.hpp>
#include <boost/serialization/array_wrapper.hpp>
#include <boost/serialization/level.hpp>
#include <boost/serialization/nvp.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/tracking.hpp>
#include <boost/serialization/version.hpp>
#include <cstdint>
#include <cstring>
#include <istream>
#include <limits>
#include <locale>
#include <optional>
#include <streambuf>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kontingent/book.hpp"

namespace boost::archive {
class xml_oarchive;  // texts written to it go through detail::xml_safe_text
}
#include "kontingent/detail/text.hpp"
#include "kontingent/error.hpp"
#include "kontingent/report.hpp"
#include "kontingent/formats/archive.hpp"

namespace kontingent {

/// The value as a binary archive behind kontingent's archive header (pickles, caches). A Book is
/// validated first (throws validation_error): what could not be loaded again is never written.
template <class T>
std::string to_bytes(const T& value);
/// The value back from to_bytes. Throws archive_error on anything wrong: not an archive, another
/// type, damaged, truncated, a newer version, or (for a Book) a book that breaks a rule.
template <class T>
T from_bytes(std::string_view bytes);

namespace detail {

/// Which content id and root element name a type has in an archive (specialised below).
template <class T>
struct archived;

/// Our archives carry no Boost header: ours says everything (docs/formats.md), and without it
/// Boost reads no signature string of a length we cannot bound, and xml_iarchive's destructor
/// does not parse (and throw from) a closing tag.
inline constexpr unsigned archive_flags = boost::archive::no_header | boost::archive::no_codecvt;

/// A read-only stream buffer over bytes in memory: payloads are read in place, and the guards
/// below ask it how many bytes are left.
class SpanBuffer : public std::streambuf {
 public:
  explicit SpanBuffer(std::string_view bytes) {
    char* begin = const_cast<char*>(bytes.data());  // never written: there is no put area
    setg(begin, begin, begin + bytes.size());
  }
  std::size_t remaining() const noexcept { return static_cast<std::size_t>(egptr() - gptr()); }
  const char* position() const noexcept { return gptr(); }
  /// The next `n` bytes (at most remaining()), read past.
  std::string_view take(std::size_t n) noexcept {
    const std::string_view bytes(gptr(), n);
    setg(eback(), gptr() + n, egptr());
    return bytes;
  }
};

/// A stream buffer that appends to a string, writing straight into the string's storage (an
/// ostringstream would copy the whole archive once more at the end).
class StringSink : public std::streambuf {
 public:
  explicit StringSink(std::string& out) : out_(out), used_(out.size()) { reserve(64 * 1024); }
  /// Trims the string to what was written; call once the archive is done.
  void finish() { out_.resize(written()); }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    reserve(1);
    *pptr() = traits_type::to_char_type(c);
    advance(1);
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const auto count = static_cast<std::size_t>(n);
    reserve(count);
    std::memcpy(pptr(), s, count);
    advance(count);
    return n;
  }

 private:
  std::size_t written() const noexcept { return static_cast<std::size_t>(pptr() - out_.data()); }
  void advance(std::size_t n) {
    used_ = written() + n;
    setp(out_.data() + used_, out_.data() + out_.size());
  }
  void reserve(std::size_t n) {
    if (pptr() && static_cast<std::size_t>(epptr() - pptr()) >= n) return;
    if (pptr()) used_ = written();
    out_.resize(std::max(out_.size() * 2, used_ + n));
    setp(out_.data() + used_, out_.data() + out_.size());
  }
  std::string& out_;
  std::size_t used_;
};

/// Takes a book's engagements one by one as they are read, instead of the book's list: a loader
/// checks each on another thread while the next ones are read.
class EngagementSink {
 public:
  virtual void take(Engagement&& engagement) = 0;

 protected:
  ~EngagementSink() = default;
};

/// What a loader tells the serialize() functions, through the archive's helper collection.
struct LoadContext {
  SpanBuffer* payload = nullptr;  ///< the payload being read; null if not loaded by our loaders
  ArchiveFormat format = ArchiveFormat::binary;
  bool book = false;  ///< a whole book: times must be real, amounts and hours within the JSON reader's limits
  bool xml_safe_text = false;  ///< XML texts went through xml_safe_text (Book class version 3 on)
  EngagementSink* engagements = nullptr;  ///< if set, a Book's engagements go there
};
inline char load_context_key = 0;  // its address names our helper

template <class Archive>
LoadContext& load_context(Archive& ar) {
  return ar.template get_helper<LoadContext>(&load_context_key);
}

[[noreturn]] inline void refuse(std::string where, std::string rule) { throw archive_error(std::move(where), std::move(rule)); }

/// Rethrows an error from inside `part`, naming the place from the outside in
/// (`engagements[0]` + `entries[3].kind`).
[[noreturn]] inline void rethrow_within(std::string part, const archive_error& e) {
  if (!e.where().empty()) part += (e.where().front() == '[' ? "" : ".") + e.where();
  throw archive_error(std::move(part), e.rule());
}


/// Fails unless `count` things of at least `each` bytes fit in what is left of the payload.
template <class Archive>
void guard_count(Archive& ar, std::uint64_t count, std::size_t each, std::string_view what) {
  const LoadContext& context = load_context(ar);
  if (!context.payload)
    refuse("", "load kontingent values only through from_bytes, from_archive or load_book (they bound what an archive may ask for)");
  const std::size_t left = context.payload->remaining();
  if (count > left / each)
    refuse("", std::to_string(count) + " " + std::string(what) + " cannot fit in the " + std::to_string(left) +
                   " bytes left of the archive");
}

/// Checks a text's length before Boost reads it (and sizes a string for it).
template <class Archive>
void guard_text(Archive& ar) {
  const LoadContext& context = load_context(ar);
  if (context.format == ArchiveFormat::xml) return;  // XML texts are parsed, their length is what is there
  if (!context.payload) guard_count(ar, 0, 1, "");
  const char* p = context.payload->position();
  const std::size_t left = context.payload->remaining();
  std::uint64_t length = 0;
  std::size_t used = 0;
  if (context.format == ArchiveFormat::binary) {  // a 64-bit little-endian length, then the bytes
    if (left < sizeof length) refuse("", "the archive ends inside a text's length");
    std::memcpy(&length, p, sizeof length);
    used = sizeof length;
  } else {  // text archives: a number, one space, the bytes. The number is read here exactly as
            // Boost will read it (operator>> skips any whitespace, takes a sign), from a copy.
    SpanBuffer ahead(std::string_view(p, left));
    std::istream in(&ahead);
    in.imbue(std::locale::classic());
    std::size_t announced = 0;
    if (!(in >> announced)) return;  // not a number: Boost's reader fails on it the same way
    length = announced;
    used = left - ahead.remaining();
  }
  if (length > left - used)
    refuse("", "a text of " + std::to_string(length) + " bytes cannot fit in the " + std::to_string(left - used) +
                   " bytes left of the archive");
}

/// Boost passes the class version read from the archive; it checks neither end of the range.
template <class T>
void known_version(unsigned version, const char* type) {
  constexpr unsigned newest = boost::serialization::version<T>::value;
  if (version == 0) refuse("", std::string(type) + " has class version 0, which kontingent never writes (its versions start at 1)");
  if (version > newest)
    refuse("", std::string(type) + " has class version " + std::to_string(version) + ", newer than this kontingent reads (" +
                   std::to_string(newest) + "): update kontingent");
}

// How a value that is no time or date (a default-constructed one) is archived.
inline constexpr ClockSeconds not_a_time = std::numeric_limits<ClockSeconds>::min();
inline constexpr ClockDays not_a_day = std::numeric_limits<ClockDays>::min();

// The book's limits (kontingent/limits.hpp) in the units the model keeps: a book from an archive
// keeps them as one from JSON does.
inline constexpr std::int64_t max_cents = limits::max_cents;
inline constexpr Seconds max_minutes_seconds = limits::longest_entry_seconds;  // integer minutes
inline constexpr Seconds max_hours_seconds = 3600 * limits::max_hours;
inline constexpr std::int64_t max_micro_percent = 1'000'000 * limits::max_percent;
inline constexpr std::int64_t max_rounds = limits::max_count;
inline constexpr std::int64_t max_payment_days = limits::max_count;

// ---- one value in the archive, by type; errors carry no place, item() adds the field's name ----

template <class Archive, class T>
  requires(!std::is_enum_v<T>)
void value_io(Archive& ar, const char* name, T& value) {
  ar & boost::serialization::make_nvp(name, value);
}

template <class Archive>
inline constexpr bool is_xml_output = std::is_same_v<Archive, boost::archive::xml_oarchive>;

template <class Archive>
inline constexpr bool is_binary_input = std::is_same_v<Archive, boost::archive::binary_iarchive>;

/// Boost's layout of a text in a binary archive, a 64-bit length and the bytes, taken straight
/// from the payload: a book has a text for each note, and Boost would zero each string first and
/// go through the stream twice. guard_text has seen that both fit.
template <class Archive>
std::string_view take_text(Archive& ar) {
  SpanBuffer& payload = *load_context(ar).payload;
  std::uint64_t length = 0;
  std::memcpy(&length, payload.take(sizeof length).data(), sizeof length);
  return payload.take(static_cast<std::size_t>(length));
}

/// Every text a book holds is UTF-8: a forged archive must not smuggle in what the JSON writer
/// could not write.
inline void check_utf8(std::string_view text) {
  if (std::string problem = utf8_problem(text); !problem.empty()) refuse("", std::move(problem));
}

template <class Archive>
void value_io(Archive& ar, const char* name, std::string& text) {
  if constexpr (is_xml_output<Archive>) {
    std::string safe = xml_safe_text(text);
    ar & boost::serialization::make_nvp(name, safe);
    return;
  }
  if constexpr (Archive::is_loading::value) guard_text(ar);  // before Boost allocates the length it reads
  if constexpr (is_binary_input<Archive>) {
    text.assign(take_text(ar));
  } else {
    ar & boost::serialization::make_nvp(name, text);
    if constexpr (Archive::is_loading::value)
      if (load_context(ar).xml_safe_text) text = xml_text_back(text);
  }
  if constexpr (Archive::is_loading::value) check_utf8(text);
}

/// A text of a binary archive whose UTF-8 is checked by the caller, with its neighbours: a view of
/// the payload, copied once, where it is kept.
struct UncheckedText {
  std::string_view text;
};
template <class Archive>
void value_io(Archive& ar, const char*, UncheckedText& unchecked) {
  static_assert(is_binary_input<Archive>);
  guard_text(ar);
  unchecked.text = take_text(ar);
}

/// Booleans go as a byte: Boost's own bool loader asserts on anything but 0 and 1.
template <class Archive>
void value_io(Archive& ar, const char* name, bool& flag) {
  std::uint8_t byte = flag ? 1 : 0;
  ar & boost::serialization::make_nvp(name, byte);
  if constexpr (Archive::is_loading::value) {
    if (byte > 1) refuse("", "must be 0 or 1, got " + std::to_string(byte));
    flag = byte == 1;
  }
}

/// Enumerations go as their byte and are checked against their names on load.
template <class Archive, class Enum>
  requires std::is_enum_v<Enum>
void value_io(Archive& ar, const char* name, Enum& value) {
  static_assert(std::is_same_v<std::underlying_type_t<Enum>, std::uint8_t>);
  std::uint8_t byte = static_cast<std::uint8_t>(value);
  ar & boost::serialization::make_nvp(name, byte);
  if constexpr (Archive::is_loading::value) {
    constexpr std::size_t count = enum_names<Enum>::values.size();
    if (byte >= count)
      refuse("", "must be 0 to " + std::to_string(count - 1) + " (" + names_list<Enum>() + "), got " + std::to_string(byte));
    value = static_cast<Enum>(byte);
  }
}

template <class Archive>
void value_io(Archive& ar, const char* name, Time& time) {
  ClockSeconds seconds = not_a_time;
  if constexpr (Archive::is_saving::value) {
    if (!time.is_not_a_date_time()) {
      if (time.is_special()) refuse("", "cannot archive an infinite time");
      seconds = clock_seconds(time);
    }
  }
  ar & boost::serialization::make_nvp(name, seconds);
  if constexpr (Archive::is_loading::value) {
    if (seconds == not_a_time && !load_context(ar).book) {
      time = Time();
    } else {
      if (seconds < first_second || seconds > last_second)
        refuse("", "time " + std::to_string(seconds) + " is out of range (" + limits::year_range() + ")");
      time = to_time(seconds);
    }
  }
}

template <class Archive>
void value_io(Archive& ar, const char* name, Date& date) {
  ClockDays days = not_a_day;
  if constexpr (Archive::is_saving::value) {
    if (!date.is_not_a_date()) {
      if (date.is_special()) refuse("", "cannot archive an infinite date");
      days = clock_days(date);
    }
  }
  ar & boost::serialization::make_nvp(name, days);
  if constexpr (Archive::is_loading::value) {
    if (days == not_a_day && !load_context(ar).book) {
      date = Date();
    } else {
      if (days < first_day || days > last_day) refuse("", "date " + std::to_string(days) + " is out of range (" + limits::year_range() + ")");
      date = to_date(days);
    }
  }
}

/// One named field; an error while loading it is rethrown with the field's name in its place.
template <class Archive, class T>
void item(Archive& ar, const char* name, T& value) {
  try {
    value_io(ar, name, value);
  } catch (const archive_error& e) {
    rethrow_within(name, e);
  }
}

/// An optional field: a `present` flag, then the value if there is one.
template <class Archive, class T>
void optional(Archive& ar, const char* present, const char* name, std::optional<T>& value) {
  bool has = value.has_value();
  item(ar, present, has);
  if constexpr (Archive::is_loading::value) {
    if (!has) return value.reset();
    value.emplace();
  }
  if (has) item(ar, name, *value);
}

/// Reads a list written by sequence(), handing each item to `add`.
template <class T, class Archive, class Add>
void load_sequence(Archive& ar, const char* name, const char* item_name, Add&& add) {
  std::uint64_t count = 0;
  item(ar, name, count);
  try {
    guard_count(ar, count, 1, "items");
  } catch (const archive_error& e) {
    rethrow_within(name, e);
  }
  for (std::uint64_t i = 0; i < count; ++i) {
    T value{};
    try {
      value_io(ar, item_name, value);
    } catch (const archive_error& e) {
      rethrow_within(std::string(name) + "[" + std::to_string(i) + "]", e);
    }
    add(std::move(value));
  }
}

/// A list: its count under the list's name, then each item.
template <class Archive, class T>
void sequence(Archive& ar, const char* name, const char* item_name, std::vector<T>& items) {
  if constexpr (Archive::is_loading::value) {
    items.clear();  // no reserve: memory grows only with items actually read
    load_sequence<T>(ar, name, item_name, [&](T&& value) { items.push_back(std::move(value)); });
  } else {
    std::uint64_t count = items.size();
    item(ar, name, count);
    for (T& value : items) value_io(ar, item_name, value);
  }
}

/// A column of numbers as one array: a single block in binary archives, numbers in text and XML.
template <class Archive, class Number>
void column(Archive& ar, const char* name, Number* numbers, std::size_t count) {
  static_assert(std::is_arithmetic_v<Number>);
  if (count == 0) return;
  auto array = boost::serialization::make_array(numbers, count);
  ar & boost::serialization::make_nvp(name, array);
}

/// In a book: `value` within ±`max` (the JSON reader's limit for the field).
template <class Archive, class Int>
void limit(Archive& ar, const char* name, const Int& value, std::int64_t max) {
  if constexpr (Archive::is_loading::value) {
    if (load_context(ar).book && (value > max || value < -max))
      refuse(name, std::to_string(value) + " is out of range (at most " + std::to_string(max) + ")");
  }
}
template <class Archive, class Int>
void limit(Archive& ar, const char* name, const std::optional<Int>& value, std::int64_t max) {
  if (value) limit(ar, name, *value, max);
}

/// Smallest size of one entry in a payload, for bounding the entry count by the bytes left.
constexpr std::size_t entry_bytes(ArchiveFormat format) noexcept {
  switch (format) {
    case ArchiveFormat::binary: return 8 + 8 + 1 + 4 + 1 + 4;  // one value of each column
    case ArchiveFormat::text: return 6 * 2;                    // a digit and a space per column
    case ArchiveFormat::xml: return 6 * 14;                    // <item>0</item> per column
  }
  return 1;
}

/// Reads and writes the journal's entry columns in bulk (friend of Entries).
struct EntriesAccess {
  template <class Archive>
  static void serialize(Archive& ar, Entries& e) {
    std::uint64_t count = e.size();
    item(ar, "count", count);
    if constexpr (Archive::is_loading::value) {
      guard_count(ar, count, entry_bytes(load_context(ar).format), "entries");
      e.starts_.resize(count), e.seconds_.resize(count), e.kinds_.resize(count), e.requests_.resize(count);
      e.as_minutes_.resize(count), e.notes_.resize(count);
    }
    const auto n = static_cast<std::size_t>(count);
    column(ar, "starts", e.starts_.data(), n);
    column(ar, "seconds", e.seconds_.data(), n);
    column(ar, "kinds", reinterpret_cast<std::uint8_t*>(e.kinds_.data()), n);  // EntryKind is a byte
    column(ar, "requests", e.requests_.data(), n);
    column(ar, "as_minutes", e.as_minutes_.data(), n);
    column(ar, "notes", e.notes_.data(), n);
    if constexpr (is_binary_input<Archive>) {
      load_note_texts(ar, e.note_texts_);
    } else if constexpr (Archive::is_loading::value) {
      NoteTexts texts;
      load_sequence<std::string>(ar, "note_texts", "note_text", [&](std::string&& text) { texts.push_back(text); });
      e.note_texts_ = std::move(texts);
    } else {  // as sequence() writes a list of strings: the archive's bytes are those of a std::vector<std::string>
      std::uint64_t count = e.note_texts_.size();
      item(ar, "note_texts", count);
      for (std::size_t k = 0; k < e.note_texts_.size(); ++k) {
        std::string text(e.note_texts_[k]);
        value_io(ar, "note_text", text);
      }
    }
    if constexpr (Archive::is_loading::value) check(e, load_context(ar).book);
  }

 private:
  /// sequence() of the note texts, with their UTF-8 checked all at once: a book may have a note on
  /// every entry, and checking each text alone costs more than reading it (NoteTexts::joined()).
  template <class Archive>
  static void load_note_texts(Archive& ar, NoteTexts& texts) {
    texts = NoteTexts{};
    const auto check_each = [&] {  // the first bad text, with the error value_io gives it
      for (std::size_t i = 0; i < texts.size(); ++i) {
        try {
          check_utf8(texts[i]);
        } catch (const archive_error& e) {
          rethrow_within("note_texts[" + std::to_string(i) + "]", e);
        }
      }
    };
    try {
      load_sequence<UncheckedText>(ar, "note_texts", "note_text", [&](UncheckedText&& t) { texts.push_back(t.text); });
    } catch (const archive_error&) {
      check_each();  // a bad text before the damage is the first problem, as when each is checked as read
      throw;
    }
    if (!utf8_problem(texts.joined()).empty()) check_each();
  }

  /// What validate() takes for granted about the columns; it checks the rest. The minutes form is
  /// kept only for whole minutes, as Entries keeps it.
  static void check(Entries& e, bool book) {
    // The columns through local pointers: a store to the byte column may alias anything, and would
    // make the compiler load every column's address again for each entry.
    const std::size_t n = e.size(), texts = e.note_texts_.size();
    const ClockSeconds* starts = e.starts_.data();
    const Seconds* seconds = e.seconds_.data();
    const EntryKind* kinds = e.kinds_.data();
    const std::uint32_t* notes = e.notes_.data();
    std::uint8_t* as_minutes = e.as_minutes_.data();
    const auto place = [](std::size_t i, const char* field) { return "[" + std::to_string(i) + "]." + field; };
    ClockSeconds latest = Entries::no_start;
    for (std::size_t i = 0; i < n; ++i) {
      latest = std::max(latest, starts[i]);
      if (static_cast<std::uint8_t>(kinds[i]) >= entry_kind_count)
        refuse(place(i, "kind"), "must be 0 to 4 (" + names_list<EntryKind>() + "), got " + std::to_string(static_cast<unsigned>(kinds[i])));
      if (as_minutes[i] > 1) refuse(place(i, "as_minutes"), "must be 0 or 1, got " + std::to_string(as_minutes[i]));
      as_minutes[i] &= Entries::minutes_form(true, seconds[i]);
      if (notes[i] > texts) refuse(place(i, "note"), "names note text " + std::to_string(notes[i]) + " of " + std::to_string(texts));
      if (!book) continue;
      const ClockSeconds start = starts[i];
      if (start < first_second || start > last_second)
        refuse(place(i, "start"), "time " + std::to_string(start) + " is out of range (" + limits::year_range() + ")");
      if (seconds[i] < first_second - start || seconds[i] > last_second - start)  // no overflow: start is in range
        refuse(place(i, "seconds"), std::to_string(seconds[i]) + " seconds from its start end outside " + limits::year_range());
    }
    e.latest_start_ = latest;
  }
};

}  // namespace detail

// ---- the serialize() functions, found by Boost through argument-dependent lookup ----

template <class Archive>
void serialize(Archive& ar, Currency& currency, unsigned version) {
  detail::known_version<Currency>(version, "Currency");
  std::string code(currency.code());
  detail::item(ar, "code", code);
  if constexpr (Archive::is_loading::value) {
    if (!Currency::valid(code)) detail::refuse("code", "must be 3 capital letters like \"EUR\", got " + detail::quoted(code));
    currency = Currency(code);
  }
}

template <class Archive>
void serialize(Archive& ar, Money& money, unsigned version) {
  detail::known_version<Money>(version, "Money");
  std::int64_t cents = money.cents();
  Currency currency = money.currency();
  detail::item(ar, "cents", cents);
  detail::item(ar, "currency", currency);
  detail::limit(ar, "cents", cents, detail::max_cents);
  if constexpr (Archive::is_loading::value) money = Money(cents, currency);
}

template <class Archive>
void serialize(Archive& ar, Rounding& r, unsigned version) {
  detail::known_version<Rounding>(version, "Rounding");
  detail::item(ar, "increment", r.increment);
  detail::item(ar, "mode", r.mode);
  detail::limit(ar, "increment", r.increment, detail::max_minutes_seconds);
}

template <class Archive>
void serialize(Archive& ar, CallFee& c, unsigned version) {
  detail::known_version<CallFee>(version, "CallFee");
  detail::item(ar, "free", c.free);
  detail::item(ar, "block", c.block);
  detail::item(ar, "fee", c.fee);
  detail::limit(ar, "free", c.free, detail::max_minutes_seconds);
  detail::limit(ar, "block", c.block, detail::max_minutes_seconds);
}

template <class Archive>
void serialize(Archive& ar, Rush& r, unsigned version) {
  detail::known_version<Rush>(version, "Rush");
  detail::item(ar, "lead", r.lead);
  detail::item(ar, "surcharge_micro_percent", r.surcharge_micro_percent);
  detail::limit(ar, "lead", r.lead, detail::max_hours_seconds);
  detail::limit(ar, "surcharge_micro_percent", r.surcharge_micro_percent, detail::max_micro_percent);
}

template <class Archive>
void serialize(Archive& ar, NoShow& n, unsigned version) {
  detail::known_version<NoShow>(version, "NoShow");
  detail::item(ar, "notice", n.notice);
  detail::item(ar, "fee", n.fee);
  detail::limit(ar, "notice", n.notice, detail::max_hours_seconds);
}

template <class Archive>
void serialize(Archive& ar, Vat& v, unsigned version) {
  detail::known_version<Vat>(version, "Vat");
  detail::item(ar, "category", v.category);
  detail::item(ar, "micro_percent", v.micro_percent);
  detail::item(ar, "exemption_reason", v.exemption_reason);
  detail::limit(ar, "micro_percent", v.micro_percent, detail::max_micro_percent);
}

template <class Archive>
void serialize(Archive& ar, Terms& t, unsigned version) {
  detail::known_version<Terms>(version, "Terms");
  detail::item(ar, "pricing", t.pricing);
  detail::item(ar, "rate", t.rate);
  detail::optional(ar, "has_fixed_price", "fixed_price", t.fixed_price);
  detail::optional(ar, "has_contingent", "contingent", t.contingent);
  detail::optional(ar, "has_contingent_price", "contingent_price", t.contingent_price);
  detail::optional(ar, "has_rollover_max", "rollover_max", t.rollover_max);
  detail::item(ar, "included_rounds", t.included_rounds);
  detail::optional(ar, "has_extra_round_price", "extra_round_price", t.extra_round_price);
  detail::optional(ar, "has_rounding", "rounding", t.rounding);
  detail::optional(ar, "has_call_fee", "call_fee", t.call_fee);
  detail::optional(ar, "has_rush", "rush", t.rush);
  detail::optional(ar, "has_no_show", "no_show", t.no_show);
  if (version >= 2) detail::optional(ar, "has_vat", "vat", t.vat);  // version 1: no VAT of its own
  detail::limit(ar, "contingent", t.contingent, detail::max_hours_seconds);
  detail::limit(ar, "rollover_max", t.rollover_max, detail::max_hours_seconds);
  detail::limit(ar, "included_rounds", t.included_rounds, detail::max_rounds);
}

template <class Archive>
void serialize(Archive& ar, Request& r, unsigned version) {
  detail::known_version<Request>(version, "Request");
  detail::item(ar, "id", r.id);
  detail::item(ar, "kind", r.kind);
  detail::item(ar, "received", r.received);
  detail::optional(ar, "has_due", "due", r.due);
  detail::optional(ar, "has_quote", "quote", r.quote);
  detail::item(ar, "declined", r.declined);
}

template <class Archive>
void serialize(Archive& ar, Entry& e, unsigned version) {
  detail::known_version<Entry>(version, "Entry");
  detail::item(ar, "start", e.start);
  detail::item(ar, "seconds", e.seconds);
  detail::item(ar, "kind", e.kind);
  detail::item(ar, "request", e.request);
  detail::item(ar, "note", e.note);
  detail::item(ar, "written_as_minutes", e.written_as_minutes);
}

template <class Archive>
void serialize(Archive& ar, Entries& entries, unsigned version) {
  detail::known_version<Entries>(version, "Entries");
  detail::EntriesAccess::serialize(ar, entries);
}

template <class Archive>
void serialize(Archive& ar, Appointment& a, unsigned version) {
  detail::known_version<Appointment>(version, "Appointment");
  detail::item(ar, "at", a.at);
  detail::item(ar, "status", a.status);
  detail::optional(ar, "has_cancelled", "cancelled", a.cancelled);
}

template <class Archive>
void serialize(Archive& ar, InvoiceLine& line, unsigned version) {
  detail::known_version<InvoiceLine>(version, "InvoiceLine");
  detail::item(ar, "category", line.category);
  detail::item(ar, "amount", line.amount);
}

template <class Archive>
void serialize(Archive& ar, Invoice& invoice, unsigned version) {
  detail::known_version<Invoice>(version, "Invoice");
  detail::item(ar, "id", invoice.id);
  detail::item(ar, "date", invoice.date);
  detail::sequence(ar, "lines", "line", invoice.lines);
  if (version >= 2) {  // version 1 had invoices only, each due after the client's payment days
    detail::item(ar, "credit_note", invoice.credit_note);
    detail::item(ar, "refers_to", invoice.refers_to);
    detail::optional(ar, "has_due", "due", invoice.due);
  }
}

template <class Archive>
void serialize(Archive& ar, Payment& p, unsigned version) {
  detail::known_version<Payment>(version, "Payment");
  detail::item(ar, "invoice", p.invoice);
  detail::item(ar, "date", p.date);
  detail::item(ar, "amount", p.amount);
}

template <class Archive>
void serialize(Archive& ar, Journal& j, unsigned version) {
  detail::known_version<Journal>(version, "Journal");
  detail::sequence(ar, "requests", "request", j.requests);
  detail::item(ar, "entries", j.entries);
  detail::sequence(ar, "appointments", "appointment", j.appointments);
  detail::sequence(ar, "invoices", "invoice", j.invoices);
  detail::sequence(ar, "payments", "payment", j.payments);
}

template <class Archive>
void serialize(Archive& ar, Address& a, unsigned version) {
  detail::known_version<Address>(version, "Address");
  detail::item(ar, "street", a.street);
  detail::item(ar, "postcode", a.postcode);
  detail::item(ar, "city", a.city);
  detail::item(ar, "country", a.country);
}

template <class Archive>
void serialize(Archive& ar, Owner& o, unsigned version) {
  detail::known_version<Owner>(version, "Owner");
  detail::item(ar, "name", o.name);
  detail::item(ar, "address", o.address);
  detail::item(ar, "vat_id", o.vat_id);
  detail::item(ar, "tax_number", o.tax_number);
  detail::item(ar, "email", o.email);
  detail::item(ar, "iban", o.iban);
  detail::item(ar, "invoice_prefix", o.invoice_prefix);
  detail::optional(ar, "has_vat", "vat", o.vat);
}

template <class Archive>
void serialize(Archive& ar, Client& c, unsigned version) {
  detail::known_version<Client>(version, "Client");
  detail::item(ar, "id", c.id);
  detail::item(ar, "name", c.name);
  detail::item(ar, "channel", c.channel);
  if (version >= 2) {  // version 1 knew nothing an invoice needs, so a client of one has none of it
    detail::optional(ar, "has_address", "address", c.address);
    detail::item(ar, "vat_id", c.vat_id);
    detail::item(ar, "email", c.email);
    detail::item(ar, "buyer_reference", c.buyer_reference);
    detail::optional(ar, "has_payment_days", "payment_days", c.payment_days);
    detail::limit(ar, "payment_days", c.payment_days, detail::max_payment_days);
  }
}

template <class Archive>
void serialize(Archive& ar, Engagement& e, unsigned version) {
  detail::known_version<Engagement>(version, "Engagement");
  detail::item(ar, "id", e.id);
  detail::item(ar, "client", e.client);
  detail::item(ar, "title", e.title);
  detail::item(ar, "currency", e.currency);
  detail::item(ar, "start", e.start);
  detail::optional(ar, "has_end", "end", e.end);
  detail::optional(ar, "has_review_by", "review_by", e.review_by);
  detail::item(ar, "terms", e.terms);
  // The journal's lists sit in the engagement in the book format, so errors name them there
  // (`engagements[0].entries[3]`, as validate() does): no `journal` in the place.
  ar & boost::serialization::make_nvp("journal", e.journal);
}

template <class Archive>
void serialize(Archive& ar, Book& book, unsigned version) {
  detail::known_version<Book>(version, "Book");
  // Version 3: the same fields; texts in XML archives are xml_safe_text, so that control characters
  // in a note keep the file well-formed XML.
  if constexpr (Archive::is_loading::value)
    detail::load_context(ar).xml_safe_text = version >= 3 && detail::load_context(ar).format == ArchiveFormat::xml;
  detail::sequence(ar, "clients", "client", book.clients);
  detail::EngagementSink* sink = nullptr;
  if constexpr (Archive::is_loading::value) sink = detail::load_context(ar).engagements;
  if (sink) {
    detail::load_sequence<Engagement>(ar, "engagements", "engagement", [&](Engagement&& e) { sink->take(std::move(e)); });
  } else {
    detail::sequence(ar, "engagements", "engagement", book.engagements);
  }
  if (version >= 2) detail::optional(ar, "has_owner", "owner", book.owner);  // version 1: no owner
}

template <class Archive>
void serialize(Archive& ar, Rounds& r, unsigned version) {
  detail::known_version<Rounds>(version, "Rounds");
  detail::item(ar, "included", r.included);
  detail::item(ar, "used", r.used);
  detail::item(ar, "extra", r.extra);
}

template <class Archive>
void serialize(Archive& ar, ContingentUse& c, unsigned version) {
  detail::known_version<ContingentUse>(version, "ContingentUse");
  detail::item(ar, "available", c.available);
  detail::item(ar, "consumed", c.consumed);
  detail::item(ar, "overage", c.overage);
}

/// CategoryAmounts and KindSeconds: one field per enum value, named by it.
template <class Archive, class T, class Enum, std::size_t N>
void serialize(Archive& ar, PerEnum<T, Enum, N>& values, unsigned version) {
  detail::known_version<PerEnum<T, Enum, N>>(version, "PerEnum");
  static_assert(enum_names<Enum>::values.size() == N);
  for (std::size_t i = 0; i < N; ++i)  // the names are string literals, so data() is terminated
    detail::item(ar, enum_names<Enum>::values[i].data(), values.values[i]);
}

template <class Archive>
void serialize(Archive& ar, EngagementReport& r, unsigned version) {
  detail::known_version<EngagementReport>(version, "EngagementReport");
  detail::item(ar, "id", r.id);
  detail::item(ar, "client", r.client);
  detail::item(ar, "currency", r.currency);
  detail::item(ar, "billable", r.billable);
  detail::item(ar, "invoiced", r.invoiced);
  detail::item(ar, "leakage", r.leakage);
  detail::item(ar, "unbilled", r.unbilled);
  detail::item(ar, "overbilled", r.overbilled);
  detail::item(ar, "worked_seconds", r.worked_seconds);
  detail::item(ar, "seconds_by_kind", r.seconds_by_kind);
  detail::optional(ar, "has_effective_rate", "effective_rate", r.effective_rate);
  detail::item(ar, "rounds", r.rounds);
  detail::optional(ar, "has_contingent", "contingent", r.contingent);
  detail::sequence(ar, "alerts", "alert", r.alerts);
}

template <class Archive>
void serialize(Archive& ar, Report& r, unsigned version) {
  detail::known_version<Report>(version, "Report");
  detail::item(ar, "as_of", r.as_of);
  detail::sequence(ar, "engagements", "engagement", r.engagements);
}

namespace detail {

/// Reads one value from a payload whose header checked out, with archive_flags and `extra_flags`.
/// Every failure is an archive_error without a place; the caller adds the file.
/// `sink`: where a Book's engagements go instead (LoadContext::engagements).
template <class IArchive, class T>
void load_payload(const OpenedArchive& opened, T& value, bool book, unsigned extra_flags = 0, EngagementSink* sink = nullptr) {
  SpanBuffer payload(opened.payload);
  const auto load = [&](IArchive& ar) {
    ar.set_library_version(boost::serialization::library_version_type(opened.boost_library_version));
    load_context(ar) = LoadContext{&payload, opened.format, book, false, sink};
    ar >> boost::serialization::make_nvp(archived<T>::tag, value);
  };
  try {
    if constexpr (std::is_constructible_v<IArchive, std::streambuf&, unsigned>) {
      IArchive ar(payload, archive_flags | extra_flags);
      load(ar);
    } else {
      std::istream in(&payload);
      in.imbue(std::locale::classic());
      IArchive ar(in, archive_flags | extra_flags);
      load(ar);
    }
  } catch (const archive_error&) {
    throw;
  } catch (const std::bad_alloc&) {
    refuse("", "damaged archive payload (it asks for more memory than there is)");
  } catch (const std::exception& e) {  // Boost's archive_exception and anything its parsers throw
    std::string why = e.what();
    if (why.ends_with("-Success")) why.resize(why.size() - 8);  // Boost appends strerror(0) to stream errors
    refuse("", "damaged archive payload (" + why + ")");
  } catch (...) {
    refuse("", "damaged archive payload");
  }
  std::size_t trailing = payload.remaining();
  if (opened.format != ArchiveFormat::binary)  // text and XML end with a line break
    for (const char* p = payload.position(); trailing > 0 && (*p == '\n' || *p == ' '); ++p) --trailing;
  if (trailing > 0) refuse("", std::to_string(trailing) + " bytes of the payload are left over after the " + archived<T>::tag);
}

template <class T>
void validate_if_book(const T& value, const std::string& where) {
  if constexpr (std::is_same_v<T, Book>) {
    try {
      validate(value);
    } catch (const validation_error& e) {
      throw archive_error(place_within(where, e.path()), e.rule());
    }
  }
}

}  // namespace detail

template <class T>
std::string to_bytes(const T& value) {
  if constexpr (std::is_same_v<T, Book>) validate(value);
  std::string bytes(detail::archive_header_size, '\0');
  detail::StringSink sink(bytes);
  {
    boost::archive::binary_oarchive ar(sink, detail::archive_flags);
    ar << boost::serialization::make_nvp(detail::archived<T>::tag, value);
  }
  sink.finish();
  detail::seal_archive(bytes, ArchiveFormat::binary, detail::archived<T>::content);
  return bytes;
}

template <class T>
T from_bytes(std::string_view bytes) {
  const detail::OpenedArchive opened = detail::open_archive(bytes, detail::archived<T>::content, "");
  if (opened.format != ArchiveFormat::binary) detail::refuse("", "values are read from binary archives only, this one is not");
  T value{};
  detail::load_payload<boost::archive::binary_iarchive>(opened, value, std::is_same_v<T, Book>);
  detail::validate_if_book(value, "");
  return value;
}

}  // namespace kontingent

// Version, tracking (none: values are never shared through pointers) and archive identity of
// each type. A new version of a type changes its number here and adds a branch to its serialize().
#define KONTINGENT_VERSIONED(Type, class_version) \
  BOOST_CLASS_VERSION(Type, class_version)        \
  BOOST_CLASS_TRACKING(Type, boost::serialization::track_never)
#define KONTINGENT_ARCHIVED(Type, tag_name, content_id, class_version)                      \
  KONTINGENT_VERSIONED(Type, class_version)                                                 \
  template <>                                                                               \
  struct kontingent::detail::archived<Type> {                                               \
    static constexpr kontingent::detail::ArchiveContent content =                           \
        kontingent::detail::ArchiveContent::content_id;                                     \
    static constexpr const char* tag = tag_name;                                            \
  };

KONTINGENT_ARCHIVED(kontingent::Book, "book", book, 3)
KONTINGENT_ARCHIVED(kontingent::Currency, "currency", currency, 1)
KONTINGENT_ARCHIVED(kontingent::Money, "money", money, 1)
KONTINGENT_ARCHIVED(kontingent::Rounding, "rounding", rounding, 1)
KONTINGENT_ARCHIVED(kontingent::CallFee, "call_fee", call_fee, 1)
KONTINGENT_ARCHIVED(kontingent::Rush, "rush", rush, 1)
KONTINGENT_ARCHIVED(kontingent::NoShow, "no_show", no_show, 1)
KONTINGENT_ARCHIVED(kontingent::Terms, "terms", terms, 2)
KONTINGENT_ARCHIVED(kontingent::Request, "request", request, 1)
KONTINGENT_ARCHIVED(kontingent::Entry, "entry", entry, 1)
KONTINGENT_ARCHIVED(kontingent::Entries, "entries", entries, 1)
KONTINGENT_ARCHIVED(kontingent::Appointment, "appointment", appointment, 1)
KONTINGENT_ARCHIVED(kontingent::InvoiceLine, "invoice_line", invoice_line, 1)
KONTINGENT_ARCHIVED(kontingent::Invoice, "invoice", invoice, 2)
KONTINGENT_ARCHIVED(kontingent::Payment, "payment", payment, 1)
KONTINGENT_ARCHIVED(kontingent::Journal, "journal", journal, 1)
KONTINGENT_ARCHIVED(kontingent::Client, "client", client, 2)
KONTINGENT_ARCHIVED(kontingent::Engagement, "engagement", engagement, 1)
KONTINGENT_ARCHIVED(kontingent::Rounds, "rounds", rounds, 1)
KONTINGENT_ARCHIVED(kontingent::ContingentUse, "contingent_use", contingent_use, 1)
KONTINGENT_ARCHIVED(kontingent::CategoryAmounts, "category_amounts", category_amounts, 1)
KONTINGENT_ARCHIVED(kontingent::KindSeconds, "kind_seconds", kind_seconds, 1)
KONTINGENT_ARCHIVED(kontingent::EngagementReport, "engagement_report", engagement_report, 1)
KONTINGENT_ARCHIVED(kontingent::Report, "report", report, 1)
// Parts of a book only (in Book, Client and Terms): no content number of their own in
// ArchiveContent, so to_bytes does not take them alone.
KONTINGENT_VERSIONED(kontingent::Address, 1)
KONTINGENT_VERSIONED(kontingent::Vat, 1)
KONTINGENT_VERSIONED(kontingent::Owner, 1)

#undef KONTINGENT_ARCHIVED
#undef KONTINGENT_VERSIONED
