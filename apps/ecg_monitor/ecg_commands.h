// The `vigil ecg` subcommands (eval, features, monitor, stress) and what they share.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vigil {

int RunEcgCommand(int argc, char** argv);  // `vigil ecg`, for the CLI table of apps/vigil

}  // namespace vigil

namespace vigil::ecg {

int RunEcgEvalCommand(int argc, char** argv);
int RunEcgFeaturesCommand(int argc, char** argv);
int RunEcgMonitorCommand(int argc, char** argv);
int RunEcgStressCommand(int argc, char** argv);

// "vigil ecg eval --db ..." as typed, for reports.
std::string JoinCommandLine(int argc, char** argv, const char* prefix);
// The evidence convention: top-level "commit", "date" (UTC ISO 8601) and "command", then the data.
nlohmann::json WithProvenance(nlohmann::json data, const std::string& command);

}  // namespace vigil::ecg
