//! Statistics for myositis trials. Every method is validated against a reference
//! implementation (scipy, statsmodels, R) on generated cases; the fixtures and the scripts
//! that made them are in `tests/fixtures/` and `tools/refgen/`.
//!
//! Pure computation: no I/O. Results that are undefined for the data (a zero cell, say) are
//! returned as `None` with a reason, never as NaN or infinity.

pub mod ancova;
pub mod continuous;
pub mod dist;
pub mod exact_ci;
pub mod multiplicity;
pub mod proportion;
pub mod rank;
pub mod special;
pub mod strata;
pub mod survival;
pub mod two;
pub mod unconditional;
