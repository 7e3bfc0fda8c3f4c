// The entry point of every libFuzzer target in ordinary builds: it replays seed inputs, and a fixed
// number of deterministic mutations of each, through LLVMFuzzerTestOneInput. CI so runs each
// target on every build, under ASan and UBSan in the sanitizer pass, without clang's libFuzzer; the
// `fuzz` preset builds the same targets with libFuzzer for open-ended campaigns.
//
// Usage: TARGET [--mutations N] [PATH ...]   (PATH: a file, or a folder whose files are seeds)
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
// A target may steer mutation (e.g. recompute a checksum after it) as under libFuzzer.
extern "C" __attribute__((weak)) size_t LLVMFuzzerCustomMutator(uint8_t* data, size_t size,
                                                                size_t max_size, unsigned int seed);

namespace {

// xorshift64*: the same mutations on every run and machine.
struct Random {
  uint64_t state;
  uint64_t Next() {
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 2685821657736338717ull;
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
};

std::vector<uint8_t> Mutate(const std::vector<uint8_t>& seed, Random& random) {
  std::vector<uint8_t> out = seed;
  switch (random.Below(5)) {
    case 0:  // flip one to eight bits
      for (size_t k = 0, n = 1 + random.Below(8); k < n && !out.empty(); ++k)
        out[random.Below(out.size())] ^= static_cast<uint8_t>(1u << random.Below(8));
      break;
    case 1:  // truncate
      out.resize(random.Below(out.size() + 1));
      break;
    case 2:  // overwrite a byte with an extreme value
      if (!out.empty()) out[random.Below(out.size())] = random.Below(2) ? 0xFF : 0x00;
      break;
    case 3: {  // duplicate a chunk
      if (out.empty()) break;
      const size_t begin = random.Below(out.size()),
                   length = 1 + random.Below(std::min<size_t>(64, out.size() - begin));
      std::vector<uint8_t> chunk(out.begin() + static_cast<std::ptrdiff_t>(begin),
                                 out.begin() + static_cast<std::ptrdiff_t>(begin + length));
      out.insert(out.begin() + static_cast<std::ptrdiff_t>(random.Below(out.size() + 1)),
                 chunk.begin(), chunk.end());
      break;
    }
    default:  // random bytes
      for (size_t k = 0, n = random.Below(64); k < n; ++k)
        out.push_back(static_cast<uint8_t>(random.Next()));
  }
  return out;
}

std::vector<uint8_t> Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
}

Random g_random{0x9E3779B97F4A7C15ull};

}  // namespace

// libFuzzer's own mutation entry point, which custom mutators call: here the mutations above.
extern "C" size_t LLVMFuzzerMutate(uint8_t* data, size_t size, size_t max_size) {
  std::vector<uint8_t> mutated = Mutate(std::vector<uint8_t>(data, data + size), g_random);
  if (mutated.size() > max_size) mutated.resize(max_size);
  std::copy(mutated.begin(), mutated.end(), data);
  return mutated.size();
}

int main(int argc, char** argv) {
  long mutations = 200;
  std::vector<std::filesystem::path> seeds;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--mutations" && i + 1 < argc) {
      mutations = std::strtol(argv[++i], nullptr, 10);
    } else if (std::filesystem::is_directory(arg)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(arg)) {
        if (e.is_regular_file()) seeds.push_back(e.path());
      }
    } else if (std::filesystem::is_regular_file(arg)) {
      seeds.push_back(arg);
    } else {
      std::fprintf(stderr, "%s: no such seed '%s'\n", argv[0], arg.c_str());
      return 2;
    }
  }
  std::vector<std::vector<uint8_t>> inputs = {{}};  // the empty input is always tried
  for (const auto& path : seeds)
    inputs.push_back(Read(path));
  long runs = 0;
  for (const auto& input : inputs) {
    LLVMFuzzerTestOneInput(input.data(), input.size());
    ++runs;
    for (long m = 0; m < mutations; ++m, ++runs) {
      std::vector<uint8_t> mutated;
      if (LLVMFuzzerCustomMutator != nullptr) {
        mutated = input;
        mutated.resize(input.size() + 64);  // room for LLVMFuzzerMutate to grow the input
        mutated.resize(LLVMFuzzerCustomMutator(mutated.data(), input.size(), mutated.size(),
                                               static_cast<unsigned>(g_random.Next())));
      } else {
        mutated = Mutate(input, g_random);
      }
      LLVMFuzzerTestOneInput(mutated.data(), mutated.size());
    }
  }
  std::printf("%s: %ld inputs (%zu seeds, %ld mutations each) ran without a crash\n", argv[0], runs,
              seeds.size(), mutations);
  return 0;
}
