// libFuzzer's entry points (compiler-rt FuzzerInterface.h / FuzzerDriver.cpp), declared for Swift.
#include <stddef.h>
#include <stdint.h>

// Runs libFuzzer with the command line and a per-input callback; returns the exit status.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

// Every fuzz target defines this (with @_cdecl in Swift).
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
