#include "ota/package/canonical_json.h"

#include <algorithm>
#include <vector>

#include "host/error.h"

namespace vigil::ota {
namespace {

void AppendString(const std::string& s, std::string& out) {
  out.push_back('"');
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

void Append(const nlohmann::json& value, const std::string& path, int depth, std::string& out) {
  if (depth > kMaxCanonicalDepth) {
    throw HostError("canonical JSON: nesting deeper than " + std::to_string(kMaxCanonicalDepth) +
                    " at " + path);
  }
  switch (value.type()) {
    case nlohmann::json::value_t::null: out += "null"; return;
    case nlohmann::json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case nlohmann::json::value_t::number_integer:
      out += std::to_string(value.get<int64_t>());
      return;
    case nlohmann::json::value_t::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      return;
    case nlohmann::json::value_t::string:
      AppendString(value.get_ref<const std::string&>(), out);
      return;
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      for (size_t i = 0; i < value.size(); ++i) {
        if (i) out.push_back(',');
        Append(value[i], path + "[" + std::to_string(i) + "]", depth + 1, out);
      }
      out.push_back(']');
      return;
    }
    case nlohmann::json::value_t::object: {
      // nlohmann's object is a std::map ordered by std::string's byte order already; sort anyway so
      // the canonical order does not depend on the container the library happens to use.
      std::vector<const std::string*> keys;
      for (auto it = value.begin(); it != value.end(); ++it)
        keys.push_back(&it.key());
      std::sort(keys.begin(), keys.end(), [](const std::string* a, const std::string* b) {
        return std::lexicographical_compare(
            a->begin(), a->end(), b->begin(), b->end(), [](char x, char y) {
              return static_cast<unsigned char>(x) < static_cast<unsigned char>(y);
            });
      });
      out.push_back('{');
      for (size_t i = 0; i < keys.size(); ++i) {
        if (i) out.push_back(',');
        AppendString(*keys[i], out);
        out.push_back(':');
        Append(value.at(*keys[i]), path + "." + *keys[i], depth + 1, out);
      }
      out.push_back('}');
      return;
    }
    case nlohmann::json::value_t::number_float:
      throw HostError("canonical JSON: floating-point number at " + path +
                      " (TUF canonical JSON has integers only)");
    default: throw HostError("canonical JSON: value at " + path + " has no canonical form");
  }
}

}  // namespace

std::string CanonicalJson(const nlohmann::json& value) {
  std::string out;
  Append(value, "$", 0, out);
  return out;
}

nlohmann::json ParseJson(const std::string& bytes, const std::string& name_for_errors) {
  try {
    return nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/true,
                                 /*ignore_comments=*/false);
  } catch (const nlohmann::json::exception& e) {
    throw HostError(name_for_errors + ": not valid JSON: " + e.what());
  }
}

}  // namespace vigil::ota
