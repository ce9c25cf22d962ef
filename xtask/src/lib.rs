//! The book's tooling, behind `cargo xtask`. See ARCHITECTURE.md for the map.

pub mod bench;
pub mod book;
pub mod cache;
pub mod check;
pub mod cli;
pub mod compile;
pub mod diag;
pub mod engine;
pub mod extract;
pub mod matcher;
pub mod model;
pub mod parse;
pub mod render;
pub mod report;
pub mod run;
pub mod screen;
pub mod supervise;
pub mod text;
