// Device building blocks: the validation gate's metrics against hand-computed values, the audit
// log's tamper detection, storage backends, and the two-copy record under torn writes.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"
#include "ota/device/audit_log.h"
#include "ota/device/durable_record.h"
#include "ota/device/security_counter.h"
#include "ota/device/validation_gate.h"
#include "ota/sim/memory_storage.h"
#include "ota/sim/reference_classifier.h"
#include "testing/op_test_model.h"

namespace vigil::ota {
namespace {

namespace fs = std::filesystem;
const DeviceLayout kLayout{16 << 10, 16 << 10};

TEST(ValidationGateTest, AccuracyOfTheReferenceClassifiers) {
  ValidationSet set = sim::ReferenceValidationSet();
  AcceptanceCriteria accuracy{Metric::kAccuracy, 0, 0, 0};
  EXPECT_DOUBLE_EQ(MeasureMetric(sim::BuildReferenceClassifier(0.0f), set, accuracy), 1.0);
  EXPECT_DOUBLE_EQ(MeasureMetric(sim::BuildReferenceClassifier(0.25f), set, accuracy), 0.9);
  EXPECT_DOUBLE_EQ(MeasureMetric(sim::BuildReferenceClassifier(0.35f), set, accuracy), 0.85);
  EXPECT_DOUBLE_EQ(MeasureMetric(sim::BuildReferenceClassifier(0.0f, true), set, accuracy), 0.0);
}

TEST(ValidationGateTest, SensitivityOfOneClass) {
  ValidationSet set = sim::ReferenceValidationSet();
  std::vector<uint8_t> model =
      sim::BuildReferenceClassifier(0.25f);  // misses 2 of the 10 class-1 points
  EXPECT_DOUBLE_EQ(MeasureMetric(model, set, {Metric::kSensitivity, 1, 0, 0}), 0.8);
  EXPECT_DOUBLE_EQ(MeasureMetric(model, set, {Metric::kSensitivity, 0, 0, 0}), 1.0);
  EXPECT_THROW(MeasureMetric(model, set, {Metric::kSensitivity, 5, 0, 0}), HostError);
}

TEST(ValidationGateTest, DiceOfASegmentationMask) {
  // Relu passes the input through as a 2x2 "probability" mask: foreground where >= 0.5.
  testing::OpTestModel m;
  int x = m.Input({1, 1, 2, 2});
  int y = m.Output({1, 1, 2, 2});
  m.AddOp(OpCode::kRelu, {x}, {y});
  std::vector<uint8_t> model = m.Build();
  NpyArray inputs = NpyArray::FromFloat(
      std::vector<float>{0.9f, 0.1f, 0.7f, 0.2f, -1.0f, 0.6f, 0.4f, 0.5f}, {2, 1, 2, 2});
  std::vector<uint8_t> masks = {1, 1, 1, 0, 0, 1, 0, 0};
  ValidationSet set{{{"t0", inputs}}, NpyArray::FromBytes(NpyType::kUInt8, masks, {2, 2, 2})};
  // Predicted [1,0,1,0] and [0,1,0,1]; overlap 2 + 1, |P| = 4, |T| = 4: Dice = 6 / 8.
  EXPECT_DOUBLE_EQ(MeasureMetric(model, set, {Metric::kDice, 1, 0, 0}), 0.75);
}

TEST(ValidationGateTest, JudgeAppliesFloorAndDrop) {
  AcceptanceCriteria c{Metric::kAccuracy, 0, 0.9, 0.02};
  EXPECT_EQ(Judge(0.95, 0.96, c), "");
  EXPECT_EQ(Judge(0.93, 0.95, c), "");  // exactly the allowed drop
  EXPECT_EQ(Judge(0.89, std::nullopt, c), "accuracy 0.8900 is below the floor 0.9000");
  EXPECT_EQ(Judge(0.92, 0.95, c),
            "accuracy 0.9200 is 0.0300 below the running model's 0.9500 (allowed drop 0.0200)");
}

TEST(ValidationGateTest, RefusesACorruptModelAndAMisfitSet) {
  ValidationSet set = sim::ReferenceValidationSet();
  std::vector<uint8_t> model = sim::BuildReferenceClassifier(0.0f);
  std::vector<uint8_t> corrupt = model;
  corrupt[corrupt.size() - 3] ^= 1;
  EXPECT_THROW(MeasureMetric(corrupt, set, {}), HostError);
  ValidationSet wrong{{{"point", NpyArray::FromFloat(std::vector<float>(30, 0.0f), {10, 3})}},
                      set.expected};
  EXPECT_THROW(MeasureMetric(model, wrong, {}), HostError);
}

// y = Concat(x0, x1, ...) along axis 1 for inputs x_i [1, widths[i]]: the argmax of a sample is
// the argmax over all its inputs together, so an input the gate does not set changes the answer.
std::vector<uint8_t> ConcatModel(const std::vector<int32_t>& widths) {
  testing::OpTestModel m;
  std::vector<int> inputs;
  int32_t total = 0;
  for (int32_t w : widths) {
    inputs.push_back(m.Input({1, w}));
    total += w;
  }
  int y = m.Output({1, total});
  m.AddOp(OpCode::kConcat, inputs, {y}, testing::AxisParams(1));
  return m.Build();
}

NpyArray Labels(const std::vector<int32_t>& labels) {
  return NpyArray::FromBytes(NpyType::kInt32,
                             {reinterpret_cast<const uint8_t*>(labels.data()), labels.size() * 4},
                             {static_cast<int64_t>(labels.size())});
}

// issue 13 (2): a two-input model scores 1.0 only if both inputs are fed: input t0 alone points to
// class 0 in every sample, t0 and t1 together to class 2 or 3.
TEST(ValidationGateTest, FeedsEveryInputOfATwoInputModel) {
  std::vector<uint8_t> model = ConcatModel({2, 2});
  ValidationSet set{{{"t0", NpyArray::FromFloat(std::vector<float>{1, 0, 1, 0, 1, 0}, {3, 2})},
                     {"t1", NpyArray::FromFloat(std::vector<float>{5, 0, 0, 5, 7, 1}, {3, 2})}},
                    Labels({2, 3, 2})};
  EXPECT_DOUBLE_EQ(MeasureMetric(model, set, {}), 1.0);
}

TEST(ValidationGateTest, RefusesASetThatDoesNotMatchTheModelInputs) {
  std::vector<uint8_t> model = ConcatModel({2, 3});
  NpyArray a = NpyArray::FromFloat(std::vector<float>(4, 0.5f), {2, 2}),
           b = NpyArray::FromFloat(std::vector<float>(6, 0.5f), {2, 1, 3});
  auto refusal = [&](const std::vector<ValidationInput>& inputs) {
    try {
      MeasureMetric(model, {inputs, Labels({0, 1})}, {});
      return std::string("accepted");
    } catch (const HostError& e) {
      return std::string(e.what());
    }
  };
  EXPECT_EQ(refusal({{"t0", a}, {"t1", b}}), "accepted");
  EXPECT_EQ(refusal({{"t0", a}}),
            "validation set: 1 input array(s) for a model with 2 inputs ('t0', 't1')");
  EXPECT_EQ(refusal({{"t1", b}, {"t0", a}}),
            "validation input 0 't1': the model's input 0 is 't0'");
  EXPECT_EQ(refusal({{"t0", a}, {"t1", NpyArray::FromFloat(std::vector<float>(12, 0), {2, 6})}}),
            "validation input 1 't1': shape [2, 6] does not hold samples of the model's input "
            "shape [1, 3]");
  std::vector<uint8_t> doubles(4 * 8, 0);
  EXPECT_EQ(refusal({{"t0", NpyArray::FromBytes(NpyType::kFloat64, doubles, {2, 2})}, {"t1", b}}),
            "validation input 0 't0': holds <f8 values, the model's input takes float32 (<f4)");
  EXPECT_EQ(refusal({{"t0", a}, {"t1", NpyArray::FromFloat(std::vector<float>(9, 0), {3, 3})}}),
            "validation input 1 't1': 3 samples, but expected.npy has 2");
}

// Property (issue 13 (2)): for random models of 1-3 inputs and random sets, a set that fits is
// scored exactly as an argmax over all of a sample's inputs computes it here, and every way of
// making it not fit (an input missing or extra, inputs swapped or renamed, a wrong shape, type or
// sample count) is refused.
TEST(ValidationGateTest, GateMatchesInputsAndScoresEveryInputOnRandomSets) {
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::vector<int32_t> widths(static_cast<size_t>(pick(1, 3)));
    for (int32_t& w : widths)
      w = pick(1, 3);
    std::vector<uint8_t> model = ConcatModel(widths);
    const int64_t n = pick(1, 6);
    std::vector<std::vector<float>> values(widths.size());
    for (size_t i = 0; i < widths.size(); ++i) {
      for (int64_t k = 0; k < n * widths[i]; ++k)
        values[i].push_back(static_cast<float>(pick(-8, 8)));
    }
    // Oracle: the first maximum over the sample's inputs, in input order.
    std::vector<int32_t> labels;
    int64_t hits = 0;
    for (int64_t s = 0; s < n; ++s) {
      std::vector<float> row;
      for (size_t i = 0; i < widths.size(); ++i) {
        auto begin = values[i].begin() + s * widths[i];
        row.insert(row.end(), begin, begin + widths[i]);
      }
      int32_t best = static_cast<int32_t>(std::max_element(row.begin(), row.end()) - row.begin());
      int32_t label = pick(0, 1) ? best : pick(0, static_cast<int>(row.size()) - 1);
      labels.push_back(label);
      hits += label == best;
    }
    ValidationSet fits{{}, Labels(labels)};
    for (size_t i = 0; i < widths.size(); ++i) {
      std::vector<int64_t> shape =
          pick(0, 1) ? std::vector<int64_t>{n, widths[i]} : std::vector<int64_t>{n, 1, widths[i]};
      fits.inputs.push_back({"t" + std::to_string(i), NpyArray::FromFloat(values[i], shape)});
    }
    EXPECT_DOUBLE_EQ(MeasureMetric(model, fits, {}),
                     static_cast<double>(hits) / static_cast<double>(n));

    std::vector<ValidationSet> misfits;
    misfits.push_back(fits);
    misfits.back().inputs.pop_back();  // an input missing (none at all for one input)
    misfits.push_back(fits);
    misfits.back().inputs.push_back({"extra", fits.inputs[0].samples});
    misfits.push_back(fits);
    misfits.back().inputs.back().name += "-renamed";
    if (widths.size() > 1) {
      misfits.push_back(fits);
      std::swap(misfits.back().inputs.front(), misfits.back().inputs.back());
    }
    misfits.push_back(fits);
    misfits.back().inputs.back().samples.shape.back() += 1;  // header no longer fits the model
    misfits.back().inputs.back().samples.data.resize(
        misfits.back().inputs.back().samples.data.size() + static_cast<size_t>(4 * n));
    misfits.push_back(fits);
    NpyArray& wide = misfits.back().inputs.front().samples;
    std::vector<uint8_t> as_int32(wide.data.size(), 0);
    wide = NpyArray::FromBytes(NpyType::kInt32, as_int32, wide.shape);  // same shape, not float32
    misfits.push_back(fits);
    NpyArray& more = misfits.back().inputs.back().samples;
    more.shape[0] += 1;
    more.data.resize(more.data.size() + static_cast<size_t>(4 * widths.back()));
    for (size_t m = 0; m < misfits.size(); ++m)
      EXPECT_THROW(MeasureMetric(model, misfits[m], {}), HostError) << "misfit " << m;
  }
}

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/vigil-audit-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
    storage = std::make_unique<DirectoryStorage>(dir, kLayout);
    AuditLog log(*storage);
    for (const char* event : {"install", "verify", "validate", "activate", "confirm"})
      log.Append(event, {{"step", event}});
  }
  void TearDown() override { fs::remove_all(dir); }

  std::vector<std::string> Lines() {
    std::ifstream in(dir + "/audit-log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }
  void WriteLines(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& l : lines)
      text += l + "\n";
    WriteFileAtomic(dir + "/audit-log", text);
  }
  std::string FirstProblem() {
    AuditVerification v = AuditLog(*storage).Verify();
    return v.ok ? "" : v.problems.front();
  }

  std::string dir;
  std::unique_ptr<DirectoryStorage> storage;
};

