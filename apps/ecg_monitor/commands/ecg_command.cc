// `vigil ecg`: the ECG arrhythmia monitor's commands.
#include "apps/ecg_monitor/commands/ecg_commands.h"

#include "apps/ecg_evaluation/evaluation_commands.h"
#include "host/command_line.h"

namespace vigil {

int RunEcgCommand(int argc, char** argv) {
  const std::vector<Subcommand> commands = {
      {"eval", "EC57 evaluation on MIT-BIH records (QRS, VEB, SVEB Se and +P), JSON and HTML",
       ecg::RunEcgEvalCommand},
      {"features",
       "export the classifier's inputs for every detected beat, paired with the reference "
       "(training)",
       ecg::RunEcgFeaturesCommand},
      {"monitor", "stream a record or the built-in synthetic ECG, print beats and alarms",
       ecg::RunEcgMonitorCommand},
      {"stress", "noise stress test: DS2 with nstdb noise at given SNRs, Se and +P per SNR",
       ecg::RunEcgStressCommand},
  };
  return DispatchSubcommand("vigil ecg", commands, argc, argv);
}

}  // namespace vigil
