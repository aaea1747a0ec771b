#pragma once
// Shared by the C++ tests: reading the bundled books and small books written inline.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "kontingent/formats/json.hpp"

namespace kontingent::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A new empty directory, removed with everything in it at the end of the test.
struct TemporaryDirectory {
  std::filesystem::path path;
  TemporaryDirectory() {
    std::string pattern = (std::filesystem::temp_directory_path() / "kontingent-test-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    path = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  /// The names of the files in it, but for the writers' lock files (`.NAME.lock`) that every save
  /// leaves beside a book by design (store.hpp).
  std::set<std::string> files() const {
    std::set<std::string> names;
    for (const auto& f : std::filesystem::directory_iterator(path)) {
      const std::string name = f.path().filename().string();
      if (!(name.starts_with(".") && name.ends_with(".lock"))) names.insert(name);
    }
    return names;
  }
};

/// `json` with its one occurrence of `from` replaced by `to`. A target that is missing or ambiguous
/// is a mistake in the test, reported as such rather than as a wrong error message.
inline std::string replaced(std::string json, std::string_view from, std::string_view to) {
  const auto at = json.find(from);
  if (at == std::string::npos) throw std::logic_error("test mutation: \"" + std::string(from) + "\" is not in the book");
  if (json.find(from, at + 1) != std::string::npos)
    throw std::logic_error("test mutation: \"" + std::string(from) + "\" occurs more than once in the book");
  return json.replace(at, from.size(), to);
}

inline std::string spec_example(const std::string& name) { return std::string(KONTINGENT_TEST_DATA) + "/spec-examples/" + name; }

}  // namespace kontingent::test