TEST_F(AuditLogTest, IntactLogVerifies) {
  AuditVerification v = AuditLog(*storage).Verify();
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.records, 5);
  EXPECT_EQ(v.unanchored, 0);
  std::vector<AuditRecord> records = AuditLog(*storage).Records();
  EXPECT_EQ(records[2].event, "validate");
  EXPECT_EQ(records[2].prev, records[1].hash);
}

TEST_F(AuditLogTest, DetectsAnEditedRecord) {
  std::vector<std::string> lines = Lines();
  size_t at = lines[1].find("\"verify\"");
  lines[1].replace(at, 8, "\"VERIFY\"");
  WriteLines(lines);
  EXPECT_EQ(FirstProblem(), "record 2: its hash does not match its content (edited)");
}

TEST_F(AuditLogTest, DetectsARemovedRecord) {
  std::vector<std::string> lines = Lines();
  lines.erase(lines.begin() + 2);
  WriteLines(lines);
  EXPECT_NE(
      FirstProblem().find("sequence 4 where 3 was expected (a record was removed or reordered)"),
      std::string::npos);
}

TEST_F(AuditLogTest, DetectsReorderedRecords) {
  std::vector<std::string> lines = Lines();
  std::swap(lines[1], lines[2]);
  WriteLines(lines);
  EXPECT_NE(FirstProblem().find("sequence 3 where 2 was expected"), std::string::npos);
}

