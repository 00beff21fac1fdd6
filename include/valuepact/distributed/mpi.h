#pragma once
// The Distribution of a process started by mpirun (core/distributed.h). Built only when MPI is
// (CMake VALUEPACT_MPI); VALUEPACT_WITH_MPI is then defined for the code that uses it.
#include <memory>

#include "valuepact/core/distributed.h"

namespace valuepact::distributed {

// Initializes MPI (once per process) and returns this process's place in MPI_COMM_WORLD; MPI is
// finalized when the object is destroyed.
Result<std::unique_ptr<Distribution>> StartMpi();

}  // namespace valuepact::distributed
