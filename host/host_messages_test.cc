// What the host building blocks say when they cannot do their job (issue 13, item 14): a failed
// allocation names the bytes it wanted, and a directory given for a file is refused by name
// instead of escaping as a standard-library exception ("internal error: basic_filebuf...").
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>

#include "host/aligned_buffer.h"
#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"

// AddressSanitizer aborts on an impossible allocation instead of returning null.
#if defined(__SANITIZE_ADDRESS__)
#define VIGIL_ALLOCATOR_ABORTS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VIGIL_ALLOCATOR_ABORTS 1
#endif
#endif

namespace vigil {
namespace {

// The HostError message of `f`, or a note saying what else happened.
template <typename F>
std::string HostErrorOf(F f) {
  try {
    f();
  } catch (const HostError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("not a HostError: ") + e.what();
  }
  return "no error";
}

TEST(HostMessages, AnAllocationThatCannotBeMadeSaysHowManyBytes) {
  // SIZE_MAX once rounded up to 0 bytes (a buffer claiming SIZE_MAX bytes over 16 real ones).
  EXPECT_EQ(HostErrorOf([] { AlignedBuffer b(SIZE_MAX); }),
            "allocation of " + std::to_string(SIZE_MAX) + " bytes failed (out of memory)");
#ifndef VIGIL_ALLOCATOR_ABORTS
  // Larger than any address space: the allocator itself refuses.
  const size_t huge = size_t{1} << 62;
  EXPECT_EQ(HostErrorOf([&] { AlignedBuffer b(huge); }),
            "allocation of " + std::to_string(huge) + " bytes failed (out of memory)");
#endif
}

TEST(HostMessages, ReadersRefuseADirectoryByName) {
  const std::string dir = std::filesystem::temp_directory_path().string();
  EXPECT_EQ(HostErrorOf([&] { ReadFileBytes(dir); }),
            "cannot read " + dir + ": it is a directory, not a regular file");
  EXPECT_EQ(HostErrorOf([&] { Sha256HexOfFile(dir); }),
            "cannot read " + dir + ": it is a directory, not a regular file");
}

}  // namespace
}  // namespace vigil
