#include "host/npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "host/error.h"

namespace vigil {
namespace {

// np.save(np.array([[1.5, -2.0, 3.25], [0, 1e-3, 7]], dtype=np.float32)) by NumPy 1.24.
const std::vector<uint8_t> kNumpyFloat32_2x3 = {
    0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00, 0x76, 0x00, 0x7b, 0x27, 0x64, 0x65, 0x73, 0x63,
    0x72, 0x27, 0x3a, 0x20, 0x27, 0x3c, 0x66, 0x34, 0x27, 0x2c, 0x20, 0x27, 0x66, 0x6f, 0x72, 0x74,
    0x72, 0x61, 0x6e, 0x5f, 0x6f, 0x72, 0x64, 0x65, 0x72, 0x27, 0x3a, 0x20, 0x46, 0x61, 0x6c, 0x73,
    0x65, 0x2c, 0x20, 0x27, 0x73, 0x68, 0x61, 0x70, 0x65, 0x27, 0x3a, 0x20, 0x28, 0x32, 0x2c, 0x20,
    0x33, 0x29, 0x2c, 0x20, 0x7d, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20,
    0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x20, 0x0a,
    0x00, 0x00, 0xc0, 0x3f, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x00, 0x50, 0x40, 0x00, 0x00, 0x00, 0x00,
    0x6f, 0x12, 0x83, 0x3a, 0x00, 0x00, 0xe0, 0x40};

TEST(Npy, ParsesWhatNumpyWrote) {
  NpyArray a = ParseNpy(kNumpyFloat32_2x3, "golden");
  EXPECT_EQ(a.type, NpyType::kFloat32);
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3}));
  std::vector<float> v = a.ToFloat();
  EXPECT_EQ(v, (std::vector<float>{1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, 7.0f}));
}

TEST(Npy, WritesExactlyWhatNumpyWrites) {
  NpyArray a =
      NpyArray::FromFloat(std::vector<float>{1.5f, -2.0f, 3.25f, 0.0f, 1e-3f, 7.0f}, {2, 3});
  EXPECT_EQ(SerializeNpy(a), kNumpyFloat32_2x3);
}

TEST(Npy, RoundTripsEveryTypeThroughAFile) {
  std::string path = (std::filesystem::temp_directory_path() / "vigil_npy_test.npy").string();
  for (NpyType type : {NpyType::kFloat32, NpyType::kFloat64, NpyType::kInt8, NpyType::kUInt8,
                       NpyType::kInt16, NpyType::kInt32, NpyType::kInt64, NpyType::kBool}) {
    std::vector<uint8_t> bytes(NpyTypeBytes(type) * 5);
    for (size_t i = 0; i < bytes.size(); ++i)
      bytes[i] = static_cast<uint8_t>(type == NpyType::kBool ? i % 2 : i * 7);
    NpyArray a = NpyArray::FromBytes(type, bytes, {5});
    WriteNpy(path, a);
    NpyArray b = ReadNpy(path);
    EXPECT_EQ(b.type, type);
    EXPECT_EQ(b.shape, a.shape);
    EXPECT_EQ(b.data, a.data);
  }
  std::filesystem::remove(path);
}

TEST(Npy, ScalarShapeRoundTrips) {
  NpyArray a = NpyArray::FromFloat(std::vector<float>{4.0f}, {});
  NpyArray b = ParseNpy(SerializeNpy(a), "scalar");
  EXPECT_TRUE(b.shape.empty());
  EXPECT_EQ(b.ToFloat(), std::vector<float>{4.0f});
}

TEST(Npy, RejectsTruncatedDataWithSizes) {
  std::vector<uint8_t> bytes = kNumpyFloat32_2x3;
  bytes.pop_back();
  try {
    ParseNpy(bytes, "cut.npy");
    FAIL() << "truncated file accepted";
  } catch (const HostError& e) {
    EXPECT_NE(std::string(e.what()).find("cut.npy: .npy data is 23 bytes"), std::string::npos)
        << e.what();
  }
}

TEST(Npy, RejectsBadMagicFortranOrderAndUnknownDtype) {
  EXPECT_THROW(ParseNpy(std::vector<uint8_t>(20, 0), "x"), HostError);
  std::vector<uint8_t> fortran = kNumpyFloat32_2x3;
  std::string text(fortran.begin(), fortran.end());
  size_t pos = text.find("False");
  ASSERT_NE(pos, std::string::npos);
  std::memcpy(fortran.data() + pos, "True ", 5);
  EXPECT_THROW(ParseNpy(fortran, "f"), HostError);
  std::vector<uint8_t> complex = kNumpyFloat32_2x3;
  pos = text.find("<f4");
  std::memcpy(complex.data() + pos, "<c8", 3);
  EXPECT_THROW(ParseNpy(complex, "c"), HostError);
}

}  // namespace
}  // namespace vigil
