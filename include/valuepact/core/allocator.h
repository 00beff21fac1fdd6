#pragma once

// How the C library's allocator treats memory a run frees.
//
// A run builds columns of tens of megabytes, frees them and builds others of much the same
// sizes. By default glibc gives each block above a sliding threshold (128 KiB at start) its own
// mapping and returns it to the kernel when freed, and trims the top of its heap after 128 KiB
// is free there; the next column then takes fresh pages, which the kernel faults in and zeroes
// one by one. On the virtual machines partners run on that was about a tenth of a settlement's
// wall time on a million members (bench/results.md). A one-run process keeps what it frees for
// what it allocates next instead.

namespace valuepact {

// On: blocks under 32 MiB come from the heap (a fixed threshold), the heap is not trimmed, and
// it grows 64 MiB at a time. Off: glibc's starting values, held fixed (what a long-lived server
// such as `serve` wants, so that a large request's memory goes back). Neither changes a figure.
// Does nothing where the C library is not glibc.
void KeepFreedMemory(bool on);

}  // namespace valuepact
