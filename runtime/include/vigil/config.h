// Compile-time limits of the runtime and what each costs. Override with -D on the compiler line.
//
// The runtime keeps its bookkeeping inside the Interpreter object, never in the arena, so the arena
// size in a model file is the same on every target (pointer widths differ, the plan does not).
#pragma once

// Operators per model. Costs sizeof(void*) * 2 bytes of Interpreter state per op
// (16 bytes on x86-64, 8 bytes on Cortex-M).
#ifndef VIGIL_MAX_OPS
#define VIGIL_MAX_OPS 512
#endif

// Tensors per model (constants included). Costs sizeof(void*) bytes of Interpreter state each,
// and 8 bytes each of stack while the verifier checks the memory plan.
#ifndef VIGIL_MAX_TENSORS
#define VIGIL_MAX_TENSORS 1024
#endif

// Inputs of one operator (Concat is the widest user). Costs stack space in each op's Prepare.
#ifndef VIGIL_MAX_OP_INPUTS
#define VIGIL_MAX_OP_INPUTS 16
#endif

// Length of the last-error message kept by the Interpreter, in bytes.
#ifndef VIGIL_ERROR_MESSAGE_BYTES
#define VIGIL_ERROR_MESSAGE_BYTES 160
#endif
