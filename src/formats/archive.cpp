// Books as archives: our 32-byte header (docs/formats.md, "Archives") and the three Boost archive
// kinds. Which file is which format is the store's business (src/store/archive.cpp).
#include "kontingent/formats/archive.hpp"


#include <boost/archive/basic_archive.hpp>
#include <boost/archive/text_iarchive.hpp>
#include <boost/archive/text_oarchive.hpp>
#include <boost/archive/xml_iarchive.hpp>
#include <boost/archive/xml_oarchive.hpp>
#include <array>
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <bit>
#include <cstdio>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>

#include "formats/mapped_file.hpp"
#include "kontingent/formats/serialize.hpp"

namespace kontingent {
namespace detail {
namespace {

// Binary payloads are Boost's native binary archives; kontingent writes and reads them only on
// little-endian machines, so that a .kbin file means the same bytes everywhere it is read.
static_assert(std::endian::native == std::endian::little, "binary archives are little-endian only");

// The header, byte by byte (docs/formats.md). All numbers little-endian.
constexpr std::array<unsigned char, 8> signature{0x89, 'K', 'N', 'T', '\r', '\n', 0x1a, '\n'};
constexpr std::size_t at_format_version = 8;   // u16
constexpr std::size_t at_kind = 10;            // u8: ArchiveFormat
constexpr std::size_t at_content = 11;         // u8: ArchiveContent
constexpr std::size_t at_boost_library = 12;   // u16: Boost.Serialization library version of the payload
constexpr std::size_t at_flags = 14;           // u16: reserved, 0
constexpr std::size_t at_payload_size = 16;    // u64
constexpr std::size_t at_reserved = 24;        // u32: reserved, 0
constexpr std::size_t at_checksum = 28;        // u32: CRC-32 of bytes 0..27, then of the payload
static_assert(at_checksum + 4 == archive_header_size);

constexpr std::uint16_t format_version = 1;
/// Boost 1.74's library version: the oldest payloads kontingent ever wrote.
constexpr std::uint16_t first_boost_library = 18;

constexpr std::array<std::string_view, 25> content_names{
    "?",       "Book",    "Currency", "Money",       "Rounding", "CallFee",     "Rush",          "NoShow",
    "Terms",   "Request", "Entry",    "Entries",     "Appointment", "InvoiceLine", "Invoice",    "Payment",
    "Journal", "Client",  "Engagement", "Rounds",    "ContingentUse", "CategoryAmounts", "KindSeconds",
    "EngagementReport", "Report"};

std::string content_name(unsigned content) {
  return content > 0 && content < content_names.size() ? std::string(content_names[content])
                                                       : "value of unknown content #" + std::to_string(content);
}

template <class Int>
Int read_le(std::string_view bytes, std::size_t at) {
  Int value = 0;
  for (std::size_t i = 0; i < sizeof(Int); ++i) value |= static_cast<Int>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return value;
}
template <class Int>
void write_le(std::string& bytes, std::size_t at, Int value) {
  for (std::size_t i = 0; i < sizeof(Int); ++i) bytes[at + i] = static_cast<char>(static_cast<unsigned char>(value >> (8 * i)));
}

std::string hex(std::uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", value);
  return buf;
}

// CRC-32 slicing by 8: eight bytes per step, about 2 GB/s. The short tails, and machines without
// carry-less multiplication, use it.
constexpr std::array<std::array<std::uint32_t, 256>, 8> crc_tables = [] {
  std::array<std::array<std::uint32_t, 256>, 8> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    t[0][i] = c;
  }
  for (std::size_t s = 1; s < 8; ++s)
    for (std::size_t i = 0; i < 256; ++i) t[s][i] = (t[s - 1][i] >> 8) ^ t[0][t[s - 1][i] & 0xFF];
  return t;
}();

/// `crc` is the register (the complement of a finished CRC).
std::uint32_t crc32_tables(const char* p, std::size_t n, std::uint32_t crc) noexcept {
  const auto& t = crc_tables;
  for (; n >= 8; p += 8, n -= 8) {
    std::uint32_t one = 0, two = 0;
    std::memcpy(&one, p, 4);  // little-endian, asserted above
    std::memcpy(&two, p + 4, 4);
    one ^= crc;
    crc = t[7][one & 0xFF] ^ t[6][(one >> 8) & 0xFF] ^ t[5][(one >> 16) & 0xFF] ^ t[4][one >> 24] ^
          t[3][two & 0xFF] ^ t[2][(two >> 8) & 0xFF] ^ t[1][(two >> 16) & 0xFF] ^ t[0][two >> 24];
  }
  for (; n > 0; ++p, --n) crc = t[0][(crc ^ static_cast<unsigned char>(*p)) & 0xFF] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__) && defined(__GNUC__)
#define KONTINGENT_CRC32_CLMUL 1
#define KONTINGENT_CLMUL __attribute__((target("pclmul,sse4.1")))
KONTINGENT_CLMUL inline __m128i load(const char* at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at)); }
/// `x` carried 128 bits further (by the distance `k` is for), plus the next bits.
KONTINGENT_CLMUL inline __m128i fold(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x11), _mm_clmulepi64_si128(x, k, 0x00)), next);
}
/// CRC-32 by folding with carry-less multiplication (Gopal et al., "Fast CRC Computation for Generic
/// Polynomials Using PCLMULQDQ", Intel 2009; the constants are the paper's for the reflected
/// IEEE polynomial), over ten times the tables' speed: without it the checksum alone would take
/// half the time of loading a big archive. `n` is a multiple of 16, at least 64; `crc` the register.
KONTINGENT_CLMUL std::uint32_t crc32_clmul(const char* p, std::size_t n, std::uint32_t crc) noexcept {
  __m128i x1 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = load(p + 16), x3 = load(p + 32), x4 = load(p + 48);
  p += 64, n -= 64;
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596, 0x0154442bd4);
  for (; n >= 64; p += 64, n -= 64) {  // four lanes, 64 bytes a step
    x1 = fold(x1, k1k2, load(p));
    x2 = fold(x2, k1k2, load(p + 16));
    x3 = fold(x3, k1k2, load(p + 32));
    x4 = fold(x4, k1k2, load(p + 48));
  }
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009e, 0x01751997d0);
  x1 = fold(fold(fold(x1, k3k4, x2), k3k4, x3), k3k4, x4);
  for (; n >= 16; p += 16, n -= 16) x1 = fold(x1, k3k4, load(p));
  // 128 bits to 64, then Barrett reduction to 32.
  const __m128i low32 = _mm_setr_epi32(~0, 0, ~0, 0);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k3k4, 0x10));
  const __m128i k5 = _mm_set_epi64x(0, 0x0163cd6124);
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, low32), k5, 0x00), _mm_srli_si128(x1, 4));
  const __m128i poly = _mm_set_epi64x(0x01f7011641, 0x01db710641);
  __m128i reduced = _mm_clmulepi64_si128(_mm_and_si128(x1, low32), poly, 0x10);
  reduced = _mm_clmulepi64_si128(_mm_and_si128(reduced, low32), poly, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, reduced), 1));
}
#undef KONTINGENT_CLMUL