TEST_F(AuditLogTest, DetectsARenumberedRemoval) {
  // Remove record 3 and renumber the rest: the sequence is whole again, the chain is not.
  std::vector<std::string> lines = Lines();
  lines.erase(lines.begin() + 2);
  for (size_t i = 2; i < lines.size(); ++i) {
    nlohmann::json j = nlohmann::json::parse(lines[i]);
    j["seq"] = i + 1;
    lines[i] = j.dump();
  }
  WriteLines(lines);
  EXPECT_EQ(FirstProblem(),
            "record 3: does not chain to the record before it (removed or reordered)");
}

TEST_F(AuditLogTest, DetectsRecordsRemovedFromTheEnd) {
  std::vector<std::string> lines = Lines();
  lines.pop_back();
  WriteLines(lines);
  EXPECT_EQ(FirstProblem(),
            "the log's head names record 5 but the chain ends at record 4 (records removed from "
            "the end)");
  EXPECT_THROW(AuditLog(*storage).Append("install", {}),
               HostError);  // a damaged log is not extended
}

TEST_F(AuditLogTest, RecoverKeepsTheDamagedLogWholeAndContinuesFromIt) {
  std::vector<std::string> lines = Lines();
  lines[1][lines[1].size() / 2] ^= 0x01;
  WriteLines(lines);
  std::vector<uint8_t> damaged = ReadFileBytes(dir + "/audit-log");
  AuditLog log(*storage);
  EXPECT_THROW(log.Append("boot", {}), HostError);
  EXPECT_EQ(ReadFileBytes(dir + "/audit-log"), damaged);  // never appended to or truncated

  std::string name = log.Recover();
  EXPECT_EQ(name, "audit-log.000001.damaged");
  EXPECT_EQ(storage->ReadPreserved(name), damaged);
  EXPECT_EQ(FirstProblem(), "");
  log.Append("boot", {});
  std::vector<AuditRecord> records = log.Records();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].event, AuditLog::kContinuedEvent);
  EXPECT_EQ(records[0].seq, 6);  // numbers run on after the five the damaged log held
  EXPECT_EQ(records[0].prev, Sha256Hex(damaged));
  EXPECT_EQ(records[0].details["reason"], "damaged");
  EXPECT_EQ(records[0].details["intact_records"], 1);
  EXPECT_THROW(log.Recover(), HostError);  // nothing to recover

  // The preserved copy is pinned: changing it is detected.
  std::vector<uint8_t> changed = damaged;
  changed[0] ^= 0x01;
  WriteFileAtomic(dir + "/preserved/" + name, changed);
  EXPECT_NE(FirstProblem().find("whose bytes have changed since"), std::string::npos)
      << FirstProblem();
  fs::remove(dir + "/preserved/" + name);
  EXPECT_NE(FirstProblem().find("which is missing"), std::string::npos) << FirstProblem();
}

