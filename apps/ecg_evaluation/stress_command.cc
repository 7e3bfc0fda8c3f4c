// `vigil ecg stress`: the noise stress test. DS2 records with nstdb noise (bw, ma) added as `nst`
// adds it, at each requested SNR; QRS, VEB and SVEB Se and +P per noise and SNR.
#include <cstdio>
#include <sstream>

#include "apps/ecg_evaluation/ecg_evaluation.h"
#include "apps/ecg_evaluation/evaluation_commands.h"
#include "apps/ecg_evaluation/noise_stress.h"
#include "apps/ecg_evaluation/wfdb/wfdb_record.h"
#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"
#include "host/html_report.h"
#include "host/progress_bar.h"
#include "host/svg_chart.h"

namespace vigil::ecg {
namespace {

std::vector<double> ParseSnrList(const std::string& text) {
  std::vector<double> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    out.push_back(ParseReal("--snr (a list like 24,18,12,6,0)", item, RealRange{-100, 100}));
  }
  if (out.empty()) throw HostError("--snr: empty list");
  return out;
}

void WriteStressReport(const nlohmann::json& results, const std::vector<std::string>& noises,
                       const std::vector<double>& snrs, const std::string& command,
                       const std::string& path) {
  HtmlReport report("ECG noise stress test (nstdb noise on DS2)");
  report.Paragraph("Command: " + command);
  for (const char* metric : {"qrs", "veb", "sveb"}) {
    svg::LineChart chart;
    chart.title = std::string(metric == std::string("qrs")   ? "QRS"
                              : metric == std::string("veb") ? "VEB"
                                                             : "SVEB") +
                  " Se and +P against SNR";
    chart.x_label = "SNR (dB)";
    chart.y_label = "%";
    chart.y_min = 0;
    chart.y_max = 100;
    for (const std::string& noise : noises) {
      for (const char* stat : {"se", "ppv"}) {
        svg::Series s;
        s.name = noise + " " + (stat == std::string("se") ? "Se" : "+P");
        s.markers = true;
        s.dashed = stat == std::string("ppv");
        for (size_t i = 0; i < snrs.size(); ++i) {
          const nlohmann::json& v = results[noise][i][metric][stat];
          if (v.is_null()) continue;
          s.x.push_back(snrs[i]);
          s.y.push_back(v.get<double>());
        }
        chart.series.push_back(s);
      }
    }
    report.Figure(svg::Render(chart),
                  "Gross statistics over DS2; noise in alternating 2-minute segments after 5:00");
  }
  report.Write(path);
}

}  // namespace

int RunEcgStressCommand(int argc, char** argv) {
  CommandLine cli("vigil ecg stress",
                  "Noise stress test: add MIT-BIH NSTDB noise records to DS2 at each SNR (as "
                  "PhysioNet's nst does)\n"
                  "and report QRS, VEB and SVEB Se and +P per noise and SNR.");
  std::string db, noise_dir, snr_text = "24,18,12,6,0", records = "DS2", model, html, output,
                             noises_text = "bw,ma";
  bool json = false;
  cli.Option("", "--db", &db, "DIR", "folder with the mitdb records");
  cli.Option("", "--noise", &noise_dir, "DIR",
             "folder with the nstdb noise records (bw.hea, ma.hea, ...)");
  cli.Option("", "--snr", &snr_text, "LIST", "SNRs in dB (default 24,18,12,6,0)");
  cli.Option("", "--noises", &noises_text, "LIST", "noise records to use (default bw,ma)");
  cli.Option("", "--records", &records, "SET", "DS2 (default), DS1, ALL or a list of records");
  cli.Option("", "--model", &model, "FILE", "beat classifier .vgl (default: the built-in model)");
  cli.Flag("", "--json", &json, "print the results as JSON");
  cli.Option("-o", "--output", &output, "FILE", "also write the JSON results to FILE");
  cli.Option("", "--html", &html, "FILE", "write an HTML report with Se/+P against SNR plots");
  if (auto code = cli.Parse(argc, argv)) return *code;
  if (db.empty() || noise_dir.empty()) {
    std::fprintf(stderr, "vigil ecg stress: --db and --noise are required\n%s", cli.Help().c_str());
    return 2;
  }
  const std::vector<double> snrs = ParseSnrList(snr_text);
  const std::vector<std::string> names = ParseRecordList(records);
  std::vector<std::string> noises;
  std::stringstream in(noises_text);
  for (std::string n; std::getline(in, n, ',');)
    noises.push_back(n);
  BeatClassifier classifier(model);
  nlohmann::json results = nlohmann::json::object();
  ProgressBar progress("stress", static_cast<int64_t>(noises.size() * snrs.size() * names.size()),
                       !json);
  int64_t done = 0;
  for (const std::string& noise_name : noises) {
    const WfdbRecord noise = ReadWfdbRecord(noise_dir + "/" + noise_name);
    std::vector<double> noise_rms;
    for (const auto& signal : noise.samples)
      noise_rms.push_back(RmsAmplitude(signal));
    for (double snr : snrs) {
      auto add_noise = [&](EcgRecording& rec) {
        // nst pairs ECG signal i with noise signal i % (noise signals); the chain reads MLII, which is
        // signal 0 except in record 114 (signal 1).
        const size_t channel = (rec.name == "114" ? 1 : 0) % noise.samples.size();
        const double gain =
            NoiseGain(snr, NormalQrsAmplitude(rec.samples, rec.reference), noise_rms[channel]);
        rec.samples = AddNoise(rec.samples, noise.samples[channel], gain);
      };
      const Evaluation ev = EvaluateRecords(db, names, &classifier, add_noise,
                                            [&](size_t) { progress.Update(++done); });
      nlohmann::json row = StatsJson(ev.gross);
      row["snr_db"] = snr;
      row["average"] = StatsJson(ev.average);
      results[noise_name].push_back(row);
      if (!json) {
        auto v = [](const std::optional<double>& x) { return FormatStatistic(x); };
        std::printf("%-3s %5.1f dB  QRS Se %6s +P %6s  VEB Se %6s +P %6s  SVEB Se %6s +P %6s\n",
                    noise_name.c_str(), snr, v(ev.gross.qrs_se).c_str(),
                    v(ev.gross.qrs_ppv).c_str(), v(ev.gross.veb_se).c_str(),
                    v(ev.gross.veb_ppv).c_str(), v(ev.gross.sveb_se).c_str(),
                    v(ev.gross.sveb_ppv).c_str());
      }
    }
  }
  progress.Finish();
  const std::string command = JoinCommandLine(argc, argv, "vigil ecg stress");
  nlohmann::json j = WithProvenance(
      {{"model", classifier.name()}, {"records", names}, {"results", results}}, command);
  if (!output.empty()) WriteFileAtomic(output, j.dump(2) + "\n");
  if (!html.empty()) WriteStressReport(results, noises, snrs, command, html);
  if (json) std::printf("%s\n", j.dump(2).c_str());
  return 0;
}

}  // namespace vigil::ecg