bool has_clmul() noexcept {
  static const bool has = (__builtin_cpu_init(), __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1"));
  return has;
}
#endif

/// The checksum over the header (without its checksum field) and the payload.
std::uint32_t archive_checksum(std::string_view archive) {
  return crc32(archive.substr(archive_header_size), crc32(archive.substr(0, at_checksum)));
}

}  // namespace

std::uint32_t crc32(std::string_view bytes, std::uint32_t crc) noexcept {
  const char* p = bytes.data();
  std::size_t n = bytes.size();
  crc = ~crc;
#ifdef KONTINGENT_CRC32_CLMUL
  if (n >= 64 && has_clmul()) {
    const std::size_t folded = n & ~std::size_t{15};
    crc = crc32_clmul(p, folded, crc);
    p += folded, n -= folded;
  }
#endif
  return ~crc32_tables(p, n, crc);
}

void seal_archive(std::string& archive, ArchiveFormat format, ArchiveContent content) {
  std::memcpy(archive.data(), signature.data(), signature.size());
  write_le<std::uint16_t>(archive, at_format_version, format_version);
  archive[at_kind] = static_cast<char>(format);
  archive[at_content] = static_cast<char>(content);
  write_le<std::uint16_t>(archive, at_boost_library, static_cast<std::uint16_t>(boost::archive::BOOST_ARCHIVE_VERSION()));
  write_le<std::uint16_t>(archive, at_flags, 0);
  write_le<std::uint64_t>(archive, at_payload_size, archive.size() - archive_header_size);
  write_le<std::uint32_t>(archive, at_reserved, 0);
  write_le<std::uint32_t>(archive, at_checksum, archive_checksum(archive));
}