// The sequence numbers of every record, preserved logs first (oldest first), then the current.
std::vector<int64_t> AllSequenceNumbers(Storage& storage) {
  std::vector<int64_t> seqs;
  AuditLog log(storage);
  for (const std::string& name : log.PreservedLogs()) {
    std::vector<uint8_t> bytes = *storage.ReadPreserved(name);
    std::istringstream in(std::string(bytes.begin(), bytes.end()));
    for (std::string line; std::getline(in, line);)
      seqs.push_back(nlohmann::json::parse(line).at("seq").get<int64_t>());
  }
  for (const AuditRecord& r : log.Records())
    seqs.push_back(r.seq);
  return seqs;
}

TEST(AuditLogRotationTest, AFullLogRotatesAndAPowerCutAtAnyStepLosesNothing) {
  // Fill the log up to the append that rotates it; `before` is the storage just before it.
  sim::MemoryStorage storage(kLayout, 5);
  std::optional<sim::MemoryStorage> before;
  int64_t n = 0;
  StorageCounts counts_before;
  while (AuditLog(storage).PreservedLogs().empty()) {
    before = storage;
    counts_before = storage.counts();
    AuditLog(storage).Append("boot", {{"n", ++n}});
  }
  EXPECT_EQ(storage.counts().preserves, 1);
  EXPECT_TRUE(AuditLog(storage).Verify().ok);
  std::vector<AuditRecord> fresh = AuditLog(storage).Records();
  ASSERT_EQ(fresh.size(), 2u);
  EXPECT_EQ(fresh[0].event, AuditLog::kContinuedEvent);
  EXPECT_EQ(fresh[0].details["reason"], "full");
  EXPECT_EQ(fresh[1].details["n"], n);
  std::vector<int64_t> expected(static_cast<size_t>(n + 1));
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(AllSequenceNumbers(storage), expected);

  int64_t operations = storage.counts().total() - counts_before.total();
  for (int64_t cut = 1; cut <= operations; ++cut) {
    for (uint64_t seed = 0; seed < 3; ++seed) {
      sim::MemoryStorage crashed = *before;
      crashed.Reseed(seed);
      crashed.ArmPowerCut(cut);
      EXPECT_THROW(AuditLog(crashed).Append("boot", {{"n", n}}), sim::PowerCut);
      crashed.Crash();
      AuditVerification v = AuditLog(crashed).Verify();
      ASSERT_TRUE(v.ok) << "cut " << cut << ": " << v.problems.front();
      AuditLog(crashed).Append("boot", {{"n", n + 1}});
      ASSERT_TRUE(AuditLog(crashed).Verify().ok) << "cut " << cut;
      EXPECT_EQ(AuditLog(crashed).Records().back().details["n"], n + 1);
      std::vector<int64_t> seqs = AllSequenceNumbers(crashed);
      for (size_t i = 0; i < seqs.size(); ++i)
        ASSERT_EQ(seqs[i], static_cast<int64_t>(i) + 1) << "cut " << cut << ": record lost";
    }
  }
}

