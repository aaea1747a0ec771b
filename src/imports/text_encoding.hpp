#pragma once
// The character encodings a tracker export comes in, and their conversion to the UTF-8 a book holds.
// Spreadsheet programs save CSV in the encoding of the user's system: German Excel writes
// Windows-1252, older tools Latin-1, some UTF-16 with a byte-order mark. Reading such bytes as UTF-8
// would put text into the book that no reader accepts, so every export is converted (or refused) here.
#include <optional>
#include <string>
#include <string_view>

namespace kontingent::detail {

enum class TextEncoding : unsigned char {
  detect,  ///< a byte-order mark names the encoding; without one the text must be UTF-8
  utf8,
  cp1252,  ///< Windows-1252: Latin-1 with € „ “ ” – — … in 0x80–0x9F
  latin1,  ///< ISO 8859-1: every byte is the character of the same number
};

/// "utf-8", "cp1252" or "latin1" (also "utf8", "windows-1252", "iso-8859-1"; any case); nullopt for others.
std::optional<TextEncoding> encoding_named(std::string_view name);

/// The names encoding_named() documents, for messages: "utf-8, cp1252 or latin1".
inline constexpr std::string_view encoding_names = "utf-8, cp1252 or latin1";

/// `bytes` as UTF-8 without a byte-order mark. A byte-order mark (UTF-8, UTF-16 LE or BE) names the
/// encoding whatever `encoding` says; without one the bytes are read as `encoding` (detect: UTF-8).
/// Throws import_error naming `file`, the line and the column (in characters) of the first byte that
/// is no character in that encoding.
std::string to_utf8(std::string bytes, TextEncoding encoding, std::string_view file);

}  // namespace kontingent::detail
