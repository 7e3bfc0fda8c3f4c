// The HTML report of `vigil ecg eval`: summary, per-record Se/+P charts, the confusion matrix as a
// heat map and ECG strips of the worst errors, with the provenance footer of host/html_report.h.
#pragma once

#include <string>

#include "apps/ecg_evaluation/ecg_evaluation.h"

namespace vigil::ecg {

void WriteEvaluationReport(const Evaluation& evaluation, const std::string& model_name,
                           const std::string& command, const std::string& path);

}  // namespace vigil::ecg