namespace {

void check_checksum(std::string_view archive, std::uint32_t computed, const std::string& where) {
  const auto stored = read_le<std::uint32_t>(archive, at_checksum);
  if (stored != computed)
    refuse(where, "corrupt archive: checksum mismatch (stored " + hex(stored) + ", computed " + hex(computed) + ")");
}

/// open_archive. With `checksum` false the checksum is left to the caller, who computes it while
/// reading the payload and checks it before believing anything read (a failing check that comes
/// after the checksum's still checks it first, so that the errors stay the same).
OpenedArchive open_archive_but_checksum(std::string_view archive, ArchiveContent expected, const std::string& where, bool checksum) {
  const auto fail = [&](std::string rule) { refuse(where, std::move(rule)); };
  // A check after the checksum's fails only once the checksum is known right: its error comes first.
  const auto fail_after_checksum = [&](std::string rule) {
    if (!checksum) check_checksum(archive, archive_checksum(archive), where);
    fail(std::move(rule));
  };
  // The order matters: what a future version may lay out differently (all but the signature and
  // the version) is read only once the version is known, and nothing is believed before the checksum.
  if (archive.empty()) fail("not a kontingent archive (it is empty)");
  if (archive.compare(0, signature.size(), std::string_view(reinterpret_cast<const char*>(signature.data()),
                                                            std::min(archive.size(), signature.size()))) != 0)
    fail("not a kontingent archive (no archive signature at the start)");
  if (archive.size() < archive_header_size)
    fail("truncated archive: " + std::to_string(archive.size()) + " bytes, less than its " +
         std::to_string(archive_header_size) + "-byte header");
  const auto version = read_le<std::uint16_t>(archive, at_format_version);
  if (version == 0) fail("damaged archive: format version 0 does not exist");
  if (version > format_version)
    fail("archive format version " + std::to_string(version) + " is newer than this kontingent can read (up to " +
         std::to_string(format_version) + "): update kontingent");
  const auto announced = read_le<std::uint64_t>(archive, at_payload_size);
  const std::size_t present = archive.size() - archive_header_size;
  if (announced > present)
    fail("truncated archive: its header announces " + std::to_string(announced) + " payload bytes, only " +
         std::to_string(present) + " are there");
  if (announced < present)
    fail("damaged archive: " + std::to_string(present - announced) + " bytes follow the " + std::to_string(announced) +
         " payload bytes its header announces");
  if (checksum) check_checksum(archive, archive_checksum(archive), where);

  const auto kind = static_cast<unsigned char>(archive[at_kind]);
  if (kind > static_cast<unsigned char>(ArchiveFormat::text))
    fail_after_checksum("unknown archive kind " + std::to_string(kind) + " (expected 0 binary, 1 xml or 2 text)");
  if (read_le<std::uint16_t>(archive, at_flags) != 0 || read_le<std::uint32_t>(archive, at_reserved) != 0)
    fail_after_checksum("reserved header fields are not zero: a newer kontingent may have written this archive");
  const auto library = read_le<std::uint16_t>(archive, at_boost_library);
  const auto newest = static_cast<unsigned>(boost::archive::BOOST_ARCHIVE_VERSION());
  if (library < first_boost_library)
    fail_after_checksum("Boost.Serialization library version " + std::to_string(library) +
                        " in the header is older than any kontingent wrote (" + std::to_string(first_boost_library) + ")");
  if (library > newest)
    fail_after_checksum("written by a newer Boost.Serialization (library version " + std::to_string(library) +
                        ") than this build has (" + std::to_string(newest) + "): rebuild kontingent with a newer Boost");
  const auto content = static_cast<unsigned char>(archive[at_content]);
  if (content != static_cast<unsigned char>(expected))
    fail_after_checksum("the archive holds a " + content_name(content) + ", not a " +
                        content_name(static_cast<unsigned>(expected)));
  return {static_cast<ArchiveFormat>(kind), library, archive.substr(archive_header_size)};
}

}  // namespace

