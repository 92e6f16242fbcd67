//! The binary's own work around the library: turning arguments into a run, the allocator,
//! Ctrl-C, a capture that shrinks while mapped (SIGBUS), and writing the output file.

pub mod allocator;
pub mod configure;
pub mod ctrl_c;
pub mod output_file;
pub mod sigbus;
