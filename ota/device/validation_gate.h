// ValidationGate: runs a model on the device's own runtime over an update package's validation
// set and decides whether it may be activated.
//
// Contract
//  - MeasureMetric initialises a vigil::Interpreter on the model bytes (the runtime's verifier
//    checks the whole file first, so a corrupt .vgl is refused here with the verifier's message),
//    then refuses a validation set that does not fit the model's inputs: one array per model
//    input, in the model's order and under its name, each float32 [N, <input shape>] (a leading
//    batch dimension of 1 may be left out) for a float32 input, all with the same N as
//    expected.npy. It feeds every input of each sample and scores output 0 against expected.npy:
//      accuracy     fraction of samples whose argmax of output 0 equals the label
//      sensitivity  of the samples labelled `class_index`, the fraction predicted as that class
//      dice         2|P∩T| / (|P|+|T|) over all pixels; P from output 0 (one channel: >= 0.5,
//                   several: argmax == class_index), T = mask != 0; 1 when both are empty
//  - Judge applies the acceptance criteria: metric >= floor, and when a model is running, metric
//    >= running metric - max_drop. It returns the reason for a rejection, or "" to accept.
//  - Throws HostError for a model the runtime refuses or a validation set that does not fit it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "ota/package/update_manifest.h"

namespace vigil::ota {

double MeasureMetric(std::span<const uint8_t> model, const ValidationSet& set,
                     const AcceptanceCriteria& criteria);

std::string Judge(double metric, std::optional<double> running_metric,
                  const AcceptanceCriteria& criteria);

}  // namespace vigil::ota
