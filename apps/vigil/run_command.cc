// vigil run: a model on .npy inputs, its outputs written as .npy.
#include <cstdio>

#include "apps/vigil/commands.h"
#include "host/atomic_file.h"
#include "host/command_line.h"
#include "host/error.h"
#include "host/loaded_model.h"
#include "host/npy.h"

namespace vigil {
namespace {

std::string ShapeText(const TensorView& v) {
  std::string s = "[";
  for (int i = 0; i < v.shape.rank; ++i)
    s += (i ? ", " : "") + std::to_string(v.shape.dims[i]);
  return s + "]";
}

}  // namespace

int RunRunCommand(int argc, char** argv) {
  CommandLine cli("vigil run", "Run a model on .npy inputs and write its outputs as .npy.");
  std::string path;
  std::vector<std::string> inputs, outputs;
  cli.Positional("MODEL.vgl", &path, "the model file");
  cli.Repeated("-i", "--input", &inputs, "FILE.npy", "one per graph input, in order");
  cli.Repeated("-o", "--output", &outputs, "FILE.npy", "one per graph output, in order");
  if (auto code = cli.Parse(argc, argv)) return *code;
  LoadedModel model = LoadedModel::FromFile(path);
  Interpreter& interpreter = model.interpreter();
  if (static_cast<int>(inputs.size()) != interpreter.input_count()) {
    throw HostError("the model has " + std::to_string(interpreter.input_count()) +
                    " input(s); got " + std::to_string(inputs.size()) + " --input");
  }
  if (static_cast<int>(outputs.size()) != interpreter.output_count()) {
    throw HostError("the model has " + std::to_string(interpreter.output_count()) +
                    " output(s); got " + std::to_string(outputs.size()) + " --output");
  }
  for (int i = 0; i < interpreter.input_count(); ++i) {
    NpyArray array = ReadNpy(inputs[static_cast<size_t>(i)]);
    TensorView view = interpreter.input(i);
    std::vector<int64_t> expected(view.shape.dims, view.shape.dims + view.shape.rank);
    if (array.type != NpyType::kFloat32 || array.shape != expected) {
      throw HostError(inputs[static_cast<size_t>(i)] + ": input '" + interpreter.input_name(i) +
                      "' must be float32 " + ShapeText(view) + ", got " + NpyTypeDescr(array.type) +
                      " " + ShapeToString(array.shape));
    }
    model.SetInput(i, array.ToFloat());
  }
  model.Invoke();
  // Every output staged before any is renamed into place: a failure leaves no partial set.
  StagedFiles files;
  for (int i = 0; i < interpreter.output_count(); ++i) {
    TensorView view = interpreter.output(i);
    std::vector<int64_t> shape(view.shape.dims, view.shape.dims + view.shape.rank);
    files.Stage(outputs[static_cast<size_t>(i)],
                SerializeNpy(NpyArray::FromFloat(model.Output(i), shape)));
  }
  files.Commit();
  return 0;
}

}  // namespace vigil
