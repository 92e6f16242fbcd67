//! The binary's own work around the library: turning arguments into a run, the allocator,
//! Ctrl-C, and writing the output file.

pub mod allocator;
pub mod configure;
pub mod ctrl_c;
pub mod output_file;
