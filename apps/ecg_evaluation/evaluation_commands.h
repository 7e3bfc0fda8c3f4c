// The `vigil ecg` subcommands of the evaluation toolkit (eval, features, stress) and what they
// share. `vigil ecg` itself dispatches from apps/ecg_monitor/commands/ecg_command.cc.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace vigil::ecg {

int RunEcgEvalCommand(int argc, char** argv);
int RunEcgFeaturesCommand(int argc, char** argv);
int RunEcgStressCommand(int argc, char** argv);

// "vigil ecg eval --db ..." as typed, for reports.
std::string JoinCommandLine(int argc, char** argv, const char* prefix);
// The evidence convention: top-level "commit", "date" (UTC ISO 8601) and "command", then the data.
nlohmann::json WithProvenance(nlohmann::json data, const std::string& command);

}  // namespace vigil::ecg
