#include "regulatory/change/change_register.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "host/atomic_file.h"
#include "host/digest.h"
#include "host/error.h"

namespace vigil::regulatory {

std::string ChangeRegister::Create(ChangeRecord& record, int year) {
  std::filesystem::create_directories(dir_);
  for (int n = 1; n < 100000; ++n) {
    char id[32];
    std::snprintf(id, sizeof(id), "CC-%04d-%03d", year, n);
    std::string path = PathOf(id);
    if (std::filesystem::exists(path)) continue;
    record.id = id;
    // Write a temporary file, then link() it to the ID's name: link fails if the name exists, so
    // a concurrent creator of the same ID loses cleanly and takes the next number.
    std::string temporary = path + ".new";
    WriteFileAtomic(temporary, ToJson(record).dump(2) + "\n");
    int linked = link(temporary.c_str(), path.c_str());
    std::filesystem::remove(temporary);
    if (linked == 0) return record.id;
  }
  throw HostError(dir_ + ": no free change-control ID for " + std::to_string(year));
}

ChangeRecord ChangeRegister::Load(const std::string& id) const {
  if (!IsChangeControlId(id))
    throw HostError("'" + id + "' is not a change-control ID (CC-YYYY-NNN)");
  if (!std::filesystem::exists(PathOf(id))) throw HostError(id + ": no such change in " + dir_);
  nlohmann::json j = nlohmann::json::parse(ReadFileText(PathOf(id)), nullptr, false);
  if (j.is_discarded()) throw HostError(PathOf(id) + ": not valid JSON");
  ChangeRecord r = FromJson(j, PathOf(id));
  if (r.id != id) throw HostError(PathOf(id) + ": holds change " + r.id + ", not " + id);
  return r;
}

void ChangeRegister::Save(const ChangeRecord& record) const {
  WriteFileAtomic(PathOf(record.id), ToJson(record).dump(2) + "\n");
}

void CheckModelUnchanged(const ChangeRecord& record) {
  std::string dir = record.model.value("dir", "");
  for (const nlohmann::json& f : record.model.value("files", nlohmann::json::array())) {
    std::string path = dir + "/" + f.value("path", "");
    std::string now = Sha256HexOfFile(path);
    if (now != f.value("sha256", "")) {
      throw HostError(record.id + ": " + path +
                      " changed since the change was recorded (SHA-256 now " + now + ")");
    }
  }
}

void CheckApprovedChange(const ChangeRecord& record, const std::string& model_file,
                         const ApproverList& approvers) {
  ChangeStatus status = Evaluate(record, approvers);
  if (status.state != "approved") throw HostError(record.id + " is not approved: " + status.state);
  std::string sha256 = Sha256HexOfFile(model_file);
  for (const nlohmann::json& f : record.model.value("files", nlohmann::json::array())) {
    if (f.value("sha256", "") == sha256) return;
  }
  throw HostError(model_file + " (SHA-256 " + sha256 + ") is not a file that " + record.id +
                  " approved");
}

}  // namespace vigil::regulatory
