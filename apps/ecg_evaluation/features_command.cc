// `vigil ecg features`: the classifier's inputs exactly as the deployed chain makes them, for
// training. Every beat the QRS detector finds in the given MIT-BIH records comes out with its beat
// tensor and context (BeatStream, the same code the monitor runs) and with the class of the
// reference beat the EC57 comparator pairs it with, so a training script learns from, and is
// cross-validated on, the detector's beats: its R times, its false detections, its misses.
#include <cstdio>
#include <cstring>

#include "apps/ecg_evaluation/ec57/ec57_comparator.h"
#include "apps/ecg_evaluation/evaluation_commands.h"
#include "apps/ecg_evaluation/mitdb.h"
#include "apps/ecg_evaluation/record_analysis.h"
#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/npy.h"
#include "host/progress_bar.h"
#include "signal/ecg/beat_stream.h"

namespace vigil::ecg {
namespace {

// Columns of the export, one row per detected beat, all records concatenated.
struct FeatureTable {
  std::vector<float> beat, context;
  std::vector<uint8_t> has_window;
  std::vector<int32_t> record;
  std::vector<int64_t> r;
  std::vector<int8_t> reference, ec57_reference;

  int64_t rows() const { return static_cast<int64_t>(r.size()); }
};

std::vector<BeatFeatures> DetectedBeats(const EcgRecording& rec) {
  std::vector<BeatFeatures> beats;
  StreamBeats(rec.samples, rec.gain, [&](const BeatFeatures& beat) { beats.push_back(beat); });
  return beats;
}

template <typename T>
NpyArray Column(NpyType type, const std::vector<T>& values, std::vector<int64_t> shape) {
  return NpyArray::FromBytes(
      type,
      std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(values.data()),
                               values.size() * sizeof(T)),
      std::move(shape));
}

}  // namespace

int RunEcgFeaturesCommand(int argc, char** argv) {
  CommandLine cli("vigil ecg features",
                  "Export the beat classifier's inputs for every beat the QRS detector finds in "
                  "MIT-BIH records,\n"
                  "each with the class of the reference beat the EC57 comparator pairs it with "
                  "(for training).");
  std::string db, records = "DS1", out;
  bool json = false;
  cli.Option("", "--db", &db, "DIR", "folder with the mitdb records (NNN.hea, .dat, .atr)");
  cli.Option("", "--records", &records, "SET", "DS1 (default), DS2, ALL or a list like 101,106");
  cli.Option("-o", "--out", &out, "DIR",
             "folder for the .npy files and features.json (must exist)");
  cli.Flag("", "--json", &json, "print the manifest as JSON");
  cli.Epilog(
      "Writes, one row per detected beat: the classifier's inputs beat.npy f4 [n,2,128] and "
      "context.npy\n"
      "f4 [n,12] (9 RR features, QRS correlation with the template, QRS difference, QRS amplitude "
      "ratio),\n"
      "has_window.npy u1 [n] (0: the stream's first beats, not classified), record.npy i4 [n] "
      "(index into\n"
      "features.json's records), r.npy i8 [n] (R sample), reference.npy i1 [n] (AAMI class 0-4 N S "
      "V F Q of\n"
      "the paired reference beat over the whole record, 5: no reference beat, -1: inside "
      "ventricular\n"
      "flutter) and ec57_reference.npy i1 [n] (the same pairing as `vigil ecg eval` scores it: -1 "
      "where\n"
      "a beat is not scored, e.g. the first 5 minutes). features.json, written last, lists the "
      "records,\n"
      "their reference beats the detector missed (scored, per class) and the provenance.\n"
      "Example: vigil ecg features --db ../shared/data/mitdb --records DS1 -o build/ecg-features");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (db.empty() || out.empty()) {
    std::fprintf(stderr, "vigil ecg features: --db and --out are required\n%s", cli.Help().c_str());
    return 2;
  }
  const std::vector<std::string> names = ParseRecordList(records);
  FeatureTable table;
  nlohmann::json manifest_records = nlohmann::json::array();
  ProgressBar progress("features", static_cast<int64_t>(names.size()), !json);
  for (size_t i = 0; i < names.size(); ++i) {
    const EcgRecording rec = LoadRecording(db, names[i]);
    const std::vector<BeatFeatures> beats = DetectedBeats(rec);
    std::vector<TestBeat> test;
    for (const BeatFeatures& b : beats)
      test.push_back({b.r, AamiClass::kN});
    Ec57Options whole_record;
    whole_record.start_s = 0;
    whole_record.end_sample = static_cast<int64_t>(rec.samples.size());
    Ec57Options scored = whole_record;
    scored.start_s = Ec57Options{}.start_s;
    std::vector<int8_t> reference, ec57_reference;
    CompareBeats(rec.reference, test, whole_record, nullptr, &reference);
    const Ec57Counts counts = CompareBeats(rec.reference, test, scored, nullptr, &ec57_reference);
    nlohmann::json missed = nlohmann::json::object();
    for (int c = 0; c < kAamiClasses; ++c)
      missed[std::string(1, AamiLetter(static_cast<AamiClass>(c)))] = counts.at(c, 5);
    manifest_records.push_back({{"name", rec.name},
                                {"beats", beats.size()},
                                {"samples", rec.samples.size()},
                                {"missed_scored_reference_beats", missed}});
    for (size_t k = 0; k < beats.size(); ++k) {
      const BeatFeatures& b = beats[k];
      table.beat.insert(table.beat.end(), &b.beat[0][0], &b.beat[0][0] + 2 * kWindowValues);
      float context[kContextFeatures];
      ClassifierContext(b, context);
      table.context.insert(table.context.end(), context, context + kContextFeatures);
      table.has_window.push_back(b.has_window ? 1 : 0);
      table.record.push_back(static_cast<int32_t>(i));
      table.r.push_back(b.r);
      table.reference.push_back(reference[k]);
      table.ec57_reference.push_back(ec57_reference[k]);
    }
    progress.Update(static_cast<int64_t>(i + 1));
  }
  progress.Finish();
  const int64_t n = table.rows();
  WriteNpy(out + "/beat.npy", Column(NpyType::kFloat32, table.beat, {n, 2, kWindowValues}));
  WriteNpy(out + "/context.npy", Column(NpyType::kFloat32, table.context, {n, kContextFeatures}));
  WriteNpy(out + "/has_window.npy", Column(NpyType::kUInt8, table.has_window, {n}));
  WriteNpy(out + "/record.npy", Column(NpyType::kInt32, table.record, {n}));
  WriteNpy(out + "/r.npy", Column(NpyType::kInt64, table.r, {n}));
  WriteNpy(out + "/reference.npy", Column(NpyType::kInt8, table.reference, {n}));
  WriteNpy(out + "/ec57_reference.npy", Column(NpyType::kInt8, table.ec57_reference, {n}));
  const nlohmann::json manifest = WithProvenance({{"records", manifest_records}, {"beats", n}},
                                                 JoinCommandLine(argc, argv, "vigil ecg features"));
  WriteFileAtomic(out + "/features.json", manifest.dump(1) + "\n");
  if (json) {
    std::printf("%s\n", manifest.dump(2).c_str());
  } else {
    std::printf("%lld beats from %zu records written to %s\n", static_cast<long long>(n),
                names.size(), out.c_str());
  }
  return 0;
}

}  // namespace vigil::ecg
