#pragma once
// What the command prints cannot drive the terminal it is printed on: a client named
// "\x1b]0;…\x07" or a note with ESC [ 2 J must not retitle, recolour or clear the user's window.
// Every byte the command writes to stdout and stderr passes through here; control characters other
// than newline and tab are written as `\u001B` (C1 controls as `\u009B`). JSON and CSV are unaffected:
// their writers escape or quote what they print.
#include <cerrno>
#include <iostream>
#include <streambuf>
#include <string>

#include "kontingent/detail/text.hpp"

namespace kontingent::cli {

/// A streambuf that escapes control characters on their way to `target`. A UTF-8 sequence cut
/// between two writes is held back until it is whole, so that it is neither escaped as broken nor
/// mistaken for a C1 control.
class SafeOutputBuffer : public std::streambuf {
 public:
  explicit SafeOutputBuffer(std::streambuf* target) : target_(target) {}
  ~SafeOutputBuffer() override { sync(); }

  /// The errno of the first write that failed (a full disk: ENOSPC), 0 while every write succeeded.
  int error() const noexcept { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    const char byte = traits_type::to_char_type(c);
    return xsputn(&byte, 1) == 1 ? c : traits_type::eof();
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    // Printable ASCII, nearly all a command writes (a report of a megabyte), goes straight through;
    // what follows the first byte that needs a look is held and escaped.
    std::string_view text(s, static_cast<std::size_t>(n));
    if (pending_.empty()) {
      const auto plain = static_cast<std::streamsize>(detail::plain_prefix(text, true));
      if (!put(s, plain)) return 0;
      text.remove_prefix(static_cast<std::size_t>(plain));
    }
    pending_.append(text);
    const std::size_t keep = unfinished_sequence(pending_);
    const std::string ready = detail::escape_controls(std::string_view(pending_).substr(0, pending_.size() - keep), true);
    pending_.erase(0, pending_.size() - keep);
    return put(ready.data(), static_cast<std::streamsize>(ready.size())) ? n : 0;
  }
  int sync() override {
    if (!pending_.empty()) {
      const std::string ready = detail::escape_controls(pending_, true);
      pending_.clear();
      put(ready.data(), static_cast<std::streamsize>(ready.size()));
    }
    errno = 0;
    if (target_->pubsync() == 0) return 0;
    if (error_ == 0) error_ = errno != 0 ? errno : EIO;
    return -1;
  }

 private:
  /// How many bytes at the end of `text` begin a UTF-8 sequence that is not complete yet.
  static std::size_t unfinished_sequence(const std::string& text) {
    for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back) {
      const auto c = static_cast<unsigned char>(text[text.size() - back]);
      if ((c & 0xC0) == 0x80) continue;  // a continuation byte: its lead is further back
      const std::size_t length = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
      return length > back ? back : 0;
    }
    return 0;
  }

  /// Writes to the target; the first failure's errno is kept for the command to report.
  bool put(const char* s, std::streamsize n) {
    errno = 0;
    if (target_->sputn(s, n) == n) return true;
    if (error_ == 0) error_ = errno != 0 ? errno : EIO;
    return false;
  }

  std::streambuf* target_;
  std::string pending_;
  int error_ = 0;
};

/// Puts a SafeOutputBuffer between std::cout / std::cerr and the terminal for its lifetime.
class SafeOutput {
 public:
  SafeOutput() : out_(std::cout.rdbuf()), err_(std::cerr.rdbuf()) {
    std::cout.rdbuf(&out_);
    std::cerr.rdbuf(&err_);
  }
  ~SafeOutput() {
    std::cout.flush(), std::cerr.flush();
    std::cout.rdbuf(out_target_), std::cerr.rdbuf(err_target_);
  }
  /// Flushes stdout to its file: the errno of the first write to it that failed, 0 if none did.
  int flush_output() {
    std::cout.flush();
    return out_.error();
  }
  SafeOutput(const SafeOutput&) = delete;
  SafeOutput& operator=(const SafeOutput&) = delete;

 private:
  std::streambuf* out_target_ = std::cout.rdbuf();
  std::streambuf* err_target_ = std::cerr.rdbuf();
  SafeOutputBuffer out_;
  SafeOutputBuffer err_;
};

}  // namespace kontingent::cli
