// Canonical JSON as TUF signs it: the OLPC form that securesystemslib's encode_canonical writes.
//
// Contract
//  - Objects: keys sorted by their UTF-8 bytes (= by code point, as Python sorts str), no spaces.
//  - Strings: the raw UTF-8 bytes between quotes; only '\' and '"' are escaped (a backslash before
//    each). Control characters and non-ASCII are written as they are, unlike ordinary JSON.
//  - Numbers: integers only. A floating-point number has no canonical form and is rejected, so
//    metadata that carries a fraction (an accuracy floor) writes it as a decimal string.
//  - true, false, null as themselves; arrays in order.
//  - Nesting deeper than kMaxCanonicalDepth is rejected (untrusted input must not exhaust the
//  stack).
//
//   std::string bytes = CanonicalJson(metadata["signed"]);   // what a signature covers
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

namespace vigil::ota {

constexpr int kMaxCanonicalDepth = 64;

// Throws HostError naming the JSON path of a value that has no canonical form.
std::string CanonicalJson(const nlohmann::json& value);

// Parses JSON from untrusted bytes (no comments, no trailing garbage); throws HostError that starts
// with `name_for_errors`. Integers beyond 64 bits parse as floating point and so fail to
// canonicalise.
nlohmann::json ParseJson(const std::string& bytes, const std::string& name_for_errors);

}  // namespace vigil::ota
