//! Hearth: a static-site generator for community knowledge hubs.
//!
//! The flow is one-way, one module per arrow:
//! `hearth.toml + content/ + themes` → [`content::load`] → [`content::Site`]
//! → render ([`render`], in parallel) → [`build::Output`] (in memory) →
//! [`build::commit`] (staged, then swapped into place atomically).
//! Visibility is decided in [`tiers`] only; every output asks it.

// Diagnostics are the cold path and carry a source line for display: their
// size in `Result::Err` costs nothing measurable, boxing them costs clarity.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod calendar;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod images;
pub mod markdown;
pub mod outputs;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod spanned;
pub mod text;
pub mod tiers;
pub mod timings;
