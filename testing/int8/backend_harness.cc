#include "testing/int8/backend_harness.h"

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>

#include "host/aligned_buffer.h"
#include "host/atomic_file.h"
#include "host/error.h"
#include "vigil/interpreter.h"

namespace vigil::testing {
namespace {

namespace fs = std::filesystem;

// The portable reference kernels of runtime/kernels/reference, in process.
class ReferenceBackend : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::vector<std::vector<uint8_t>> Run(const std::vector<uint8_t>& bytes,
                                        const std::vector<NpyArray>& inputs) override {
    AlignedBuffer model(bytes);
    size_t arena_bytes = 0;
    if (ReadArenaBytes(model.data(), model.size(), &arena_bytes) != Status::kOk)
      throw HostError("reference: model rejected");
    AlignedBuffer arena(arena_bytes);
    auto interpreter = std::make_unique<Interpreter>();
    if (interpreter->Init(model.data(), model.size(), arena.data(), arena.size()) != Status::kOk) {
      throw HostError(std::string("reference: ") + interpreter->error());
    }
    for (size_t i = 0; i < inputs.size(); ++i) {
      TensorView view = interpreter->input(static_cast<int>(i));
      if (view.bytes() != inputs[i].data.size())
        throw HostError("reference: input " + std::to_string(i) + " has the wrong size");
      std::memcpy(view.data, inputs[i].data.data(), view.bytes());
    }
    if (interpreter->Invoke() != Status::kOk)
      throw HostError(std::string("reference: ") + interpreter->error());
    std::vector<std::vector<uint8_t>> outputs;
    for (int k = 0; k < interpreter->output_count(); ++k) {
      TensorView view = interpreter->output(k);
      outputs.emplace_back(view.data_as<uint8_t>(), view.data_as<uint8_t>() + view.bytes());
    }
    return outputs;
  }
};

// Runs a child process to completion; returns its exit status (-1 if it did not exit normally).
int RunChild(std::vector<std::string> args, const std::string& log) {
  pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen(log.c_str(), "w", stderr) || !std::freopen(log.c_str(), "a", stdout))
      _exit(127);
    std::vector<char*> argv;
    for (std::string& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// The same reference kernels built for a Cortex-M4F with arm-none-eabi GCC (testing/qemu/), run on
// QEMU's mps2-an386 board; model, inputs and outputs cross through semihosting files.
class CortexM4QemuBackend : public Backend {
 public:
  std::string name() const override { return "cortex-m4 (qemu mps2-an386)"; }
  std::vector<std::vector<uint8_t>> Run(const std::vector<uint8_t>& model,
                                        const std::vector<NpyArray>& inputs) override {
    static int counter = 0;
    fs::path dir = fs::temp_directory_path() /
                   ("vigil_qemu_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(dir);
    WriteFileAtomic((dir / "model.vgl").string(), model);
    std::string semihosting =
        "enable=on,target=native,arg=model_runner,arg=" + (dir / "model.vgl").string() +
        ",arg=" + (dir / "out").string();
    for (size_t i = 0; i < inputs.size(); ++i) {
      const std::string path = (dir / ("in" + std::to_string(i) + ".bin")).string();
      WriteFileAtomic(path, inputs[i].data);
      semihosting += ",arg=" + path;
    }
    const int status =
        RunChild({VIGIL_QEMU_ARM, "-M", "mps2-an386", "-nographic", "-semihosting-config",
                  semihosting, "-kernel", VIGIL_MODEL_RUNNER_ELF},
                 (dir / "log").string());
    if (fs::exists(dir / "out.error") || status != 0) {
      std::string message = fs::exists(dir / "out.error")
                                ? ReadFileText((dir / "out.error").string())
                                : ReadFileText((dir / "log").string());
      fs::remove_all(dir);
      throw HostError("cortex-m4: " + message + " (exit " + std::to_string(status) + ")");
    }
    std::vector<std::vector<uint8_t>> outputs;
    for (int k = 0; fs::exists(dir / ("out" + std::to_string(k) + ".bin")); ++k) {
      outputs.push_back(ReadFileBytes((dir / ("out" + std::to_string(k) + ".bin")).string()));
    }
    fs::remove_all(dir);
    return outputs;
  }
};

}  // namespace

std::vector<std::unique_ptr<Backend>> AvailableBackends() {
  std::vector<std::unique_ptr<Backend>> backends;
  backends.push_back(std::make_unique<ReferenceBackend>());
  if (std::string(VIGIL_MODEL_RUNNER_ELF).size() > 0 && fs::exists(VIGIL_MODEL_RUNNER_ELF)) {
    backends.push_back(std::make_unique<CortexM4QemuBackend>());
  }
  return backends;
}

std::vector<std::vector<uint8_t>> NumpyReference(const std::vector<uint8_t>& model,
                                                 const std::vector<NpyArray>& inputs,
                                                 size_t outputs) {
  static int counter = 0;
  fs::path dir = fs::temp_directory_path() / ("vigil_numpy_reference_" + std::to_string(getpid()) +
                                              "_" + std::to_string(counter++));
  fs::create_directories(dir);
  WriteFileAtomic((dir / "model.vgl").string(), model);
  std::vector<std::string> args = {
      "/usr/bin/python3", VIGIL_INT8_REFERENCE_RUN_MODEL, (dir / "model.vgl").string(),
      "--bindings",       VIGIL_INT8_REFERENCE_BINDINGS,  "--input"};
  for (size_t i = 0; i < inputs.size(); ++i) {
    std::string path = (dir / ("input_" + std::to_string(i) + ".npy")).string();
    WriteNpy(path, inputs[i]);
    args.push_back(path);
  }
  args.push_back("--output");
  for (size_t k = 0; k < outputs; ++k)
    args.push_back((dir / ("output_" + std::to_string(k) + ".npy")).string());
  std::string log = (dir / "stderr").string();
  pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen(log.c_str(), "w", stderr)) _exit(127);
    std::vector<char*> argv;
    for (std::string& a : args)
      argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string message = ReadFileText(log);
    fs::remove_all(dir);
    throw HostError("NumPy reference failed: " + message);
  }
  std::vector<std::vector<uint8_t>> result;
  for (size_t k = 0; k < outputs; ++k)
    result.push_back(ReadNpy((dir / ("output_" + std::to_string(k) + ".npy")).string()).data);
  fs::remove_all(dir);
  return result;
}

}  // namespace vigil::testing
