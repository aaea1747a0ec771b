#pragma once
// Shared by the C++ tests: reading the bundled books and small books written inline.
#include <stdlib.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

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

inline std::string spec_example(const std::string& name) { return std::string(KONTINGENT_TEST_DATA) + "/spec-examples/" + name; }

}  // namespace kontingent::test