TEST(AuditLogCrashTest, TornTailIsIgnoredAndOverwritten) {
  sim::MemoryStorage storage(kLayout, 3);
  AuditLog(storage).Append("install", {{"n", 1}});
  storage.ArmPowerCut(2);  // the record's write lands unsynced, the cut comes before its sync
  EXPECT_THROW(AuditLog(storage).Append("verify", {{"n", 2}}), sim::PowerCut);
  storage.Crash();
  AuditVerification v = AuditLog(storage).Verify();
  EXPECT_TRUE(v.ok);
  EXPECT_GE(v.records, 1);
  AuditLog(storage).Append("boot", {});
  EXPECT_TRUE(AuditLog(storage).Verify().ok);
  EXPECT_EQ(AuditLog(storage).Records().back().event, "boot");
}

TEST(MemoryStorageTest, SyncedDataSurvivesAndUnsyncedDataMayBeLostKeptOrTorn) {
  std::vector<uint8_t> data(64, 0x11);
  std::set<std::string> outcomes;
  for (uint64_t seed = 0; seed < 40; ++seed) {
    sim::MemoryStorage storage(kLayout, seed);
    storage.Write("counter", 0, std::vector<uint8_t>(64, 0x22));
    storage.Sync("counter");
    storage.Write("counter", 0, data);
    storage.Crash();
    std::vector<uint8_t> after(64);
    storage.Read("counter", 0, after);
    if (after == data)
      outcomes.insert("kept");
    else if (after == std::vector<uint8_t>(64, 0x22))
      outcomes.insert("lost");
    else
      outcomes.insert("torn");
    EXPECT_TRUE(after[63] == 0x11 || after[63] == 0x22);  // never anything else
  }
  EXPECT_EQ(outcomes, (std::set<std::string>{"kept", "lost", "torn"}));
}

