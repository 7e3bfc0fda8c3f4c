#include "apps/ecg_evaluation/wfdb/wfdb_annotation.h"

#include "host/atomic_file.h"
#include "host/error.h"

namespace vigil::ecg {
namespace {

// Pseudo-annotation codes of the MIT format (they modify annotations, they are not ones).
constexpr uint8_t kSkip = 59, kNum = 60, kSub = 61, kChn = 62, kAux = 63;

// Mnemonics of codes 0..41, as WFDB's ecgcodes.h names them ('?' where unnamed).
constexpr char kSymbols[] = " NLRaVFJASEj/Q~?|?sT*D\"=pB^t+u?![]en@xf()r";
static_assert(sizeof(kSymbols) == 43);

}  // namespace

bool IsQrsCode(uint8_t code) {
  return (code >= 1 && code <= 13) || code == 25 || code == 34 || code == 35 || code == 38 ||
         code == 41 || code == 30;
}

char AnnotationSymbol(uint8_t code) {
  return code <= 41 ? kSymbols[code] : '?';
}

uint8_t AnnotationCode(char symbol) {
  if (symbol == '?' || symbol == ' ') return 0;
  for (uint8_t c = 1; c <= 41; ++c) {
    if (kSymbols[c] == symbol) return c;
  }
  return 0;
}

std::vector<WfdbAnnotation> ParseWfdbAnnotations(std::span<const uint8_t> bytes,
                                                 const std::string& name) {
  if (bytes.size() % 2 != 0)
    throw HostError(name + ": odd length (" + std::to_string(bytes.size()) + " bytes)");
  const size_t words = bytes.size() / 2;
  auto word = [&](size_t i) { return static_cast<uint16_t>(bytes[2 * i] | bytes[2 * i + 1] << 8); };
  auto fail = [&](size_t i, const std::string& what) {
    return HostError(name + ": byte " + std::to_string(2 * i) + ": " + what);
  };
  std::vector<WfdbAnnotation> out;
  int64_t time = 0;
  uint8_t channel = 0;
  int8_t number = 0;
  for (size_t i = 0; i < words;) {
    const uint16_t w = word(i);
    const uint8_t code = static_cast<uint8_t>(w >> 10);
    const uint16_t value = w & 0x3FF;
    if (code == 0 && value == 0) {
      if (i + 1 != words)
        throw fail(i, std::to_string(words - i - 1) + " words after the end marker");
      return out;
    }
    ++i;
    switch (code) {
      case kSkip: {
        if (i + 2 > words) throw fail(i, "truncated SKIP");
        // The 32-bit interval is stored high 16 bits first (PDP-11 order).
        const int32_t skip =
            static_cast<int32_t>(static_cast<uint32_t>(word(i)) << 16 | word(i + 1));
        if (skip < 0) throw fail(i, "SKIP moves the time backwards");
        time += skip;
        i += 2;
        break;
      }
      case kAux: {
        const size_t aux_words = (value + 1u) / 2;
        if (i + aux_words > words) throw fail(i, "AUX string runs past the end of the file");
        if (out.empty()) throw fail(i, "AUX before any annotation");
        out.back().aux.assign(reinterpret_cast<const char*>(&bytes[2 * i]), value);
        i += aux_words;
        break;
      }
      case kNum:
        number = static_cast<int8_t>(value);
        if (!out.empty()) out.back().number = number;
        break;
      case kSub:
        if (out.empty()) throw fail(i, "SUB before any annotation");
        out.back().subtype = static_cast<int8_t>(value);
        break;
      case kChn:
        channel = static_cast<uint8_t>(value);
        if (!out.empty()) out.back().channel = channel;
        break;
      default: {
        if (code > 49) throw fail(i - 1, "unknown annotation code " + std::to_string(code));
        time += value;
        WfdbAnnotation a;
        a.time = time;
        a.code = code;
        a.channel = channel;
        a.number = number;
        out.push_back(std::move(a));
      }
    }
  }
  throw HostError(name + ": truncated: no end-of-file marker");
}

std::vector<WfdbAnnotation> ReadWfdbAnnotations(const std::string& path) {
  return ParseWfdbAnnotations(ReadFileBytes(path), path);
}

std::vector<uint8_t> SerializeWfdbAnnotations(std::span<const WfdbAnnotation> annotations) {
  std::vector<uint8_t> out;
  auto put = [&](uint16_t w) {
    out.push_back(static_cast<uint8_t>(w));
    out.push_back(static_cast<uint8_t>(w >> 8));
  };
  int64_t time = 0;
  uint8_t channel = 0;
  int8_t number = 0;
  for (const WfdbAnnotation& a : annotations) {
    if (a.time < time) throw HostError("annotations to write are not in time order");
    int64_t delta = a.time - time;
    if (delta > 0x3FF) {
      put(static_cast<uint16_t>(kSkip << 10));
      put(static_cast<uint16_t>(static_cast<uint64_t>(delta) >> 16));
      put(static_cast<uint16_t>(delta));
      delta = 0;
    }
    put(static_cast<uint16_t>(a.code << 10 | delta));
    time = a.time;
    if (a.subtype != 0)
      put(static_cast<uint16_t>(kSub << 10 | (static_cast<uint8_t>(a.subtype) & 0x3FF)));
    if (a.channel != channel) put(static_cast<uint16_t>(kChn << 10 | a.channel));
    if (a.number != number)
      put(static_cast<uint16_t>(kNum << 10 | (static_cast<uint8_t>(a.number) & 0x3FF)));
    channel = a.channel;
    number = a.number;
    if (!a.aux.empty()) {
      if (a.aux.size() > 255) throw HostError("AUX string longer than 255 bytes");
      put(static_cast<uint16_t>(kAux << 10 | a.aux.size()));
      for (size_t k = 0; k < a.aux.size(); k += 2) {
        uint8_t lo = static_cast<uint8_t>(a.aux[k]);
        uint8_t hi = k + 1 < a.aux.size() ? static_cast<uint8_t>(a.aux[k + 1]) : 0;
        put(static_cast<uint16_t>(lo | hi << 8));
      }
    }
  }
  put(0);
  return out;
}

}  // namespace vigil::ecg
