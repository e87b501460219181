//! Trial data and derivation: the bundle contract of data-format.md (§1–§2b), the protocol
//! (`trial.toml`, §5), batch scoring of a visits file (§4), and the analysis of a trial bundle
//! (§6): subject-level derivation, endpoint statistics, subgroups, safety.
//!
//! Readers take any `std::io::Read` or text; opening files is the caller's job.

pub mod analysis;
pub mod bundle;
pub mod demo;
pub mod error;
pub mod protocol;
pub mod scoring;
pub mod table;
pub mod visits;

pub use error::{LoadError, LoadErrors};
