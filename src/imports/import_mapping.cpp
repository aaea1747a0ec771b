// The mapping file (docs/import.md): JSON read with simdjson, every field checked; a part the file
// names replaces that part of the defaults, the rest stays as Mapping{} has it.
#include <simdjson.h>

#include "formats/json_syntax.hpp"

#include "formats/json_types.hpp"

#include <fstream>

#include "imports/import_detail.hpp"
#include "imports/text_encoding.hpp"
#include "kontingent/error.hpp"

namespace kontingent {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

class MappingReader {
 public:
  explicit MappingReader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& rule) const {
    throw import_error(source_, 0, 0, path.empty() ? rule : path + ": " + rule);
  }

  simdjson::dom::object object(element v, const std::string& path, std::initializer_list<std::string_view> allowed) const {
    simdjson::dom::object o;
    if (v.get_object().get(o)) fail(path, "expected an object, got " + std::string(detail::json_type_name(v.type())));
    for (auto field : o) {
      bool known = false;
      for (const std::string_view a : allowed) known |= a == field.key;
      if (!known) fail(path, "unknown field " + detail::quoted(field.key));
    }
    return o;
  }

  std::string string(element v, const std::string& path) const {
    std::string_view s;
    if (v.get_string().get(s)) fail(path, "expected a string, got " + std::string(detail::json_type_name(v.type())));
    return std::string(s);
  }

  std::vector<std::string> strings(element v, const std::string& path) const {
    simdjson::dom::array a;
    if (v.get_array().get(a)) fail(path, "expected a list of strings, got " + std::string(detail::json_type_name(v.type())));
    std::vector<std::string> out;
    std::size_t i = 0;
    for (element item : a) out.push_back(string(item, path + "[" + std::to_string(i++) + "]"));
    return out;
  }

  EntryKind kind(element v, const std::string& path, std::initializer_list<EntryKind> allowed) const {
    const std::string word = string(v, path);
    std::string list;
    for (const EntryKind k : allowed) {
      if (name(k) == word) return k;
      list += (list.empty() ? "" : ", ") + std::string(name(k));
    }
    fail(path, "expected one of " + list + ", got " + detail::quoted(word));
  }

  void kind_rule(element v, const std::string& path, KindRule& rule) const {
    const auto o = object(v, path, {"tags", "patterns"});
    for (auto field : o) {
      if (field.key == "tags") rule.tags = strings(field.value, path + ".tags");
      else rule.patterns = strings(field.value, path + ".patterns");
    }
  }

  void request_rule(element v, const std::string& path, RequestRule& rule) const {
    const auto o = object(v, path, {"patterns", "id", "words"});
    for (auto field : o) {
      if (field.key == "patterns") rule.patterns = strings(field.value, path + ".patterns");
      else if (field.key == "words") rule.words = strings(field.value, path + ".words");
      else {
        rule.id = string(field.value, path + ".id");
        if (rule.id.empty()) fail(path + ".id", "must not be empty");
      }
    }
  }

  Mapping read(std::string_view json) const {
    simdjson::dom::parser parser;
    element root;
    const simdjson::padded_string padded(json);
    if (const auto error = parser.parse(padded).get(root)) {
      // Mapping files are written by hand, like books: the same FILE:LINE:COLUMN and what was expected.
      if (auto syntax = detail::find_json_syntax_error(json, parser.max_depth()))
        throw import_error(source_, syntax->line, syntax->column, std::move(syntax->rule));
      fail("", "not valid JSON: " + std::string(simdjson::error_message(error)));
    }
    Mapping m;
    m.source = source_;
    const auto o = object(root, "",
                          {"engagement", "engagements", "call", "internal", "revision", "change", "non_billable",
                           "default_kind", "date_format", "decimal_separator", "day_start", "encoding", "time_zone", "due"});
    for (auto field : o) {
      const std::string key(field.key);
      if (key == "engagement") m.engagement = string(field.value, key);
      else if (key == "engagements") {
        simdjson::dom::array a;
        if (field.value.get_array().get(a)) fail(key, "expected a list, got " + std::string(detail::json_type_name(field.value.type())));
        m.engagements.clear();
        std::size_t i = 0;
        for (element item : a) {
          const std::string path = key + "[" + std::to_string(i++) + "]";
          EngagementRule rule;
          bool has_engagement = false;
          for (auto f : object(item, path, {"client", "project", "engagement"})) {
            std::string value = string(f.value, path + "." + std::string(f.key));
            if (f.key == "client") rule.client = std::move(value);
            else if (f.key == "project") rule.project = std::move(value);
            else rule.engagement = std::move(value), has_engagement = true;
          }
          if (!has_engagement) fail(path, "missing field \"engagement\"");
          m.engagements.push_back(std::move(rule));
        }
      } else if (key == "call") kind_rule(field.value, key, m.call);
      else if (key == "internal") kind_rule(field.value, key, m.internal);
      else if (key == "revision") request_rule(field.value, key, m.revision);
      else if (key == "change") request_rule(field.value, key, m.change);
      else if (key == "non_billable") {
        if (field.value.is_string() && std::string_view(field.value.get_string().value()) == "skip") m.non_billable.reset();
        else m.non_billable = kind(field.value, key, {EntryKind::internal, EntryKind::scope, EntryKind::call});
      } else if (key == "default_kind") m.default_kind = kind(field.value, key, {EntryKind::scope, EntryKind::internal, EntryKind::call});
      else if (key == "date_format") {
        m.date_format = string(field.value, key);
        if (!detail::parse_date_format(m.date_format))
          fail(key, detail::quoted(m.date_format) + " is not a date format (write it like \"DD.MM.YYYY\" or \"MM/DD/YYYY\")");
      } else if (key == "decimal_separator") {
        const std::string s = string(field.value, key);
        if (s != "." && s != ",") fail(key, "expected \".\" or \",\", got " + detail::quoted(s));
        m.decimal_separator = s[0];
      } else if (key == "day_start") {
        const std::string s = string(field.value, key);
        Seconds t = 0;
        std::string rule;
        if (!detail::parse_time_of_day(s, t, rule)) fail(key, rule);
        m.day_start = t;
      } else if (key == "encoding") {
        m.encoding = string(field.value, key);
        if (!detail::encoding_named(m.encoding))
          fail(key, "expected " + std::string(detail::encoding_names) + ", got " + detail::quoted(m.encoding));
      } else if (key == "due") {
        m.due = strings(field.value, key);
      } else if (key == "time_zone") {
        m.time_zone = string(field.value, key);
        if (const std::string rule = check_time_zone(m.time_zone); !rule.empty()) fail(key, rule);
      }
    }
    return m;
  }

 private:
  std::string source_;
};

}  // namespace

Mapping parse_mapping_json(std::string_view json, std::string_view source) { return MappingReader(std::string(source)).read(json); }

Mapping load_mapping(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw io_error(file.string() + ": cannot be opened");
  // Read up to one byte past the limit: a device or an endless stream is refused too, not read whole.
  std::string text(max_mapping_bytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > max_mapping_bytes)
    throw import_error(file.string(), 0, 0, "more than 1 MiB: a mapping is a few lines written by hand (is this the export?)");
  return parse_mapping_json(text, file.string());
}

}  // namespace kontingent
