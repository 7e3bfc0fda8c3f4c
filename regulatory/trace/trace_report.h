// Writes a trace matrix for people and tools: trace.html (tables and a chart), requirements.csv
// (requirement -> test -> result), hazards.csv (hazard -> control -> verdict) and trace.json.
//
//   WriteTraceReport(matrix, "build/trace");
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "regulatory/trace/trace_matrix.h"

namespace vigil::regulatory {

// Counts, strict violations, findings, untested requirements and tests without requirements.
nlohmann::json TraceSummaryJson(const TraceMatrix& matrix);

std::string RequirementsCsv(const TraceMatrix& matrix);
std::string HazardsCsv(const TraceMatrix& matrix);

// Creates out_dir if needed; every file is written atomically.
void WriteTraceReport(const TraceMatrix& matrix, const std::string& out_dir);

}  // namespace vigil::regulatory
