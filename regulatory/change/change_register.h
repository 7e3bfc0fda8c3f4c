// The change register: one file <ID>.json per change in a folder (default docs/regulatory/changes),
// IDs handed out in order per year, records written atomically.
//
//   ChangeRegister reg("docs/regulatory/changes");
//   record.id = reg.Create(record, 2026);           // "CC-2026-001", never reusing an ID
//   CheckApprovedChange(reg.Load(id), "model.vgl", approvers);  // what a package build calls
#pragma once

#include <string>

#include "regulatory/change/change_record.h"

namespace vigil::regulatory {

class ChangeRegister {
 public:
  explicit ChangeRegister(std::string dir) : dir_(std::move(dir)) {}

  // Gives `record` the next free ID of `year` and writes it; an existing file is never replaced
  // (two people creating a change at once get different IDs).
  std::string Create(ChangeRecord& record, int year);
  ChangeRecord Load(const std::string& id) const;  // throws HostError naming the ID when absent
  void Save(const ChangeRecord& record) const;     // replaces an existing record, atomically

 private:
  std::string PathOf(const std::string& id) const { return dir_ + "/" + id + ".json"; }
  std::string dir_;
};

// Throws HostError if a model file the change covers (model.dir/<path>) no longer has the SHA-256
// recorded: approving must sign the files the protocol evaluated.
void CheckModelUnchanged(const ChangeRecord& record);

// Throws HostError unless the change is approved by approvers on the list and `model_file`'s
// SHA-256 is one the change covers: the check an update package makes before it carries the
// change's ID to a device.
void CheckApprovedChange(const ChangeRecord& record, const std::string& model_file,
                         const ApproverList& approvers);

}  // namespace vigil::regulatory