OpenedArchive open_archive(std::string_view archive, ArchiveContent expected, const std::string& where) {
  return open_archive_but_checksum(archive, expected, where, true);
}

}  // namespace detail

namespace {

/// Computes an archive's checksum, then checks each engagement of its book as soon as it is read,
/// on a thread of its own while the main thread reads the next ones: for a big book, checking
/// costs about as much as reading.
class CheckingSink final : public detail::EngagementSink {
 public:
  explicit CheckingSink(std::string_view archive) : archive_(archive), checker_([this] { check(); }) {}
  ~CheckingSink() { finish(); }

  /// Refuses the archive if its checksum is wrong; call after finish().
  void check_checksum(const std::string& where) const { detail::check_checksum(archive_, checksum_, where); }

  void take(Engagement&& engagement) override {
    engagements_.push_back(std::make_unique<Engagement>(std::move(engagement)));  // stays where it is for the checker
    {
      const std::lock_guard lock(mutex_);
      queue_.push_back(engagements_.back().get());
    }
    ready_.notify_one();
  }

  /// Waits for the checks. True if every engagement passed validate_engagement.
  bool finish() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    ready_.notify_one();
    if (checker_.joinable()) checker_.join();
    return !failed_;
  }

  /// The engagements read, in order; call after finish().
  std::vector<Engagement> take_all() {
    std::vector<Engagement> all;
    all.reserve(engagements_.size());
    for (auto& e : engagements_) all.push_back(std::move(*e));
    engagements_.clear();
    return all;
  }

 private:
  void check() {
    checksum_ = detail::archive_checksum(archive_);
    for (std::size_t i = 0;; ++i) {
      const Engagement* e = nullptr;
      {
        std::unique_lock lock(mutex_);
        ready_.wait(lock, [&] { return done_ || i < queue_.size(); });
        if (i == queue_.size()) return;
        e = queue_[i];
      }
      if (failed_) continue;  // validate() will find the first problem again
      try {
        detail::validate_engagement(*e, i);
      } catch (...) {
        failed_ = true;
      }
    }
  }

  std::string_view archive_;
  std::uint32_t checksum_ = 0;                            // the checker's until it is joined
  std::vector<std::unique_ptr<Engagement>> engagements_;  // the reading thread's
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<const Engagement*> queue_;  // under mutex_
  bool done_ = false;                     // under mutex_
  bool failed_ = false;                   // the checker's until it is joined
  std::thread checker_;                   // last: it starts once the rest is there
};

