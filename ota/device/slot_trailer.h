// SlotTrailer: the MCUboot-style trailer at the end of each model slot, which says what the slot
// holds and how far its update got.
//
// Layout (the last kTrailerBytes of the slot region):
//   info block     image size, install sequence, release counter, SHA-256 of the image, model
//                  version and change-control id, checked by a SHA-256 of the block
//   flag granules  validated (with the measured metric), pending, trial, confirmed, bad; each a
//                  separate 32-byte granule written once from the erased state, valid only when
//                  its check matches, so a torn flag write reads as "not set"
//
// State, derived from what is set (first match wins):
//   no intact info block -> kEmpty
//   bad                  -> kBad
//   confirmed            -> kConfirmed
//   trial                -> kTrial (ran once since activation, not confirmed)
//   pending + validated  -> kPending
//   otherwise            -> kIncomplete (an install that never finished)
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ota/device/storage.h"

namespace vigil::ota {

enum class SlotState { kEmpty, kIncomplete, kPending, kTrial, kConfirmed, kBad };
const char* SlotStateName(SlotState state);

enum class SlotFlag : int { kValidated = 0, kPending = 1, kTrial = 2, kConfirmed = 3, kBad = 4 };

struct SlotInfo {
  uint64_t image_bytes = 0;
  uint64_t sequence = 0;  // install order: higher is newer
  int64_t release_counter = 0;
  std::string sha256;             // hex of the image
  std::string model_version;      // at most 31 bytes
  std::string change_control_id;  // at most 31 bytes
};

struct SlotStatus {
  std::string region;
  SlotState state = SlotState::kEmpty;
  std::optional<SlotInfo> info;
  std::optional<double> validated_metric;
};

class Slot {
 public:
  static constexpr uint64_t kTrailerBytes = 4096;

  Slot(Storage& storage, std::string region) : storage_(storage), region_(std::move(region)) {}
  const std::string& region() const { return region_; }
  uint64_t ImageCapacity() const { return storage_.Capacity(region_) - kTrailerBytes; }

  SlotStatus Status();
  // Erases the slot, writes the image and syncs; then writes and syncs the info block.
  void WriteImage(std::span<const uint8_t> image, const SlotInfo& info);
  std::vector<uint8_t> ReadImage(uint64_t bytes);
  // Whether the image still matches the SHA-256 its info block recorded.
  bool ImageIntact(const SlotInfo& info);
  void SetFlag(SlotFlag flag, double value = 0);  // writes and syncs one granule

 private:
  uint64_t TrailerOffset() const { return storage_.Capacity(region_) - kTrailerBytes; }
  bool FlagSet(SlotFlag flag, double* value);

  Storage& storage_;
  std::string region_;
};

}  // namespace vigil::ota
