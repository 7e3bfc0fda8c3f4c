// `vigil ecg eval`: the EC57 evaluation of the whole chain on MIT-BIH records.
#include <cstdio>
#include <memory>

#include "apps/ecg_evaluation/ecg_evaluation.h"
#include "apps/ecg_evaluation/eval_report.h"
#include "apps/ecg_evaluation/evaluation_commands.h"
#include "host/atomic_file.h"
#include "host/build_info.h"
#include "host/command_line.h"
#include "host/error.h"
#include "host/progress_bar.h"

namespace vigil::ecg {

std::string JoinCommandLine(int argc, char** argv, const char* prefix) {
  std::string command = prefix;
  for (int i = 1; i < argc; ++i)
    command += std::string(" ") + argv[i];
  return command;
}

nlohmann::json WithProvenance(nlohmann::json data, const std::string& command) {
  nlohmann::json j = EvidenceProvenance(command);
  j.update(data);
  return j;
}

int RunEcgEvalCommand(int argc, char** argv) {
  CommandLine cli(
      "vigil ecg eval",
      "Run the ECG chain (QRS detector + beat classifier on the Vigil runtime) over MIT-BIH "
      "records and\n"
      "score it beat by beat with the EC57 rules (bxb): QRS, VEB and SVEB sensitivity and +P.");
  std::string db, records = "DS2", model, html, output;
  bool json = false, detector_only = false, check_floors = false;
  std::vector<std::string> floor_overrides;
  cli.Option("", "--db", &db, "DIR", "folder with the mitdb records (NNN.hea, .dat, .atr)");
  cli.Option("", "--records", &records, "SET",
             "DS1, DS2 (default), ALL or a list like 100,105,119");
  cli.Option("", "--model", &model, "FILE", "beat classifier .vgl (default: the built-in model)");
  cli.Flag("", "--detector-only", &detector_only, "score QRS detection only (no classifier)");
  cli.Flag("", "--json", &json, "print the results as JSON");
  cli.Option("-o", "--output", &output, "FILE", "also write the JSON results to FILE (atomically)");
  cli.Option("", "--html", &html, "FILE", "write an HTML report with plots");
  cli.Flag("", "--check-floors", &check_floors,
           "exit 1 unless QRS Se/+P >= 99.7, VEB Se >= 85 and +P >= 90, SVEB Se >= 75 and +P >= 40 "
           "(gross)");
  cli.Repeated("", "--floor", &floor_overrides, "NAME=PERCENT",
               "replace one floor (qrs-se, qrs-ppv, veb-se, veb-ppv, sveb-se, sveb-ppv), e.g. a "
               "regression gate");
  cli.Epilog("Example: vigil ecg eval --db ../shared/data/mitdb --records DS2 --html ecg.html");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (db.empty()) {
    std::fprintf(stderr, "vigil ecg eval: --db is required\n%s", cli.Help().c_str());
    return 2;
  }
  const std::vector<std::string> names = ParseRecordList(records);
  std::unique_ptr<BeatClassifier> classifier;
  if (!detector_only) classifier = std::make_unique<BeatClassifier>(model);
  ProgressBar progress("evaluating", static_cast<int64_t>(names.size()), !json);
  const Evaluation ev = EvaluateRecords(db, names, classifier.get(), {}, [&](size_t done) {
    progress.Update(static_cast<int64_t>(done));
  });
  progress.Finish();
  const std::string command = JoinCommandLine(argc, argv, "vigil ecg eval");
  const std::string model_name = classifier ? classifier->name() : "none (detector only)";
  nlohmann::json j = EvaluationJson(ev);
  j["model"] = model_name;
  if (classifier) {
    j["model_file_bytes"] = classifier->file_bytes();
    j["model_arena_bytes"] = classifier->arena_bytes();
    j["model_int8"] = classifier->int8();
    j["model_decision_rule"] = {
        {"ventricular_max_qrs_correlation", classifier->rule().ventricular_max_correlation},
        {"supraventricular_min_qrs_correlation",
         classifier->rule().supraventricular_min_correlation}};
  }
  j["records"] = names;
  Floors floors;
  for (const std::string& o : floor_overrides) {
    const size_t eq = o.find('=');
    const std::string name = o.substr(0, eq);
    double* target = name == "qrs-se"     ? &floors.qrs_se
                     : name == "qrs-ppv"  ? &floors.qrs_ppv
                     : name == "veb-se"   ? &floors.veb_se
                     : name == "veb-ppv"  ? &floors.veb_ppv
                     : name == "sveb-se"  ? &floors.sveb_se
                     : name == "sveb-ppv" ? &floors.sveb_ppv
                                          : nullptr;
    if (eq == std::string::npos || target == nullptr)
      throw HostError("--floor expects NAME=PERCENT with a known NAME, got '" + o + "'");
    *target = ParseReal("--floor " + name, o.substr(eq + 1), RealRange{0, 100});
  }
  const std::vector<std::string> missed = MissedFloors(ev.gross, floors);
  j["floors_missed"] = missed;
  j["floors"] = {{"qrs_se", floors.qrs_se},   {"qrs_ppv", floors.qrs_ppv},
                 {"veb_se", floors.veb_se},   {"veb_ppv", floors.veb_ppv},
                 {"sveb_se", floors.sveb_se}, {"sveb_ppv", floors.sveb_ppv}};
  j = WithProvenance(j, command);
  if (!output.empty()) WriteFileAtomic(output, j.dump(2) + "\n");
  if (!html.empty()) WriteEvaluationReport(ev, model_name, command, html);
  if (json) {
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("Model: %s\n%s", model_name.c_str(), FormatEvaluationTable(ev).c_str());
    for (const std::string& m : missed)
      std::printf("floor missed: %s\n", m.c_str());
  }
  if (check_floors && !missed.empty()) {
    std::fprintf(stderr, "vigil ecg eval: %zu acceptance floor(s) missed\n", missed.size());
    return 1;
  }
  return 0;
}

}  // namespace vigil::ecg