/// Reads a payload whose header checked out into `book` (not validated), in the archive kind the
/// header names; `sink`: see LoadContext::engagements. Errors name the file `where`.
void load_book_payload(const detail::OpenedArchive& opened, Book& book, const std::string& where, detail::EngagementSink* sink) {
  try {
    switch (opened.format) {
      case ArchiveFormat::binary: detail::load_payload<boost::archive::binary_iarchive>(opened, book, true, 0, sink); break;
      // Boost 1.74 checks a closing tag's name by reading past the end of the expected name when
      // the file's is longer (basic_xml_iarchive::load_end; found by tests/fuzz). The check only
      // helps debugging: the checksum guards integrity, and every value is checked anyway.
      case ArchiveFormat::xml:
        detail::load_payload<boost::archive::xml_iarchive>(opened, book, true, boost::archive::no_xml_tag_checking, sink);
        break;
      case ArchiveFormat::text: detail::load_payload<boost::archive::text_iarchive>(opened, book, true, 0, sink); break;
    }
  } catch (const archive_error& e) {
    throw e.within(where);
  }
}

/// The book in an archive, validated. A big book's checksum is computed, and its engagements are
/// checked, on another thread while the payload is read. The payload is believed only once its
/// checksum is right, and only a valid book is checked that way: if any rule is broken, validate()
/// finds the first problem in the book's order. So the errors are the same as without the thread.
Book book_from_archive(std::string_view bytes, const std::string& where) {
  // A thread pays off for a few MB of archive: starting one costs as much as reading 20 KB.
  constexpr std::size_t aside_from = std::size_t{4} << 20;
  Book book;
  if (bytes.size() < aside_from || std::thread::hardware_concurrency() < 2) {
    load_book_payload(detail::open_archive(bytes, detail::ArchiveContent::book, where), book, where, nullptr);
    detail::validate_if_book(book, where);
    return book;
  }
  const detail::OpenedArchive opened = detail::open_archive_but_checksum(bytes, detail::ArchiveContent::book, where, false);
  CheckingSink sink(bytes);
  try {
    load_book_payload(opened, book, where, &sink);
  } catch (const archive_error&) {
    sink.finish();
    sink.check_checksum(where);
    throw;
  }
  const bool engagements_valid = sink.finish();
  sink.check_checksum(where);
  book.engagements = sink.take_all();
  if (engagements_valid) {
    try {
      detail::validate_across(book);
      return book;
    } catch (const validation_error&) {
    }
  }
  detail::validate_if_book(book, where);
  return book;
}

/// Saves through an ostream (text and XML archives) into the sink.
template <class OArchive>
void save_through_stream(detail::StringSink& sink, const Book& book) {
  std::ostream out(&sink);
  out.imbue(std::locale::classic());  // a program's global locale must not put separators into numbers
  {
    OArchive ar(out, detail::archive_flags);
    ar << boost::serialization::make_nvp("book", book);
  }
  out.flush();
  if (!out) throw io_error("cannot write the archive to memory");
}

}  // namespace

std::string to_archive(const Book& book, ArchiveFormat format) {
  validate(book);
  std::string bytes(detail::archive_header_size, '\0');
  detail::StringSink sink(bytes);
  switch (format) {
    case ArchiveFormat::binary: {
      boost::archive::binary_oarchive ar(sink, detail::archive_flags);
      ar << boost::serialization::make_nvp("book", book);
      break;
    }
    case ArchiveFormat::xml: save_through_stream<boost::archive::xml_oarchive>(sink, book); break;
    case ArchiveFormat::text: save_through_stream<boost::archive::text_oarchive>(sink, book); break;
    default: throw archive_error("", "unknown archive format " + std::to_string(static_cast<unsigned>(format)));
  }
  sink.finish();
  detail::seal_archive(bytes, format, detail::ArchiveContent::book);
  return bytes;
}

Book from_archive(std::string_view bytes) { return book_from_archive(bytes, ""); }

std::string_view archive_signature() noexcept {
  return {reinterpret_cast<const char*>(detail::signature.data()), detail::signature.size()};
}

Book load_book_archive(const std::filesystem::path& file) {
  const detail::MappedFile mapped(file);
  return book_from_archive(mapped.mapped() ? mapped.bytes() : detail::read_whole(file), file.string());
}

}  // namespace kontingent
