//! Hearth: a static-site generator for community knowledge hubs.
//!
//! The flow is one-way, one module per arrow:
//! `hearth.toml + content/ + themes` → [`build::load`] → [`content::Site`]
//! → render ([`render`], in parallel) → [`build::Output`] (in memory) →
//! [`build::commit`] (staged, then swapped into place atomically).
//! Visibility is decided in [`tiers`] only; every output asks it.
//!
//! Modules are layered, and no module imports a layer above its own
//! (`tests/layers.rs` checks it): the ground floor ([`text`],
//! [`diagnostics`], [`spanned`], [`config`], [`timings`], [`zones`]), then the model
//! and its domains ([`content`], [`markdown`], [`tiers`], [`calendar`],
//! [`images`]), then what is made from it ([`render`], [`outputs`],
//! [`search`]), then [`build`] and [`scaffold`], then [`serve`].
//! `docs/architecture.md` says what each owns and why.

// Diagnostics are the cold path and carry a source line for display: their
// size in `Result::Err` costs nothing measurable, boxing them costs clarity.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod calendar;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod i18n;
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
pub mod zones;
