#include "ota/device/slot_trailer.h"

#include <cstring>

#include "host/digest.h"
#include "host/error.h"

namespace vigil::ota {
namespace {

constexpr char kInfoMagic[8] = {'V', 'G', 'L', 'S', 'L', 'O', 'T', '1'};
constexpr size_t kTextBytes = 32;
// magic 8, image bytes 8, sequence 8, release counter 8, sha256 32, version 32, change control 32
constexpr size_t kInfoChecked = 8 + 8 + 8 + 8 + 32 + kTextBytes + kTextBytes;
constexpr size_t kInfoBytes = kInfoChecked + 32;
constexpr uint64_t kFlagsOffset = 256;
constexpr size_t kGranuleBytes = 32;
constexpr char kFlagMagic[5][8] = {{'V', 'A', 'L', 'I', 'D', 'A', 'T', 'E'},
                                   {'P', 'E', 'N', 'D', 'I', 'N', 'G', '!'},
                                   {'T', 'R', 'I', 'A', 'L', 'R', 'U', 'N'},
                                   {'C', 'O', 'N', 'F', 'I', 'R', 'M', 'D'},
                                   {'B', 'A', 'D', 'S', 'L', 'O', 'T', '!'}};

std::vector<uint8_t> HexToBytes(const std::string& hex) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

void PutText(uint8_t* at, const std::string& text) {
  std::memset(at, 0, kTextBytes);
  std::memcpy(at, text.data(), std::min(text.size(), kTextBytes - 1));
}

std::string GetText(const uint8_t* at) {
  return std::string(reinterpret_cast<const char*>(at),
                     strnlen(reinterpret_cast<const char*>(at), kTextBytes - 1));
}

}  // namespace

const char* SlotStateName(SlotState state) {
  switch (state) {
    case SlotState::kEmpty: return "empty";
    case SlotState::kIncomplete: return "incomplete";
    case SlotState::kPending: return "pending-test";
    case SlotState::kTrial: return "trial";
    case SlotState::kConfirmed: return "confirmed";
    case SlotState::kBad: return "bad";
  }
  return "?";
}

bool Slot::FlagSet(SlotFlag flag, double* value) {
  uint8_t raw[kGranuleBytes];
  storage_.Read(region_,
                TrailerOffset() + kFlagsOffset + static_cast<uint64_t>(flag) * kGranuleBytes, raw);
  auto check = Sha256({raw, 16});
  if (std::memcmp(raw, kFlagMagic[static_cast<int>(flag)], 8) != 0 ||
      std::memcmp(raw + 16, check.data(), 16) != 0) {
    return false;
  }
  if (value) std::memcpy(value, raw + 8, 8);
  return true;
}

void Slot::SetFlag(SlotFlag flag, double value) {
  uint8_t raw[kGranuleBytes];
  std::memcpy(raw, kFlagMagic[static_cast<int>(flag)], 8);
  std::memcpy(raw + 8, &value, 8);
  auto check = Sha256({raw, 16});
  std::memcpy(raw + 16, check.data(), 16);
  storage_.Write(region_,
                 TrailerOffset() + kFlagsOffset + static_cast<uint64_t>(flag) * kGranuleBytes, raw);
  storage_.Sync(region_);
}

SlotStatus Slot::Status() {
  SlotStatus status;
  status.region = region_;
  uint8_t raw[kInfoBytes];
  storage_.Read(region_, TrailerOffset(), raw);
  auto check = Sha256({raw, kInfoChecked});
  if (std::memcmp(raw, kInfoMagic, 8) != 0 ||
      std::memcmp(raw + kInfoChecked, check.data(), 32) != 0)
    return status;
  SlotInfo info;
  std::memcpy(&info.image_bytes, raw + 8, 8);
  std::memcpy(&info.sequence, raw + 16, 8);
  std::memcpy(&info.release_counter, raw + 24, 8);
  info.sha256 = HexEncode({raw + 32, 32});
  info.model_version = GetText(raw + 64);
  info.change_control_id = GetText(raw + 64 + kTextBytes);
  if (info.image_bytes > ImageCapacity()) return status;  // cannot be ours
  status.info = info;
  double metric = 0;
  if (FlagSet(SlotFlag::kValidated, &metric)) status.validated_metric = metric;
  if (FlagSet(SlotFlag::kBad, nullptr))
    status.state = SlotState::kBad;
  else if (FlagSet(SlotFlag::kConfirmed, nullptr))
    status.state = SlotState::kConfirmed;
  else if (FlagSet(SlotFlag::kTrial, nullptr))
    status.state = SlotState::kTrial;
  else if (FlagSet(SlotFlag::kPending, nullptr) && status.validated_metric)
    status.state = SlotState::kPending;
  else
    status.state = SlotState::kIncomplete;
  return status;
}

void Slot::WriteImage(std::span<const uint8_t> image, const SlotInfo& info) {
  if (image.size() > ImageCapacity()) {
    throw HostError(region_ + ": image of " + std::to_string(image.size()) +
                    " bytes does not fit the slot's " + std::to_string(ImageCapacity()));
  }
  storage_.Erase(region_);
  constexpr size_t kChunk = 64 << 10;
  for (size_t at = 0; at < image.size(); at += kChunk) {
    storage_.Write(region_, at, image.subspan(at, std::min(kChunk, image.size() - at)));
  }
  storage_.Sync(region_);
  uint8_t raw[kInfoBytes];
  std::memcpy(raw, kInfoMagic, 8);
  std::memcpy(raw + 8, &info.image_bytes, 8);
  std::memcpy(raw + 16, &info.sequence, 8);
  std::memcpy(raw + 24, &info.release_counter, 8);
  std::vector<uint8_t> hash = HexToBytes(info.sha256);
  if (hash.size() != 32) throw HostError(region_ + ": image hash must be 32 bytes");
  std::memcpy(raw + 32, hash.data(), 32);
  PutText(raw + 64, info.model_version);
  PutText(raw + 64 + kTextBytes, info.change_control_id);
  auto check = Sha256({raw, kInfoChecked});
  std::memcpy(raw + kInfoChecked, check.data(), 32);
  storage_.Write(region_, TrailerOffset(), raw);
  storage_.Sync(region_);
}

std::vector<uint8_t> Slot::ReadImage(uint64_t bytes) {
  if (bytes > ImageCapacity()) throw HostError(region_ + ": image size exceeds the slot");
  std::vector<uint8_t> image(bytes);
  storage_.Read(region_, 0, image);
  return image;
}

bool Slot::ImageIntact(const SlotInfo& info) {
  return Sha256Hex(ReadImage(info.image_bytes)) == info.sha256;
}

}  // namespace vigil::ota
