// Damaged model files: truncated at every length, every single bit flipped (the CRC-32 must catch
// each one), and every bit flipped with the CRC recomputed, which takes the damage past the
// checksum to the FlatBuffers and semantic checks; whatever those accept must then Init and Invoke
// without a crash (this test runs under ASan+UBSan in CI). A deterministic companion to the
// libFuzzer target in testing/fuzz/.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "testing/broken_model_files.h"

namespace vigil {
namespace {

using ::testing::HasSubstr;
using testing::Verdict;

TEST(TruncatedFile, EveryShorterLengthIsRejected) {
  const std::vector<uint8_t> file = testing::ValidModelFile();
  const size_t payload = file.size() - kModelHeaderBytes;
  for (size_t length = 0; length < file.size(); ++length) {
    Verdict v = testing::Verify(std::vector<uint8_t>(file.begin(), file.begin() + length));
    ASSERT_EQ(v.status, Status::kInvalidModel) << length;
    if (length < kModelHeaderBytes) {
      ASSERT_EQ(v.message, "truncated model file: " + std::to_string(length) +
                               " bytes, the header alone is 16");
    } else {
      ASSERT_EQ(v.message, "truncated or padded model file: header says " +
                               std::to_string(payload) + " payload bytes, file has " +
                               std::to_string(length - kModelHeaderBytes));
    }
  }
}

// Verifies; if accepted, runs Init (arena capped at 64 MiB) and Invoke on zeroed inputs.
// Returns the verifier's status.
Status VerifyAndRun(const std::vector<uint8_t>& bytes) {
  AlignedBuffer file(bytes);
  size_t arena_bytes = 0;
  Status verdict = ReadArenaBytes(file.data(), file.size(), &arena_bytes);
  if (verdict != Status::kOk || arena_bytes > (size_t{64} << 20)) return verdict;
  AlignedBuffer arena(arena_bytes);
  auto interpreter = std::make_unique<Interpreter>();
  if (interpreter->Init(file.data(), file.size(), arena.data(), arena.size()) == Status::kOk) {
    for (int i = 0; i < interpreter->input_count(); ++i) {
      std::memset(interpreter->input(i).data, 0, interpreter->input(i).bytes());
    }
    (void)interpreter->Invoke();
  }
  return verdict;
}

TEST(TruncatedFile, AShortPayloadWithAMatchingHeaderIsRejected) {
  // The header rewritten to fit (size and CRC), so the FlatBuffers check is what must catch it.
  // Only the FlatBuffer's own tail padding (after the last string's terminator, under 4 bytes)
  // may go without changing the model; such a file must still run.
  const std::vector<uint8_t> file = testing::ValidModelFile();
  const std::vector<uint8_t> payload(file.begin() + kModelHeaderBytes, file.end());
  for (size_t length = 0; length < payload.size(); ++length) {
    const std::vector<uint8_t> cut(payload.begin(), payload.begin() + length);
    if (VerifyAndRun(testing::WrapPayload(cut)) == Status::kOk) {
      ASSERT_GE(length + 3, payload.size()) << "a truncation into the model's data was accepted";
    }
  }
}

TEST(PaddedFile, AnExtraByteIsRejected) {
  std::vector<uint8_t> file = testing::ValidModelFile();
  file.push_back(0);
  EXPECT_THAT(testing::Verify(file).message, HasSubstr("truncated or padded model file"));
}

TEST(Header, WrongMagicOrVersionIsRejected) {
  std::vector<uint8_t> file = testing::ValidModelFile();
  file[0] = 'X';
  EXPECT_EQ(testing::Verify(file).message, "not a Vigil model file (bad magic)");
  file = testing::ValidModelFile();
  WriteLe32(file.data() + 4, 2);
  Verdict v = testing::Verify(file);
  EXPECT_EQ(v.status, Status::kUnsupportedModel);
  EXPECT_EQ(v.message, "unsupported model header version 2 (this runtime reads 1)");
}

// The message a flipped bit must produce, by where it lands.
std::string ExpectedFlipMessage(size_t byte) {
  if (byte < 4) return "not a Vigil model file (bad magic)";
  if (byte < 8) return "unsupported model header version";
  if (byte < 12) return "truncated or padded model file";
  return "model file is corrupt: CRC-32";
}

TEST(BitFlip, EverySingleBitFlipIsRejectedByTheHeaderOrTheCrc) {
  std::vector<uint8_t> file = testing::ValidModelFile();
  for (size_t bit = 0; bit < file.size() * 8; ++bit) {
    file[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    Verdict v = testing::Verify(file);
    file[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    ASSERT_NE(v.status, Status::kOk) << "bit " << bit;
    ASSERT_THAT(v.message, HasSubstr(ExpectedFlipMessage(bit / 8))) << "bit " << bit;
  }
}

TEST(BitFlip, FlipsBehindARecomputedCrcAreRejectedOrRunSafely) {
  const std::vector<uint8_t> file = testing::ValidModelFile();
  std::vector<uint8_t> payload(file.begin() + kModelHeaderBytes, file.end());
  int rejected = 0, accepted = 0;
  for (size_t bit = 0; bit < payload.size() * 8; ++bit) {
    payload[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    (VerifyAndRun(testing::WrapPayload(payload)) == Status::kOk ? accepted : rejected) += 1;
    payload[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
  }
  // Flips in names, weights and padding are harmless and accepted; structure and plan flips are
  // not.
  EXPECT_GT(rejected, 1000);
  EXPECT_GT(accepted, 1000);
  RecordProperty("rejected", rejected);
  RecordProperty("accepted", accepted);
}

}  // namespace
}  // namespace vigil