TEST(MemoryStorageTest, PowerCutComesBeforeTheArmedOperation) {
  sim::MemoryStorage storage(kLayout, 1);
  storage.ArmPowerCut(2);
  storage.Write("counter", 0, std::vector<uint8_t>{1});
  EXPECT_THROW(storage.Sync("counter"), sim::PowerCut);
  EXPECT_EQ(storage.counts().writes, 1);
  EXPECT_EQ(storage.counts().syncs, 0);
}

TEST(DurableRecordTest, ATornWriteLeavesTheOtherCopy) {
  for (uint64_t seed = 0; seed < 20; ++seed) {
    sim::MemoryStorage storage(kLayout, seed);
    SecurityCounter counter(storage);
    EXPECT_EQ(counter.Value(), 0);
    counter.AdvanceTo(3);
    counter.AdvanceTo(5);
    storage.ArmPowerCut(2);  // the write of 7 happens, its sync does not
    EXPECT_THROW(counter.AdvanceTo(7), sim::PowerCut);
    storage.Crash();
    int64_t value = SecurityCounter(storage).Value();
    EXPECT_TRUE(value == 5 || value == 7) << value;       // never torn, never back to 3
    EXPECT_FALSE(SecurityCounter(storage).AdvanceTo(4));  // never decreases
  }
}

TEST(StorageTest, DirectoryAndImageBackendsReadErasedAsFF) {
  char pattern[] = "/tmp/vigil-storage-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  std::string dir = pattern;
  DirectoryStorage folder(dir + "/folder", kLayout);
  ImageFileStorage image(dir + "/device.img", kLayout);
  for (Storage* s : std::initializer_list<Storage*>{&folder, &image}) {
    std::vector<uint8_t> out(4);
    s->Read("slot-a", 100, out);
    EXPECT_EQ(out, std::vector<uint8_t>(4, 0xFF));
    s->Write("slot-a", 102, std::vector<uint8_t>{1, 2});
    s->Sync("slot-a");
    s->Read("slot-a", 100, out);
    EXPECT_EQ(out, (std::vector<uint8_t>{0xFF, 0xFF, 1, 2}));
    s->Erase("slot-a");
    s->Read("slot-a", 100, out);
    EXPECT_EQ(out, std::vector<uint8_t>(4, 0xFF));
    EXPECT_THROW(s->Write("slot-a", (16 << 10) - 1, std::vector<uint8_t>{1, 2}), HostError);
    EXPECT_EQ(s->counts().writes, 1);
    EXPECT_EQ(s->counts().syncs, 1);
    EXPECT_EQ(s->counts().erases, 1);
  }
  EXPECT_EQ(fs::file_size(dir + "/device.img"), 2 * (16u << 10) + 2 * 4096u + (16u << 10));
  fs::remove_all(dir);
}

TEST(StorageTest, PreserveMovesARegionAsideWholeOnBothBackends) {
  char pattern[] = "/tmp/vigil-storage-test-XXXXXX";
  ASSERT_NE(mkdtemp(pattern), nullptr);
  std::string dir = pattern;
  DirectoryStorage folder(dir + "/folder", kLayout);
  ImageFileStorage image(dir + "/device.img", kLayout);
  std::vector<uint8_t> content = {'{', '}', '\n', 0xFF, 'x'};  // an erased byte inside is kept
  for (Storage* s : std::initializer_list<Storage*>{&folder, &image}) {
    s->Write("audit-log", 0, content);
    s->Sync("audit-log");
    s->Preserve("audit-log", "audit-log.000001.full");
    EXPECT_EQ(s->ReadPreserved("audit-log.000001.full"), content);
    EXPECT_EQ(s->PreservedNames(), std::vector<std::string>{"audit-log.000001.full"});
    std::vector<uint8_t> after(content.size());
    s->Read("audit-log", 0, after);
    EXPECT_EQ(after, std::vector<uint8_t>(content.size(), 0xFF));
    EXPECT_THROW(s->Preserve("audit-log", "audit-log.000001.full"), HostError);  // never replaced
    EXPECT_THROW(s->Preserve("audit-log", "../escape"), HostError);
    EXPECT_EQ(s->ReadPreserved("audit-log.000002.full"), std::nullopt);
    EXPECT_EQ(s->counts().preserves, 1);
  }
  EXPECT_TRUE(fs::is_regular_file(dir + "/folder/preserved/audit-log.000001.full"));
  EXPECT_TRUE(fs::is_regular_file(dir + "/device.img.preserved/audit-log.000001.full"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace vigil::ota
