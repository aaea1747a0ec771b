#pragma once
// Shared by the C++ tests: reading the bundled books and small books written inline.
#include <fstream>
#include <sstream>
#include <string>

#include "kontingent/io/json.hpp"

namespace kontingent::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string spec_example(const std::string& name) { return std::string(KONTINGENT_TEST_DATA) + "/spec-examples/" + name; }

}  // namespace kontingent::test
